"""Discord's objects as the API and gateway send them (users, channels, a guild), for the stand-in.

Field sets follow Discord's developer documentation (User, Channel, Guild, Role objects) and what
discord.py 2.7 reads from them.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

APP_ID = "1100000000000000001"
BOT_ID = APP_ID
GUILD_ID = "1200000000000000001"
CHANNEL_ID = "1300000000000000001"
TOKEN = "stand-in-token.not-a-secret"
ADMINISTRATOR, MANAGE_CHANNELS, MANAGE_GUILD = 1 << 3, 1 << 4, 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use app commands
EPHEMERAL = 1 << 6

_ids = itertools.count(1400000000000000001)


def snowflake() -> str:
    return str(next(_ids))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord sends it: discord.py decodes a body only under exactly ``application/json``."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


def user_object(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name, "global_name": name.title(), "discriminator": "0",
            "avatar": None, "bot": bot, "public_flags": 0, "flags": 0}


BOT_USER = user_object(BOT_ID, "calcbot", bot=True)


def channel_object(channel_id: str = CHANNEL_ID, name: str = "study") -> dict[str, Any]:
    return {"id": channel_id, "type": 0, "guild_id": GUILD_ID, "name": name, "position": 0,
            "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
            "last_message_id": None, "rate_limit_per_user": 0, "flags": 0}


def guild_object() -> dict[str, Any]:
    everyone = {"id": GUILD_ID, "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS), "position": 0,
                "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
    return {
        "id": GUILD_ID, "name": "Calculus study group", "icon": None, "splash": None, "discovery_splash": None,
        "owner_id": "1500000000000000001", "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [everyone], "emojis": [],
        "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None, "description": None,
        "banner": None, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": None,
        "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": False, "joined_at": now_iso(),
        "large": False, "unavailable": False, "member_count": 3, "voice_states": [], "members": [],
        "channels": [channel_object()], "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
    }


