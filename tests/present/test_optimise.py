"""The /newton, /stationary and /lagrange jobs, from the learner's text to the worked answer."""

from __future__ import annotations

import math
import pickle
import re

import numpy as np
import pytest
import scipy.optimize
import sympy

from bot.errors import BadArgument, NoConvergence
from bot.present.optimise import lagrange, newton, stationary
from bot.solver.parser import parse_point
from bot.solver.variables import symbol

x, y = symbol("x"), symbol("y")
COURSE_F = "x^6/6 - 3*x^4 - 2*x^3/3 + 27*x^2/2 + 18*x - 30"


def points_in(result: str) -> list[np.ndarray]:
    """The tuples of a result like '[(1, 2), (3, 4)]', each read back with our own parser."""
    return [
        np.array([float(sympy.N(v)) for v in parse_point(f"({inner})")])
        for inner in re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", result)
    ]


def test_newton_course_example_root_matches_brentq() -> None:
    answer = newton(COURSE_F, "-4")
    coefficients = [1 / 6, 0, -3, -2 / 3, 27 / 2, 18, -30]
    expected = scipy.optimize.brentq(lambda t: np.polyval(coefficients, t), -4, -3.5)
    assert answer.result is not None and abs(float(answer.result) - expected) < 1e-12


def test_newton_shows_derivative_table_and_convergence() -> None:
    text = newton(COURSE_F, "-4").text
    assert "f'(x) = `x^5 - 12*x^3 - 2*x^2 + 27*x + 18`" in text
    assert "| n | xₙ | f(xₙ) | f'(xₙ) | error |" in text
    assert "quadratic convergence" in text


def test_newton_sqrt_two_result_is_a_fifteen_digit_decimal() -> None:
    answer = newton("x^2 - 2", "1")
    assert answer.result == "1.41421356237310"
    assert abs(float(answer.result) - math.sqrt(2)) < 1e-14


def test_newton_answer_is_picklable() -> None:
    answer = newton("x^2 - 2", "1")
    assert pickle.loads(pickle.dumps(answer)) == answer


def test_newton_other_variable_name() -> None:
    answer = newton("t^3 - 5", "2")
    assert answer.result is not None and abs(float(answer.result) - 5 ** (1 / 3)) < 1e-13


def test_newton_cycling_is_an_error_with_the_table() -> None:
    with pytest.raises(NoConvergence) as error:
        newton("x^3 - 2*x + 2", "0")
    assert "cycling" in error.value.message and "f(x_n)" in error.value.message


def test_newton_needs_one_starting_number() -> None:
    with pytest.raises(BadArgument, match="starts from one"):
        newton("x^2 - 2", "(1, 2)")


def test_stationary_points_and_types_match_sympy_solve() -> None:
    answer = stationary("x^3 - 3*x + y^2")
    f = x**3 - 3 * x + y**2
    expected = sorted(sympy.solve([sympy.diff(f, x), sympy.diff(f, y)], [x, y]))
    assert answer.result == sympy.sstr(expected)
    assert "saddle point" in answer.text and "local minimum" in answer.text


def test_stationary_respects_the_variable_order_given() -> None:
    answer = stationary("x^3 - 3*x + y^2", "y, x")
    assert answer.result == "[(0, -1), (0, 1)]"


def test_stationary_one_variable_uses_second_derivative() -> None:
    answer = stationary("x^3 - 12*x")
    assert answer.result == "[(-2,), (2,)]"
    assert "f''(x) = `6*x`" in answer.text
    assert "local maximum" in answer.text and "local minimum" in answer.text


def test_stationary_none_for_a_plane() -> None:
    answer = stationary("x + 2*y")
    assert answer.result == "[]" and "no stationary points" in answer.text


def test_stationary_line_of_points_is_explained() -> None:
    answer = stationary("(x - y)^2")
    assert answer.result == "[(y, y)]"
    assert "infinitely many stationary points" in answer.text


def test_stationary_numeric_points_are_real_zeros_of_the_derivative() -> None:
    answer = stationary("exp(x) + x^3 - 5*x")
    derivative = sympy.lambdify(x, sympy.exp(x) + 3 * x**2 - 5)
    found = points_in(answer.result or "")
    assert len(found) == 2
    assert all(abs(derivative(p[0])) < 1e-12 for p in found)
    assert "found numerically" in answer.text


def test_lagrange_classic_product() -> None:
    answer = lagrange("x*y", "x + y = 10")
    assert answer.result == "[(5, 5)]"
    assert "Constrained maximum" in answer.text and "λ" in answer.text


def test_lagrange_constraint_without_equals_means_zero() -> None:
    answer = lagrange("x + y", "x^2 + y^2 - 1")
    found = points_in(answer.result or "")
    assert sorted(p[0] for p in found) == pytest.approx([-math.sqrt(2) / 2, math.sqrt(2) / 2])


def test_lagrange_course_example_extremes_match_scipy() -> None:
    answer = lagrange("exp(-(2*x^2 + y^2 - x*y)/2)", "x^2 + 3*(y + 1)^2 = 1")
    candidates = points_in(answer.result or "")
    assert len(candidates) == 4

    def f(v: np.ndarray) -> float:
        return math.exp(-(2 * v[0] ** 2 + v[1] ** 2 - v[0] * v[1]) / 2)

    ellipse = {"type": "eq", "fun": lambda v: v[0] ** 2 + 3 * (v[1] + 1) ** 2 - 1}
    starts = [(0.0, -1.5), (0.9, -1.0), (-0.9, -1.0), (0.0, -0.5)]
    best = max((scipy.optimize.minimize(lambda v: -f(v), s, constraints=[ellipse], method="SLSQP") for s in starts), key=lambda r: -r.fun)
    assert any(np.allclose(c, best.x, atol=1e-5) for c in candidates)
    top = max(candidates, key=f)
    assert np.allclose(top, best.x, atol=1e-5)
    assert "**Constrained maximum**: f = 0.923811" in answer.text


def test_newton_accepts_an_exact_irrational_start() -> None:
    answer = newton("x^2 - 2", "sqrt(3)")
    assert abs(float(answer.result or "nan") - math.sqrt(2)) < 1e-12


def test_newton_finds_the_classic_two_cycle_from_one_over_root_five() -> None:
    with pytest.raises(NoConvergence) as caught:
        newton("x^3 - x", "1/sqrt(5)")
    assert "cycling" in caught.value.message
