"""The quiz engine behind /lesson, /quiz, /answer, /hint, /skip, /review and /progress.

It glues the curriculum (lessons, generated questions, grading — run in the worker pool), FSRS
scheduling (``bot.quiz.srs``) and the progress store. Every answer is committed through
``Store.record_answer`` before the result is returned.

Decisions:
- XP: a right answer earns 10, less 3 per hint used, never below 4; a wrong answer or a skip earns
  nothing.
- One retry: a wrong first answer (to anything but multiple choice) gets feedback that points at
  the mistake without giving the answer away, and the question stays open; the second answer
  closes it with the worked solution. FSRS rates the first try (Again, since it was wrong), the
  attempt's ``correct`` is the first try (accuracy and points count that), and a right second try
  earns 2 XP. Streaks count consecutive UTC days with at least one answer (skips do not count).
- A skip reveals the answer and rates the card Again (the learner could not recall it), so the
  topic comes back tomorrow; it is recorded as an attempt (``skipped``) but not in accuracy.
- An expired question is closed when the learner tries to use it, with the reason.
- ``/quiz`` with no topic picks: the most overdue review (FSRS says when); else what the learner
  model says (``bot.quiz.choosing``): a question aimed at a mistake diagnosed in 2 of the last 5
  tries, with a line saying why, else one on the weakest skill among the topics reached (lessons
  read, topics practised, the next lesson). ``/quiz TOPIC`` is never overridden.
- A wrong first try is kept as a try and rates the card (Again) at once, so a question replaced
  or left to close after it still brings its topic back tomorrow; the retry or skip that closes
  it does not rate the card again.

The engine is a facade over its parts: ``bot.quiz.asking`` (choosing and opening questions),
``bot.quiz.answering`` (grading, retries, skips and recording) and ``bot.quiz.deps`` (what they
share: the store, the clock, the worker pool, expiry of open questions).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import UsageError
from bot.quiz.answering import XP_SECOND_TRY, AnswerGrader, has_retry, rated_on_first_try, xp_for
from bot.quiz.asking import QuestionAsker
from bot.quiz.deps import (
    MAX_ANSWER_CHARS,
    NO_QUESTION,
    QUESTION_LIFETIME,
    Learner,
    QuizDeps,
    Runner,
)
from bot.quiz.progress import build_progress
from bot.quiz.results import (
    AnswerResult,
    HintResult,
    LessonResult,
    ProgressResult,
    QuestionResult,
    ReviewResult,
    SkipResult,
    question_tag,
)
from bot.quiz.srs import SpacedRepetition
from bot.store import Store
from bot.store.rows import User
from content.questions import Question

if TYPE_CHECKING:
    from content.catalog import Curriculum

__all__ = [
    "MAX_ANSWER_CHARS",
    "NO_QUESTION",
    "QUESTION_LIFETIME",
    "XP_SECOND_TRY",
    "Learner",
    "QuizEngine",
    "Runner",
    "current_streak",
    "has_retry",
    "rated_on_first_try",
    "xp_for",
]


class QuizEngine:
    """/lesson, /quiz, /answer, /hint, /skip, /review and /progress for one store and curriculum."""

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
        self._deps = QuizDeps(
            store,
            curriculum,
            clock,
            run,
            srs=srs,
            rng=rng,
            question_lifetime=question_lifetime,
            max_answer_chars=max_answer_chars,
        )
        self._asker = QuestionAsker(self._deps)
        self._grader = AnswerGrader(self._deps)

    # -- questions and answers (see asking.py and answering.py) -----------------------------

    async def ask(
        self, learner: Learner, channel_key: str, topic_text: str | None = None
    ) -> QuestionResult:
        """A fresh question in this channel, replacing any open one there."""
        return await self._asker.ask(learner, channel_key, topic_text)

    async def review(self, learner: Learner, channel_key: str) -> ReviewResult:
        """The topics FSRS says are due, and a question on the most overdue one."""
        return await self._asker.review(learner, channel_key)

    async def answer(
        self, learner: Learner, channel_key: str, text: str, *, allow_retry: bool = True
    ) -> AnswerResult:
        """Grade the answer to this channel's open question and record everything it changes."""
        return await self._grader.answer(learner, channel_key, text, allow_retry=allow_retry)

    async def skip(self, learner: Learner, channel_key: str) -> SkipResult:
        """Give up on the open question: reveal the answer; the card is rated Again, no XP."""
        return await self._grader.skip(learner, channel_key)

    # -- lessons, hints and progress --------------------------------------------------------

    async def lesson(self, learner: Learner, topic_text: str | None = None) -> LessonResult:
        """The named topic's lesson, or the next unread one; marks it read."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        learned = await self._deps.store.learned_topics(user.id)
        if topic_text:
            topic = self._deps.curriculum.find(topic_text)
        else:
            next_topic = self._deps.curriculum.next_topic(learned)
            if next_topic is None:
                return LessonResult(
                    topic=None,
                    lesson="You have read every lesson in the course. Keep them fresh with /review.",
                    example_command="",
                    first_time=False,
                    next_topic=None,
                    complete=True,
                )
            topic = next_topic
        first_time = await self._deps.store.mark_learned(user.id, topic.id, now)
        following = self._deps.curriculum.next_topic(learned | {topic.id})
        return LessonResult(
            topic=self._deps.ref(topic),
            lesson=topic.lesson,
            example_command=topic.example_command,
            first_time=first_time,
            next_topic=None if following is None else self._deps.ref(following),
        )

    async def open_tag(self, learner: Learner, channel_key: str) -> str | None:
        """The question_tag of the learner's open question here, or None."""
        user = await self._deps.user(learner, self._deps.clock())
        open_question = await self._deps.store.get_open_question(user.id, channel_key)
        return None if open_question is None else question_tag(open_question.question_id, open_question.asked_at)

    async def hint(self, learner: Learner, channel_key: str) -> HintResult:
        """The next hint for this channel's open question; each one given is counted."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        open_question = await self._deps.live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        topic = self._deps.topic_ref(question.topic_id)
        total = len(question.hints)
        if total == 0:
            return HintResult(
                topic=topic,
                hint="There is no hint for this one — try /skip to see the worked answer.",
                number=0,
                total=0,
                exhausted=True,
            )
        count = await self._deps.store.add_hint_used(open_question.id, limit=total)
        if count is None:
            current = await self._deps.store.get_open_question(user.id, channel_key)
            if current is None or current.id != open_question.id:
                raise UsageError(NO_QUESTION)
            return HintResult(topic=topic, hint=question.hints[-1], number=total, total=total, exhausted=True)
        return HintResult(
            topic=topic, hint=question.hints[count - 1], number=count, total=total, exhausted=False
        )

    async def progress(self, learner: Learner) -> ProgressResult:
        """Counts, mastery per skill and mistakes from the learner's tries; reviews from the cards."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        tries, cards, learned, next_review = await asyncio.gather(
            self._deps.store.evidence(user.id),
            self._deps.store.get_cards(user.id),
            self._deps.store.learned_topics(user.id),
            self._deps.next_review(user, now),
        )
        return build_progress(
            user=user,
            streak_days=current_streak(user, now),
            tries=tries,
            cards=cards,
            learned=learned,
            curriculum=self._deps.curriculum,
            srs=self._deps.srs,
            ref=self._deps.ref,
            next_review=next_review,
            now=now,
        )


def current_streak(user: User, now: datetime) -> int:
    """The streak still alive at ``now``: it survives until a whole UTC day passes unanswered."""
    today = now.astimezone(UTC).date()
    if user.last_active_day is None or user.last_active_day < today - timedelta(days=1):
        return 0
    return user.streak_days
