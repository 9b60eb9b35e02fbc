"""Answering: grading an answer (with its one retry) or a skip, and committing everything it
changes — the card's FSRS rating, the attempt and its try, XP and the streak — through
``Store.record_answer`` before the result is returned (the rules: see ``bot.quiz.engine``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Rating

from bot.errors import EmptyInput, InputTooLarge, UsageError
from bot.jobs import jobs_in
from bot.quiz.deps import Learner, QuizDeps
from bot.quiz.results import AnswerResult, SkipResult, question_info
from bot.quiz.srs import rating_for
from bot.store import AnswerOutcome, AnswerRecord, CardChanged, CardUpdate, QuestionGone
from bot.store.rows import CardRow, FirstTryRecord, OpenQuestion, TryRecord, User
from content.questions import CHOICE_KINDS, Grade, Question

# Grading runs in the workers; named here, so this process never loads the generators (bot/jobs.py).
grade_answer = jobs_in("content.generate").grade_answer

XP_CORRECT = 10
XP_PER_HINT = 3
XP_MIN_CORRECT = 4
XP_SECOND_TRY = 2  # right at the second try: something for correcting it, far less than knowing it
_CARD_RETRIES = 3  # concurrent answers on one card: re-read and recompute this many times


def has_retry(question: Question) -> bool:
    """Every question but multiple choice gets one retry after feedback: a second pick among the
    options left would be a guess, not a correction."""
    return question.kind not in CHOICE_KINDS


def xp_for(correct: bool, hints_used: int) -> int:
    if not correct:
        return 0
    return max(XP_MIN_CORRECT, XP_CORRECT - XP_PER_HINT * hints_used)


class AnswerGrader:
    """Grades and records answers and skips; ``QuizEngine.answer`` and ``QuizEngine.skip`` are these."""

    def __init__(self, deps: QuizDeps):
        self._deps = deps

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
        if len(text) > self._deps.max_answer_chars:
            raise InputTooLarge(
                f"that answer is {len(text)} characters long; answers are limited to "
                f"{self._deps.max_answer_chars} — simplify it and try again"
            )
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        open_question = await self._deps.live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        first_try = open_question.first_answer is None
        retry_left = allow_retry and first_try and has_retry(question)
        # A ParseError (or any grading error) propagates from here: nothing has been recorded.
        grade = await self._deps.run(grade_answer, open_question.question_json, text, not retry_left)
        if retry_left and not grade.correct:
            given = _try_of(question, open_question, text, grade, now, retry=False)
            if await self._record_first_try(user, open_question, given, now):
                return self._retry_result(question, grade)
            # A concurrent answer got there first: this one is the second try (or the question is gone).
            current = await self._deps.store.get_open_question(user.id, channel_key)
            if current is None or current.id != open_question.id:
                raise UsageError(
                    "that question was already answered, skipped or replaced — ask for a new one with /quiz"
                )
            open_question, first_try = current, False
            grade = await self._deps.run(grade_answer, open_question.question_json, text, True)
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
            topic=self._deps.topic_ref(question.topic_id),
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
            topic=self._deps.topic_ref(question.topic_id),
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

    async def skip(self, learner: Learner, channel_key: str) -> SkipResult:
        """Give up on the open question: reveal the answer; the card is rated Again, no XP."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        open_question = await self._deps.live_question(user, channel_key, now)
        question = Question.from_json(open_question.question_json)
        # Grading the canonical answer gives it in the same readable form /answer shows.
        reveal = await self._deps.run(grade_answer, open_question.question_json, question.answer)
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
            topic=self._deps.topic_ref(question.topic_id),
            expected=reveal.expected,
            solution=question.solution,
            solution_command=question.solution_command,
            next_review=outcome.card.due,
        )

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
            card = await self._deps.store.get_card(user.id, open_question.topic_id)
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
                return await self._deps.store.record_answer(record)
            except QuestionGone:
                raise UsageError(
                    "that question was already answered, skipped or replaced — ask for a new one with /quiz"
                ) from None
            except CardChanged:
                if attempt == _CARD_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _card_update(self, card: CardRow | None, rating: Rating, now: datetime) -> CardUpdate:
        reviewed = self._deps.srs.review(card.state_json if card else None, rating, now)
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
            card = await self._deps.store.get_card(user.id, open_question.topic_id)
            record = FirstTryRecord(
                user_id=user.id,
                open_question_id=open_question.id,
                given=given,
                card=self._card_update(card, Rating.Again, now),
            )
            try:
                return await self._deps.store.record_first_try(record) is not None
            except CardChanged:
                if attempt == _CARD_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")


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

