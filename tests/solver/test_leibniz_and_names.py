"""Reading what students write (issue 23): Leibniz notation inside expressions, primes, names before
answers, points by name, and exact judging of numbers. Every expected value is computed here with
sympy.diff on objects built in the test, or with exact integers."""

from __future__ import annotations

import pytest
import sympy

from bot.errors import BadArgument, CalcbotError, ParseError
from bot.solver.equivalence import equivalent
from bot.solver.parser import parse, parse_equation, parse_point
from bot.solver.prefixes import derivative_name, is_no_answer, leading_derivative, strip_answer_name
from bot.solver.variables import symbol

x, y, t, theta = (symbol(name) for name in ("x", "y", "t", "theta"))
x1 = symbol("x_1")

FUNCTIONS = [  # (as typed, as built)
    ("x^2", x**2),
    ("e^(x^2)", sympy.exp(x**2)),
    ("sin(x^3)", sympy.sin(x**3)),
    ("x^2 sin x", x**2 * sympy.sin(x)),
    ("ln(x^2 + 1)", sympy.log(x**2 + 1)),
    ("sqrt(1 + x^2)", sympy.sqrt(1 + x**2)),
    ("x e^(-x)", x * sympy.exp(-x)),
    ("tan(2x)", sympy.tan(2 * x)),
]


def _same(read: sympy.Expr, expected: sympy.Expr) -> bool:
    return sympy.simplify(read - expected) == 0


@pytest.mark.parametrize(("typed", "built"), FUNCTIONS)
def test_d_dx_with_a_bracket_is_the_derivative(typed, built):
    assert _same(parse(f"d/dx({typed})"), sympy.diff(built, x))


@pytest.mark.parametrize(("typed", "built"), FUNCTIONS)
def test_d_dx_without_a_bracket_takes_the_product_after_it(typed, built):
    assert _same(parse(f"d/dx {typed}"), sympy.diff(built, x))


@pytest.mark.parametrize("operator", ["d^2/dx^2", "d²/dx²", "d2/dx2", "d²y/dx²", "d^{2}/dx^{2}", "d^2 y/dx^2"])
@pytest.mark.parametrize(("typed", "built"), FUNCTIONS[:5])
def test_second_derivatives_in_every_spelling(operator, typed, built):
    assert _same(parse(f"{operator} ({typed})"), sympy.diff(built, x, 2))


@pytest.mark.parametrize(("typed", "order"), [("d^3/dx^3", 3), ("d³/dx³", 3), ("d4/dx4", 4)])
def test_higher_orders(typed, order):
    built = x**5 * sympy.cos(x)
    assert _same(parse(f"{typed} (x^5 cos x)"), sympy.diff(built, x, order))


@pytest.mark.parametrize(("typed", "expected"), [
    ("e^(x^2) · d/dx(x^2)", sympy.exp(x**2) * 2 * x),
    ("cos(x^3) * d/dx(x^3)", sympy.cos(x**3) * 3 * x**2),
    ("1/(x^2+1) d/dx(x^2 + 1)", 2 * x / (x**2 + 1)),
    ("d/dx(x^2) e^x", 2 * x * sympy.exp(x)),  # a bracket right after d/dx is its whole operand
    ("d/dx(x^2) + d/dx(x^3)", 2 * x + 3 * x**2),
    ("x^2 + d/dx x^3 - 1", x**2 + 3 * x**2 - 1),
])
def test_an_operator_inside_a_line_of_working(typed, expected):
    assert _same(parse(typed), expected)


@pytest.mark.parametrize(("typed", "expected"), [
    ("∂/∂y (x^2 y^3)", sympy.diff(x**2 * y**3, y)),
    ("∂/∂x (x^2 y^3)", sympy.diff(x**2 * y**3, x)),
    ("∂²/∂x∂y (x^2 y^3)", sympy.diff(x**2 * y**3, x, y)),
    ("∂^2/∂y^2 (x^2 y^3)", sympy.diff(x**2 * y**3, y, 2)),
    ("d^2/dxdy (x^2 y^2)", sympy.diff(x**2 * y**2, x, y)),
    ("∂f/∂x (e^(x y))", sympy.diff(sympy.exp(x * y), x)),
    ("d/dt e^(2t)", sympy.diff(sympy.exp(2 * t), t)),
    ("d/dθ sin θ", sympy.diff(sympy.sin(theta), theta)),
    ("d/dtheta sin(theta^2)", sympy.diff(sympy.sin(theta**2), theta)),
    ("d/dx₁ x₁^3", sympy.diff(x1**3, x1)),
    ("d/dx_1 x_1^3", sympy.diff(x1**3, x1)),
])
def test_partials_and_other_variables(typed, expected):
    assert _same(parse(typed), expected)


@pytest.mark.parametrize(("typed", "expected"), [
    ("(x^2)'", 2 * x),
    ("(x^3)''", 6 * x),
    ("(sin x)'", sympy.cos(x)),
    ("(e^(2t))'", 2 * sympy.exp(2 * t)),  # the bracket's only variable
    ("(x^2 y)'", 2 * x * y),  # x when x is there
])
def test_a_prime_after_a_bracket_differentiates_it(typed, expected):
    assert _same(parse(typed), expected)


@pytest.mark.parametrize("typed", ["f'(x)", "x'", "(y z)'", "dy/dx", "d/dx", "dy/dx + 1"])
def test_a_derivative_with_nothing_to_differentiate_is_a_clear_error(typed):
    with pytest.raises(ParseError) as caught:
        parse(typed)
    assert caught.value.hint


@pytest.mark.parametrize(("typed", "expected"), [
    ("d/2", symbol("d") / 2),
    ("d x", symbol("d") * x),
    ("a d", symbol("a") * symbol("d")),
    ("2d", 2 * symbol("d")),
])
def test_d_as_a_variable_still_reads_as_before(typed, expected):
    assert parse(typed) == expected


def test_a_claim_with_leibniz_notation_is_an_equation_of_derivatives():
    left, right = parse_equation("d/dx(x^2 sin x) = 2x sin x + x^2 cos x")
    assert equivalent(left, right).equivalent


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "value"), [
    ("x₁ = -1.45", "-1.45"), ("x2 = 3.320", "3.320"), ("λ = 0.5", "0.5"), ("lambda = 1/2", "1/2"),
    ("x_1 = 2", "2"), ("θ = pi/4", "pi/4"), ("f'(x) = 2x", "2x"), ("y'' = 6x", "6x"),
    ("dy/dx = 2x", "2x"), ("d²y/dx² = 6x", "6x"), ("∂f/∂x = 2xy", "2xy"), ("∂^2f/∂x^2 = 2y", "2y"),
    ("∂χ²/∂m = 40, ∂χ²/∂c = 8", "40, 8"), ("x = 1, y = 2", "1, 2"), ("(x, y) = (1, 2)", "(1, 2)"),
    ("m = -1.1, c = 3.9", "-1.1, 3.9"), ("∇f = (2, 4)", "(2, 4)"),
])
def test_named_answers_lose_their_names(typed, value):
    assert strip_answer_name(typed) == value


@pytest.mark.parametrize("typed", ["2x", "(1, 2)", "x^2 = 4", "2x, 3", "x = 1, 3"])
def test_answers_without_names_are_left_alone(typed):
    assert strip_answer_name(typed) == typed


def test_derivative_names_give_the_variable_and_order():
    assert derivative_name("∂f/∂y = 3y^2") is not None and derivative_name("∂f/∂y = 3y^2").variables == ("y",)
    named = derivative_name("f''(x) = 6x")
    assert named is not None and named.order == 2 and named.variables is None
    assert derivative_name("x = 2") is None


@pytest.mark.parametrize(("typed", "variables", "rest"), [
    ("d²/dx² x^3", ("x", "x"), "x^3"), ("d2/dx2 sin x", ("x", "x"), "sin x"),
    ("∂/∂y (x^2 y^3)", ("y",), "(x^2 y^3)"), ("d/dθ sin θ", ("theta",), "sin θ"),
])
def test_a_leading_operator_is_split_from_its_expression(typed, variables, rest):
    found = leading_derivative(typed)
    assert found is not None and found.variables == variables and found.rest == rest


@pytest.mark.parametrize("typed", ["I don't know", "i dont know", "idk", "No idea.", "not sure", "?"])
def test_a_learner_with_no_answer_is_recognised(typed):
    assert is_no_answer(typed)


@pytest.mark.parametrize("typed", ["2x", "x = 1", "know"])
def test_answers_are_not_taken_for_giving_up(typed):
    assert not is_no_answer(typed)


# --- points by name --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "point"), [
    ("x = 3", (3,)), ("x=3", (3,)), ("x = pi/2", (sympy.pi / 2,)), ("x=1, y=2", (1, 2)),
    ("y = 2, x = 1", (1, 2)), ("(x, y) = (1, 2)", (1, 2)), ("(x = 1, y = 2)", (1, 2)),
    ("x = 1, y = 2, z = -3", (1, 2, -3)), ("(1, 2)", (1, 2)), ("3", (3,)), ("= 2", (2,)),
])
def test_points_are_read_with_or_without_names(typed, point):
    assert parse_point(typed) == tuple(sympy.sympify(c) for c in point)


@pytest.mark.parametrize("typed", ["x = t", "x = 1, x = 2", "(x, y) = (1, 2, 3)", "x = oo"])
def test_a_named_point_must_be_numbers_once_each(typed):
    with pytest.raises(CalcbotError):
        parse_point(typed)


def test_a_point_with_a_symbol_says_which():
    with pytest.raises(BadArgument) as caught:
        parse_point("x = t")
    assert "t" in caught.value.message


# --- exact judging -----------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [2, 3, 10, 7])
@pytest.mark.parametrize("power", [20, 64, 100, 400])
def test_big_integers_that_differ_by_one_are_not_equal(base, power):
    big = sympy.Integer(base) ** power
    assert big + 1 != big  # the independent fact, in exact integers
    left, right = parse_equation(f"{base}^{power} = {base}^{power} + 1")
    verdict = equivalent(left, right)
    assert not verdict.equivalent and verdict.method == "symbolic"
    left, right = parse_equation(f"{base}^{power} + 1 - 1 = {base}^{power}")
    assert equivalent(left, right).equivalent


@pytest.mark.parametrize("claim", [
    "1/3^200 = 1/3^200 + 1/10^300", "10^400 x = 10^400 x + x", "x + 10^400 = x + 10^400 + 1",
    "e^100 = e^100 + 1", "pi + 10^-90 = pi",
])
def test_tiny_differences_are_seen(claim):
    left, right = parse_equation(claim)
    assert not equivalent(left, right).equivalent


@pytest.mark.parametrize(("typed", "expected"), [
    (r"\frac{d}{dx} x^2 \sin x", sympy.diff(x**2 * sympy.sin(x), x)),
    (r"\frac{d}{dx}\left(x^3\right)", sympy.diff(x**3, x)),
    (r"\frac{d^2}{dx^2} x^4", sympy.diff(x**4, x, 2)),
    (r"\frac{\partial}{\partial y} (x^2 y^3)", sympy.diff(x**2 * y**3, y)),
    (r"\frac{\partial^2}{\partial x \partial y} (x^2 y^3)", sympy.diff(x**2 * y**3, x, y)),
    (r"\dfrac{d}{dt} e^{2t}", sympy.diff(sympy.exp(2 * t), t)),
    (r"\frac{1}{2} x", x / 2),  # an ordinary fraction is still one
])
def test_leibniz_pasted_from_latex(typed, expected):
    assert _same(parse(typed), expected)
