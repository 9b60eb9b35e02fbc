"""What /quiz asks when no topic is given: due reviews first, then practice aimed at a repeated
mistake (until two aimed questions are right at the first try), else the weakest reached skill."""

from __future__ import annotations

import sympy

from bot.store.tries import tries_of
from content.aimed import derivative_task, malrule_answers
from content.questions import Question
from tests.quiz.conftest import ANA, CHANNEL, Quiz

CODE = "chain_rule_inner_missing"


def _typed(expr: sympy.Expr) -> str:
    return str(expr).replace("**", "^")


async def _chain_question_showing_the_mistake(quiz: Quiz) -> tuple[Question, str]:
    for _ in range(20):
        await quiz.engine.ask(ANA, CHANNEL, "chain rule")
        question = await quiz.open_question()
        task = derivative_task(question)
        if task is not None and (wrong := malrule_answers(CODE, *task)):
            return question, _typed(wrong[0])
    raise AssertionError("no chain-rule derivative question in 20 tries")


def _right(question: Question) -> str:
    """The right answer computed independently (sympy.diff of the function asked about)."""
    task = derivative_task(question)
    assert task is not None
    return _typed(sympy.diff(*task))


async def test_a_repeated_mistake_gets_aimed_practice_until_two_are_right(quiz: Quiz) -> None:
    question, wrong = await _chain_question_showing_the_mistake(quiz)
    first = await quiz.engine.answer(ANA, CHANNEL, wrong)
    assert first.retry_open and first.diagnosis is not None and first.diagnosis.code == CODE
    second = await quiz.engine.answer(ANA, CHANNEL, wrong)
    assert second.diagnosis is not None and second.diagnosis.code == CODE
    for _ in range(2):
        aimed = await quiz.engine.ask(ANA, CHANNEL)
        assert aimed.info is not None and aimed.info.aimed_at == CODE and "chain_rule" in aimed.info.skills
        assert aimed.why is not None and "inside's derivative" in aimed.why
        asked = await quiz.open_question()
        assert (await quiz.engine.answer(ANA, CHANNEL, _right(asked))).correct
    after = await quiz.engine.ask(ANA, CHANNEL)
    assert after.info is not None and after.info.aimed_at is None  # fixed: the aim lets go
    user = await quiz.store.get_or_create_user(ANA.platform, ANA.id, ANA.name, quiz.clock())
    kept = [(t.record.malrule, t.record.retry, t.record.aimed_at) for t in await tries_of(quiz.store, user.id)]
    assert kept == [(CODE, False, None), (CODE, True, None), (None, False, CODE), (None, False, CODE)]
    progress = await quiz.engine.progress(ANA)
    assert [(m.code, m.count) for m in progress.mistakes] == [(CODE, 2)]
    assert progress.mistakes[0].lesson is not None and progress.mistakes[0].lesson.id == "chain-rule"


async def test_an_explicit_topic_is_never_overridden_by_an_aim(quiz: Quiz) -> None:
    _, wrong = await _chain_question_showing_the_mistake(quiz)
    await quiz.engine.answer(ANA, CHANNEL, wrong)
    await quiz.engine.answer(ANA, CHANNEL, wrong)
    asked = await quiz.engine.ask(ANA, CHANNEL, "jacobian")
    assert asked.topic.id == "jacobian" and asked.info is not None and asked.info.aimed_at is None


async def test_a_due_review_keeps_its_place_before_an_aim(quiz: Quiz) -> None:
    await quiz.engine.ask(ANA, CHANNEL, "partial derivatives")
    await quiz.engine.skip(ANA, CHANNEL)  # rated Again: due tomorrow
    _, wrong = await _chain_question_showing_the_mistake(quiz)
    await quiz.engine.answer(ANA, CHANNEL, wrong)
    await quiz.engine.answer(ANA, CHANNEL, wrong)
    quiz.clock.advance(days=1, hours=1)  # both topics are due now; the partial derivatives one first
    asked = await quiz.engine.ask(ANA, CHANNEL)
    assert asked.topic.id == "partial-derivatives" and asked.info is not None and asked.info.aimed_at is None


async def test_with_no_aim_the_weakest_reached_skill_is_practised(quiz: Quiz) -> None:
    for topic in ("power rule", "partial derivatives"):
        await quiz.engine.lesson(ANA, topic)
    for _ in range(3):  # the power rule, right every time: strong
        await quiz.engine.ask(ANA, CHANNEL, "power rule")
        question = await quiz.open_question()
        assert (await quiz.engine.answer(ANA, CHANNEL, question.answer)).correct
    asked = await quiz.engine.ask(ANA, CHANNEL)
    assert asked.info is not None and "power_rule" not in asked.info.skills[:1]
    assert asked.why is not None and "Next:" in asked.why


async def test_a_wrong_multiple_choice_pick_is_kept_with_the_mistake_that_built_it(quiz: Quiz) -> None:
    from content.questions import choice_labels

    for _ in range(30):
        await quiz.engine.ask(ANA, CHANNEL, "jacobian matrix")
        question = await quiz.open_question()
        built = [(label, code) for label, code in zip(choice_labels(len(question.choices)),
                                                       question.choice_malrules, strict=False) if code]
        if question.kind == "choice" and built:
            break
    else:
        raise AssertionError("no multiple-choice question with a diagnosed distractor in 30 tries")
    label, code = built[0]
    result = await quiz.engine.answer(ANA, CHANNEL, label)
    assert not result.correct and result.diagnosis is not None and result.diagnosis.code == code
    user = await quiz.store.get_or_create_user(ANA.platform, ANA.id, ANA.name, quiz.clock())
    [kept] = await tries_of(quiz.store, user.id)
    assert (kept.record.kind, kept.record.malrule, kept.record.answer_text) == ("choice", code, label)
