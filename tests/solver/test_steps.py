"""The derivative step engine, checked against sympy.diff and against numeric values."""

from __future__ import annotations

import functools
import random

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument
from bot.solver.steps import (
    MAX_STEPS_PER_ORDER,
    RULES,
    Derivation,
    derive_with_steps,
    simplify_derivative,
)
from bot.solver.variables import symbol

x, y, u = symbol("x"), symbol("y"), symbol("u")
SAMPLE_POINTS = (0.37, 0.81, 1.23, 1.9, 2.6)


def numeric(expr: sympy.Expr, at: float) -> complex | None:
    """expr at x = at (y = 0.7; any placeholder = at), or None where it is not a finite real number."""
    values = {s: sympy.Float(at, 30) for s in expr.free_symbols} | {y: sympy.Rational(7, 10)}
    value = expr.evalf(30, subs=values)
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    if not value.is_real or abs(value) > 1e12:  # huge values compare badly in floating point
        return None
    return complex(value)


def assert_numerically_equal(actual: sympy.Expr, expected: sympy.Expr) -> None:
    compared = 0
    for at in SAMPLE_POINTS:
        a, e = numeric(actual, at), numeric(expected, at)
        if a is None or e is None:
            continue
        compared += 1
        assert abs(a - e) <= 1e-9 * (1 + abs(e)), (actual, expected, at)
    assert compared, f"no sample point where {expected} is real"


def assert_same_derivative(actual: sympy.Expr, expected: sympy.Expr) -> None:
    """Symbolically where simplify can prove it; otherwise (e.g. |u| forms of asec) numerically."""
    if sympy.simplify(actual - expected) != 0:
        assert_numerically_equal(actual, expected)


COURSE_EXPRESSIONS = [
    x**2 * sympy.sin(x),
    sympy.sin(x**2),
    sympy.sin(x) / x,
    3 * x**2,
    x**3 - 3 * x**2 + 2 * x - 7,
    x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + sympy.Rational(27, 2) * x**2 + 18 * x - 30,
    1 / x,
    x ** sympy.Rational(-3, 2),
    sympy.sqrt(x),
    sympy.cbrt(x),
    sympy.sqrt(1 - x**2),
    sympy.exp(x),
    sympy.exp(-(x**2) / 2) / sympy.sqrt(2 * sympy.pi),
    2**x,
    2 ** (x**2),
    sympy.log(x),
    sympy.log(x, 2),
    sympy.log(sympy.cos(x)),
    sympy.tan(x),
    sympy.cot(x),
    sympy.sec(x),
    sympy.csc(x),
    sympy.asin(x / 3),
    sympy.acos(x / 3),
    sympy.atan(x),
    sympy.acot(x),
    sympy.asec(x + 1),
    sympy.acsc(x + 1),
    sympy.sinh(x),
    sympy.cosh(x**2),
    sympy.tanh(x),
    sympy.coth(x),
    sympy.sech(x),
    sympy.csch(x),
    sympy.asinh(x),
    sympy.acosh(x + 1),
    sympy.atanh(x / 3),
    sympy.acoth(x + 3),
    sympy.asech(x / 3),
    sympy.acsch(x),
    sympy.Abs(x),
    sympy.Abs(x**2 - 1),
    x**x,
    sympy.sin(x) ** sympy.cos(x),
    1 / (1 + sympy.exp(-x)),
    x * sympy.exp(x) * sympy.cos(x),
    (x**2 + 1) ** 3 / (x - 1),
    sympy.exp(sympy.sin(x**2)),
    sympy.log(sympy.log(x + 2)),
    x**2 * y**3 + sympy.sin(x * y),
    sympy.erf(x),
    sympy.Max(x, x**2),
]


@functools.cache
def first_derivation(expr: sympy.Expr) -> Derivation:
    """Shared by the table tests below: derived once, checked several ways."""
    return derive_with_steps(expr, x)


@pytest.mark.parametrize("expr", COURSE_EXPRESSIONS, ids=str)
def test_result_agrees_with_sympy_diff(expr: sympy.Expr) -> None:
    derivation = first_derivation(expr)
    assert_same_derivative(derivation.result, sympy.diff(expr, x))


@pytest.mark.parametrize("expr", COURSE_EXPRESSIONS, ids=str)
def test_unsimplified_result_agrees_numerically_with_sympy_diff(expr: sympy.Expr) -> None:
    derivation = first_derivation(expr)
    assert_numerically_equal(derivation.unsimplified, sympy.diff(expr, x))


@pytest.mark.parametrize("expr", COURSE_EXPRESSIONS, ids=str)
def test_every_step_is_a_true_equation(expr: sympy.Expr) -> None:
    for step in first_derivation(expr).steps:
        # The chain rule's outer steps are in a placeholder u; numeric() sets it like x.
        assert_numerically_equal(step.after.doit(), step.before.doit())


@pytest.mark.parametrize("expr", COURSE_EXPRESSIONS, ids=str)
def test_every_step_names_a_known_rule_and_differentiates_an_unevaluated_derivative(
    expr: sympy.Expr,
) -> None:
    for step in first_derivation(expr).steps:
        assert step.rule in RULES
        assert isinstance(step.before, sympy.Derivative)
        assert step.note


def rules_of(derivation: Derivation) -> list[str]:
    return [step.rule for step in derivation.steps]


@pytest.mark.parametrize(
    ("expr", "expected_rules"),
    [
        (x**2 * sympy.sin(x), ["product", "power", "trig"]),
        (sympy.sin(x**2), ["chain", "trig", "power"]),
        (sympy.sin(x) / x, ["quotient", "trig", "variable"]),
        (3 * x**2, ["constant_multiple", "power"]),
        (x, ["variable"]),
        (sympy.pi, ["constant"]),
        (sympy.exp(x), ["exponential"]),
        (2**x, ["exponential"]),
        (sympy.log(x), ["logarithm"]),
        (sympy.Abs(x), ["absolute_value"]),
        (sympy.atan(x), ["inverse_trig"]),
        (sympy.cosh(x), ["hyperbolic"]),
        (sympy.asinh(x), ["inverse_hyperbolic"]),
        (sympy.sqrt(x), ["power"]),
        (x**x, ["general_power", "product", "variable", "logarithm"]),
        (sympy.erf(x), ["other"]),
    ],
    ids=str,
)
def test_rules_are_named_in_the_order_a_student_applies_them(
    expr: sympy.Expr, expected_rules: list[str]
) -> None:
    assert rules_of(derive_with_steps(expr, x)) == expected_rules


def test_chain_rule_names_the_inner_function_and_shows_du_dx() -> None:
    chain = derive_with_steps(sympy.sin(x**2), x).steps[0]
    assert "u = x^2" in chain.note
    assert chain.after == sympy.cos(x**2) * sympy.Derivative(x**2, x)


def test_chain_rule_outer_step_is_in_a_placeholder_one_level_deeper() -> None:
    chain, outer, inner = derive_with_steps(sympy.sin(x**2), x).steps
    assert outer.before == sympy.Derivative(sympy.sin(u), u)
    assert outer.after == sympy.cos(u)
    assert (chain.depth, outer.depth, inner.depth) == (0, 1, 1)


def test_chain_rule_placeholder_avoids_the_learners_own_variables() -> None:
    outer = derive_with_steps(sympy.sin(u * x), x).steps[1]
    (placeholder,) = outer.before.variables
    assert placeholder.name not in {"u", "x"}


def test_quotient_rule_names_numerator_and_denominator() -> None:
    step = derive_with_steps(sympy.sin(x) / (x**2 + 1), x).steps[0]
    assert step.rule == "quotient"
    assert "u = sin(x)" in step.note and "v = x^2 + 1" in step.note


def test_constant_over_a_function_is_a_constant_multiple_of_a_power_not_a_quotient() -> None:
    assert rules_of(derive_with_steps(3 / x, x))[:2] == ["constant_multiple", "power"]


def test_reciprocal_of_a_sum_uses_the_chain_rule_through_a_power() -> None:
    first, outer = derive_with_steps(1 / (1 + sympy.exp(-x)), x).steps[:2]
    assert (first.rule, outer.rule) == ("chain", "power")


def test_product_of_three_factors_uses_the_generalised_product_rule() -> None:
    step = derive_with_steps(x * sympy.exp(x) * sympy.cos(x), x).steps[0]
    assert step.rule == "product"
    assert "uvw" in step.note
    assert len(step.after.args) == 3


def test_sqrt_is_explained_as_a_power_of_one_half() -> None:
    (step,) = derive_with_steps(sympy.sqrt(x), x).steps
    assert "1/2" in step.note


def test_exponential_with_a_base_other_than_e_multiplies_by_its_log() -> None:
    (step,) = derive_with_steps(5**x, x).steps
    assert step.after == 5**x * sympy.log(5)


def test_log_with_a_base_is_a_constant_multiple_of_ln() -> None:
    step = derive_with_steps(sympy.log(x, 10), x).steps[0]
    assert step.rule == "constant_multiple"
    assert "log_10" in step.note


def test_absolute_value_becomes_u_over_abs_u_times_inner_derivative() -> None:
    derivation = derive_with_steps(sympy.Abs(x**2 - 1), x)
    assert not derivation.result.has(sympy.sign)  # written u/|u|, as a learner does
    for value in (-3, -sympy.Rational(1, 2), sympy.Rational(1, 3), 2):
        assert derivation.result.subs(x, value) == (2 * x * sympy.sign(x**2 - 1)).subs(x, value)


def test_the_derivative_of_ln_abs_x_is_one_over_x() -> None:
    assert derive_with_steps(sympy.log(sympy.Abs(x)), x).result == 1 / x


def test_general_power_uses_logarithmic_differentiation() -> None:
    step = derive_with_steps(x ** sympy.sin(x), x).steps[0]
    assert step.rule == "general_power"
    assert step.after == x ** sympy.sin(x) * sympy.Derivative(sympy.sin(x) * sympy.log(x), x)


@pytest.mark.parametrize(
    ("func", "formula"),
    [
        (sympy.tan, "sec(x)^2"),
        (sympy.sec, "tan(x)*sec(x)"),
        (sympy.asin, "1/sqrt(1 - x^2)"),
        (sympy.tanh, "sech(x)^2"),
    ],
)
def test_function_rule_note_states_its_formula(func: type, formula: str) -> None:
    (step,) = derive_with_steps(func(x), x).steps
    assert step.note.endswith(f"= {formula}")


def test_difference_is_differentiated_term_by_term_with_its_sign() -> None:
    derivation = derive_with_steps(x**2 - sympy.sin(x) + 5, x)
    assert derivation.steps[0].rule == "sum"
    assert derivation.steps[0].after == (
        sympy.Derivative(x**2, x) - sympy.Derivative(sympy.sin(x), x) + sympy.Derivative(5, x)
    )
    assert derivation.result == 2 * x - sympy.cos(x)


def test_other_variables_are_held_constant() -> None:
    step = derive_with_steps(x**2 * y, x).steps[0]
    assert step.rule == "constant_multiple"
    assert "c = y" in step.note


def test_expression_free_of_the_variable_is_a_constant_with_zero_derivative() -> None:
    derivation = derive_with_steps(x**2, y)
    assert rules_of(derivation) == ["constant"]
    assert derivation.result == 0
    assert "x" in derivation.steps[0].note


def test_sub_steps_sit_one_level_below_their_rule() -> None:
    depths = [step.depth for step in derive_with_steps(x**2 * sympy.sin(x**3), x).steps]
    assert depths[0] == 0
    assert all(later <= earlier + 1 for earlier, later in zip(depths, depths[1:], strict=False))
    assert max(depths) >= 2


@pytest.mark.parametrize(
    ("expr", "order"),
    [
        (x**2 * sympy.sin(x), 2),
        (sympy.sin(x) / x, 3),
        (sympy.exp(-(x**2) / 2), 4),
        (sympy.tan(x), 3),
        (x**5, 10),
        (x**3 * y**2, 2),
    ],
    ids=str,
)
def test_higher_order_agrees_with_sympy_diff(expr: sympy.Expr, order: int) -> None:
    derivation = derive_with_steps(expr, x, order)
    assert sympy.simplify(derivation.result - sympy.diff(expr, x, order)) == 0


def test_higher_order_keeps_each_successive_derivative_and_its_steps() -> None:
    derivation = derive_with_steps(x**2 * sympy.sin(x), x, 3)
    assert len(derivation.derivatives) == 3
    for k, derivative in enumerate(derivation.derivatives, start=1):
        assert sympy.simplify(derivative - sympy.diff(x**2 * sympy.sin(x), x, k)) == 0
    assert {step.order for step in derivation.steps} == {1, 2, 3}


@pytest.mark.parametrize("order", [0, -1, 11, True, 2.0])
def test_order_out_of_range_is_a_bad_argument(order: int) -> None:
    with pytest.raises(BadArgument):
        derive_with_steps(x**2, x, order)


def test_long_derivations_list_a_bounded_number_of_steps_but_stay_correct() -> None:
    expr = sympy.Add(*(sympy.sin(k * x) * x**k for k in range(1, 40)))
    derivation = derive_with_steps(expr, x)
    assert len(derivation.steps) == MAX_STEPS_PER_ORDER
    assert derivation.omitted_steps[0] > 0
    assert_numerically_equal(derivation.result, sympy.diff(expr, x))


def test_simplified_result_keeps_the_product_rule_form() -> None:
    assert str(derive_with_steps(x**2 * sympy.sin(x), x).result) == "x**2*cos(x) + 2*x*sin(x)"


def test_simplification_does_not_introduce_unseen_functions() -> None:
    result = derive_with_steps(1 / (1 + sympy.exp(-x)), x).result
    assert not result.has(sympy.cosh, sympy.sinh)
    assert result.has(sympy.exp)


def test_simplification_cancels_common_factors() -> None:
    result = simplify_derivative((x**3 * sympy.sin(x) - 2 * x * sympy.cos(x)) / x**4)
    assert sympy.degree(sympy.denom(sympy.together(result)), x) == 3


def test_simplification_combines_a_nested_fraction() -> None:
    assert derive_with_steps(sympy.atan(x / 2), x).result == 2 / (x**2 + 4)


# --- random expression trees ------------------------------------------------------------------

UNARY = (
    sympy.sin,
    sympy.cos,
    sympy.tan,
    sympy.exp,
    sympy.sqrt,
    sympy.atan,
    sympy.sinh,
    sympy.tanh,
    sympy.asinh,
    sympy.Abs,
    lambda e: sympy.log(e**2 + 1),
)
LEAVES = (x, x, x, 2 * x, sympy.Integer(3), sympy.Rational(1, 2), sympy.pi, y)
BASES = (2, sympy.E, sympy.Rational(1, 3))


@st.composite
def expression_trees(draw: st.DrawFn, depth: int = 3) -> sympy.Expr:
    """A random tree over the supported functions: unary functions, + − × ÷, powers, exponentials."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(LEAVES))
    kind = draw(st.integers(0, 7))
    a = draw(expression_trees(depth - 1))
    if kind <= 1:
        return draw(st.sampled_from(UNARY))(a)
    if kind == 6:
        return a ** draw(st.integers(-3, 4))
    if kind == 7:
        base = draw(st.sampled_from(BASES + (x**2 + 1,)))
        return base**a
    b = draw(expression_trees(depth - 1))
    return (a + b, a - b, a * b, a / (b**2 + 1))[kind - 2]


def exponential_nesting(expr: sympy.Basic) -> int:
    """How deeply exponentials nest: towers like 2^2^2^x overflow any numeric check."""
    inner = max((exponential_nesting(arg) for arg in expr.args), default=0)
    grows = isinstance(expr, sympy.exp) or (isinstance(expr, sympy.Pow) and not expr.exp.is_number)
    return inner + grows


EXPRESSIONS = expression_trees().filter(lambda e: exponential_nesting(e) <= 2)


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(EXPRESSIONS)
def test_random_expressions_agree_with_sympy_diff_numerically(expr: sympy.Expr) -> None:
    derivation = derive_with_steps(expr, x)
    expected = sympy.diff(expr, x)
    rng = random.Random(str(expr))
    for at in [rng.uniform(-2, 3) for _ in range(3)]:
        e = numeric(expected, at)
        if e is None:
            continue
        for actual in (derivation.result, derivation.unsimplified):
            a = numeric(actual, at)
            assert a is not None
            assert abs(a - e) <= 1e-8 * (1 + abs(e)), (expr, actual, at)
