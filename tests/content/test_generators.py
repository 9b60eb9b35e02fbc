"""The content linter for question generators: every generator, seeds 0..49.

Each generator must give 50 distinct prompts; each question's own canonical answer must be graded
correct and a deliberately wrong answer graded wrong; each multiple-choice question's options must be
distinct values with exactly one right. Questions are generated once and shared by the tests.
"""

from __future__ import annotations

import functools
import pickle

import pytest
import sympy

from bot.solver.parser import parse, parse_list
from content.catalog import curriculum
from content.generate import generate_from, generate_question, grade_answer, read_matrix
from content.questions import Question

SEEDS = range(50)
CASES = [(topic.id, name) for topic in curriculum().topics() for name in topic.generators]
CASE_IDS = [name for _, name in CASES]


@functools.cache
def questions(topic_id: str, name: str) -> tuple[Question, ...]:
    return tuple(generate_from(topic_id, name, seed) for seed in SEEDS)


def _off(value: sympy.Expr) -> sympy.Expr:
    """A value that is certainly not ``value``: numbers move by at least 1 and 50%, expressions by 1."""
    return value + 1 + abs(value) / 2 if not value.free_symbols else value + 1


def wrong_answer(question: Question) -> str:
    if question.kind == "expression":
        return f"({question.answer}) + 1"
    if question.kind == "number":
        return sympy.sstr(_off(parse(question.answer)))
    if question.kind == "vector":
        entries = parse_list(question.answer)
        entries[-1] = _off(entries[-1])
        return "(" + ", ".join(sympy.sstr(e) for e in entries) + ")"
    rows = read_matrix(question.answer)
    rows[-1][0] = _off(rows[-1][0])
    return "[" + ", ".join("[" + ", ".join(sympy.sstr(e) for e in row) + "]" for row in rows) + "]"


@pytest.mark.parametrize(("topic_id", "name"), CASES, ids=CASE_IDS)
def test_generator_gives_fifty_distinct_prompts(topic_id: str, name: str) -> None:
    # A picture question's picture is part of what it asks.
    prompts = {(question.prompt, question.figure) for question in questions(topic_id, name)}
    assert len(prompts) == len(SEEDS)


@pytest.mark.parametrize(("topic_id", "name"), CASES, ids=CASE_IDS)
def test_canonical_answer_is_graded_correct(topic_id: str, name: str) -> None:
    for question in questions(topic_id, name):
        grade = grade_answer(question.to_json(), question.answer)
        assert grade.correct, (question.id, question.answer, grade.feedback)


KINDS = {case: generate_from(*case, 0).kind for case in CASES}
ANSWER_CASES = [case for case in CASES if KINDS[case] not in ("choice", "picture")]
CHOICE_CASES = [case for case in CASES if KINDS[case] in ("choice", "picture")]


@pytest.mark.parametrize(("topic_id", "name"), ANSWER_CASES, ids=[name for _, name in ANSWER_CASES])
def test_wrong_answer_is_graded_wrong(topic_id: str, name: str) -> None:
    # Every third seed: a wrong answer now goes through the full diagnosis, and 17 seeds per
    # generator cover its shapes (the prompts of all 50 are checked below).
    for question in questions(topic_id, name)[::3]:
        grade = grade_answer(question.to_json(), wrong_answer(question))
        assert not grade.correct, (question.id, question.answer)
        assert grade.feedback.startswith("❌")



@pytest.mark.parametrize(("topic_id", "name"), CHOICE_CASES, ids=[name for _, name in CHOICE_CASES])
def test_choice_question_has_one_right_option_among_distinct_ones(topic_id: str, name: str) -> None:
    for question in questions(topic_id, name):
        assert len(question.choices) == 4
        assert len(set(question.choices)) == 4
        verdicts = [grade_answer(question.to_json(), label).correct for label in "ABCD"]
        assert verdicts.count(True) == 1 and verdicts["ABCD".index(question.answer)]


def _fingerprint(text: str) -> tuple[float, ...] | None:
    """Numeric values of an option at fixed points (None for worded options)."""
    try:
        entries = [e for row in read_matrix(text) for e in row] if text.startswith("[[") else [parse(text)]
    except Exception:
        return None
    variables = sorted({s for e in entries for s in e.free_symbols}, key=str)
    points = [{v: sympy.Rational(613 + 377 * i, 1000) for i, v in enumerate(variables)}, {v: sympy.Rational(1291 - 211 * i, 1000) for i, v in enumerate(variables)}]
    return tuple(complex(e.evalf(15, subs=point)).real for point in points for e in entries)


@pytest.mark.parametrize(("topic_id", "name"), CHOICE_CASES, ids=[name for _, name in CHOICE_CASES])
def test_choice_distractors_are_different_values(topic_id: str, name: str) -> None:
    for question in questions(topic_id, name)[:20]:
        maybe = [_fingerprint(choice) for choice in question.choices]
        prints = [p for p in maybe if p is not None]
        if len(prints) < len(maybe):
            continue  # worded options, checked for distinct text above
        for i in range(len(prints)):
            for j in range(i + 1, len(prints)):
                assert any(abs(a - b) > 1e-9 * max(1.0, abs(a)) for a, b in zip(prints[i], prints[j], strict=True)), (
                    question.id,
                    question.choices[i],
                    question.choices[j],
                )


@pytest.mark.parametrize(("topic_id", "name"), CASES[::7], ids=CASE_IDS[::7])
def test_generation_is_deterministic(topic_id: str, name: str) -> None:
    assert generate_from(topic_id, name, 12345) == generate_from(topic_id, name, 12345)


def test_generate_question_cycles_through_the_topic_generators() -> None:
    topic = curriculum().topic("hessian")
    names = [generate_question("hessian", seed).id.split("/")[1] for seed in range(len(topic.generators))]
    assert names == list(topic.generators)


def test_question_id_regenerates_the_question() -> None:
    question = generate_question("chain-rule", 7)
    topic_id, name, seed = question.id.split("/")
    assert generate_from(topic_id, name, int(seed)) == question


def test_questions_survive_a_trip_through_pickle_and_json() -> None:
    question = generate_question("jacobian-matrix", 3)
    assert pickle.loads(pickle.dumps(question)) == question
    assert Question.from_json(question.to_json()) == question


def test_every_question_names_a_command_or_explains_itself() -> None:
    for topic_id, name in CASES:
        question = questions(topic_id, name)[0]
        assert question.solution and question.hints
        assert question.solution_command == "" or question.solution_command.split()[0][1:] in {
            "derive", "slope", "partial", "grad", "jacobian", "hessian", "chain", "taylor", "newton", "stationary",
            "lagrange", "descent", "fit", "backprop", "check",
        }
