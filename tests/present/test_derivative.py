"""The /derive and /slope jobs, from the learner's text to the Answer, checked independently."""

from __future__ import annotations

import pickle
import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import AmbiguousVariable, BadArgument, ParseError, Undefined
from bot.present.derivative import SLOPE_STEPS, derive, slope
from bot.solver.parser import parse
from bot.solver.variables import symbol

x, y, t = symbol("x"), symbol("y"), symbol("t")


def assert_same(result: str | None, expected: sympy.Expr) -> None:
    assert result is not None
    difference = parse(result) - expected
    # sympy.diff writes sign(u); calcbot writes u/|u| as learners do (the same wherever u ≠ 0)
    assert sympy.simplify(difference.replace(sympy.sign, lambda u: u / sympy.Abs(u))) == 0


# --- /derive ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2 sin x", x**2 * sympy.sin(x)),
        ("sin(x^2)", sympy.sin(x**2)),
        ("sin(x)/x", sympy.sin(x) / x),
        ("e^(2t)", sympy.exp(2 * t)),
        ("sigmoid(x)", 1 / (1 + sympy.exp(-x))),
        ("log_2 x", sympy.log(x) / sympy.log(2)),
        ("x^x", x**x),
        ("|x^2 - 1|", sympy.Abs(x**2 - 1)),
        ("sqrt(1 - x^2)", sympy.sqrt(1 - x**2)),
        ("arctan(x/2)", sympy.atan(x / 2)),
    ],
)
def test_derive_result_reparses_to_sympys_derivative(text: str, expected: sympy.Expr) -> None:
    (var,) = expected.free_symbols
    assert_same(derive(text).result, sympy.diff(expected, var))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("x^2 sin x", "product rule"),
        ("sin(x^2)", "chain rule"),
        ("sin(x)/x", "quotient rule"),
        ("3x^2", "constant multiple rule"),
        ("x^5", "power rule"),
        ("2^x", "exponential rule"),
        ("ln(x)", "logarithm rule"),
        ("x^x", "logarithmic differentiation"),
        ("|x|", "absolute value rule"),
    ],
)
def test_derive_names_the_rule_it_uses(text: str, rule: str) -> None:
    assert rule in derive(text).text.lower()


def test_derive_first_says_how_the_input_was_read() -> None:
    first_line = derive("x^2 sin x").text.splitlines()[0]
    assert first_line == "I read this as: `x^2*sin(x)`"


def test_derive_numbers_each_step_and_shows_it_as_an_equation() -> None:
    text = derive("x^2 sin x").text
    assert re.search(r"\*\*1\. product rule\*\*", text)
    assert "`d/dx(x^2*sin(x)) = " in text
    assert "`d/dx(x^2) = 2*x`" in text


def test_derive_ends_with_the_simplified_result() -> None:
    answer = derive("x^2 sin x")
    assert answer.text.splitlines()[-1].startswith("**Result**")
    assert answer.result == "x**2*cos(x) + 2*x*sin(x)"


def test_derive_latex_states_the_whole_derivative() -> None:
    latex = derive("x^2 sin x").latex
    assert latex is not None
    assert latex.startswith(r"\frac{d}{dx}\left(x^{2} \sin{\left(x \right)}\right) = ")


def test_derive_second_order_matches_sympy_and_is_condensed() -> None:
    answer = derive("x^2 sin x", order=2)
    assert_same(answer.result, sympy.diff(x**2 * sympy.sin(x), x, 2))
    assert "**First derivative**" in answer.text
    assert "**Second derivative**" in answer.text
    assert answer.latex is not None and answer.latex.startswith(r"\frac{d^{2}}{dx^{2}}")


def test_derive_tenth_order_is_allowed() -> None:
    assert_same(derive("x^10", order=10).result, sympy.factorial(10))


@pytest.mark.parametrize("order", [0, 11, -2])
def test_derive_rejects_an_order_out_of_range(order: int) -> None:
    with pytest.raises(BadArgument):
        derive("x^2", order=order)


def test_derive_asks_which_variable_when_there_is_no_x() -> None:
    with pytest.raises(AmbiguousVariable):
        derive("a^2 b")


def test_derive_with_respect_to_a_named_variable_is_partial() -> None:
    answer = derive("x^3 y^2", wrt="y")
    assert_same(answer.result, 2 * x**3 * y)
    assert "x is held constant" in answer.text
    assert answer.latex is not None and answer.latex.startswith(r"\frac{\partial}{\partial y}")


@pytest.mark.parametrize("wrt", ["2x", "pi", "sin", "x y"])
def test_derive_rejects_a_wrt_that_is_not_a_variable_name(wrt: str) -> None:
    with pytest.raises(BadArgument):
        derive("x^2", wrt=wrt)


def test_derive_wrt_a_variable_not_in_the_expression_is_zero_and_says_why() -> None:
    answer = derive("x^2", wrt="t")
    assert answer.result == "0"
    assert "t does not appear" in answer.text


def test_derive_passes_parse_errors_through() -> None:
    with pytest.raises(ParseError):
        derive("sin(")


def test_derive_says_when_steps_are_omitted() -> None:
    text = " + ".join(f"x^{k} sin({k}x)" for k in range(1, 12))
    answer = derive(text)
    assert "further steps omitted" in answer.text
    expected = sympy.Add(*(x**k * sympy.sin(k * x) for k in range(1, 12)))
    assert_same(answer.result, sympy.diff(expected, x))


def test_derive_answer_survives_pickling_for_the_worker_pool() -> None:
    answer = derive("x^2 sin x")
    assert pickle.loads(pickle.dumps(answer)) == answer


# --- /slope -----------------------------------------------------------------------------------


def table_rows(text: str) -> list[list[str]]:
    """The data rows of the Markdown table in the answer."""
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_slope_result_is_the_exact_derivative_at_the_point() -> None:
    assert slope("x^2", "3").result == "6"


def test_slope_result_is_exact_for_an_irrational_slope() -> None:
    assert_same(slope("sin x", "pi/4").result, sympy.sqrt(2) / 2)


def test_slope_states_the_limit_definition() -> None:
    assert "f'(a) = lim_{h→0} (f(a+h) − f(a))/h" in slope("x^2", "3").text


def test_slope_table_has_a_row_per_step_size() -> None:
    rows = table_rows(slope("x^3", "2").text)
    assert [float(row[0]) for row in rows] == [1 / n for n in SLOPE_STEPS]


def test_slope_forward_quotients_converge_to_the_derivative() -> None:
    rows = table_rows(slope("x^3", "2").text)
    errors = [abs(float(row[2]) - 12) for row in rows]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 1e-2


def test_slope_forward_quotients_are_rise_over_run() -> None:
    for row in table_rows(slope("x^3", "2").text):
        h = float(row[0])
        assert float(row[2]) == pytest.approx(((2 + h) ** 3 - 8) / h, rel=1e-9)


def test_slope_symmetric_quotients_converge_faster() -> None:
    rows = table_rows(slope("e^x", "1").text)
    assert abs(float(rows[-1][3]) - sympy.E) < abs(float(rows[-1][2]) - sympy.E)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=4),
    st.integers(-4, 4),
)
def test_slope_of_a_polynomial_is_its_derivative_at_the_point(
    coefficients: list[int], at: int
) -> None:
    poly = sympy.Add(*(c * x**k for k, c in enumerate(coefficients)))
    text = " + ".join(f"({c})x^{k}" for k, c in enumerate(coefficients))
    assert_same(slope(text, str(at)).result, sympy.diff(poly, x).subs(x, at))


def test_slope_where_f_is_undefined_is_undefined() -> None:
    with pytest.raises(Undefined):
        slope("1/x", "0")


def test_slope_where_f_is_not_real_says_so() -> None:
    with pytest.raises(Undefined, match="not a real number"):
        slope("ln x", "-1")


def test_slope_at_a_corner_is_undefined_with_both_one_sided_slopes() -> None:
    with pytest.raises(Undefined, match="corner") as raised:
        slope("|x|", "0")
    assert "-1" in raised.value.message and "1" in raised.value.message


def test_slope_at_the_edge_of_the_domain_is_undefined() -> None:
    with pytest.raises(Undefined):
        slope("sqrt x", "0")


def test_slope_at_two_coordinates_is_a_bad_argument() -> None:
    with pytest.raises(BadArgument):
        slope("x^2", "1, 2")


def test_slope_of_a_function_of_two_variables_is_a_bad_argument() -> None:
    with pytest.raises(BadArgument):
        slope("x^2 y", "1")


def test_slope_asks_which_variable_when_there_is_no_x() -> None:
    with pytest.raises(AmbiguousVariable):
        slope("a b", "1")


def test_slope_latex_evaluates_the_derivative_at_the_point() -> None:
    latex = slope("x^2", "3").latex
    assert latex == r"\left.\frac{d}{dx}\left(x^{2}\right)\right|_{x = 3} = 6"


@pytest.mark.parametrize(("text", "at"), [
    ("ln x", "-1"), ("sqrt(x)", "-4"), ("1/x", "0"), ("ln(x - 2)", "1"), ("x^(1/2) + x", "-9"),
])
def test_a_derivative_where_f_is_undefined_is_refused_as_slope_refuses_it(text, at):
    f = parse(text)
    value = sympy.N(f.subs(x, sympy.Integer(at)))
    assert value.has(sympy.zoo, sympy.nan) or not value.is_real  # independent: f has no real value there
    with pytest.raises(Undefined):
        derive(text, at_text=at)
    with pytest.raises(Undefined):
        slope(text, at)


def test_a_derivative_where_f_is_defined_is_still_given():
    answer = derive("ln x", at_text="2")
    assert_same(answer.result, sympy.diff(sympy.log(x), x).subs(x, 2))
