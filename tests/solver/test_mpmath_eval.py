"""The mpmath closures that replaced lambdify in Newton–Raphson give lambdify's values (to the last
digit) and failures."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy

from bot.errors import Undefined
from bot.solver import numeric
from bot.solver.mpmath_eval import mpmath_function
from bot.solver.newton import newton_raphson
from bot.solver.parser import parse
from bot.solver.variables import symbol

x = symbol("x")

COURSE_FUNCTIONS = [
    "x^2 - 2", "x^(1/3) - 2", "x^(2/3) - 1", "sqrt(x) + 1/sqrt(x)", "x/3 + 0.1 x", "e^x - 2 sin(3x)",
    "ln(x) + log_2(x)", "|x| - 1", "pi x - e", "x^x", "tan(x) - x", "asin(x)", "acos(x) - 1", "atanh(x)",
    "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30", "sinh x + atan x", "2^x", "x^(-2)", "x^(3/2)",
    "sec(x) - cot(x) + csc x", "e^(-x^2/2) cos(3x)", "1/(x - 1)", "x ln x - 1", "sin(x)/x", "sech(x)", "5",
]
POINTS = [mpmath.mpf(n) / 7 for n in range(-30, 31)]


def _outcome(function, point):  # type: ignore[no-untyped-def]
    try:
        return [complex(v) if isinstance(v, mpmath.mpc) else mpmath.mpf(v) for v in function(point)]
    except (ZeroDivisionError, ValueError, OverflowError) as error:
        return type(error).__name__


@pytest.mark.parametrize("text", COURSE_FUNCTIONS)
def test_values_and_failures_are_lambdifys(text: str) -> None:
    expr = parse(text)
    exprs = numeric.realise([expr, sympy.diff(expr, x)])
    reference = sympy.lambdify(x, exprs, numeric.MPMATH)
    fast = mpmath_function(x, exprs, numeric.MPMATH)
    with mpmath.workdps(30):
        for point in POINTS:
            expected, got = _outcome(reference, point), _outcome(fast, point)
            if isinstance(expected, str) or isinstance(got, str):
                assert got == expected, (text, point)
                continue
            for want, have in zip(expected, got, strict=True):  # the same operations in the same order
                if isinstance(want, complex) or isinstance(have, complex):
                    assert complex(have) == complex(want), (text, point)
                elif mpmath.isnan(want):
                    assert mpmath.isnan(have), (text, point)
                else:
                    assert have == want, (text, point)


def test_a_pole_in_a_quotient_is_a_division_by_zero_as_in_lambdify() -> None:
    # d/dx x^(1/3) = (1/3)/|x|^(2/3): at 0 lambdify's code divides by zero; 0^(-2/3) would be inf
    exprs = numeric.realise([sympy.diff(x ** sympy.Rational(1, 3), x)])
    with mpmath.workdps(30), pytest.raises(ZeroDivisionError):
        mpmath_function(x, exprs, numeric.MPMATH)(mpmath.mpf(0))


def test_a_function_without_a_closure_is_evaluated_by_lambdify() -> None:
    exprs = [sympy.floor(x) + sympy.gamma(x)]
    with mpmath.workdps(30):
        value = mpmath_function(x, exprs, numeric.MPMATH)(mpmath.mpf("2.5"))[0]
    assert float(value) == pytest.approx(2 + math.gamma(2.5), rel=1e-14)


def test_newton_still_names_the_undefined_derivative_at_a_cusp() -> None:
    with pytest.raises(Undefined, match=r"f'\(x_0\) is undefined at x_0 = 0"):
        newton_raphson(x ** sympy.Rational(1, 3) - 1, x, sympy.Integer(0))
