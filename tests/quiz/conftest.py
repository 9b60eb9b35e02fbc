"""Quiz engine fixtures: a real SQLite file, the real curriculum and generators, a fake clock.

The worker pool is replaced by an in-process runner (the pool is not under test here); one test
uses a real process pool to prove the calls cross a process boundary.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.core.message import UserRef
from bot.quiz.engine import QuizEngine
from bot.store import Store
from content.catalog import curriculum
from content.questions import Question
from tests.conftest import FakeClock

T = TypeVar("T")

ANA = UserRef("console", "ana", "Ana")
CHANNEL = "console::general"


async def run_inline(fn: Callable[..., T], *args: Any) -> T:
    return fn(*args)


@dataclass
class Quiz:
    """An engine on a real SQLite file, reopenable as a restarted bot would."""

    db_path: Path
    clock: FakeClock
    store: Store
    engine: QuizEngine

    @classmethod
    async def open(cls, db_path: Path, clock: FakeClock, seed: int = 7) -> Quiz:
        store = await Store.open(f"sqlite+aiosqlite:///{db_path}")
        engine = QuizEngine(store, curriculum(), clock, run_inline, rng=random.Random(seed))
        return cls(db_path, clock, store, engine)

    async def reopen(self) -> Quiz:
        await self.store.close()
        return await Quiz.open(self.db_path, self.clock, seed=11)

    async def open_question(self, user: UserRef = ANA, channel: str = CHANNEL) -> Question:
        """The question the learner is looking at (as stored), to answer it right or wrong."""
        stored_user = await self.store.get_or_create_user(user.platform, user.id, user.name, self.clock())
        stored = await self.store.get_open_question(stored_user.id, channel)
        assert stored is not None
        return Question.from_json(stored.question_json)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def quiz(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Quiz]:
    opened = await Quiz.open(tmp_path / "calcbot.db", clock)
    yield opened
    await opened.store.close()


def wrong_answer(question: Question) -> str:
    """An answer that is certainly wrong, in the form the question's kind expects."""
    if question.kind == "choice":
        return next(label for label in "ABCDEFGH" if label != question.answer)
    if question.kind in ("expression", "number"):
        return f"({question.answer}) + 1"
    raise AssertionError(f"pick a topic with expression, number or choice questions, not {question.kind}")
