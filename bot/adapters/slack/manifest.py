"""The Slack app manifest, generated from the command declarations (``calcbot slack manifest``).

Paste it into api.slack.com/apps → Create New App → From a manifest. Every declared command becomes
a slash command of the same name; the scopes are the fewest the adapter needs.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.core.commands import Command, Registry

MAX_DESCRIPTION = 2000
MAX_USAGE_HINT = 1000
EVENTS_PATH = "/slack/events"

# Why each scope: slash commands; posting answers and pushes; hearing @-mentions; the Messages tab
# (reading DMs, opening one for pictures of a private answer); users.info for admin status;
# uploading formula images and figures.
BOT_SCOPES = ("commands", "chat:write", "app_mentions:read", "im:history", "im:write", "users:read",
              "files:write")
BOT_EVENTS = ("app_mention", "message.im")


def usage_hint(declared: Command) -> str:
    """What Slack shows after the command name while typing: the usage without ``/name``."""
    hint = declared.usage.removeprefix(f"/{declared.name}").strip()
    return hint[:MAX_USAGE_HINT]


def slash_command(declared: Command, request_url: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"command": f"/{declared.name}", "description": declared.summary[:MAX_DESCRIPTION]}
    hint = usage_hint(declared)
    if hint:
        entry["usage_hint"] = hint
    if request_url:
        entry["url"] = request_url
    entry["should_escape"] = False
    return entry


def manifest(registry: Registry, *, name: str = "calcbot", public_url: str | None = None) -> dict[str, Any]:
    """Socket Mode by default; with ``public_url`` (HTTP mode) every request goes to its /slack/events."""
    request_url = public_url.rstrip("/") + EVENTS_PATH if public_url else None
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    if request_url:
        interactivity["request_url"] = request_url
        events["request_url"] = request_url
    return {
        "display_information": {
            "name": name,
            "description": "Multivariate calculus for machine learning, with the working shown.",
            "long_description": (
                "calcbot answers calculus questions with every step of the working, typeset formulas "
                "and figures, and runs lessons, quizzes with spaced repetition, daily questions for a "
                "channel and cohort leaderboards. Type /help to start, or /derive x^2 sin x."),
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {"home_tab_enabled": False, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [slash_command(c, request_url) for c in registry],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(registry: Registry, *, name: str = "calcbot", public_url: str | None = None) -> str:
    return yaml.safe_dump(manifest(registry, name=name, public_url=public_url), sort_keys=False,
                          allow_unicode=True, width=100)
