"""Skills on generated questions, aimed questions and diagnosed multiple-choice picks (the content side)."""

from __future__ import annotations

import json

import pytest
import sympy

from bot.learner import MISTAKE_CODES, SKILLS, skill_of_malrule, skills_of_topic
from bot.solver.malrules import BY_CODE, CODES
from bot.solver.parser import parse
from bot.solver.variables import symbol
from content import aimed
from content.catalog import curriculum
from content.generate import (
    generate_aimed,
    generate_for_skill,
    generate_from,
    grade_answer,
    question_from_id,
)
from content.questions import Question, choice_labels

CASES = [(topic.id, name) for topic in curriculum().topics() for name in topic.generators]


@pytest.mark.parametrize(("topic", "name"), CASES)
def test_every_generated_question_declares_known_skills(topic: str, name: str) -> None:
    for seed in range(3):
        question = generate_from(topic, name, seed)
        assert question.skills, question.id
        assert set(question.skills) <= set(SKILLS), question.id
        if question.kind == "choice":
            assert len(question.choice_malrules) == len(question.choices)
            assert question.choice_malrules[choice_labels(len(question.choices)).index(question.answer)] is None


def test_a_derivative_question_names_the_rules_it_needs() -> None:
    question = generate_from("special-functions", "all_rules", 4)  # x^m · g(b xⁿ)
    assert question.skills[:2] == ("product_rule", "chain_rule")


def test_question_json_round_trips_with_skills_and_choice_mistakes() -> None:
    question = generate_from("power-sum-rules", "power_rule_choice", 7)
    assert Question.from_json(question.to_json()) == question
    aimed_question = generate_aimed("chain_rule_inner_missing", 2)
    assert Question.from_json(aimed_question.to_json()) == aimed_question


def test_question_json_stored_before_skills_existed_still_loads_with_its_topics_skills() -> None:
    data = json.loads(generate_from("chain-rule", "chain_rule", 3).to_json())
    for key in ("skills", "choice_malrules", "aimed_at"):
        del data[key]
    old = Question.from_json(json.dumps(data))
    assert old.skills == skills_of_topic("chain-rule")
    assert old.choice_malrules == () and old.aimed_at is None


def _label_of(question: Question, code: str) -> str:
    return choice_labels(len(question.choices))[question.choice_malrules.index(code)]


def test_a_wrong_pick_is_diagnosed_by_the_mistake_that_built_it() -> None:
    question = generate_aimed("power_rule_exponent_kept", 1)
    assert question.kind == "expression"
    choice = generate_from("power-sum-rules", "power_rule_choice", 11)
    code = next(c for c in choice.choice_malrules if c is not None)
    grade = grade_answer(choice.to_json(), _label_of(choice, code))
    assert not grade.correct
    assert grade.diagnosis is not None and grade.diagnosis.code == code
    assert "That option is what you get when you've" in grade.feedback


def test_the_power_rule_distractors_are_the_mistakes_they_are_labelled_with() -> None:
    """Independently: each labelled option equals what the named mistake gives (sympy, not the generator)."""
    x = symbol("x")
    for seed in range(10):
        question = generate_from("power-sum-rules", "power_rule_choice", seed)
        f = parse(question.solution_command.removeprefix("/derive "))
        df = sympy.diff(f, x)
        constant = sympy.expand(f).as_independent(x, as_Add=True)[0]
        for text, code in zip(question.choices, question.choice_malrules, strict=True):
            option = parse(text)
            if code == "constant_not_zero":
                assert sympy.simplify(option - (df + constant)) == 0
            elif code == "sign_error":
                assert sympy.simplify(option + df) == 0
            elif code == "integrated_instead":
                assert sympy.simplify(sympy.diff(option, x) - (f - constant)) == 0


def test_a_right_pick_has_no_diagnosis() -> None:
    question = generate_from("chain-rule", "chain_rule_choice", 5)
    grade = grade_answer(question.to_json(), question.answer)
    assert grade.correct and grade.diagnosis is None


@pytest.mark.parametrize("code", MISTAKE_CODES)
def test_an_aimed_question_is_on_its_mistakes_skill_and_regenerates_from_its_id(code: str) -> None:
    question = generate_aimed(code, 3)
    assert question.aimed_at == code
    assert question.skills[0] == skill_of_malrule(code)
    assert question.id == f"aimed/{code}/3"
    assert question_from_id(question.id) == question
    assert generate_aimed(code, 4).id != question.id


@pytest.mark.parametrize("code", CODES)
def test_the_mistake_visibly_changes_an_aimed_questions_answer(code: str) -> None:
    """Independently of the check in the generator: every answer the mal-rule gives differs from
    sympy's derivative by at least 10% somewhere."""
    for seed in range(2):
        question = generate_aimed(code, seed)
        task = aimed.derivative_task(question)
        assert task is not None
        expr, var = task
        correct = sympy.diff(expr, var)
        assert sympy.simplify(parse(question.answer) - correct) == 0
        answers = aimed.malrule_answers(code, expr, var)
        assert answers
        for answer in answers:
            assert _largest_gap(answer, correct) >= 0.1
            assert aimed.distance(answer, correct) >= aimed.VISIBLE


def _largest_gap(first: sympy.Expr, second: sympy.Expr) -> float:
    """The largest relative gap at a few points, computed here (not with the code under test)."""
    variables = sorted(first.free_symbols | second.free_symbols, key=str)
    gaps = []
    for value in (0.6, 1.3, 2.2):
        point = {v: value + 0.17 * i for i, v in enumerate(variables)}
        a, b = complex(first.evalf(subs=point)), complex(second.evalf(subs=point))
        gaps.append(abs(a - b) / max(1.0, abs(b)))
    return max(gaps)


@pytest.mark.parametrize("code", [c for c in CODES if c in ("chain_rule_inner_missing", "quotient_rule_sign", "trig_sign", "wrong_variable", "power_rule_exponent_kept")])
def test_the_grader_names_the_mistake_an_aimed_question_practises(code: str) -> None:
    question = generate_aimed(code, 1)
    task = aimed.derivative_task(question)
    assert task is not None
    wrong = aimed.malrule_answers(code, *task)[0]
    grade = grade_answer(question.to_json(), sympy.sstr(wrong))
    assert not grade.correct
    assert grade.diagnosis is not None and grade.diagnosis.code == code


def test_a_question_where_the_mistake_is_invisible_is_never_aimed() -> None:
    # d/dx of x² + 3: "chain_rule_inner_missing" has no inside to leave out here
    question = Question("t/g/0", "power-sum-rules", "?", "expression", "2*x", solution_command="/derive x^2 + 3")
    assert not aimed.shows(question, "chain_rule_inner_missing")
    # (sin x)' with the sign flipped is visible; cos(0·x) has nothing to flip
    assert aimed.shows(Question("t/g/1", "special-functions", "?", "expression", "cos(x)", solution_command="/derive sin(x)"), "trig_sign")


@pytest.mark.parametrize("skill", SKILLS)
def test_a_question_for_each_skill_exercises_it(skill: str) -> None:
    for seed in (0, 9):
        question = generate_for_skill(skill, seed)
        assert skill in question.skills
        assert question_from_id(question.id) == question


def test_unknown_codes_skills_and_ids_are_clear_errors() -> None:
    from bot.errors import BadArgument

    with pytest.raises(BadArgument):
        generate_aimed("no_such_mistake", 0)
    with pytest.raises(BadArgument):
        generate_for_skill("no_such_skill", 0)
    with pytest.raises(BadArgument):
        question_from_id("not an id")


def test_every_solver_mistake_has_a_checkable_aim() -> None:
    assert set(CODES) <= set(aimed.RECIPES)
    assert set(CODES) <= set(BY_CODE)
