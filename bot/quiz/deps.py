"""What every part of the quiz engine shares: its dependencies, the asker's user row, the live
open question (expired ones refused and closed) and topic references for results."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.errors import UsageError
from bot.quiz.results import DueTopic, TopicRef
from bot.quiz.srs import SpacedRepetition
from bot.store import Store
from bot.store.rows import OpenQuestion, User

if TYPE_CHECKING:
    from content.catalog import Curriculum, Topic

Runner = Callable[..., Awaitable[Any]]  # ``await run(fn, *args)``: fn runs in the worker pool

QUESTION_LIFETIME = timedelta(hours=24)
MAX_ANSWER_CHARS = 500

NO_QUESTION = "there is no open question here — ask for one with /quiz"


class Learner(Protocol):
    """Who is answering: the core's ``UserRef`` fits."""

    @property
    def platform(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class QuizDeps:
    """The engine's dependencies and the look-ups its parts (asking, answering) have in common."""

    def __init__(
        self,
        store: Store,
        curriculum: Curriculum,
        clock: Callable[[], datetime],
        run: Runner,
        *,
        srs: SpacedRepetition | None = None,
        rng: random.Random | None = None,
        question_lifetime: timedelta = QUESTION_LIFETIME,
        max_answer_chars: int = MAX_ANSWER_CHARS,
    ):
        self.store = store
        self.curriculum = curriculum
        self.clock = clock
        self.run = run
        self.srs = srs or SpacedRepetition()
        self.rng = rng or random.Random()  # seeds for question generation; inject one in tests
        self.question_lifetime = question_lifetime
        self.max_answer_chars = max_answer_chars
        self.topics: dict[str, Topic] = {topic.id: topic for topic in curriculum.topics()}
        self._module_titles = {module.number: module.title for module in curriculum.modules}

    async def user(self, learner: Learner, now: datetime) -> User:
        return await self.store.get_or_create_user(learner.platform, learner.id, learner.name, now)

    async def live_question(self, user: User, channel_key: str, now: datetime) -> OpenQuestion:
        """The open question in this channel, refusing (and closing) an expired one."""
        open_question = await self.store.get_open_question(user.id, channel_key)
        if open_question is None:
            others = await self.store.others_waiting_in(channel_key, user.id, now)
            if others:
                raise UsageError(
                    f"the open question here is {' and '.join(others)}'s, not yours — "
                    "ask for your own with /quiz"
                )
            raise UsageError(NO_QUESTION)
        if open_question.expires_at <= now:
            await self.store.delete_open_question(open_question.id)
            raise UsageError(
                f"that question expired at {open_question.expires_at:%Y-%m-%d %H:%M} UTC "
                "(questions stay open for "
                f"{self.question_lifetime.total_seconds() / 3600:g} hours) — ask for a new one with /quiz"
            )
        return open_question

    async def next_review(self, user: User, now: datetime) -> DueTopic | None:
        card = await self.store.next_due_card(user.id, now)
        while card is not None and card.topic_id not in self.topics:
            card = await self.store.next_due_card(user.id, card.due)
        return None if card is None else DueTopic(self.ref(self.topics[card.topic_id]), card.due)

    def ref(self, topic: Topic) -> TopicRef:
        return TopicRef(
            id=topic.id,
            title=topic.title,
            module=topic.module,
            module_title=self._module_titles.get(topic.module, ""),
        )

    def topic_ref(self, topic_id: str) -> TopicRef:
        """A reference even for a topic the curriculum no longer has (old stored questions)."""
        topic = self.topics.get(topic_id)
        return self.ref(topic) if topic else TopicRef(id=topic_id, title=topic_id, module=0, module_title="")
