"""The quiz engine end to end: real store file, real curriculum, generators and grading."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from bot.core.message import UserRef
from bot.errors import InputTooLarge, ParseError, UsageError
from bot.quiz.engine import QuizEngine, has_retry
from content.catalog import curriculum
from content.generate import grade_answer
from tests.quiz.conftest import ANA, CHANNEL, Quiz, wrong_answer


async def _attempts(quiz: Quiz, user: UserRef = ANA) -> int:
    stored = await quiz.store.get_or_create_user(user.platform, user.id, user.name, quiz.clock())
    return len(await quiz.store.attempts(stored.id))


async def test_lesson_quiz_wrong_answer_review_next_day_and_progress_after_restart(quiz: Quiz) -> None:
    first_topic = curriculum().next_topic(set())
    assert first_topic is not None

    lesson = await quiz.engine.lesson(ANA)
    assert lesson.topic is not None and lesson.topic.id == first_topic.id
    assert lesson.lesson == first_topic.lesson and lesson.first_time

    asked = await quiz.engine.ask(ANA, CHANNEL)
    assert asked.topic.id == first_topic.id  # the lesson just read, not yet quizzed
    question = await quiz.open_question()

    answered_at = quiz.clock()
    result = await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    assert result.retry_open == has_retry(question)  # a wrong first try keeps the question open …
    if result.retry_open:
        assert await _attempts(quiz) == 0
        result = await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))  # … for one more
    assert not result.correct and not result.retry_open and "not quite" in result.feedback.lower()
    assert (result.xp_gained, result.rating) == (0, "Again")
    assert result.next_review == answered_at + timedelta(days=1)

    quiz.clock.advance(hours=23)
    early = await quiz.engine.review(ANA, CHANNEL)
    assert early.question is None and early.due == ()
    assert early.next_review is not None and early.next_review.topic.id == first_topic.id

    quiz.clock.advance(hours=1)
    review = await quiz.engine.review(ANA, CHANNEL)
    assert [due.topic.id for due in review.due] == [first_topic.id]
    assert review.question is not None and review.question.topic.id == first_topic.id

    quiz = await quiz.reopen()
    progress = await quiz.engine.progress(ANA)
    topic = next(t for m in progress.modules for t in m.topics if t.topic.id == first_topic.id)
    tries = 2 if has_retry(question) else 1  # the wrong first try and the wrong retry are both answers
    assert (topic.learned, topic.counts.answered, topic.counts.correct, topic.counts.accuracy) == (True, tries, 0, 0.0)
    assert topic.due == answered_at + timedelta(days=1)
    assert [due.topic.id for due in progress.due_now] == [first_topic.id]
    assert (progress.counts.answered, progress.xp, progress.lessons_read, progress.streak_days) == (tries, 0, 1, 1)
    await quiz.store.close()


async def test_a_fast_right_answer_earns_full_xp_and_an_easy_rating(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    quiz.clock.advance(seconds=20)
    result = await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert result.correct and (result.xp_gained, result.xp_total, result.rating) == (10, 10, "Easy")
    assert result.streak_days == 1 and result.streak_extended
    assert result.next_review == quiz.clock() + timedelta(days=round(DEFAULT_PARAMETERS[3]))


async def test_a_slow_right_answer_is_rated_good(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    quiz.clock.advance(minutes=5)
    result = await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert result.rating == "Good"
    assert result.next_review == quiz.clock() + timedelta(days=round(DEFAULT_PARAMETERS[2]))


async def test_a_hint_is_counted_and_costs_xp(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    hint = await quiz.engine.hint(ANA, CHANNEL)
    assert (hint.hint, hint.number, hint.total, hint.exhausted) == (question.hints[0], 1, len(question.hints), False)
    result = await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert (result.xp_gained, result.rating) == (7, "Hard")


async def test_asking_for_more_hints_than_exist_repeats_the_last_and_says_so(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    hints = [await quiz.engine.hint(ANA, CHANNEL) for _ in range(len(question.hints) + 1)]
    assert [h.hint for h in hints[:-1]] == list(question.hints)
    assert hints[-1].exhausted and hints[-1].hint == question.hints[-1]


async def test_answering_with_no_open_question_is_refused(quiz: Quiz) -> None:
    with pytest.raises(UsageError, match="no open question"):
        await quiz.engine.answer(ANA, CHANNEL, "2*x")


async def test_an_expired_question_is_refused_with_the_reason_and_closed(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    quiz.clock.advance(hours=25)
    with pytest.raises(UsageError, match="expired"):
        await quiz.engine.answer(ANA, CHANNEL, question.answer)
    with pytest.raises(UsageError, match="no open question"):
        await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert await _attempts(quiz) == 0


async def test_an_overlong_answer_is_refused_and_not_recorded(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    with pytest.raises(InputTooLarge, match="500"):
        await quiz.engine.answer(ANA, CHANNEL, "x+" * 300 + "1")
    assert await _attempts(quiz) == 0


async def test_an_unparsable_answer_propagates_and_keeps_the_question_open(quiz: Quiz) -> None:
    while (await quiz.engine.ask(ANA, CHANNEL, "chain rule")).kind == "choice":
        pass  # choice answers are letters, not parsed; the rng soon gives an expression
    question = await quiz.open_question()
    with pytest.raises(ParseError):
        await quiz.engine.answer(ANA, CHANNEL, "2*x +")
    assert await _attempts(quiz) == 0
    assert (await quiz.engine.answer(ANA, CHANNEL, question.answer)).correct


async def test_asking_again_replaces_the_open_question_and_says_so(quiz: Quiz) -> None:
    first = await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    second = await quiz.engine.ask(ANA, CHANNEL, "product rule")
    assert second.replaced == first.topic
    assert (await quiz.open_question()).id == second.question_id


async def test_repeated_asks_give_different_questions(quiz: Quiz) -> None:
    ids = {(await quiz.engine.ask(ANA, CHANNEL, "chain rule")).question_id for _ in range(5)}
    assert len(ids) == 5


async def test_questions_are_per_channel(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, "console::a", "chain rule")
    with pytest.raises(UsageError, match="no open question"):
        await quiz.engine.answer(ANA, "console::b", "2*x")


async def test_a_choice_question_lists_its_choices_with_labels(quiz: Quiz) -> None:
    for _ in range(10):
        asked = await quiz.engine.ask(ANA, CHANNEL, "chain rule")
        if asked.kind == "choice":
            question = await quiz.open_question()
            assert [c.text for c in asked.choices] == list(question.choices)
            assert [c.label for c in asked.choices] == list("ABCDEFGH"[: len(question.choices)])
            return
    pytest.fail("no choice question in 10 asks on the chain rule")


async def test_a_skip_reveals_the_answer_schedules_tomorrow_and_earns_nothing(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    question = await quiz.open_question()
    skipped = await quiz.engine.skip(ANA, CHANNEL)
    assert skipped.expected == grade_answer(question.to_json(), question.answer).expected
    assert skipped.solution == question.solution
    assert skipped.next_review == quiz.clock() + timedelta(days=1)
    progress = await quiz.engine.progress(ANA)
    assert (progress.xp, progress.streak_days, progress.counts.answered, progress.counts.skipped) == (0, 0, 0, 1)
    with pytest.raises(UsageError, match="no open question"):
        await quiz.engine.skip(ANA, CHANNEL)


async def test_two_bot_processes_answering_the_same_question_count_it_once(quiz: Quiz) -> None:
    other = await Quiz.open(quiz.db_path, quiz.clock)
    try:
        await quiz.engine.ask(ANA, CHANNEL, "chain rule")
        question = await quiz.open_question()
        results = await asyncio.gather(
            quiz.engine.answer(ANA, CHANNEL, question.answer),
            other.engine.answer(ANA, CHANNEL, question.answer),
            return_exceptions=True,
        )
        assert sorted(type(r).__name__ for r in results) == ["AnswerResult", "UsageError"]
        assert (await quiz.engine.progress(ANA)).xp == 10
    finally:
        await other.store.close()


async def test_a_streak_grows_over_consecutive_days_and_lapses_after_a_gap(quiz: Quiz) -> None:
    for _ in range(3):
        await quiz.engine.ask(ANA, CHANNEL, "chain rule")
        result = await quiz.engine.answer(ANA, CHANNEL, (await quiz.open_question()).answer)
        quiz.clock.advance(days=1)
    assert result.streak_days == 3
    assert (await quiz.engine.progress(ANA)).streak_days == 3  # today unanswered yet: still alive
    quiz.clock.advance(days=1)
    assert (await quiz.engine.progress(ANA)).streak_days == 0


async def test_progress_counts_every_try_and_a_skip_is_not_an_answer(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    await quiz.engine.answer(ANA, CHANNEL, (await quiz.open_question()).answer)
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    await quiz.engine.skip(ANA, CHANNEL)
    progress = await quiz.engine.progress(ANA)
    chain = next(t for m in progress.modules for t in m.topics if t.topic.id == "chain-rule")
    assert chain.retrievability is not None
    assert (chain.counts.answered, chain.counts.correct, chain.counts.skipped) == (1, 1, 1)
    assert (progress.counts.answered, progress.counts.correct, progress.counts.skipped) == (1, 1, 1)
    assert (progress.counts.accuracy, progress.xp) == (1.0, 10)


async def test_a_lesson_by_name_is_marked_read_once(quiz: Quiz) -> None:
    first = await quiz.engine.lesson(ANA, "chain rule")
    again = await quiz.engine.lesson(ANA, "chain rule")
    assert first.topic is not None and first.topic.id == "chain-rule"
    assert (first.first_time, again.first_time) == (True, False)


async def test_reading_every_lesson_completes_the_course(quiz: Quiz) -> None:
    for topic in curriculum().topics():
        await quiz.engine.lesson(ANA, topic.id)
    final = await quiz.engine.lesson(ANA)
    assert final.complete and final.topic is None and final.next_topic is None


async def test_review_with_no_cards_has_nothing_due_and_no_next_review(quiz: Quiz) -> None:
    review = await quiz.engine.review(ANA, CHANNEL)
    assert (review.due, review.question, review.next_review) == ((), None, None)


async def test_learners_on_different_platforms_are_kept_apart(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "chain rule")
    await quiz.engine.answer(ANA, CHANNEL, (await quiz.open_question()).answer)
    namesake = UserRef("discord", ANA.id, ANA.name)
    assert (await quiz.engine.progress(namesake)).xp == 0


async def test_questions_and_grading_run_in_real_worker_processes(quiz: Quiz) -> None:
    from concurrent.futures import ProcessPoolExecutor

    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1) as pool:

        async def run_in_pool(fn, *args):  # type: ignore[no-untyped-def]
            return await loop.run_in_executor(pool, fn, *args)

        engine = QuizEngine(quiz.store, curriculum(), quiz.clock, run_in_pool)
        await engine.ask(ANA, CHANNEL, "chain rule")
        result = await engine.answer(ANA, CHANNEL, (await quiz.open_question()).answer)
    assert result.correct
