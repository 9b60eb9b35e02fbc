"""Start-up errors a newcomer understands: one clear line naming what to do, exit status ≠ 0, before
anything connects."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot import cli


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("CALCBOT_", "SLACK_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CALCBOT_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def _start_error(*argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        cli.main(list(argv))
    message = str(ended.value.code)
    assert ended.value.code not in (0, None)
    assert message.startswith("calcbot: ") and "\n" not in message
    return message


@pytest.mark.parametrize(("platform", "module", "extra"), [
    ("discord", "discord", "discord"), ("slack", "slack_bolt", "slack"), ("slack", "aiohttp", "slack")])
def test_a_platform_without_its_extra_names_the_install_command(clean_env, platform, module, extra):
    clean_env.setitem(sys.modules, module, None)  # as if the library were not installed
    message = _start_error(platform)
    assert "make extras" in message and f"pip install -e '.[{extra}]'" in message


def test_slack_names_every_missing_token_at_once(clean_env):
    message = _start_error("slack")
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set" in message
    assert "xoxb-" in message and "xapp-" in message  # and where each comes from


def test_slack_http_mode_names_the_token_and_the_signing_secret(clean_env):
    message = _start_error("slack", "--http", "0")
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set" in message
    assert "SLACK_APP_TOKEN" not in message


@pytest.mark.parametrize(("bot_token", "app_token", "expected"), [
    ("xapp-1-A0-1-abc", "xapp-1-A0-2-def", "SLACK_BOT_TOKEN holds an app-level token (xapp-…)"),
    ("xoxb-1-2-abc", "xoxb-1-2-def", "SLACK_APP_TOKEN holds a bot token (xoxb-…)"),
    ("xoxp-1-2-abc", "xapp-1-A0-2-def", "SLACK_BOT_TOKEN holds a user token (xoxp-…)"),
    ("hunter2", "xapp-1-A0-2-def", "SLACK_BOT_TOKEN holds not a Slack token"),
])
def test_a_slack_token_of_the_wrong_kind_is_refused_before_connecting(clean_env, bot_token, app_token, expected):
    clean_env.setenv("SLACK_BOT_TOKEN", bot_token)
    clean_env.setenv("SLACK_APP_TOKEN", app_token)
    clean_env.setenv("CALCBOT_SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing listens: a connection would fail
    message = _start_error("slack")
    assert expected in message and "it needs" in message
    assert bot_token not in message and app_token not in message  # never a secret in the output


def test_discord_without_a_token_says_where_to_get_one(clean_env):
    assert "DISCORD_TOKEN is not set" in _start_error("discord")


@pytest.mark.parametrize(("token", "kind"), [
    ("123456789012345678", "the Application ID"),
    ("a1" * 32, "the Public Key"),
    ("Xy3_client-secret-0123456789abcd", "perhaps the Client Secret"),
])
def test_a_discord_token_of_the_wrong_kind_is_refused_before_connecting(clean_env, token, kind):
    clean_env.setenv("DISCORD_TOKEN", token)
    message = _start_error("discord")
    assert f"DISCORD_TOKEN is not a bot token ({kind})" in message and "Bot page" in message
    assert token not in message


def test_an_unreachable_platform_is_one_line_without_library_warnings(tmp_path):
    """A real process: what a user sees on the terminal is exactly one line (no traceback, and no
    discord.py voice warnings — calcbot never joins voice)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALCBOT_", "SLACK_", "DISCORD_"))}
    env.update({"DISCORD_TOKEN": "MTEx.Gz1Abc.not-a-real-token", "CALCBOT_DATA_DIR": str(tmp_path),
                "CALCBOT_DISCORD_API_URL": "https://calcbot-test.invalid/api/v10", "CALCBOT_WORKERS": "1"})
    done = subprocess.run([sys.executable, "-m", "bot", "discord"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines() or [""]
    assert line.startswith("calcbot: cannot reach Discord at https://calcbot-test.invalid/api/v10 ("), done.stderr
    assert line.endswith("); check the network or CALCBOT_DISCORD_API_URL"), done.stderr
