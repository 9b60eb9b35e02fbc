"""The manifest is generated from the registry: every command, as the declarations say."""

from __future__ import annotations

import subprocess
import sys

import yaml

from bot.commands import all_commands


def _manifest(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bot", "slack", "manifest", *args], capture_output=True,
                          text=True, timeout=60, check=True)
    return yaml.safe_load(done.stdout)


def test_every_command_is_a_slash_command_with_its_summary_and_usage():
    manifest = _manifest()
    registry = all_commands()
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/{c.name}" for c in registry]
    for entry, declared in zip(commands, registry, strict=True):
        assert entry["description"] == declared.summary
        assert f"/{declared.name} {entry.get('usage_hint', '')}".strip() == declared.usage
        assert "url" not in entry  # Socket Mode: no request URLs


def test_socket_mode_manifest_has_interactivity_events_and_minimal_scopes():
    manifest = _manifest()
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"] == {"is_enabled": True}
    assert sorted(settings["event_subscriptions"]["bot_events"]) == ["app_mention", "message.im"]
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        ["commands", "chat:write", "app_mentions:read", "im:history", "im:write", "users:read", "files:write"])
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert 174 <= len(manifest["display_information"]["long_description"]) <= 4000


def test_http_mode_manifest_points_every_request_at_slack_events():
    manifest = _manifest("--url", "https://calc.example.org/")
    url = "https://calc.example.org/slack/events"
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}
