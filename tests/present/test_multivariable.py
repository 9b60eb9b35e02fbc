"""The /partial, /grad, /jacobian, /hessian and /chain jobs: real parser, real solver, checked
against sympy.diff, Matrix.jacobian and sympy.hessian on expressions built here."""

from __future__ import annotations

import pickle

import pytest
import sympy

from bot.errors import BadArgument, Undefined
from bot.present.multivariable import chain, gradient, hessian, jacobian, partial
from bot.solver.parser import parse, parse_list
from bot.solver.variables import symbol

x, y, z, t = (symbol(name) for name in "xyzt")


def matrix_entries(result: str) -> list[list[sympy.Expr]]:
    """Re-read a ``Matrix([[…], […]])`` result row by row with our own parser."""
    assert result.startswith("Matrix([[") and result.endswith("]])"), result
    rows = result[len("Matrix([") : -len("])")]
    return [parse_list("[" + row.strip("[] ") + "]") for row in rows.split("], [")]


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(a - b) == 0


# --- /partial ----------------------------------------------------------------------------------


def test_partial_result_reparses_to_the_derivative():
    answer = partial("x^2 y^3", "x")
    assert answer.result is not None
    assert same(parse(answer.result), 2 * x * y**3)


def test_partial_says_to_treat_the_other_variable_as_constant():
    answer = partial("x^2 y^3", "x")
    assert "treat y as a constant" in answer.text


def test_partial_names_the_rules_used():
    assert "power rule" in partial("x^2 y^3", "x").text


def test_mixed_partial_differentiates_by_each_variable_in_turn():
    answer = partial("x^3 y^2 + sin(x y)", "x,y")
    expected = sympy.diff(x**3 * y**2 + sympy.sin(x * y), x, y)
    assert same(parse(answer.result or ""), expected)
    assert "∂²f/∂y∂x" in answer.text
    assert "same result" in answer.text


def test_repeated_variable_gives_the_second_partial():
    answer = partial("x^3 y", "x,x")
    assert same(parse(answer.result or ""), 6 * x * y)
    assert "∂²f/∂x²" in answer.text


def test_partial_order_repeats_the_variable():
    answer = partial("x^2 y^3", "y", order=2)
    assert same(parse(answer.result or ""), 6 * x**2 * y)


def test_partial_with_both_several_variables_and_an_order_is_refused():
    with pytest.raises(BadArgument):
        partial("x y", "x,y", order=2)


def test_partial_by_an_absent_variable_is_zero_and_says_why():
    answer = partial("x^2", "y")
    assert answer.result == "0"
    assert "there is no y" in answer.text


# --- /grad -------------------------------------------------------------------------------------


def test_gradient_result_is_the_symbolic_column():
    answer = gradient("x^2 y")
    entries = matrix_entries(answer.result or "")
    assert same(entries[0][0], 2 * x * y) and same(entries[1][0], x**2)


def test_gradient_text_lists_each_partial():
    text = gradient("x^2 y").text
    assert "∂f/∂x = `2*x*y`" in text
    assert "∂f/∂y = `x^2`" in text


def test_gradient_at_a_point_gives_exact_values_magnitude_and_direction():
    answer = gradient("x^2 y", "(1, 2)")
    assert matrix_entries(answer.result or "") == [[4], [1]]
    assert "sqrt(17)" in answer.text and "4.1231056" in answer.text
    assert "steepest ascent" in answer.text
    assert "−∇f = (-4, -1)" in answer.text


def test_gradient_at_a_stationary_point_says_so():
    assert "stationary point" in gradient("x^2 + y^2", "(0, 0)").text


def test_gradient_follows_the_vars_order():
    answer = gradient("x^2 y", vars_text="y,x")
    entries = matrix_entries(answer.result or "")
    assert same(entries[0][0], x**2)


def test_gradient_with_a_constant_kept_symbolic():
    answer = gradient("a x^2 + y", "(1, 1)", vars_text="x,y")
    entries = matrix_entries(answer.result or "")
    assert same(entries[0][0], 2 * symbol("a"))
    assert "a is a constant" in answer.text


def test_gradient_where_f_is_undefined_is_an_undefined_error():
    with pytest.raises(Undefined, match="division by zero"):
        gradient("1/(x - 1) + y", "(1, 0)")


def test_gradient_with_a_point_of_the_wrong_size_is_a_bad_argument():
    with pytest.raises(BadArgument, match="coordinate"):
        gradient("x^2 y", "(1, 2, 3)")


def test_answers_survive_the_worker_boundary():
    answer = gradient("x^2 y", "(1, 2)")
    assert pickle.loads(pickle.dumps(answer)) == answer


# --- /jacobian ---------------------------------------------------------------------------------


def test_jacobian_matches_sympy_matrix_jacobian():
    answer = jacobian("[x^2 y, e^x sin(y)]")
    expected = sympy.Matrix([x**2 * y, sympy.exp(x) * sympy.sin(y)]).jacobian([x, y])
    entries = matrix_entries(answer.result or "")
    assert all(same(entries[i][j], expected[i, j]) for i in range(2) for j in range(2))


def test_jacobian_of_one_function_is_the_row_of_partials():
    answer = jacobian("x^2 y")
    entries = matrix_entries(answer.result or "")
    assert len(entries) == 1 and len(entries[0]) == 2
    assert "row vector" in answer.text


def test_jacobian_at_a_point_is_exact():
    answer = jacobian("[x^2 y, x + y]", "(1, 2)")
    assert matrix_entries(answer.result or "") == [[4, 1], [1, 1]]
    assert "det J(1, 2)" in answer.text


def test_jacobian_shows_each_entry_by_row():
    text = jacobian("[x^2 y, x + y]").text
    assert "Row 1 (f1): ∂f1/∂x = `2*x*y`" in text
    assert "Row 2 (f2)" in text


# --- /hessian ----------------------------------------------------------------------------------


def test_hessian_matches_sympy_hessian():
    f = x**3 * y + sympy.sin(x * y)
    answer = hessian("x^3 y + sin(x y)")
    expected = sympy.hessian(f, (x, y))
    entries = matrix_entries(answer.result or "")
    assert all(same(entries[i][j], expected[i, j]) for i in range(2) for j in range(2))
    assert "symmetric" in answer.text


def test_hessian_classifies_a_saddle():
    answer = hessian("x^2 - y^2", "(0, 0)")
    assert matrix_entries(answer.result or "") == [[2, 0], [0, -2]]
    assert "det H = `-4`" in answer.text
    assert "indefinite" in answer.text and "saddle point" in answer.text


def test_hessian_classifies_a_minimum():
    answer = hessian("x^3 - 3x + y^2", "(1, 0)")
    assert "positive definite" in answer.text and "local minimum" in answer.text


def test_hessian_away_from_a_stationary_point_gives_no_verdict():
    answer = hessian("x^3 - 3x + y^2", "(1, 2)")
    assert "not a stationary point" in answer.text
    assert "local minimum" not in answer.text


def test_hessian_reports_an_inconclusive_test():
    assert "inconclusive" in hessian("x^4 + y^4", "(0, 0)").text


# --- /chain ------------------------------------------------------------------------------------


def test_chain_result_matches_differentiating_the_composite():
    answer = chain("x^2 y", "x = cos t, y = sin t", "t")
    expected = sympy.diff(sympy.cos(t) ** 2 * sympy.sin(t), t)
    assert same(parse(answer.result or ""), expected)


def test_chain_shows_each_term_and_the_cross_check():
    text = chain("x^2 y", "x = cos t, y = sin t", "t").text
    assert "∂f/∂x·dx/dt + ∂f/∂y·dy/dt" in text
    assert "∂f/∂x = `2*x*y`, dx/dt = `-sin(t)`" in text
    assert "differentiating that directly" in text and "the same" in text


def test_chain_includes_f_own_dependence_on_t():
    answer = chain("x y + t^2", "x = cos t, y = sin t", "t")
    assert "∂f/∂t" in answer.text
    assert same(parse(answer.result or ""), sympy.cos(2 * t) + 2 * t)
