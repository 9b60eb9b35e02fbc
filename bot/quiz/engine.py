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
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from fsrs import Rating

from bot.core.reply import Image
from bot.errors import EmptyInput, InputTooLarge, UsageError
from bot.jobs import jobs_in
from bot.learner import choose_focus
from bot.quiz.choosing import model_tries, reached_skills, reached_topics
from bot.quiz.progress import build_progress
from bot.quiz.results import (
    AnswerChoice,
    AnswerResult,
    DueTopic,
    HintResult,
    LessonResult,
    ProgressResult,
    QuestionResult,
    ReviewResult,
    SkipResult,
    TopicRef,
    question_info,
    question_tag,
)
from bot.quiz.srs import SpacedRepetition, rating_for
from bot.store import AnswerOutcome, AnswerRecord, CardChanged, CardUpdate, QuestionGone, Store
from bot.store.rows import CardRow, FirstTryRecord, OpenQuestion, TryRecord, User
from content.questions import CHOICE_KINDS, Grade, Question, choice_labels

if TYPE_CHECKING:
    from content.catalog import Curriculum, Topic

log = logging.getLogger("calcbot.quiz")

# Generating and grading run in the workers; by name here, so this process never loads the generators.
_content = jobs_in("content.generate")
generate_aimed, generate_for_skill = _content.generate_aimed, _content.generate_for_skill
generate_question, grade_answer = _content.generate_question, _content.grade_answer
question_image = jobs_in("content.figures").question_image

Runner = Callable[..., Awaitable[Any]]  # ``await run(fn, *args)``: fn runs in the worker pool

QUESTION_LIFETIME = timedelta(hours=24)
MAX_ANSWER_CHARS = 500
XP_CORRECT = 10
XP_PER_HINT = 3
XP_MIN_CORRECT = 4
XP_SECOND_TRY = 2  # right at the second try: something for correcting it, far less than knowing it
_CARD_RETRIES = 3  # concurrent answers on one card: re-read and recompute this many times
_FRESH_QUESTION_TRIES = 3

NO_QUESTION = "there is no open question here — ask for one with /quiz"


class Learner(Protocol):
    """Who is answering: the core's ``UserRef`` fits."""

    @property
    def platform(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


def has_retry(question: Question) -> bool:
    """Every question but multiple choice gets one retry after feedback: a second pick among the
    options left would be a guess, not a correction."""
    return question.kind not in CHOICE_KINDS


def xp_for(correct: bool, hints_used: int) -> int:
    if not correct:
        return 0
    return max(XP_MIN_CORRECT, XP_CORRECT - XP_PER_HINT * hints_used)


class QuizEngine:
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
        self._store = store
        self._curriculum = curriculum
        self._clock = clock
        self._run = run
        self._srs = srs or SpacedRepetition()
        self._rng = rng or random.Random()  # seeds for question generation; inject one in tests
        self._question_lifetime = question_lifetime
        self._max_answer_chars = max_answer_chars
        self._topics: dict[str, Topic] = {topic.id: topic for topic in curriculum.topics()}
        self._module_titles = {module.number: module.title for module in curriculum.modules}

    # -- lessons ----------------------------------------------------------------------------

    async def lesson(self, learner: Learner, topic_text: str | None = None) -> LessonResult:
        """The named topic's lesson, or the next unread one; marks it read."""
        now = self._clock()
        user = await self._user(learner, now)
        learned = await self._store.learned_topics(user.id)
        if topic_text:
            topic = self._curriculum.find(topic_text)
        else:
            next_topic = self._curriculum.next_topic(learned)
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
        first_time = await self._store.mark_learned(user.id, topic.id, now)
        following = self._curriculum.next_topic(learned | {topic.id})
        return LessonResult(
            topic=self._ref(topic),
            lesson=topic.lesson,
            example_command=topic.example_command,
            first_time=first_time,
            next_topic=None if following is None else self._ref(following),
        )

    # -- questions --------------------------------------------------------------------------

    async def ask(
        self, learner: Learner, channel_key: str, topic_text: str | None = None
    ) -> QuestionResult:
        """A fresh question in this channel, replacing any open one there."""
        now = self._clock()
        user = await self._user(learner, now)
        if topic_text:  # a topic asked for is never overridden
            return await self._ask_topic(user, channel_key, self._curriculum.find(topic_text), now)
        # Read together: one round trip's wait instead of three.
        due, tries, learned = await asyncio.gather(
            self._store.due_cards(user.id, now), self._store.evidence(user.id), self._store.learned_topics(user.id)
        )
        for card in due:  # due reviews keep their place
            if card.topic_id in self._topics:
                return await self._ask_topic(user, channel_key, self._topics[card.topic_id], now)
        reached = reached_topics(self._curriculum, learned, {given.topic_id for given in tries})
        focus = choose_focus(model_tries(tries), reached_skills(reached))
        if focus.aimed_at is not None:
            try:
                return await self._ask_with(user, channel_key, generate_aimed, focus.aimed_at, now, focus.why)
            except ValueError:  # no question shows this mistake: practise its skill instead
                log.warning("no aimed question for %s; asking on its skill", focus.aimed_at)
        if focus.skill is not None:
            return await self._ask_with(user, channel_key, generate_for_skill, focus.skill, now, focus.why)
        return await self._ask_topic(user, channel_key, await self._choose_topic(user, now), now)

    async def answer(
        self, learner: Learner, channel_key: str, text: str, *, allow_retry: bool = True
    ) -> AnswerResult:
        """Grade the answer to this channel's open question and record everything it changes.

        A wrong first answer to a question with a retry gets feedback and leaves the question open;
        the second answer closes it. The card is rated on the first try either way. The daily
        question (``allow_retry`` false) takes one answer.
        """
        text = text.strip()
        if not text:
            raise EmptyInput("type your answer after the command, e.g. `/answer 2*x*cos(x^2)`")
        if len(text) > self._max_answer_chars:
            raise InputTooLarge(
                f"that answer is {len(text)} characters long; answers are limited to "
                f"{self._max_answer_chars} — simplify it and try again"
            )
        now = self._clock()
        user = await self._user(learner, now)
        open_question = await self._live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        first_try = open_question.first_answer is None
        retry_left = allow_retry and first_try and has_retry(question)
        # A ParseError (or any grading error) propagates from here: nothing has been recorded.
        grade = await self._run(grade_answer, open_question.question_json, text, not retry_left)
        if retry_left and not grade.correct:
            given = _try_of(question, open_question, text, grade, now, retry=False)
            if await self._record_first_try(user, open_question, given, now):
                return self._retry_result(question, grade)
            # A concurrent answer got there first: this one is the second try (or the question is gone).
            current = await self._store.get_open_question(user.id, channel_key)
            if current is None or current.id != open_question.id:
                raise UsageError(
                    "that question was already answered, skipped or replaced — ask for a new one with /quiz"
                )
            open_question, first_try = current, False
            grade = await self._run(grade_answer, open_question.question_json, text, True)
        correct_first = grade.correct if first_try else False
        rating = rating_for(
            correct=correct_first,
            hints_used=open_question.hints_used,
            answer_time=now - open_question.asked_at,
        )
        xp_gained = (
            xp_for(grade.correct, open_question.hints_used) if first_try else XP_SECOND_TRY if grade.correct else 0
        )
        outcome = await self._record(
            user,
            open_question,
            answer_text=text if first_try else open_question.first_answer or "",
            correct=correct_first,
            rating=rating,
            xp_gained=xp_gained,
            now=now,
            skipped=False,
            retry=None if first_try else (text, grade.correct),
            given=_try_of(question, open_question, text, grade, now, retry=not first_try),
        )
        today = now.astimezone(UTC).date()
        return AnswerResult(
            topic=self._topic_ref(question.topic_id),
            correct=grade.correct,
            feedback=grade.feedback,
            expected=grade.expected,
            solution=question.solution,
            solution_command=question.solution_command,
            rating=rating.name,
            xp_gained=xp_gained,
            xp_total=outcome.user.xp,
            streak_days=outcome.user.streak_days,
            streak_extended=outcome.user.last_active_day == today and user.last_active_day != today,
            next_review=outcome.card.due,
            diagnosis=grade.diagnosis,
            second_try=not first_try,
        )

    def _retry_result(self, question: Question, grade: Grade) -> AnswerResult:
        """The first wrong answer: feedback only; nothing is scheduled, the question stays open."""
        return AnswerResult(
            topic=self._topic_ref(question.topic_id),
            correct=False,
            feedback=grade.feedback,
            expected="",
            solution="",
            solution_command=question.solution_command,  # not shown on a retry: it feeds "Check my working"
            rating="",
            xp_gained=0,
            xp_total=0,
            streak_days=0,
            streak_extended=False,
            next_review=None,
            diagnosis=grade.diagnosis,
            retry_open=True,
        )

    async def open_tag(self, learner: Learner, channel_key: str) -> str | None:
        """The question_tag of the learner's open question here, or None."""
        user = await self._user(learner, self._clock())
        open_question = await self._store.get_open_question(user.id, channel_key)
        return None if open_question is None else question_tag(open_question.question_id, open_question.asked_at)

    async def hint(self, learner: Learner, channel_key: str) -> HintResult:
        """The next hint for this channel's open question; each one given is counted."""
        now = self._clock()
        user = await self._user(learner, now)
        open_question = await self._live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        topic = self._topic_ref(question.topic_id)
        total = len(question.hints)
        if total == 0:
            return HintResult(
                topic=topic,
                hint="There is no hint for this one — try /skip to see the worked answer.",
                number=0,
                total=0,
                exhausted=True,
            )
        count = await self._store.add_hint_used(open_question.id, limit=total)
        if count is None:
            current = await self._store.get_open_question(user.id, channel_key)
            if current is None or current.id != open_question.id:
                raise UsageError(NO_QUESTION)
            return HintResult(topic=topic, hint=question.hints[-1], number=total, total=total, exhausted=True)
        return HintResult(
            topic=topic, hint=question.hints[count - 1], number=count, total=total, exhausted=False
        )

    async def skip(self, learner: Learner, channel_key: str) -> SkipResult:
        """Give up on the open question: reveal the answer; the card is rated Again, no XP."""
        now = self._clock()
        user = await self._user(learner, now)
        open_question = await self._live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        # Grading the canonical answer gives it in the same readable form /answer shows.
        reveal = await self._run(grade_answer, open_question.question_json, question.answer)
        rating = rating_for(
            correct=False, hints_used=open_question.hints_used, answer_time=None, skipped=True
        )
        outcome = await self._record(
            user,
            open_question,
            answer_text=open_question.first_answer or "",  # a wrong first try, if there was one
            correct=False,
            rating=rating,
            xp_gained=0,
            now=now,
            skipped=True,
            given=_try_of(question, open_question, "", None, now, retry=False, skipped=True),
        )
        return SkipResult(
            topic=self._topic_ref(question.topic_id),
            expected=reveal.expected,
            solution=question.solution,
            solution_command=question.solution_command,
            next_review=outcome.card.due,
        )

    # -- review and progress ----------------------------------------------------------------

    async def review(self, learner: Learner, channel_key: str) -> ReviewResult:
        """The topics FSRS says are due, and a question on the most overdue one."""
        now = self._clock()
        user = await self._user(learner, now)
        due = tuple(
            DueTopic(self._ref(self._topics[card.topic_id]), card.due)
            for card in await self._store.due_cards(user.id, now)
            if card.topic_id in self._topics
        )
        if not due:
            return ReviewResult(due=(), question=None, next_review=await self._next_review(user, now))
        question = await self._ask_topic(user, channel_key, self._topics[due[0].topic.id], now)
        return ReviewResult(due=due, question=question, next_review=None)

    async def progress(self, learner: Learner) -> ProgressResult:
        """Counts, mastery per skill and mistakes from the learner's tries; reviews from the cards."""
        now = self._clock()
        user = await self._user(learner, now)
        tries, cards, learned, next_review = await asyncio.gather(
            self._store.evidence(user.id),
            self._store.get_cards(user.id),
            self._store.learned_topics(user.id),
            self._next_review(user, now),
        )
        return build_progress(
            user=user,
            streak_days=current_streak(user, now),
            tries=tries,
            cards=cards,
            learned=learned,
            curriculum=self._curriculum,
            srs=self._srs,
            ref=self._ref,
            next_review=next_review,
            now=now,
        )

    # -- internals --------------------------------------------------------------------------

    async def _user(self, learner: Learner, now: datetime) -> User:
        return await self._store.get_or_create_user(learner.platform, learner.id, learner.name, now)

    async def _live_question(self, user: User, channel_key: str, now: datetime) -> OpenQuestion:
        """The open question in this channel, refusing (and closing) an expired one."""
        open_question = await self._store.get_open_question(user.id, channel_key)
        if open_question is None:
            others = await self._store.others_waiting_in(channel_key, user.id, now)
            if others:
                raise UsageError(
                    f"the open question here is {' and '.join(others)}'s, not yours — "
                    "ask for your own with /quiz"
                )
            raise UsageError(NO_QUESTION)
        if open_question.expires_at <= now:
            await self._store.delete_open_question(open_question.id)
            raise UsageError(
                f"that question expired at {open_question.expires_at:%Y-%m-%d %H:%M} UTC "
                "(questions stay open for "
                f"{self._question_lifetime.total_seconds() / 3600:g} hours) — ask for a new one with /quiz"
            )
        return open_question

    async def _choose_topic(self, user: User, now: datetime) -> Topic:
        """With nothing reached yet: a read lesson never quizzed, the next lesson, else the soonest card."""
        cards = await self._store.get_cards(user.id)  # soonest due first
        quizzed = {card.topic_id for card in cards}
        learned = await self._store.learned_topics(user.id)
        for topic in self._curriculum.topics():
            if topic.id in learned and topic.id not in quizzed:
                return topic
        upcoming = self._curriculum.next_topic(learned)
        if upcoming is not None and upcoming.id not in quizzed:
            return upcoming
        for card in cards:
            if card.topic_id in self._topics:
                return self._topics[card.topic_id]
        return self._curriculum.topics()[0]

    async def _ask_topic(
        self, user: User, channel_key: str, topic: Topic, now: datetime
    ) -> QuestionResult:
        return await self._ask_with(user, channel_key, generate_question, topic.id, now)

    async def _ask_with(
        self,
        user: User,
        channel_key: str,
        generate: Callable[[str, int], Question],
        subject: str,
        now: datetime,
        why: str | None = None,
    ) -> QuestionResult:
        """A fresh question from ``generate(subject, seed)`` (a topic, a skill or a mistake), opened
        in this channel in place of any open one."""
        current = await self._store.get_open_question(user.id, channel_key)
        avoid = {current.question_id} if current else set()
        question: Question | None = None
        for _ in range(_FRESH_QUESTION_TRIES):
            question = await self._run(generate, subject, self._rng.randrange(2**31))
            if question.id not in avoid:
                break
        assert question is not None
        opened, replaced = await self._store.put_open_question(
            user.id,
            channel_key,
            topic_id=question.topic_id,
            question_id=question.id,
            question_json=question.to_json(),
            asked_at=now,
            expires_at=now + self._question_lifetime,
        )
        labels = choice_labels(len(question.choices))
        image = await self._picture(question)
        return QuestionResult(
            topic=self._topic_ref(question.topic_id),
            question_id=question.id,
            prompt=question.prompt,
            kind=question.kind,
            choices=tuple(AnswerChoice(label, text) for label, text in zip(labels, question.choices, strict=True)),
            hints_available=len(question.hints),
            expires_at=opened.expires_at,
            replaced=None if replaced is None else self._topic_ref(replaced.topic_id),
            tag=question_tag(opened.question_id, opened.asked_at),
            info=question_info(question),
            why=why,
            image=image,
        )

    async def _picture(self, question: Question) -> Image | None:
        """A picture question's image, drawn from its stored spec in the worker pool."""
        if question.kind != "picture":
            return None
        png, alt = await self._run(question_image, question.to_json())
        return Image(name=f"quiz-{question.id.split('/')[1]}.png", png=png, alt=alt)

    async def _record(
        self,
        user: User,
        open_question: OpenQuestion,
        *,
        answer_text: str,
        correct: bool,
        rating: Rating,
        xp_gained: int,
        now: datetime,
        skipped: bool,
        given: TryRecord,
        retry: tuple[str, bool] | None = None,
    ) -> AnswerOutcome:
        """Schedule the card (unless the wrong first try did) and commit the answer with its try;
        retried if another answer moved the card."""
        for attempt in range(_CARD_RETRIES):
            card = await self._store.get_card(user.id, open_question.topic_id)
            update = None if rated_on_first_try(open_question, card) else self._card_update(card, rating, now)
            record = AnswerRecord(
                user_id=user.id,
                open_question_id=open_question.id,
                topic_id=open_question.topic_id,
                question_id=open_question.question_id,
                channel_key=open_question.channel_key,
                answer_text=answer_text,
                correct=correct,
                hints_used=open_question.hints_used,
                rating=int(rating),
                xp_gained=xp_gained,
                answered_at=now,
                card=update,
                skipped=skipped,
                retry_answer=None if retry is None else retry[0],
                retry_correct=None if retry is None else retry[1],
                given=given,
            )
            try:
                return await self._store.record_answer(record)
            except QuestionGone:
                raise UsageError(
                    "that question was already answered, skipped or replaced — ask for a new one with /quiz"
                ) from None
            except CardChanged:
                if attempt == _CARD_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _card_update(self, card: CardRow | None, rating: Rating, now: datetime) -> CardUpdate:
        reviewed = self._srs.review(card.state_json if card else None, rating, now)
        return CardUpdate(
            state_json=reviewed.state_json,
            due=reviewed.due,
            last_review=reviewed.last_review,
            expected_version=card.version if card else 0,
        )

    async def _record_first_try(
        self, user: User, open_question: OpenQuestion, given: TryRecord, now: datetime
    ) -> bool:
        """A wrong first try: kept, and the topic scheduled on it (Again), before the retry; False
        if a concurrent answer got there first."""
        for attempt in range(_CARD_RETRIES):
            card = await self._store.get_card(user.id, open_question.topic_id)
            record = FirstTryRecord(
                user_id=user.id,
                open_question_id=open_question.id,
                given=given,
                card=self._card_update(card, Rating.Again, now),
            )
            try:
                return await self._store.record_first_try(record) is not None
            except CardChanged:
                if attempt == _CARD_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    async def _next_review(self, user: User, now: datetime) -> DueTopic | None:
        card = await self._store.next_due_card(user.id, now)
        while card is not None and card.topic_id not in self._topics:
            card = await self._store.next_due_card(user.id, card.due)
        return None if card is None else DueTopic(self._ref(self._topics[card.topic_id]), card.due)

    def _ref(self, topic: Topic) -> TopicRef:
        return TopicRef(
            id=topic.id,
            title=topic.title,
            module=topic.module,
            module_title=self._module_titles.get(topic.module, ""),
        )

    def _topic_ref(self, topic_id: str) -> TopicRef:
        """A reference even for a topic the curriculum no longer has (old stored questions)."""
        topic = self._topics.get(topic_id)
        return self._ref(topic) if topic else TopicRef(id=topic_id, title=topic_id, module=0, module_title="")


def rated_on_first_try(open_question: OpenQuestion, card: CardRow | None) -> bool:
    """Whether the card was rated on this question's wrong first try already (so its retry or skip
    must not rate it again); a first answer kept before 0006 had not rated it."""
    return (
        open_question.first_answer is not None
        and card is not None
        and card.last_review is not None
        and card.last_review >= open_question.asked_at
    )


def _try_of(
    question: Question,
    open_question: OpenQuestion,
    text: str,
    grade: Grade | None,
    now: datetime,
    *,
    retry: bool,
    skipped: bool = False,
) -> TryRecord:
    """The try an answer (or a skip) is, with what the learner model needs to read it."""
    diagnosis = grade.diagnosis if grade is not None and not grade.correct else None
    return TryRecord(
        topic_id=open_question.topic_id,
        question_id=open_question.question_id,
        channel_key=open_question.channel_key,
        answer_text=text,
        correct=grade is not None and grade.correct,
        answered_at=now,
        kind=question.kind,
        skills=question_info(question).skills,
        aimed_at=question_info(question).aimed_at,
        retry=retry,
        skipped=skipped,
        hints_used=open_question.hints_used,
        malrule=None if diagnosis is None else diagnosis.code,
        malrule_where=None if diagnosis is None else diagnosis.where,
    )


def current_streak(user: User, now: datetime) -> int:
    """The streak still alive at ``now``: it survives until a whole UTC day passes unanswered."""
    today = now.astimezone(UTC).date()
    if user.last_active_day is None or user.last_active_day < today - timedelta(days=1):
        return 0
    return user.streak_days
