"""The Newton–Raphson loop's shortcuts (floats ruling out far iterates, the linear-convergence test
worked from the end) decide what the full mpmath comparisons did."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from bot.errors import NoConvergence
from bot.solver.newton import (
    NewtonIterate,
    _converged_linearly,
    _earlier_iterates_near,
    newton_raphson,
)
from bot.solver.variables import symbol

x = symbol("x")


def _iterates(values: list[mpmath.mpf]) -> list[NewtonIterate]:
    return [NewtonIterate(n, float(v), 0.0, 1.0) for n, v in enumerate(values)]


def test_an_iterate_back_within_the_cycle_margin_is_never_ruled_out() -> None:
    with mpmath.workdps(30):
        history = [mpmath.mpf(5), mpmath.mpf("1e6"), mpmath.mpf(-3), mpmath.mpf(2)]
        for m, earlier in enumerate(history[:-1]):
            for offset in ("0", "0.9e-9", "-0.9e-9"):
                x_next = earlier * (1 + mpmath.mpf(offset))
                assert m in list(_earlier_iterates_near(x_next, history, _iterates(history)))


def test_far_iterates_are_ruled_out_without_an_exact_test() -> None:
    with mpmath.workdps(30):
        history = [mpmath.mpf(5), mpmath.mpf(-3), mpmath.mpf(2)]
        assert list(_earlier_iterates_near(mpmath.mpf("5.001"), history, _iterates(history))) == []


def test_an_iterate_too_large_for_a_float_is_tested_exactly() -> None:
    with mpmath.workdps(30):
        huge = mpmath.mpf("1e400")
        history = [huge, mpmath.mpf(2)]
        assert list(_earlier_iterates_near(huge * (1 + mpmath.mpf("1e-12")), history, _iterates(history))) == [0]


def _linear_by_every_ratio(history: list[mpmath.mpf]) -> bool:
    """The definition, over all the errors: the last three ratios of successive non-zero errors > 0.1."""
    root = history[-1]
    errors = [abs(v - root) for v in history[:-1]]
    ratios = [b / a for a, b in zip(errors, errors[1:], strict=False) if a > 0 and b > 0]
    return len(ratios) >= 3 and all(r > 0.1 for r in ratios[-3:])


@pytest.mark.parametrize("errors", [
    ["1", "0.5", "0.25", "0.125", "0"],  # halving: linear
    ["1", "0.1", "0.001", "1e-7", "0"],  # squaring: quadratic
    ["1", "0.5", "0", "0.25", "0.125", "0"],  # an exact hit in between is left out of the ratios
    ["1", "0.5", "0"],  # too few ratios to say
    ["1", "0.5", "0.3", "0.01", "0.005", "0"],  # only the last three ratios count
])
def test_linear_convergence_from_the_end_is_the_definition(errors: list[str]) -> None:
    with mpmath.workdps(30):
        history = [2 + mpmath.mpf(e) for e in errors]
        assert _converged_linearly(history) == _linear_by_every_ratio(history)


def test_a_two_cycle_is_still_reported() -> None:
    with pytest.raises(NoConvergence, match="cycling: x_2 = x_0 = 0"):
        newton_raphson(x**3 - 2 * x + 2, x, sympy.Integer(0))
