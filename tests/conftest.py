"""Shared fixtures: a real app (router, solver, worker pool, SQLite file) that tests talk to."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.message import Action, ChannelRef, Message, UserRef
from bot.core.reply import Choice, Reply


@dataclass
class FakeClock:
    """The one thing we fake in chat tests: time, so 'review tomorrow' takes no day."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def worker_pool() -> Iterator[object]:
    from bot.workers import WorkerPool

    pool = WorkerPool(workers=2, timeout=10.0, memory_mb=1536)
    yield pool
    pool.close()


@dataclass
class ChatBot:
    """Talk to the real bot like a user in a chat: ``await bot.say("/derive x^2", user="ana")``."""

    app: object
    clock: FakeClock
    db_path: Path

    async def say(self, text: str, *, user: str = "ana", channel: str = "general", admin: bool = True) -> Reply:
        """As on the console, everyone is an admin unless the test says otherwise."""
        message = Message(UserRef("console", user, user.title(), admin=admin), ChannelRef("console", "", channel), text)
        return await self.app.handle(message)  # type: ignore[attr-defined, no-any-return]

    async def press(self, choice: Choice, *, user: str = "ana", channel: str = "general") -> Reply:
        """Press a reply's button, as the platforms send it: the choice's id and command."""
        message = Message(UserRef("console", user, user.title(), admin=True), ChannelRef("console", "", channel),
                          choice.command, action=Action(choice.id, choice.command))
        return await self.app.handle(message)  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
async def bot(tmp_path: Path, worker_pool: object) -> AsyncIterator[ChatBot]:
    from bot.app import build_app

    clock = FakeClock()
    db_path = tmp_path / "calcbot.db"
    app = await build_app(db_path=str(db_path), clock=clock, workers=worker_pool)  # type: ignore[arg-type]
    yield ChatBot(app, clock, db_path)
    await app.close()
