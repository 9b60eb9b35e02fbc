"""The cheap exact steps in front of trigsimp and continuous_domain decide what the slow ones did:
right identities in other forms stay right, wrong ones stay wrong, domain notes stay."""

from __future__ import annotations

import math
import random

import pytest
import sympy
from sympy import cos, cosh, exp, sin, sinh, sqrt, tan
from sympy.calculus.util import continuous_domain

from bot.present.check import check
from bot.present.domains import _continuous_everywhere, typed_sides
from bot.solver.equivalence import (
    _domain_nodes,
    _exponential_form,
    _is_symbolically_zero,
    equivalent,
)
from bot.solver.variables import symbol

x, y = symbol("x"), symbol("y")

IDENTITIES = [
    (sin(x) ** 2 + cos(x) ** 2, sympy.Integer(1)),
    (sin(2 * x), 2 * sin(x) * cos(x)),
    (cos(3 * x), 4 * cos(x) ** 3 - 3 * cos(x)),
    (cosh(x) ** 2 - sinh(x) ** 2, sympy.Integer(1)),
    (sin(x + y), sin(x) * cos(y) + cos(x) * sin(y)),
    (sin(x) ** 4 - cos(x) ** 4, sin(x) ** 2 - cos(x) ** 2),
    (tan(x), sin(x) / cos(x)),
    (sinh(2 * x), 2 * sinh(x) * cosh(x)),
]


def _agree_numerically(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Independent of the code under test: floats at random points, through math."""
    rng = random.Random(27)
    f = sympy.lambdify((x, y), a, "math")
    g = sympy.lambdify((x, y), b, "math")
    for _ in range(20):
        u, v = rng.uniform(-3, 3), rng.uniform(-3, 3)
        if not math.isclose(f(u, v), g(u, v), rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


@pytest.mark.parametrize(("left", "right"), IDENTITIES)
def test_a_trigonometric_identity_is_proved_by_its_exponential_form(left: sympy.Expr, right: sympy.Expr) -> None:
    assert _agree_numerically(left, right)
    assert _exponential_form(left - right) == 0
    verdict = equivalent(left, right)
    assert verdict.equivalent and verdict.method == "symbolic"


@pytest.mark.parametrize(("left", "right"), [
    (sin(x) ** 2 + cos(x) ** 2, sympy.Integer(2)),
    (sin(2 * x), sin(x) * cos(x)),
    (cosh(x) ** 2 + sinh(x) ** 2, sympy.Integer(1)),
    (cos(3 * x), 4 * cos(x) ** 3 + 3 * cos(x)),
])
def test_a_wrong_trigonometric_claim_is_never_zero_in_exponential_form(left: sympy.Expr, right: sympy.Expr) -> None:
    assert not _agree_numerically(left, right)
    assert _exponential_form(left - right) != 0
    assert not _is_symbolically_zero(left - right)
    assert not equivalent(left, right).equivalent


def test_a_high_power_is_left_to_the_other_rewrites_and_still_proved() -> None:
    difference = (sin(x) ** 2 + cos(x) ** 2) ** 20 - 1
    assert _exponential_form(difference) == difference  # no expansion into hundreds of terms
    assert equivalent((sin(x) ** 2 + cos(x) ** 2) ** 20, sympy.Integer(1)).equivalent


def test_a_part_real_wherever_its_argument_is_is_not_sampled_alone_but_its_argument_is() -> None:
    entry = sin(sqrt(x)) ** 2 + exp(x)
    nodes = _domain_nodes(entry)
    assert sqrt(x) in nodes  # not real for x < 0: still checked at every point
    assert sin(sqrt(x)) not in nodes and exp(x) not in nodes and sin(sqrt(x)) ** 2 not in nodes


def test_a_side_undefined_through_an_inner_root_still_gets_its_domain() -> None:
    answer = check("sin(sqrt(x))^2 + cos(sqrt(x))^2 = 1")
    assert answer.result == "True"
    assert answer.text.startswith("⚠️ True only for x ≥ 0")


def test_a_wrong_claim_with_a_root_inside_sin_still_has_a_real_counterexample() -> None:
    verdict = equivalent(sin(sqrt(x)) ** 2, sympy.Integer(1))
    assert not verdict.equivalent
    at = verdict.counterexample[x]  # type: ignore[index]
    assert at >= 0 and not math.isclose(math.sin(math.sqrt(float(at))) ** 2, 1.0)


@pytest.mark.parametrize("claim", [
    "sin(x)^2 + cos(x)^2 = 1", "2^x = e^(x ln 2)", "x^0 = 1", "tanh(x) + atan(x) = |x|", "e^(sin x) = cosh(x^3)",
    "x/x = 1", "|x| = sqrt(x^2)", "ln(x^2) = 2 ln x", "tan x = sin x / cos x", "x^(1/3) = x", "sec(x) cos(x) = 1",
])
def test_continuous_everywhere_only_where_continuous_domain_finds_all_reals(claim: str) -> None:
    sides = typed_sides(claim)
    assert sides is not None
    for side in sides:
        if _continuous_everywhere(side):
            assert continuous_domain(side, x, sympy.S.Reals) == sympy.S.Reals


@pytest.mark.parametrize(("claim", "note"), [
    ("x/x = 1", "⚠️ True only for x ≠ 0"),
    ("log(x^2) = 2 log(x)", "x > 0"),
    ("sec(x) cos(x) = 1", "⚠️ True only for"),
])
def test_a_claim_whose_sides_have_different_domains_keeps_its_note(claim: str, note: str) -> None:
    answer = check(claim)
    assert answer.result == "True" and note in answer.text


def test_a_claim_defined_everywhere_has_no_domain_note() -> None:
    answer = check("cosh(x)^2 - sinh(x)^2 = 1")
    assert answer.text.startswith("✅ Correct") and "only for" not in answer.text
