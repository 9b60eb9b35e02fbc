"""Feedback on a wrong expression points at the wrong term (issue 12 §5), in the learner's words."""

from __future__ import annotations

import pytest
import sympy

from bot.solver.terms import compare_terms, typed_terms
from content.generate import grade_answer
from content.questions import Question

x = sympy.Symbol("x", real=True)


def _question(answer: str, command: str = "") -> str:
    return Question(
        id="t/terms/1", topic_id="power-rule", prompt="Differentiate.", kind="expression", answer=answer,
        solution_command=command,
    ).to_json()


def test_a_wrong_term_is_named_and_the_right_ones_confirmed():
    grade = grade_answer(_question("3*x**2 + 6*x"), "3x^2 + 3x")  # d/dx (x^3 + 3x^2)
    assert not grade.correct
    assert "your `3x^2` is right; your `3x` should be `6*x`" in grade.feedback


def test_terms_are_compared_in_the_order_the_learner_wrote_them():
    grade = grade_answer(_question("cos(x) - 2*x + 1"), "1 + 2x + cos x")
    assert "your `1` and `cos x` are right; your `2x` should be `-2*x`" in grade.feedback


def test_a_term_that_should_not_be_there_is_named():
    grade = grade_answer(_question("2*x + 1"), "2x + 1 + 5x^3")
    assert "your `5x^3` should not be there" in grade.feedback


def test_a_missing_term_is_counted_without_giving_it_away():
    grade = grade_answer(_question("2*x + cos(x) + 1"), "2x + 1")
    assert "your `2x` and `1` are right; a term is missing" in grade.feedback
    assert "cos" not in grade.feedback.split("Term by term")[1].split("\n")[0]


def test_sums_grouped_differently_fall_back_to_a_point_where_they_differ():
    grade = grade_answer(_question("x**2 + 2*x + 3"), "(x+1)(x+2) + 1")
    assert "Term by term" not in grade.feedback and "At x =" in grade.feedback


def test_a_sum_in_powers_of_a_shift_is_compared_in_those_powers():
    x_ = sympy.Symbol("x", real=True)
    assert sympy.expand((x_ + 1) ** 2 + 2 - (x_**2 + 2 * x_ + 3)) == 0  # independent: the answer is (x + 1)^2 + 2
    grade = grade_answer(_question("x**2 + 2*x + 3"), "(x+1)^2 + 1")
    assert "your `(x+1)^2` is right; your `1` should be `2`" in grade.feedback


def test_a_single_term_answer_gets_the_point_where_they_differ():
    grade = grade_answer(_question("2*x*sin(x) + x**2*cos(x)"), "2x cos x")
    assert "Term by term" not in grade.feedback


@pytest.mark.parametrize(("text", "pieces", "values"), [
    ("x^2 + 3x", ["x^2", "3x"], [x**2, 3 * x]),
    ("3x - sin x + e^-x", ["3x", "-sin x", "e^-x"], [3 * x, -sympy.sin(x), sympy.exp(-x)]),
    ("-x^2 - 2(x + 1)", ["-x^2", "-2(x + 1)"], [-(x**2), -2 * (x + 1)]),
    ("x^-2 + 1", ["x^-2", "1"], [x**-2, 1]),
    ("2*-x + 4", ["2*-x", "4"], [-2 * x, 4]),
])
def test_a_sum_splits_into_the_terms_as_typed(text, pieces, values):
    terms = typed_terms(text)
    assert terms is not None and [term.text for term in terms] == pieces
    assert [sympy.simplify(term.expr - value) for term, value in zip(terms, values, strict=True)] == [0] * len(values)


def test_absolute_values_are_not_split():
    assert typed_terms("|x - 1| + 2") is None


def test_matching_is_by_value_not_by_spelling():
    found = compare_terms("2x^2/2 + sin(x)cos(x)", 2 * x**2 / 2 + sympy.sin(x) * sympy.cos(x),
                          x**2 + sympy.sin(2 * x) / 2)
    assert found is not None and [t.text for t in found.right] == ["2x^2/2", "sin(x)cos(x)"]
