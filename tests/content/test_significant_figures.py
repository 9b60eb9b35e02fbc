"""Quiz tolerances say what they mean (issue 12 §5): "to 4 significant figures" accepts exactly that."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
import sympy

from content.catalog import curriculum
from content.generate import agreeing_figures, generate_question, grade_answer
from content.questions import Question

VALUE = "1.23456"  # rounds to 1.235 at 4 significant figures


def _question(answer: str = VALUE, figures: int = 4) -> str:
    return Question(id="t/n/1", topic_id="t", prompt="Give it to 4 significant figures.", kind="number",
                    answer=answer, tolerance=1e-9, significant_figures=figures).to_json()


def _independent_agreement(given: float, expected: float) -> int:
    """Exact decimal arithmetic: the most n for which |given − expected| is at most half a unit in
    the n-th significant figure of expected (the textbook meaning of "correct to n figures")."""
    g, e = Decimal(repr(given)), Decimal(repr(expected))
    leading = e.copy_abs().adjusted()  # the exponent of the leading digit
    best = 0
    for n in range(1, 12):
        if abs(g - e) <= Decimal(5) * Decimal(10) ** (leading - n):
            best = n
        else:
            break
    return best


@pytest.mark.parametrize("typed", ["1.235", "1.2346", "1.23456", "1.2345", "123456/100000"])
def test_an_answer_right_to_4_significant_figures_is_accepted(typed):
    assert grade_answer(_question(), typed).correct


@pytest.mark.parametrize("typed", ["1.23", "1.234", "1.236", "1.2", "1.24"])
def test_an_answer_not_right_to_4_significant_figures_is_refused(typed):
    grade = grade_answer(_question(), typed)
    assert not grade.correct
    assert "4 are asked for" in grade.feedback


def test_a_truncated_answer_is_told_to_round():
    grade = grade_answer(_question(), "1.234")
    assert "agrees with the answer to 3 significant figures" in grade.feedback
    assert "round the last figure" in grade.feedback


@pytest.mark.parametrize(("given", "expected"), [
    (1.235, 1.23456), (1.23, 1.23456), (0.001234, 0.0012345), (98765.0, 98765.4), (-2.5, -2.4999), (3.0, 2.0),
])
def test_agreeing_figures_matches_rounding_both_numbers(given, expected):
    assert agreeing_figures(given, expected) == _independent_agreement(given, expected)


def test_every_rounded_number_question_asks_for_and_checks_4_significant_figures():
    asked = 0
    for topic in curriculum().topics():
        for seed in range(6):
            question = generate_question(topic.id, seed)
            if question.kind != "number" or question.significant_figures == 0:
                continue
            asked += 1
            assert "4 significant figures" in question.prompt
            value = float(sympy.N(sympy.sympify(question.answer), 30))  # our own canonical answer
            leading = math.floor(math.log10(abs(value)))
            four = f"{value:.4g}"
            three = f"{value:.3g}"
            assert grade_answer(question.to_json(), four).correct, (question.id, four)
            if float(three) != float(four) and abs(float(three) - value) > 0.5 * 10 ** (leading - 3):
                assert not grade_answer(question.to_json(), three).correct, (question.id, three)
    assert asked > 0
