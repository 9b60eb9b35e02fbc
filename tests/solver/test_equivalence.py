"""The equivalence checker and the derivative-mistake diagnosis, checked against direct evaluation."""

from __future__ import annotations

import time

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Abs, Matrix, cos, exp, log, sin, sqrt

from bot.solver.equivalence import diagnose_derivative, equivalent, run_with_budget
from bot.solver.variables import symbol

x, y = symbol("x"), symbol("y")


def test_pythagorean_identity_is_proved_symbolically() -> None:
    verdict = equivalent(sin(x) ** 2 + cos(x) ** 2, sympy.Integer(1))
    assert verdict.equivalent and verdict.method == "symbolic"


def test_expanded_square_is_equivalent() -> None:
    assert equivalent((x + 1) ** 2, x**2 + 2 * x + 1).equivalent


def test_wrong_expansion_has_a_counterexample_with_true_values() -> None:
    verdict = equivalent((x + 1) ** 2, x**2 + 1)
    assert not verdict.equivalent and verdict.counterexample is not None
    at = verdict.counterexample[x]
    assert at != 0  # the two sides differ by 2x
    assert verdict.lhs_value == (at + 1) ** 2 and verdict.rhs_value == at**2 + 1


def test_log_of_square_is_equal_for_positive_x_only() -> None:
    verdict = equivalent(log(x**2), 2 * log(x))
    assert verdict.equivalent and verdict.method == "numeric"
    assert verdict.condition is not None
    assert verdict.condition.subs(x, 2) == sympy.true and verdict.condition.subs(x, -1) == sympy.false
    assert verdict.undefined_side == "rhs" and verdict.domain_point is not None
    assert verdict.domain_point[x] < 0


def test_sqrt_of_square_is_absolute_value() -> None:
    assert equivalent(sqrt(x**2), Abs(x)).equivalent


def test_sqrt_of_square_is_not_x() -> None:
    verdict = equivalent(sqrt(x**2), x)
    assert not verdict.equivalent and verdict.counterexample is not None
    at = verdict.counterexample[x]
    assert at < 0 and verdict.lhs_value == -at and verdict.rhs_value == at


def test_exp_of_log_is_x() -> None:
    assert equivalent(sympy.exp(log(x), evaluate=False), x).equivalent


def test_arcsin_plus_arccos_needs_the_numeric_stage_and_a_domain() -> None:
    verdict = equivalent(sympy.asin(x) + sympy.acos(x), sympy.pi / 2)
    assert verdict.equivalent
    assert verdict.condition is not None and verdict.condition.subs(x, 2) == sympy.false


def test_identity_false_only_at_non_integers_is_caught() -> None:
    verdict = equivalent(sin(sympy.pi * x), sympy.Integer(0))
    assert not verdict.equivalent
    at = verdict.counterexample[x]  # type: ignore[index]
    assert abs(float(sympy.N(sin(sympy.pi * at)))) > 1e-6


def test_matrices_compare_entrywise() -> None:
    assert equivalent(Matrix([[sin(2 * x), x**2]]), Matrix([[2 * sin(x) * cos(x), x * x]])).equivalent


def test_matrices_that_differ_in_one_entry() -> None:
    verdict = equivalent(Matrix([x, y]), Matrix([x, 2 * y]))
    assert not verdict.equivalent and verdict.counterexample is not None
    assert verdict.counterexample[y] != 0


def test_matrices_of_different_shapes_are_not_equivalent() -> None:
    verdict = equivalent(Matrix([x, y]), Matrix([[x, y]]))
    assert not verdict.equivalent and verdict.counterexample is None


def test_different_numbers_give_both_values() -> None:
    verdict = equivalent(sympy.Integer(5), sympy.Integer(2) + 2)
    assert not verdict.equivalent and (verdict.lhs_value, verdict.rhs_value) == (5, 4)


def test_nowhere_real_expression_is_not_equivalent() -> None:
    verdict = equivalent(sqrt(-(x**2) - 1), sympy.Integer(0))
    assert not verdict.equivalent and verdict.undefined_side == "lhs"


def test_same_seed_gives_same_counterexample() -> None:
    first = equivalent(exp(x) + y, exp(x) - y, seed=7)
    second = equivalent(exp(x) + y, exp(x) - y, seed=7)
    assert first == second and first.counterexample is not None


def test_counterexample_values_match_direct_evaluation() -> None:
    a, b = exp(x) * sin(y), exp(x) * cos(y)
    verdict = equivalent(a, b, seed=3)
    point = verdict.counterexample
    assert point is not None
    assert abs(sympy.N(verdict.lhs_value - a.subs(point))) < 1e-12  # type: ignore[operator]
    assert abs(sympy.N(verdict.rhs_value - b.subs(point))) < 1e-12  # type: ignore[operator]


@settings(max_examples=40, deadline=None)
@given(a=st.integers(-9, 9), b=st.integers(-9, 9), shift=st.integers(-3, 3))
def test_factored_quadratic_equals_its_expansion_unless_shifted(a: int, b: int, shift: int) -> None:
    factored = (x + a) * (x + b)
    expanded = x**2 + (a + b) * x + a * b + shift
    assert equivalent(factored, expanded).equivalent == (shift == 0)


def test_budget_abandons_a_slow_computation() -> None:
    assert run_with_budget(lambda: time.sleep(5), 0.05) is None


def test_budget_returns_the_value_of_a_quick_computation() -> None:
    assert run_with_budget(lambda: 42, 5.0) == 42


# --- diagnosis of wrong derivatives ------------------------------------------------------------


def test_diagnosis_forgotten_chain_rule_names_the_inner_derivative() -> None:
    mistake = diagnose_derivative(sin(x**2), x, cos(x**2))
    assert mistake is not None and mistake.kind == "chain_rule"
    assert mistake.detail == sympy.diff(x**2, x)


def test_diagnosis_product_rule_as_product_of_derivatives() -> None:
    mistake = diagnose_derivative(x**2 * sin(x), x, 2 * x * cos(x))
    assert mistake is not None and mistake.kind == "product_rule"


def test_diagnosis_quotient_rule_sign() -> None:
    mistake = diagnose_derivative(sin(x) / x, x, (x * cos(x) + sin(x)) / x**2)
    assert mistake is not None and mistake.kind == "quotient_rule"


def test_diagnosis_sign_error() -> None:
    mistake = diagnose_derivative(cos(x), x, sin(x))
    assert mistake is not None and mistake.kind == "sign"


def test_diagnosis_constant_factor() -> None:
    mistake = diagnose_derivative(x**3, x, x**2)
    assert mistake is not None and mistake.kind == "constant_factor"
    assert mistake.detail == sympy.Rational(1, 3)


def test_diagnosis_integrated_instead() -> None:
    mistake = diagnose_derivative(x**2, x, x**3 / 3)
    assert mistake is not None and mistake.kind == "integrated"


def test_diagnosis_none_for_an_unrelated_answer() -> None:
    assert diagnose_derivative(x**2, x, 2 * x + 1) is None
