"""Aimed and per-skill practice after the speed-ups: the guarantees checked independently.

An aimed derivative question must be one where every answer its mistake gives is visibly wrong:
here each is compared with ``sympy.diff`` on a grid of points with mpmath (not with ``aimed.distance``
or its probe points). Per-skill practice must give the question the full walk over the topics'
generators gives, and the table that lets it pass generators over must be what code computes.
"""

from __future__ import annotations

import itertools

import mpmath
import pytest
import sympy

from bot.learner import SKILLS, topics_of_skill
from bot.solver.malrules import BY_CODE
from content import aimed
from content.generate import generate_aimed, generate_for_skill, generate_from, generate_question
from content.questions import choice_labels
from content.skill_reach import SAMPLE_SEEDS, sampled_skills
from content.skill_reach_table import SKILLS_SEEN

DERIVATIVE_CODES = [code for code in aimed.RECIPES if code in BY_CODE]
CHOICE_CODES = [code for code in aimed.RECIPES if code not in BY_CODE]
SEEDS = range(0, 160, 10)
GRID = (61, 16, 7)  # grid points per variable, for one, two and three variables
FULL_WALK = 64  # candidates per per-skill question, as content.generate walks them


def _largest_gap(answer: sympy.Expr, correct: sympy.Expr) -> float:
    """The largest relative gap on an even grid over [0.3, 3] in every variable (the region the
    generator's probe points lie in), with mpmath; inf where only one of the two is defined."""
    variables = sorted(answer.free_symbols | correct.free_symbols, key=str)
    wrong = sympy.lambdify(variables, answer, modules="mpmath")
    right = sympy.lambdify(variables, correct, modules="mpmath")
    steps = GRID[min(len(variables), 3) - 1] if variables else 1
    axis = [mpmath.mpf(0.3) + mpmath.mpf(2.7) * i / max(steps - 1, 1) for i in range(steps)]
    largest = 0.0
    for point in itertools.product(axis, repeat=len(variables)):
        values = []
        for function in (wrong, right):
            try:
                value: complex | None = complex(function(*point))
            except (ZeroDivisionError, ValueError, OverflowError):
                value = None
            values.append(None if value is None or value != value else value)
        a, b = values
        if a is None and b is None:
            continue
        if a is None or b is None:
            return float("inf")
        largest = max(largest, abs(a - b) / max(1.0, abs(b)))
    return largest


@pytest.mark.parametrize("code", DERIVATIVE_CODES)
def test_every_answer_an_aimed_questions_mistake_gives_is_visibly_wrong(code: str) -> None:
    for seed in SEEDS:
        question = generate_aimed(code, seed)
        task = aimed.derivative_task(question)
        assert task is not None, question.id
        expr, var = task
        correct = sympy.diff(expr, var)
        answers = aimed.malrule_answers(code, expr, var)
        assert answers, question.id
        for answer in answers:
            assert _largest_gap(answer, correct) > aimed.VISIBLE, (question.id, answer, correct)


@pytest.mark.parametrize("code", CHOICE_CODES)
def test_an_aimed_choice_question_offers_its_mistake_beside_the_answer(code: str) -> None:
    for seed in SEEDS:
        question = generate_aimed(code, seed)
        assert question.kind == "choice" and question.aimed_at == code
        labels = choice_labels(len(question.choices))
        assert code in question.choice_malrules, question.id
        mistaken = question.choices[question.choice_malrules.index(code)]
        assert mistaken != question.choices[labels.index(question.answer)], question.id


@pytest.mark.parametrize("code", DERIVATIVE_CODES)
def test_the_early_stopping_check_agrees_with_the_full_distance(code: str) -> None:
    """Over the recipe's candidates, shown or not: stopping early never changes the verdict."""
    topic, generator = aimed.RECIPES[code]
    verdicts = set()
    for seed in range(12):
        task = aimed.derivative_task(generate_from(topic, generator, seed))
        if task is None:
            continue
        correct = sympy.diff(*task)
        for answer in aimed.malrule_answers(code, *task) + [correct, correct * 1.01, correct + 1]:
            verdict = aimed.visibly_differs(answer, correct)
            assert verdict == (aimed.distance(answer, correct) >= aimed.VISIBLE), (answer, correct)
            verdicts.add(verdict)
    assert verdicts == {True, False}


def _full_walk(skill: str, seed: int):
    """Per-skill practice as it was: build every candidate in turn, keep the first on the skill."""
    topics = topics_of_skill(skill)
    for attempt in range(FULL_WALK):
        question = generate_question(topics[(seed + attempt) % len(topics)], seed * FULL_WALK + attempt)
        if skill in question.skills:
            return question
    raise AssertionError(f"no question exercises {skill}")


@pytest.mark.parametrize("skill", SKILLS)
def test_passing_generators_over_gives_the_question_the_full_walk_gives(skill: str) -> None:
    for seed in (1, 77, 2024, 91_000_003):
        assert generate_for_skill(skill, seed) == _full_walk(skill, seed)


def test_the_skill_table_is_what_sampling_the_generators_gives() -> None:
    """Run ``python -m content.skill_reach --write`` after changing a generator or a topic."""
    assert sampled_skills(SAMPLE_SEEDS) == SKILLS_SEEN
