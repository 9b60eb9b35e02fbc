"""A learner who repeats one mistake: the model notices, aims practice at it, and lets go once fixed —
with real questions, real grading and the solver's own version of the mistake."""

from __future__ import annotations

import sympy

from bot.learner import Try, choose_focus, current_aim, mastery
from content import aimed
from content.generate import generate_aimed, generate_for_skill, grade_answer
from content.questions import Question

INNER = "chain_rule_inner_missing"
REACHED = ("power_rule", "product_rule", "chain_rule")


def _try(question: Question, text: str) -> Try:
    grade = grade_answer(question.to_json(), text, reveal=False)
    code = grade.diagnosis.code if grade.diagnosis is not None else None
    return Try(question.skills, grade.correct, malrule=code, aimed_at=question.aimed_at, topic=question.topic_id,
               kind=question.kind)


def _dropping_the_inside(question: Question) -> str:
    task = aimed.derivative_task(question)
    assert task is not None
    return sympy.sstr(aimed.malrule_answers(INNER, *task)[0])


def test_a_repeated_mistake_is_noticed_practised_and_let_go() -> None:
    first = generate_for_skill("chain_rule", 0)
    tries = [Try(("power_rule",), True), _try(first, _dropping_the_inside(first))]
    assert tries[-1].malrule == INNER
    assert current_aim(tries) is None  # once is not a pattern

    second = generate_for_skill("chain_rule", 1)
    tries.append(_try(second, _dropping_the_inside(second)))
    focus = choose_focus(tries, REACHED)
    assert (focus.skill, focus.aimed_at) == ("chain_rule", INNER)
    assert focus.why == "You've left out the inside's derivative twice — here is one to practise it."

    practice = generate_aimed(INNER, 0)
    assert practice.aimed_at == INNER and practice.skills[0] == "chain_rule"
    tries.append(_try(practice, practice.answer))
    assert tries[-1].correct
    assert choose_focus(tries, REACHED).aimed_at == INNER  # one more to go

    again = generate_aimed(INNER, 1)
    tries.append(_try(again, again.answer))
    assert current_aim(tries) is None
    focus = choose_focus(tries, REACHED)
    assert focus.aimed_at is None
    assert focus.skill == "product_rule"  # never tried: the weakest reached skill now
    assert mastery(tries)["chain_rule"] < 0.95  # two right after two wrong is not mastery yet
