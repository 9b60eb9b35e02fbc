"""Mode 2's rule language: parsed by our own grammar, shape-checked to a 2-vector, evaluated by numpy."""

from __future__ import annotations

import numpy as np
import pytest

from bot.errors import BadArgument, ParseError
from bot.game.rule import RuleBreakdown, compile_rule, evaluate

J = np.array([1.0, 2.0])
H = np.array([[2.0, 1.0], [1.0, 4.0]])


@pytest.mark.parametrize(("text", "expected"), [
    ("-0.2*J", -0.2 * J),
    ("-inv(H)*J", -np.linalg.solve(H, J)),
    ("-H^-1*J", -np.linalg.solve(H, J)),
    ("-inv(H + 2*I)*J", -np.linalg.solve(H + 2 * np.eye(2), J)),
    ("-J/norm(J)", -J / np.linalg.norm(J)),
    ("-(J^T*J)/(transpose(J)*H*J)*J", -(J @ J) / (J @ H @ J) * J),
    ("-0.1*abs(f)*J", -0.1 * 4.0 * J),
    ("-(2)^2*J/sqrt(16)", -J),
])
def test_rules_give_the_step_numpy_gives(text: str, expected: np.ndarray) -> None:
    assert np.allclose(evaluate(compile_rule(text), J, H, -4.0).ravel(), expected)


@pytest.mark.parametrize(("text", "words"), [
    ("H", "2×2 matrix"), ("J*H", "cannot multiply"), ("f", "a number"), ("J^T", "row vector"),
    ("J + 1", "cannot add"), ("inv(J)", "square"), ("J/J", "cannot divide"),
])
def test_rules_that_do_not_give_a_2_vector_are_refused_with_a_pointed_error(text: str, words: str) -> None:
    with pytest.raises(BadArgument, match=words):
        compile_rule(text)


@pytest.mark.parametrize("text", ["", "2 J", "-0.2*J)", "J^", "__import__('os')", "sin(J)", "J; 1", "J.__class__"])
def test_malformed_rules_are_parse_errors_never_python(text: str) -> None:
    with pytest.raises(ParseError):
        compile_rule(text)


def test_a_singular_hessian_is_a_breakdown_not_a_crash() -> None:
    with pytest.raises(RuleBreakdown):
        evaluate(compile_rule("-inv(H)*J"), J, np.array([[1.0, 2.0], [2.0, 4.0]]), -3.0)
