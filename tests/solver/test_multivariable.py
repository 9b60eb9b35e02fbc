"""Partials, gradient, Jacobian, Hessian and chain rule, checked against sympy.diff, SymPy's own
Matrix.jacobian / hessian, numpy eigenvalues and finite differences."""

from __future__ import annotations

import numpy
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument, Undefined
from bot.solver.multivariable import (
    chain_rule,
    gradient,
    gradient_at,
    hessian,
    hessian_at,
    jacobian,
    jacobian_at,
    partial_derivative,
)
from bot.solver.point_values import evaluate, point_map, value_at
from bot.solver.variables import symbol

x, y, z, t, s = (symbol(name) for name in "xyzts")


def finite_difference(expr: sympy.Expr, var: sympy.Symbol, at: dict[sympy.Symbol, float], h: float = 1e-6) -> float:
    """Central difference, evaluated by SymPy at 30 digits so the quotient does not cancel away."""
    plus = {**at, var: at[var] + h}
    minus = {**at, var: at[var] - h}
    high = {k: sympy.Float(v, 30) for k, v in plus.items()}
    low = {k: sympy.Float(v, 30) for k, v in minus.items()}
    return float((sympy.N(expr.xreplace(high), 30) - sympy.N(expr.xreplace(low), 30)) / (2 * h))


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(a - b) == 0


# --- partial derivatives ---------------------------------------------------------------------------


def test_partial_matches_sympy_diff_holding_the_other_variable_constant():
    f = x**2 * sympy.sin(y) + sympy.exp(x * y)
    assert same(partial_derivative(f, [x]).result, sympy.diff(f, x))


def test_mixed_partial_records_each_stage_in_the_order_given():
    f = x**3 * y**2 + sympy.cos(x * y)
    result = partial_derivative(f, [x, y])
    assert same(result.stages[0], sympy.diff(f, x))
    assert same(result.stages[1], sympy.diff(f, x, y))


def test_partial_by_an_absent_variable_is_zero():
    assert partial_derivative(x**2 + y, [z]).result == 0


def test_partial_without_variables_is_refused():
    with pytest.raises(BadArgument):
        partial_derivative(x**2, [])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=4, max_size=4),
    st.lists(st.integers(0, 4), min_size=4, max_size=4),
)
def test_partial_of_random_polynomials_matches_finite_differences(coefficients, powers):
    f = sum(
        (c * x**p * y ** (4 - p) for c, p in zip(coefficients, powers, strict=True)), sympy.Integer(0)
    ) + sympy.sin(x)
    derivative = partial_derivative(f, [x]).result
    at = {x: 0.7, y: -1.3}
    exact = float(derivative.xreplace({k: sympy.Float(v) for k, v in at.items()}))
    assert exact == pytest.approx(finite_difference(f, x, at), rel=1e-6, abs=1e-6)


# --- gradient --------------------------------------------------------------------------------------


def test_gradient_is_the_column_of_partials():
    f = x**2 * y
    grad = gradient(f, [x, y])
    assert grad.vector.shape == (2, 1)
    assert same(grad.vector[0], sympy.diff(f, x))
    assert same(grad.vector[1], sympy.diff(f, y))


def test_gradient_follows_the_given_variable_order():
    grad = gradient(x**2 * y, [y, x])
    assert same(grad.vector[0], x**2)


def test_gradient_at_a_point_matches_finite_differences_and_numpy_norm():
    f = sympy.exp(x) * sympy.sin(y) + x * y**2
    at = gradient_at(gradient(f, [x, y]), (sympy.Integer(1), sympy.Rational(1, 2)))
    numeric_point = {x: 1.0, y: 0.5}
    expected = [finite_difference(f, x, numeric_point), finite_difference(f, y, numeric_point)]
    assert [float(c) for c in at.vector] == pytest.approx(expected, rel=1e-7)
    assert float(at.magnitude) == pytest.approx(numpy.linalg.norm(expected), rel=1e-7)


def test_gradient_at_accepts_python_ints():
    at = gradient_at(gradient(x**2 * y, [x, y]), (1, 2))
    assert list(at.vector) == [4, 1]


def test_gradient_of_a_constant_without_variables_is_refused():
    with pytest.raises(BadArgument):
        gradient(sympy.Integer(5), [])


def test_gradient_where_f_divides_by_zero_is_undefined():
    with pytest.raises(Undefined, match="division by zero"):
        gradient_at(gradient(1 / (x - 1), [x]), (1,))


def test_gradient_where_f_is_not_real_is_undefined():
    with pytest.raises(Undefined, match="square root of a negative number"):
        gradient_at(gradient(sympy.sqrt(x) + y, [x, y]), (-1, 0))


def test_gradient_of_abs_at_its_corner_is_undefined():
    with pytest.raises(Undefined, match="not differentiable"):
        gradient_at(gradient(sympy.Abs(x) + y**2, [x, y]), (0, 1))


def test_gradient_of_x_abs_x_at_zero_exists_and_is_zero():
    at = gradient_at(gradient(x * sympy.Abs(x), [x]), (0,))
    assert at.vector[0] == 0
    assert finite_difference(x * sympy.Abs(x), x, {x: 0.0}) == pytest.approx(0.0, abs=1e-5)


def test_point_with_wrong_number_of_coordinates_is_a_bad_argument():
    with pytest.raises(BadArgument, match="2 coordinate"):
        gradient_at(gradient(x**2 * y * z, [x, y, z]), (1, 2))


def test_point_with_a_symbol_is_a_bad_argument():
    with pytest.raises(BadArgument, match="numbers"):
        point_map([x], (y,))


# --- values at a point -----------------------------------------------------------------------------


def test_value_at_names_log_of_zero():
    with pytest.raises(Undefined, match="log of 0"):
        value_at(sympy.log(x), {x: sympy.Integer(0)}, "f")


def test_value_at_names_log_of_a_negative_number():
    with pytest.raises(Undefined, match="log of a negative number"):
        value_at(sympy.log(x), {x: sympy.Integer(-2)}, "f")


def test_value_at_reports_zero_over_zero_as_indeterminate():
    value, reason = evaluate(sympy.sin(x) / x, {x: sympy.Integer(0)})
    assert value is None and reason is not None and "0/0" in reason


def test_value_at_refuses_a_floor_jump():
    value, reason = evaluate(sympy.floor(x), {x: sympy.Integer(2)})
    assert value is None and reason is not None and "jumps" in reason


def test_value_at_symbol_free_point_is_exact():
    assert value_at(sympy.sin(x), {x: sympy.pi / 6}, "f") == sympy.Rational(1, 2)


# --- Jacobian --------------------------------------------------------------------------------------


def test_jacobian_matches_sympy_matrix_jacobian():
    functions = [x**2 * y, sympy.exp(x) * sympy.sin(y), x + y * z]
    result = jacobian(functions, [x, y, z])
    expected = sympy.Matrix(functions).jacobian([x, y, z])
    assert (result.matrix - expected).applyfunc(sympy.simplify) == sympy.zeros(3, 3)


def test_jacobian_of_one_function_is_a_row_of_partials():
    result = jacobian([x**2 * y], [x, y])
    assert result.matrix.shape == (1, 2)
    assert same(result.matrix[0, 1], x**2)


def test_jacobian_at_a_point_matches_substituted_reference():
    functions = [x**2 * y, sympy.exp(x) * sympy.sin(y)]
    value = jacobian_at(jacobian(functions, [x, y]), (1, 2))
    expected = sympy.Matrix(functions).jacobian([x, y]).subs({x: 1, y: 2})
    assert (value - expected).applyfunc(sympy.simplify) == sympy.zeros(2, 2)


def test_jacobian_at_a_point_where_a_function_is_undefined_is_refused():
    with pytest.raises(Undefined, match="f2"):
        jacobian_at(jacobian([x, 1 / y], [x, y]), (1, 0))


# --- Hessian ---------------------------------------------------------------------------------------


def test_hessian_matches_sympy_hessian_and_is_symmetric():
    f = x**3 * y + sympy.sin(x * y) + y**2 * z
    result = hessian(f, [x, y, z])
    expected = sympy.hessian(f, (x, y, z))
    assert (result.matrix - expected).applyfunc(sympy.simplify) == sympy.zeros(3, 3)
    assert result.symmetric


def test_hessian_at_a_minimum_is_positive_definite():
    analysis = hessian_at(hessian(x**3 - 3 * x + y**2, [x, y]), (1, 0))
    assert analysis.stationary
    assert analysis.definiteness == "positive definite"
    assert analysis.classification == "local minimum"


def test_hessian_at_a_maximum_is_negative_definite():
    analysis = hessian_at(hessian(-(x**2) - x * y - y**2, [x, y]), (0, 0))
    assert analysis.classification == "local maximum"


def test_hessian_at_a_saddle_is_indefinite():
    analysis = hessian_at(hessian(x**2 - y**2, [x, y]), (0, 0))
    assert analysis.definiteness == "indefinite"
    assert analysis.classification == "saddle point"
    assert analysis.determinant == -4


def test_hessian_test_is_inconclusive_with_a_zero_eigenvalue():
    analysis = hessian_at(hessian(x**4 + y**2, [x, y]), (0, 0))
    assert analysis.definiteness == "positive semidefinite"
    assert analysis.classification == "inconclusive"


def test_hessian_away_from_a_stationary_point_gives_no_verdict():
    analysis = hessian_at(hessian(x**3 - 3 * x + y**2, [x, y]), (1, 2))
    assert analysis.stationary is False
    assert analysis.classification is None
    assert list(analysis.gradient) == [0, 4]


def test_hessian_eigenvalues_match_numpy():
    f = x**2 + sympy.Rational(1, 3) * x * y + y**2 + y * z + z**2 + x * z
    analysis = hessian_at(hessian(f, [x, y, z]), (0, 0, 0))
    reference = numpy.linalg.eigvalsh(numpy.array(sympy.hessian(f, (x, y, z)), dtype=float))
    assert sorted(float(v) for v in analysis.eigenvalues) == pytest.approx(sorted(reference))
    assert float(analysis.determinant) == pytest.approx(numpy.prod(reference))


def test_hessian_with_irrational_entries_falls_back_to_decimal_eigenvalues_that_match_numpy():
    f = sympy.exp(x + y) * sympy.cos(z) + x * y * z + sympy.sin(x * z)
    analysis = hessian_at(hessian(f, [x, y, z]), (1, 2, 3))
    numeric = numpy.array(sympy.hessian(f, (x, y, z)).subs({x: 1, y: 2, z: 3}).evalf(), dtype=float)
    reference = numpy.linalg.eigvalsh(numeric)
    assert sorted(float(v) for v in analysis.eigenvalues) == pytest.approx(sorted(reference), rel=1e-9)


# --- chain rule ------------------------------------------------------------------------------------


def test_chain_rule_matches_differentiating_the_composite():
    f = x**2 * y
    rule = chain_rule(f, {x: sympy.cos(t), y: sympy.sin(t)}, t)
    expected = sympy.diff(sympy.cos(t) ** 2 * sympy.sin(t), t)
    assert same(rule.result, expected)
    assert rule.agrees and rule.total


def test_chain_rule_has_one_term_per_inner_function():
    rule = chain_rule(x * y + z, {x: t**2, y: sympy.exp(t), z: t}, t)
    assert [term.variable for term in rule.terms] == [x, y, z]
    assert same(rule.terms[0].product, sympy.exp(t) * 2 * t)


def test_chain_rule_adds_the_direct_term_when_f_contains_t():
    rule = chain_rule(x * y + t**2, {x: sympy.cos(t), y: sympy.sin(t)}, t)
    assert rule.terms[-1].variable == t
    expected = sympy.diff(sympy.cos(t) * sympy.sin(t) + t**2, t)
    assert same(rule.result, expected)


def test_chain_rule_with_another_parameter_is_a_partial_derivative():
    rule = chain_rule(x**2 + y, {x: s * t, y: s + t}, t)
    assert not rule.total
    assert same(rule.result, sympy.diff((s * t) ** 2 + s + t, t))


def test_chain_rule_rejects_substituting_the_parameter():
    with pytest.raises(BadArgument):
        chain_rule(x * t, {t: x}, t)


def test_chain_rule_rejects_nested_substitutions():
    with pytest.raises(BadArgument, match="itself being substituted"):
        chain_rule(x * y, {x: y + t, y: t}, t)


def test_chain_rule_rejects_substitutions_f_does_not_use():
    with pytest.raises(BadArgument, match="does not contain"):
        chain_rule(x**2, {y: t}, t)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(-3, 3))
def test_chain_rule_agrees_with_the_composite_for_polynomial_paths(p, q, c):
    f = x**p * y + c * y**q
    path = {x: t**2 + 1, y: c * t + sympy.sin(t)}
    rule = chain_rule(f, path, t)
    composite = f.xreplace(path)
    at = {t: sympy.Float(0.6, 30)}
    assert float(rule.result.xreplace(at)) == pytest.approx(finite_difference(composite, t, {t: 0.6}), rel=1e-6, abs=1e-8)
