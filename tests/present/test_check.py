"""The /check jobs: verdicts, the evidence shown, and the diagnosis of wrong derivatives."""

from __future__ import annotations

import re

import sympy

from bot.present.check import check, check_derivative
from bot.solver.parser import parse
from bot.solver.variables import symbol

x = symbol("x")


def test_check_identity_is_correct() -> None:
    answer = check("sin(x)^2 + cos(x)^2 = 1")
    assert answer.result == "True"
    assert answer.text.startswith("✅ Correct")
    assert "algebra" in answer.text


def test_check_wrong_expansion_shows_a_point_and_true_values() -> None:
    answer = check("(x + 1)^2 = x^2 + 1")
    assert answer.result == "False" and answer.text.startswith("❌")
    match = re.search(r"At x = (\S+), the left side is `([^`]+)` but the right side is `([^`]+)`", answer.text)
    assert match is not None
    at, left, right = (parse(group.rstrip(",")) for group in match.groups())
    assert left == (at + 1) ** 2 and right == at**2 + 1 and left != right


def test_check_log_rule_holds_for_positive_x() -> None:
    answer = check("log(x^2) = 2*log(x)")
    assert answer.result == "True"
    assert "x > 0" in answer.text and "not a real number" in answer.text


def test_check_sqrt_of_square_is_not_x() -> None:
    answer = check("sqrt(x^2) = x")
    assert answer.result == "False"
    assert re.search(r"At x = -\d", answer.text)


def test_check_numbers() -> None:
    answer = check("2 + 2 = 5")
    assert answer.result == "False" and "`4`" in answer.text and "`5`" in answer.text


def test_check_derivative_correct_answer() -> None:
    answer = check_derivative("x", "x^2*sin(x)", "2*x*sin(x) + x^2*cos(x)")
    assert answer.result == "True" and answer.text.startswith("✅ Correct")


def test_check_derivative_wrong_answer_shows_the_right_one() -> None:
    answer = check_derivative("x", "sin(x^2)", "cos(x^2)")
    assert answer.result == "False"
    shown = re.search(r"is `([^`]+)`, not", answer.text)
    assert shown is not None
    assert sympy.simplify(parse(shown.group(1)) - sympy.diff(sympy.sin(x**2), x)) == 0


def test_check_derivative_names_a_forgotten_chain_rule() -> None:
    answer = check_derivative("x", "sin(x^2)", "cos(x^2)")
    assert "chain rule" in answer.text and "`2*x`" in answer.text


def test_check_derivative_names_the_product_rule_slip() -> None:
    answer = check_derivative("x", "x^2*sin(x)", "2*x*cos(x)")
    assert "product rule" in answer.text


def test_check_derivative_names_a_sign_error() -> None:
    answer = check_derivative("x", "cos(x)", "sin(x)")
    assert "wrong sign" in answer.text and answer.diagnosis is not None and answer.diagnosis.code == "trig_sign"


def test_check_derivative_names_a_constant_factor() -> None:
    answer = check_derivative("x", "x^3", "x^2")
    assert "left out the factor n" in answer.text
    assert answer.diagnosis is not None and answer.diagnosis.code == "power_rule_coefficient_missing"


def test_check_derivative_in_another_variable() -> None:
    answer = check_derivative("t", "exp(3*t)", "3*exp(3*t)")
    assert answer.result == "True"
