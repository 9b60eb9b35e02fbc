"""The real discord.py bot, in this test's event loop, connected to the loopback stand-in."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord.runner import DiscordBot, build_discord_bot
from bot.core.config import Settings
from tests.conftest import FakeClock
from tests.conversation.script import Seen
from tests.discord.standin import GUILD_ID, TOKEN, DiscordStandIn, Posted


def shown(posted: Posted) -> Seen:
    """What a learner sees of one message: content, embed text, the attached working; pictures; buttons."""
    parts = [posted.body.get("content") or ""]
    parts += [e.get("description") or "" for e in posted.body.get("embeds") or []]
    if "working.md" in posted.files:
        parts.append(posted.files["working.md"].decode())
    labels = [c.get("label", "") for row in posted.body.get("components") or [] for c in row.get("components", [])]
    pictures = sum(1 for name in posted.files if name.endswith(".png"))
    return Seen(text="\n".join(p for p in parts if p), images=pictures, error=posted.ephemeral, buttons=labels)


def is_answer(posted: Posted) -> bool:
    """Not the "thinking…" placeholder of a deferred response."""
    return not (posted.via == "callback" and int(posted.body.get("flags") or 0) & (1 << 7))


@dataclass
class Harness:
    standin: DiscordStandIn
    bot: DiscordBot
    clock: FakeClock

    async def answer(self, interaction: dict[str, Any], timeout: float = 60.0) -> Posted:
        """The message that answers ``interaction`` (after any defer)."""
        return await self.standin.wait_for(
            lambda: next((p for p in reversed(self.standin.answers_to(interaction)) if is_answer(p)), None), timeout)

    async def say(self, text: str, **who: Any) -> Posted:
        """Type ``text`` as on the console: the command, and everything else in its main option."""
        name, _, rest = text.strip().lstrip("/").partition(" ")
        declared = self.bot.app.registry.get(name)
        assert declared is not None, name
        options = {declared.main.name: rest} if declared.main is not None and rest.strip() else {}
        return await self.answer(await self.standin.slash(declared.name, options, **who))


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    server = await DiscordStandIn().start()
    yield server
    await server.close()


def bot_settings(standin: DiscordStandIn, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(discord_token=TOKEN, discord_api_url=standin.api_url, discord_guild_id=int(GUILD_ID),
                    data_dir=tmp_path, **extra)


@pytest.fixture
async def discord_bot(standin: DiscordStandIn, tmp_path: Path, worker_pool: object) -> AsyncIterator[Harness]:
    async with running_bot(standin, tmp_path, worker_pool) as harness:
        yield harness


@contextlib.asynccontextmanager
async def running_bot(standin: DiscordStandIn, tmp_path: Path, workers: object, *, clock: FakeClock | None = None,
                      start_pushes: bool = False, **settings: Any) -> AsyncIterator[Harness]:
    """The bot connected and ready (its command tree synced); closed on leaving."""
    clock = clock or FakeClock()
    bot = await build_discord_bot(bot_settings(standin, tmp_path, **settings), clock=clock,
                                  database_url=f"sqlite+aiosqlite:///{tmp_path / 'calcbot.db'}",
                                  workers=workers, start_pushes=start_pushes)  # type: ignore[arg-type]
    running = asyncio.create_task(bot.run(TOKEN))
    try:
        ready = asyncio.ensure_future(bot.client.wait_until_ready())
        await asyncio.wait({ready, running}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            running.result()  # the bot stopped: show why
        assert ready.done(), "the bot did not become ready in 30 s"
        yield Harness(standin, bot, clock)
    finally:
        await bot.close()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
