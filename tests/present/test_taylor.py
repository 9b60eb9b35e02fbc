"""The /taylor job: real parser and solver; polynomials checked against sympy.series."""

from __future__ import annotations

import pytest
import sympy

from bot.errors import BadArgument, Undefined
from bot.present.taylor import join_terms, taylor
from bot.solver.parser import parse
from bot.solver.variables import symbol

x, y = symbol("x"), symbol("y")


def reparsed(result: str | None) -> sympy.Expr:
    assert result is not None
    return parse(result)


def test_maclaurin_series_by_default():
    answer = taylor("e^x")
    expected = sympy.series(sympy.exp(x), x, 0, 4).removeO()
    assert sympy.expand(reparsed(answer.result) - expected) == 0
    assert "Maclaurin" in answer.text


def test_taylor_about_a_symbolic_point_matches_sympy_series():
    answer = taylor("sin(x)", "pi/2", 4)
    expected = sympy.series(sympy.sin(x), x, sympy.pi / 2, 5).removeO()
    assert sympy.simplify(reparsed(answer.result) - expected) == 0


def test_text_shows_the_general_term_the_table_and_the_polynomial_in_powers_of_x_minus_a():
    text = taylor("e^x", "1", 3).text
    assert "f⁽ⁿ⁾(a)/n! · (x − a)ⁿ" in text
    assert "| n | f⁽ⁿ⁾(x) | f⁽ⁿ⁾(1) | f⁽ⁿ⁾(a)/n! | term |" in text
    assert "e*(x - 1)^2/2" in text  # kept in powers of (x − a), not expanded


def test_text_gives_the_lagrange_remainder_and_errors_near_the_point():
    text = taylor("e^x", order=2).text
    assert "Lagrange" in text and "ξ" in text
    assert "| 0.1 |" in text and "| 0.5 |" in text


def test_order_out_of_range_is_a_bad_argument():
    with pytest.raises(BadArgument):
        taylor("e^x", order=13)


def test_reciprocal_at_zero_is_undefined_and_suggests_another_point():
    with pytest.raises(Undefined, match="no Taylor series at 0.*try at 1"):
        taylor("1/x", "0")


def test_abs_at_zero_is_undefined():
    with pytest.raises(Undefined):
        taylor("abs(x)", "0", 2)


def test_two_variable_series_shows_jacobian_and_hessian_and_matches_the_epsilon_series():
    answer = taylor("e^x sin(y)", "(0, 0)", 2)
    eps = sympy.Dummy("eps")
    expected = sympy.series(sympy.exp(eps * x) * sympy.sin(eps * y), eps, 0, 3).removeO().subs(eps, 1)
    assert sympy.expand(reparsed(answer.result) - expected) == 0
    assert "J(a) = [ 0  1 ]" in answer.text
    assert "H(a) = [ 0  1 ]" in answer.text
    assert "½ Δxᵀ H(a) Δx" in answer.text


def test_two_variable_series_defaults_to_the_origin():
    answer = taylor("cos(x) cos(y)", order=2)
    assert sympy.expand(reparsed(answer.result) - (1 - x**2 / 2 - y**2 / 2)) == 0


def test_point_dimension_must_match_the_variables():
    with pytest.raises(BadArgument, match="coordinate"):
        taylor("x y", "1")


def test_join_terms_keeps_the_given_order_and_signs():
    assert join_terms([sympy.Integer(1), -x, x**2 / 2]) == "1 - x + x^2/2"
