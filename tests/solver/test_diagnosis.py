"""Diagnosis of wrong derivatives: each mal-rule's wrong answer is built BY HAND here (plain SymPy on
the parts, never the engine) and must be diagnosed with its code and place; right answers in odd
forms are never diagnosed; a diagnosis is only ever given when the answer is that mistake's result."""

from __future__ import annotations

import pytest
import sympy
from sympy import cos, exp, log, sin, sqrt, tan

from bot.solver.diagnosis import diagnose
from bot.solver.malrules import CODES
from bot.solver.parser import parse
from bot.solver.variables import symbol
from content.generators import GENERATORS

x, y = symbol("x"), symbol("y")


def d(f: sympy.Expr, v: sympy.Symbol = x) -> sympy.Expr:
    return sympy.diff(f, v)


def differs(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(a - b) != 0


def assert_diagnosed(f: sympy.Expr, wrong: sympy.Expr, code: str, where: sympy.Expr, *, order: int = 1, v: sympy.Symbol = x) -> None:
    assert differs(wrong, sympy.diff(f, v, order)), "the hand-made answer must be wrong"
    finding = diagnose(f, v, wrong, order=order)
    assert finding is not None, f"{wrong} for d/d{v}({f}) not diagnosed (expected {code})"
    assert (finding.code, finding.where) == (code, where), (f, wrong, finding.slips)
    # the independent check that the named mistake really gives the learner's answer
    assert sympy.simplify(finding.wrong - wrong) == 0


def test_the_twenty_codes_in_the_table_order() -> None:
    assert CODES == (
        "product_rule_as_product", "product_rule_term_missing", "quotient_rule_sign", "quotient_rule_as_ratio",
        "quotient_rule_denominator", "chain_rule_inner_missing", "power_rule_exponent_kept",
        "power_rule_coefficient_missing", "power_rule_exponent_miscounted", "exponential_as_power",
        "exponential_log_factor_missing", "trig_sign", "log_rule", "partial_other_variable_kept",
        "constant_not_zero", "term_not_differentiated", "integrated_instead", "wrong_variable", "wrong_order",
        "sign_error",
    )


PRODUCTS = [(x**2, sin(x)), (x**3, cos(x)), (x, exp(x)), (x**2, log(x)), (sin(x), exp(x)), (x**4, tan(x))]


@pytest.mark.parametrize(("u", "v"), PRODUCTS)
def test_product_rule_mistakes(u: sympy.Expr, v: sympy.Expr) -> None:
    f = u * v
    assert_diagnosed(f, d(u) * d(v), "product_rule_as_product", f)
    for one_term in (d(u) * v, u * d(v)):
        # (x·eˣ)′ as eˣ is also u′v′: the table's order names the first
        code = "product_rule_as_product" if not differs(one_term, d(u) * d(v)) else "product_rule_term_missing"
        assert_diagnosed(f, one_term, code, f)


QUOTIENTS = [(sin(x), x), (x**2, x + 1), (exp(x), x**2 + 1), (x + 3, cos(x)), (log(x), x**3)]


@pytest.mark.parametrize(("u", "v"), QUOTIENTS)
def test_quotient_rule_mistakes(u: sympy.Expr, v: sympy.Expr) -> None:
    f = u / v
    assert_diagnosed(f, (d(u) * v + u * d(v)) / v**2, "quotient_rule_sign", f)
    assert_diagnosed(f, (u * d(v) - d(u) * v) / v**2, "quotient_rule_sign", f)
    assert_diagnosed(f, d(u) / d(v), "quotient_rule_as_ratio", f)
    assert_diagnosed(f, (d(u) * v - u * d(v)) / v, "quotient_rule_denominator", f)


t = sympy.Dummy("t")
CHAINS = [(sin, x**2), (cos, 3 * x + 1), (exp, x**3), (log, x**2 + 1), (tan, 2 * x), (sqrt, x**2 + 4)]


@pytest.mark.parametrize(("outer", "inner"), CHAINS)
def test_chain_rule_inner_missing(outer: type, inner: sympy.Expr) -> None:
    f = outer(inner)
    outer_derivative = sympy.diff(outer(t), t).subs(t, inner)
    assert_diagnosed(f, outer_derivative, "chain_rule_inner_missing", f)
    assert_diagnosed(x**2 + f, 2 * x + outer_derivative, "chain_rule_inner_missing", f)


@pytest.mark.parametrize("n", [2, 3, 5, -1, -2, sympy.Rational(1, 2), sympy.Rational(3, 2)])
def test_power_rule_mistakes(n: sympy.Expr) -> None:
    f = 4 * x**n + sin(x)
    assert_diagnosed(f, 4 * n * x**n + cos(x), "power_rule_exponent_kept", x**n)
    assert_diagnosed(f, 4 * x ** (n - 1) + cos(x), "power_rule_coefficient_missing", x**n)


@pytest.mark.parametrize("a", [2, 3, sympy.E])
def test_exponential_as_power(a: sympy.Expr) -> None:
    f = a**x
    assert_diagnosed(f, x * a ** (x - 1), "exponential_as_power", f)
    assert_diagnosed(x**2 + f, 2 * x + x * a ** (x - 1), "exponential_as_power", f)


def test_exponential_as_power_inside() -> None:
    f = exp(2 * x)
    assert_diagnosed(f, 2 * x * exp(2 * x - 1) * 2, "exponential_as_power", f)


@pytest.mark.parametrize(
    ("f", "wrong"),
    [
        (sin(x), -cos(x)),
        (cos(x), sin(x)),
        (cos(3 * x), 3 * sin(3 * x)),
        (tan(x), -1 / cos(x) ** 2),
        (x**2 + cos(x), 2 * x + sin(x)),
    ],
)
def test_trig_sign(f: sympy.Expr, wrong: sympy.Expr) -> None:
    trig = next(node for node in sympy.preorder_traversal(f) if isinstance(node, (sympy.sin, sympy.cos, sympy.tan)))
    assert_diagnosed(f, wrong, "trig_sign", trig)


@pytest.mark.parametrize("u", [x**2 + 1, x**3 + x, 5 * x**2])
def test_log_rule(u: sympy.Expr) -> None:
    f = log(u)
    assert_diagnosed(f, 1 / d(u), "log_rule", f)
    assert_diagnosed(f, log(d(u)), "log_rule", f)


def test_constant_not_zero() -> None:
    f = x**3 + 2 * x + 7
    assert_diagnosed(f, 3 * x**2 + 2 + 7, "constant_not_zero", f)
    g = 5 * sin(x)
    assert_diagnosed(g, cos(x), "constant_not_zero", g)
    h = 3 * x**2 * y  # a partial: y is a constant factor
    assert_diagnosed(h, 3 * 2 * x, "constant_not_zero", h)


@pytest.mark.parametrize(
    ("f", "antiderivative"),
    [(x**3, x**4 / 4), (sin(x) + 1, -cos(x) + x), (cos(x), sin(x) + 5), (x**2 + 3 * x, x**3 / 3 + 3 * x**2 / 2)],
)
def test_integrated_instead(f: sympy.Expr, antiderivative: sympy.Expr) -> None:
    assert_diagnosed(f, antiderivative, "integrated_instead", f)


def test_wrong_variable_and_not_held_constant() -> None:
    f = x**2 * y**3
    assert_diagnosed(f, 3 * x**2 * y**2, "wrong_variable", f)
    g = x**2 + x * y + y**2  # differentiated as if y moved with x: 2x + y + x + 2y
    assert_diagnosed(g, 2 * x + y + x + 2 * y, "wrong_variable", g)


def test_wrong_order() -> None:
    f = x**4 + sin(x)
    assert_diagnosed(f, 12 * x**2 - sin(x), "wrong_order", f)  # f'' for f'
    assert_diagnosed(f, 4 * x**3 + cos(x), "wrong_order", f, order=2)  # f' for f''


def test_sign_error() -> None:
    f = x**2 * exp(x)
    assert_diagnosed(f, -(2 * x * exp(x) + x**2 * exp(x)), "sign_error", f)


def test_two_mistakes_when_no_single_one_explains() -> None:
    f = x**2 * sin(3 * x)
    wrong = 2 * x * cos(3 * x)  # u'v' with the chain rule left out inside v'
    finding = diagnose(f, x, wrong)
    assert finding is not None and len(finding.slips) == 2
    assert [slip.code for slip in finding.slips] == ["product_rule_as_product", "chain_rule_inner_missing"]
    assert [slip.node for slip in finding.slips] == [f, sin(3 * x)]


def test_a_pair_is_only_tried_when_no_single_mistake_explains() -> None:
    f = x**2 * sin(3 * x)
    finding = diagnose(f, x, 2 * x * sin(3 * x) + x**2 * cos(3 * x))
    assert finding is not None and len(finding.slips) == 1 and finding.code == "chain_rule_inner_missing"


@pytest.mark.parametrize(
    ("f", "odd_but_right"),
    [
        (sin(2 * x), 2 * cos(x) ** 2 - 2 * sin(x) ** 2),
        (x**2 * sin(x), x * (2 * sin(x) + x * cos(x))),
        (sqrt(x), x ** sympy.Rational(-1, 2) / 2),
        (log(x**2), 2 / x),
        (sin(x) / x, cos(x) / x - sin(x) / x**2),
        (exp(2 * x) * cos(x), exp(2 * x) * (2 * cos(x) - sin(x))),
        ((x + 1) ** 3, 3 * x**2 + 6 * x + 3),
        (tan(x), 1 + tan(x) ** 2),
        (x**2 * y, 2 * x * y),
    ],
)
def test_right_answers_in_odd_forms_are_never_diagnosed(f: sympy.Expr, odd_but_right: sympy.Expr) -> None:
    assert diagnose(f, x, odd_but_right) is None


@pytest.mark.parametrize(
    ("f", "unexplained"),
    [(x**2 * sin(x), 2 * x * sin(x) + x**2 * cos(x) + x**5), (exp(x) * x, 17 * x**3), (log(x), x + 1)],
)
def test_no_false_diagnosis(f: sympy.Expr, unexplained: sympy.Expr) -> None:
    assert diagnose(f, x, unexplained) is None


def _function(command: str) -> sympy.Expr:
    assert command.startswith("/derive ")
    return parse(command.removeprefix("/derive "))


@pytest.mark.parametrize("seed", range(8))
def test_generated_products(seed: int) -> None:
    f = _function(GENERATORS["product_rule"](seed).solution_command)
    u, v = [factor for factor in sympy.Mul.make_args(f) if factor.has(x)][:2]
    constant = f / (u * v)
    if differs(constant * d(u) * d(v), d(f)):
        assert_diagnosed(f, constant * d(u) * d(v), "product_rule_as_product", f)


@pytest.mark.parametrize("seed", range(10))
def test_generated_chains(seed: int) -> None:
    f = _function(GENERATORS["chain_rule"](seed).solution_command)
    composite = next(node for node in sympy.preorder_traversal(f) if node.has(x) and node != x and not isinstance(node, sympy.Mul))
    inner = composite.base if isinstance(composite, sympy.Pow) else composite.args[0]
    outer = composite.xreplace({inner: t})
    wrong = f.xreplace({composite: t}).diff(t) * sympy.diff(outer, t).subs(t, inner)
    if inner != x and differs(wrong, d(f)):
        assert_diagnosed(f, wrong, "chain_rule_inner_missing", composite)


@pytest.mark.parametrize("seed", range(8))
def test_generated_quotients(seed: int) -> None:
    command = GENERATORS["quotient_rule"](seed).solution_command
    top_text, bottom_text = command.removeprefix("/derive (").split(")/(")
    u, v = parse(top_text), parse(bottom_text.removesuffix(")"))
    f = _function(command)
    wrong = (d(u) * v + u * d(v)) / v**2
    assert_diagnosed(f, wrong, "quotient_rule_sign", f)


@pytest.mark.parametrize("seed", range(6))
def test_generated_three_rule_derivatives_flipped(seed: int) -> None:
    f = _function(GENERATORS["all_rules"](seed).solution_command)
    finding = diagnose(f, x, -d(f))
    assert finding is not None and finding.code in ("trig_sign", "sign_error")
    assert sympy.simplify(finding.wrong + d(f)) == 0


def test_a_search_past_its_time_says_so_rather_than_none() -> None:
    from bot.present.diagnosis import diagnosed, diagnosis_lines
    from bot.solver.diagnosis import TIMED_OUT_FINDING, SearchTimedOut, find_mistake

    f = x**2 * sin(3 * x)
    with pytest.raises(SearchTimedOut):
        diagnose(f, x, 2 * x * cos(3 * x), seconds=0)
    finding = find_mistake(diagnose, f, x, 2 * x * cos(3 * x), seconds=0)
    assert finding is TIMED_OUT_FINDING and diagnosed(finding) is None
    assert "took too long" in diagnosis_lines(finding, x)[0]


@pytest.mark.parametrize("name", ["power_rule", "product_rule", "chain_rule", "special_derivative", "quotient_rule", "all_rules"])
def test_generated_right_answers_in_other_forms_are_never_diagnosed(name: str) -> None:
    for seed in range(6):
        f = _function(GENERATORS[name](seed).solution_command)
        right = d(f)
        for form in (sympy.expand(right), sympy.factor(right), sympy.together(right)):
            assert diagnose(f, x, form) is None, (f, form)


# --- the mal-rules of issue 23: each named exactly, for several members of its class --------------

_2, _3 = sympy.Integer(2), sympy.Integer(3)


@pytest.mark.parametrize(("f", "wrong", "where"), [
    (_2**x, _2**x, _2**x),
    (_3 ** (2 * x), 2 * _3 ** (2 * x), _3 ** (2 * x)),
    (x**2 + 10**x, 2 * x + 10**x, 10**x),
    (sympy.Rational(1, 2) ** x, sympy.Rational(1, 2) ** x, sympy.Rational(1, 2) ** x),
])
def test_an_exponential_without_its_ln_factor(f, wrong, where):
    assert_diagnosed(f, wrong, "exponential_log_factor_missing", where)


@pytest.mark.parametrize(("f", "wrong"), [
    (x**2 + sin(x), 2 * x + sin(x)),
    (x**3 + exp(2 * x) + 1, x**3 + 2 * exp(2 * x)),
    (cos(x) - x**4, -sin(x) - x**4),
])
def test_a_term_of_a_sum_left_as_it_was(f, wrong):
    assert_diagnosed(f, wrong, "term_not_differentiated", f)


@pytest.mark.parametrize(("f", "wrong"), [
    (1 / x**2, -2 / x),
    (x**-3, -3 / x**2),
    (5 / x**4, -20 / x**3),
    (sqrt(x), sympy.Rational(1, 2)),
    (x ** sympy.Rational(-1, 2), -sympy.Rational(1, 2) * x ** sympy.Rational(1, 2)),
])
def test_a_negative_or_fractional_exponent_miscounted(f, wrong):
    power = next(node for node in sympy.preorder_traversal(f) if isinstance(node, sympy.Pow))
    assert_diagnosed(f, wrong, "power_rule_exponent_miscounted", power)


@pytest.mark.parametrize(("f", "wrong", "v"), [
    (x**2 + y**3, 2 * x + y**3, x),
    (x**2 * y + sin(y), 2 * x * y + sin(y), x),
    (x * y + exp(x) + 4, x + exp(x), y),
])
def test_a_term_in_the_other_variable_kept_in_a_partial(f, wrong, v):
    assert_diagnosed(f, wrong, "partial_other_variable_kept", f, v=v)


@pytest.mark.parametrize("constant", [sympy.Integer(5), sympy.pi, sympy.Rational(-3, 4), sympy.E**2])
def test_a_constant_given_back_as_its_own_derivative(constant):
    finding = diagnose(constant, x, constant)
    assert finding is not None and finding.code == "constant_not_zero"
    assert sympy.diff(constant, x) == 0  # independent: the right answer is 0
