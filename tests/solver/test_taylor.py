"""Taylor polynomials, checked against sympy.series, sympy.diff and direct numeric evaluation."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument, TooComplex, Undefined
from bot.solver.taylor import MAX_ORDER, taylor_multivariate, taylor_series
from bot.solver.variables import symbol

x, y, z, w = (symbol(name) for name in "xyzw")
eps = sympy.Dummy("eps")


def series_reference(expr: sympy.Expr, a: sympy.Expr, order: int) -> sympy.Expr:
    """SymPy's own series about a, truncated after degree ``order``."""
    return sympy.series(expr, x, a, order + 1).removeO()


def assert_same_polynomial(actual: sympy.Expr, expected: sympy.Expr) -> None:
    assert sympy.expand(actual - expected) == 0 or sympy.simplify(actual - expected) == 0


@pytest.mark.parametrize(
    ("expr", "a", "order"),
    [
        (sympy.exp(x), sympy.Integer(0), 5),
        (sympy.sin(x), sympy.pi / 2, 4),
        (sympy.log(x), sympy.Integer(1), 4),
        (1 / (1 - x), sympy.Integer(0), 6),
        (sympy.cos(x), sympy.pi / 3, 3),
        (sympy.tan(x), sympy.Integer(0), 7),
        (sympy.sqrt(1 + x), sympy.Integer(0), 3),
    ],
)
def test_polynomial_matches_sympy_series(expr, a, order):
    result = taylor_series(expr, x, a, order)
    assert_same_polynomial(result.polynomial, series_reference(expr, a, order))


def test_coefficients_are_derivatives_over_factorials():
    expr = sympy.exp(2 * x) * sympy.cos(x)
    result = taylor_series(expr, x, 0, 4)
    for term in result.terms:
        expected = sympy.diff(expr, x, term.n).subs(x, 0) / sympy.factorial(term.n)
        assert sympy.simplify(term.coefficient - expected) == 0


def test_default_point_is_zero_maclaurin():
    result = taylor_series(sympy.exp(x), x)
    assert result.point == 0
    assert_same_polynomial(result.polynomial, 1 + x + x**2 / 2 + x**3 / 6)


def test_order_zero_is_the_value_at_the_point():
    assert taylor_series(sympy.cos(x), x, sympy.pi, 0).polynomial == -1


@pytest.mark.parametrize("order", [-1, MAX_ORDER + 1, 2.5])
def test_order_out_of_range_is_a_bad_argument(order):
    with pytest.raises(BadArgument, match="order"):
        taylor_series(sympy.exp(x), x, 0, order)


def test_reciprocal_at_zero_names_the_problem_and_suggests_a_point():
    with pytest.raises(Undefined) as caught:
        taylor_series(1 / x, x, 0, 3)
    message = caught.value.message
    assert "1/x has no Taylor series at 0" in message
    assert "f is undefined there" in message
    assert "try at 1" in message


def test_sqrt_at_zero_blames_the_first_derivative():
    with pytest.raises(Undefined, match="1st derivative"):
        taylor_series(sympy.sqrt(x), x, 0, 2)


def test_abs_at_zero_has_no_taylor_series():
    with pytest.raises(Undefined, match="not differentiable"):
        taylor_series(sympy.Abs(x), x, 0, 2)


def test_a_power_with_too_few_derivatives_fails_only_at_high_order():
    f = x ** sympy.Rational(5, 2)
    assert taylor_series(f, x, 0, 2).polynomial == 0
    with pytest.raises(Undefined, match="3rd derivative"):
        taylor_series(f, x, 0, 3)


def test_log_of_a_negative_point_is_not_real():
    with pytest.raises(Undefined, match="negative"):
        taylor_series(sympy.log(x), x, -1, 2)


def test_remainder_is_the_lagrange_form():
    result = taylor_series(sympy.sin(x), x, 0, 3)
    xi = next(s for s in result.remainder.free_symbols if s != x)
    expected = sympy.diff(sympy.sin(x), x, 4).subs(x, xi) / 24 * x**4
    assert sympy.simplify(result.remainder - expected) == 0


def test_error_samples_match_direct_evaluation_and_respect_the_bound():
    result = taylor_series(sympy.exp(x), x, 0, 3)
    assert [float(sample.at[0]) for sample in result.samples] == [0.1, 0.5]
    for sample in result.samples:
        at = float(sample.at[0])
        polynomial = 1 + at + at**2 / 2 + at**3 / 6
        assert float(sample.exact) == pytest.approx(math.exp(at))
        assert float(sample.error) == pytest.approx(abs(math.exp(at) - polynomial), rel=1e-9)
        assert sample.bound is not None and float(sample.error) <= float(sample.bound)


def test_error_sample_outside_the_domain_is_skipped():
    result = taylor_series(sympy.sqrt(1 - x), x, sympy.Rational(3, 4), 2)
    assert [float(p[0]) for p in result.skipped_samples] == [1.25]
    assert len(result.samples) == 1


def test_point_can_be_a_symbol_free_expression():
    result = taylor_series(sympy.sin(x), x, sympy.pi / 6, 2)
    assert result.terms[0].derivative_at == sympy.Rational(1, 2)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=1, max_size=6), st.integers(-3, 3))
def test_taylor_polynomial_of_a_polynomial_is_itself(coefficients, a):
    f = sum((c * x**k for k, c in enumerate(coefficients)), sympy.Integer(0))
    result = taylor_series(f, x, a, len(coefficients) - 1)
    assert sympy.expand(result.polynomial - f) == 0


# --- several variables -----------------------------------------------------------------------------


def multivariate_reference(expr: sympy.Expr, variables, point, order: int) -> sympy.Expr:
    """Independent route: expand f(a + ε(x − a)) in ε and set ε = 1."""
    shifted = expr.subs({v: c + eps * (v - c) for v, c in zip(variables, point, strict=True)}, simultaneous=True)
    return sympy.series(shifted, eps, 0, order + 1).removeO().subs(eps, 1)


def test_two_variable_polynomial_matches_the_epsilon_series():
    f = sympy.exp(x) * sympy.sin(y)
    result = taylor_multivariate(f, [x, y], (0, 0), 3)
    assert_same_polynomial(result.polynomial, multivariate_reference(f, [x, y], (0, 0), 3))


def test_two_variable_polynomial_about_a_shifted_point_matches_the_epsilon_series():
    f = sympy.log(x + 2 * y)
    result = taylor_multivariate(f, [x, y], (1, 1), 2)
    assert_same_polynomial(result.polynomial, multivariate_reference(f, [x, y], (1, 1), 2))


def test_jacobian_and_hessian_at_the_point_match_sympy():
    f = x**2 * y + sympy.cos(x * y)
    result = taylor_multivariate(f, [x, y], (1, 2), 2)
    at = {x: 1, y: 2}
    expected_j = sympy.Matrix([f]).jacobian([x, y]).subs(at)
    expected_h = sympy.hessian(f, (x, y)).subs(at)
    assert result.jacobian is not None and result.hessian is not None
    assert (result.jacobian - expected_j).applyfunc(sympy.simplify) == sympy.zeros(1, 2)
    assert (result.hessian - expected_h).applyfunc(sympy.simplify) == sympy.zeros(2, 2)


def test_degree_two_part_is_half_the_hessian_quadratic_form():
    f = sympy.exp(x - y) + x * y**2
    result = taylor_multivariate(f, [x, y], (0, 1), 2)
    delta = sympy.Matrix([x, y - 1])
    quadratic = (delta.T * sympy.hessian(f, (x, y)).subs({x: 0, y: 1}) * delta)[0] / 2
    assert sympy.expand(result.degree_terms[2] - quadratic) == 0


def test_multivariate_error_shrinks_near_the_point():
    result = taylor_multivariate(sympy.exp(x) * sympy.cos(y), [x, y], (0, 0), 2)
    near, far = result.samples
    expected_near = abs(math.exp(0.1) * math.cos(0.1) - (1 + 0.1 + 0.01 / 2 - 0.01 / 2))
    assert float(near.error) == pytest.approx(expected_near, rel=1e-9)
    assert near.error < far.error


def test_multivariate_point_dimension_must_match():
    with pytest.raises(BadArgument, match="coordinate"):
        taylor_multivariate(x * y, [x, y], (1,), 2)


def test_multivariate_non_analytic_point_is_undefined_with_a_suggestion():
    with pytest.raises(Undefined, match="try at"):
        taylor_multivariate(sympy.sqrt(x * y), [x, y], (0, 1), 2)


def test_multivariate_too_many_terms_is_refused_before_computing():
    with pytest.raises(TooComplex):
        taylor_multivariate(x + y + z + w, [x, y, z, w], (0, 0, 0, 0), 12)
