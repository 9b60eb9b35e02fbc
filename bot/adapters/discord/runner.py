"""`calcbot discord`: the settings, the app and the client, wired together and run until stopped.

``CALCBOT_DISCORD_API_URL`` is the base of every call: ``discord.http.Route.BASE`` covers REST, the
interaction callbacks and the webhook follow-ups (discord.py builds all three from it), and the client
takes its gateway from ``GET {base}/gateway/bot``. Pointing it at a local stand-in runs the whole bot
offline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
import discord
import discord.http
import discord.voice_client

from bot.adapters.discord.client import CalcbotClient
from bot.adapters.discord.delivery import DiscordDelivery
from bot.app import App, build_app, utc_now
from bot.core.config import Settings
from bot.core.context import Workers
from bot.core.health import HealthServer
from bot.errors import CalcbotError

log = logging.getLogger("calcbot.discord")


class ConfigurationError(Exception):
    """A setting the Discord bot cannot start without; the message names the variable."""


def bot_token(settings: Settings) -> str:
    """DISCORD_TOKEN, checked before anything connects: set, and shaped like a bot token.

    A bot token is three dot-separated parts; what people paste by mistake from the same portal
    (the Application ID, the Public Key, the OAuth2 Client Secret) has a shape of its own.
    """
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token is not None else ""
    if not token:
        raise ConfigurationError("DISCORD_TOKEN is not set (the bot token from the Developer Portal's Bot page)")
    token = token.removeprefix("Bot ").strip()
    kind = ("the Application ID" if re.fullmatch(r"\d{15,22}", token) else
            "the Public Key" if re.fullmatch(r"[0-9a-f]{64}", token) else
            "perhaps the Client Secret" if re.fullmatch(r"[A-Za-z0-9_-]{32}", token) else None)
    if kind is not None:  # anything else goes to Discord, which says whether it is a token
        raise ConfigurationError(f"DISCORD_TOKEN is not a bot token ({kind}): use the token from the Developer "
                                 "Portal's Bot page (Reset Token), three parts separated by dots")
    return token


def shard_ids(settings: Settings) -> list[int] | None:
    if not settings.shard_ids:
        return None
    try:
        ids = [int(part) for part in settings.shard_ids.split(",") if part.strip()]
    except ValueError:
        raise ConfigurationError(f"CALCBOT_SHARD_IDS must be numbers like 0,1 — not {settings.shard_ids!r}") from None
    if settings.shard_count is None:
        raise ConfigurationError("CALCBOT_SHARD_IDS needs CALCBOT_SHARD_COUNT (the total across processes)")
    if any(not 0 <= i < settings.shard_count for i in ids):
        raise ConfigurationError(f"CALCBOT_SHARD_IDS must lie in 0..{settings.shard_count - 1}")
    return ids


def _suggester(app: App) -> Callable[[str, str], list[tuple[str, str]]]:
    """Suggestions from what the core can complete: command names for /help, topic ids elsewhere."""
    entries = app.completions()
    commands = [e[1:] for e in entries if e.startswith("/")]
    topics = [e for e in entries if not e.startswith("/")]

    def suggest(kind: str, typed: str) -> list[tuple[str, str]]:
        pool = commands if kind == "commands" else topics
        typed = typed.strip().lstrip("/").lower()
        starts = [e for e in pool if e.lower().startswith(typed)]
        inside = [e for e in pool if typed in e.lower() and e not in starts]
        return [(e, e) for e in starts + inside]

    return suggest


def _typesetter(app: App) -> Callable[[str], Any]:
    from plotting.formula import render_latex

    async def typeset(latex: str) -> bytes | None:
        try:
            return await app.services.workers.run(render_latex, latex)
        except CalcbotError as refused:  # e.g. LaTeX mathtext cannot draw: the text still carries it
            log.info("result not typeset: %s", refused)
            return None

    return typeset


@dataclass
class DiscordBot:
    app: App
    client: CalcbotClient
    delivery: DiscordDelivery

    async def run(self, token: str) -> None:
        async with self.client:
            await self.client.start(token, reconnect=True)

    async def close(self) -> None:
        if not self.client.is_closed():
            await self.client.close()
        await self.app.close()


async def build_discord_bot(settings: Settings, *, clock: Callable[[], datetime] = utc_now,
                            database_url: str | None = None, workers: Workers | None = None,
                            start_pushes: bool = True) -> DiscordBot:
    """The app on the shared-platform limits and a client pointed at ``settings.discord_api_url``."""
    ids = shard_ids(settings)
    discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    # calcbot never joins voice: discord.py's warnings about voice libraries are nothing to act on.
    discord.voice_client.VoiceClient.warn_nacl = False
    discord.voice_client.VoiceClient.warn_dave = False
    app = await build_app(settings, clock=clock, database_url=database_url, workers=workers, shared_platform=True)
    typeset = _typesetter(app)
    holder: dict[str, DiscordDelivery] = {}

    async def connected(_client: CalcbotClient) -> None:
        if start_pushes:
            await app.start_pushes(holder["delivery"], "discord")

    options: dict[str, Any] = {}
    if settings.shard_count is not None:
        options["shard_count"] = settings.shard_count
    if ids is not None:
        options["shard_ids"] = ids
    from bot.store.engine import is_outage

    client = CalcbotClient(handle=app.handle, registry=app.registry, typeset=typeset, suggest=_suggester(app),
                           guild_id=settings.discord_guild_id, on_connected=connected, once=app.once,
                           is_outage=is_outage, **options)
    holder["delivery"] = delivery = DiscordDelivery(client, typeset)
    return DiscordBot(app=app, client=client, delivery=delivery)


async def run_discord(settings: Settings) -> None:
    token = bot_token(settings)
    shard_ids(settings)
    bot = await build_discord_bot(settings)
    draining = False
    health = HealthServer(bot.app.probes, draining=lambda: draining)
    stopping = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    running = asyncio.create_task(bot.run(token))
    stop = asyncio.create_task(stopping.wait())
    try:
        if settings.health_port is not None:
            await health.start(settings.health_port)
        await asyncio.wait({running, stop}, return_when=asyncio.FIRST_COMPLETED)
        if stop.done():  # SIGTERM (docker stop, a rolling restart): finish what is in flight, then go
            draining = True
            log.info("stopping; finishing the answers in flight")
            await bot.client.drain(settings.drain_seconds)
            await bot.client.close()
        await running
    except discord.LoginFailure:
        raise ConfigurationError("Discord refused DISCORD_TOKEN (check the token on the Bot page)") from None
    except (aiohttp.ClientConnectionError, TimeoutError, OSError) as error:  # at login; later drops reconnect
        raise ConfigurationError(f"cannot reach Discord at {settings.discord_api_url} ({_reason(error)}); "
                                 "check the network or CALCBOT_DISCORD_API_URL") from None
    finally:
        stop.cancel()
        await health.stop()
        await bot.close()


def _reason(error: BaseException) -> str:
    """The innermost cause in a few words: "Name or service not known", not a chain of wrappers."""
    while error.__cause__ is not None:
        error = error.__cause__
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text.splitlines()[0]
