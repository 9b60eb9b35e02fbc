"""One retry after feedback on a wrong quiz answer (issue 12 §5): the first wrong answer gets feedback
and the question stays open; the second answer closes it. FSRS rates the first try."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.quiz.engine import XP_SECOND_TRY
from bot.store.tries import tries_of
from content.generate import grade_answer
from content.questions import Question
from tests.quiz.conftest import ANA, CHANNEL, Quiz, wrong_answer


async def _expression_question(quiz: Quiz) -> Question:
    for _ in range(12):
        await quiz.engine.ask(ANA, CHANNEL, "chain rule")
        question = await quiz.open_question()
        if question.kind == "expression":
            return question
    raise AssertionError("no expression question in 12 tries")


async def _stored(quiz: Quiz):
    user = await quiz.store.get_or_create_user(ANA.platform, ANA.id, ANA.name, quiz.clock())
    return user, await quiz.store.get_open_question(user.id, CHANNEL), await quiz.store.attempts(user.id)


async def test_a_wrong_first_answer_is_kept_and_schedules_the_topic_while_the_question_stays_open(
    quiz: Quiz,
) -> None:
    question = await _expression_question(quiz)
    result = await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    assert result.retry_open and not result.correct and "not quite" in result.feedback.lower()
    user, still_open, attempts = await _stored(quiz)
    assert still_open is not None and still_open.first_answer == wrong_answer(question)
    assert attempts == [] and user.xp == 0 and user.streak_days == 1  # an answer, if a wrong one
    card = await quiz.store.get_card(user.id, question.topic_id)
    assert card is not None and card.due == quiz.clock() + timedelta(days=1)  # rated Again on the first try
    [kept] = await tries_of(quiz.store, user.id)
    assert (kept.record.answer_text, kept.record.correct, kept.record.retry) == (wrong_answer(question), False, False)


async def test_right_at_the_second_try_is_rated_on_the_first(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    first = quiz.clock()
    await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    quiz.clock.advance(seconds=30)
    result = await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert result.correct and result.second_try and not result.retry_open
    assert result.rating == "Again"  # the first try was wrong: the topic comes back tomorrow
    assert result.next_review == first + timedelta(days=1)  # scheduled on the first try
    assert result.xp_gained == XP_SECOND_TRY and result.solution == question.solution
    user, still_open, attempts = await _stored(quiz)
    assert still_open is None and user.xp == XP_SECOND_TRY
    [attempt] = attempts
    assert (attempt.answer_text, attempt.correct) == (wrong_answer(question), False)
    assert (attempt.retry_answer, attempt.retry_correct) == (question.answer, True)


async def test_a_second_wrong_answer_closes_the_question(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    result = await quiz.engine.answer(ANA, CHANNEL, f"({question.answer}) + 2")
    assert not result.correct and not result.retry_open and result.second_try
    assert (result.rating, result.xp_gained) == ("Again", 0)
    _, still_open, [attempt] = await _stored(quiz)
    assert still_open is None and attempt.retry_correct is False


async def test_right_at_the_first_try_needs_no_retry(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    result = await quiz.engine.answer(ANA, CHANNEL, question.answer)
    assert result.correct and not result.second_try and result.rating in ("Easy", "Good")
    _, _, [attempt] = await _stored(quiz)
    assert attempt.correct and attempt.retry_answer is None and attempt.retry_correct is None


async def test_multiple_choice_has_no_retry(quiz: Quiz) -> None:
    for _ in range(12):
        await quiz.engine.ask(ANA, CHANNEL, "product rule")
        question = await quiz.open_question()
        if question.kind == "choice":
            break
    else:
        raise AssertionError("no multiple-choice question in 12 tries")
    result = await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    assert not result.retry_open and result.rating == "Again"


async def test_the_daily_question_takes_one_answer(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    result = await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question), allow_retry=False)
    assert not result.retry_open and result.rating == "Again"


async def test_two_wrong_answers_at_once_use_the_retry_once(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    results = await asyncio.gather(
        quiz.engine.answer(ANA, CHANNEL, wrong_answer(question)),
        quiz.engine.answer(ANA, CHANNEL, f"({question.answer}) + 2"),
    )
    assert sorted(r.retry_open for r in results) == [False, True]
    _, still_open, attempts = await _stored(quiz)
    assert still_open is None and len(attempts) == 1


def _derivative_question() -> str:
    return Question(
        id="t/derivative/1", topic_id="product-rule", prompt="Differentiate x^2 sin x.", kind="expression",
        answer="x**2*cos(x) + 2*x*sin(x)", solution_command="/derive x^2 sin x",
    ).to_json()


def test_first_try_feedback_names_the_mistake_but_keeps_the_answer_back():
    slip = "2x cos x"  # the product rule as u'v'
    first = grade_answer(_derivative_question(), slip, False)
    final = grade_answer(_derivative_question(), slip, True)
    assert not first.correct and first.diagnosis is not None and first.diagnosis.code == final.diagnosis.code
    assert "the right step" in final.feedback and "the right step" not in first.feedback
    assert "Corrected answer" not in final.feedback  # the reply's "Expected" line gives it, once
    assert "x*cos(x) + 2*sin(x)" not in first.feedback and "x^2*cos(x)" not in first.feedback
    assert "mistake" in first.feedback.lower()


async def test_skipping_after_a_wrong_first_try_keeps_that_answer(quiz: Quiz) -> None:
    question = await _expression_question(quiz)
    await quiz.engine.answer(ANA, CHANNEL, wrong_answer(question))
    result = await quiz.engine.skip(ANA, CHANNEL)
    assert result.solution == question.solution
    _, still_open, [attempt] = await _stored(quiz)
    assert still_open is None and attempt.skipped and attempt.answer_text == wrong_answer(question)


def _number_question() -> str:
    return Question(id="t/n/1", topic_id="t", prompt="f(2)?", kind="number", answer="13/4",
                    tolerance=1e-9, significant_figures=4).to_json()


def test_first_try_feedback_on_a_number_says_which_way_not_how_far():
    first = grade_answer(_number_question(), "3", False)
    final = grade_answer(_number_question(), "3", True)
    assert "too small" in first.feedback and "0.25" not in first.feedback and "off by" not in first.feedback
    assert "off by 0.25" in final.feedback  # 13/4 − 3, once the answer is shown anyway


def test_first_try_feedback_on_a_vector_entry_says_which_way_not_how_far():
    question = Question(id="t/v/1", topic_id="t", prompt="∇f?", kind="vector", answer="(2, 7)").to_json()
    first = grade_answer(question, "(2, 9)", False)
    assert "entry 2: you gave 9: that is too large" in first.feedback and "off by" not in first.feedback
