"""Quiz grading diagnoses wrong derivatives: partials, gradients (entry by entry) and the
multivariate chain rule. Wrong answers are built by hand from the question's own function."""

from __future__ import annotations

import re

import pytest
import sympy

from bot.present.format import plain
from bot.solver.parser import parse, parse_assignments
from bot.solver.variables import symbol
from content.generate import generate_from, grade_answer

x, y, z, t = (symbol(n) for n in "xyzt")


@pytest.mark.parametrize("seed", range(6))
def test_a_partial_with_the_other_variable_not_held_constant(seed: int) -> None:
    question = generate_from("partial-derivatives", "partial_derivative", seed)
    match = re.fullmatch(r"/partial (.+) wrt (\w+)", question.solution_command)
    assert match is not None
    f, v = parse(match.group(1)), symbol(match.group(2))
    other = next(s for s in sorted(f.free_symbols, key=lambda s: s.name) if s != v)
    wrong = sympy.diff(f, other)  # differentiated with respect to the other variable
    if sympy.simplify(wrong - sympy.diff(f, v)) == 0:
        pytest.skip("symmetric in the two variables")
    grade = grade_answer(question.to_json(), plain(wrong))
    assert not grade.correct
    assert grade.diagnosis is not None and grade.diagnosis.code == "wrong_variable", grade.feedback
    assert "🔎" in grade.feedback


@pytest.mark.parametrize("seed", range(6))
def test_a_gradient_entry_with_a_wrong_z_term_is_diagnosed_per_entry(seed: int) -> None:
    question = generate_from("jacobian", "jacobian_row", seed)
    f = parse(question.solution_command.removeprefix("/grad "))
    row = [sympy.diff(f, v) for v in (x, y, z)]
    node = next(n for n in sympy.preorder_traversal(f) if isinstance(n, (sympy.sin, sympy.cos, sympy.exp)))
    k = f.coeff(node)
    if isinstance(node, sympy.exp):  # e^z differentiated as a power: z·e^(z−1)
        wrong_z, code = row[2] - k * node + k * z * sympy.exp(z - 1), "exponential_as_power"
    else:  # the trig derivative's sign flipped
        wrong_z, code = row[2] - 2 * k * sympy.diff(node, z), "trig_sign"
    answer = f"({plain(row[0])}, {plain(row[1])}, {plain(wrong_z)})"
    grade = grade_answer(question.to_json(), answer)
    assert not grade.correct
    assert grade.diagnosis is not None, grade.feedback
    assert (grade.diagnosis.code, grade.diagnosis.where) == (code, str(node))
    assert "Entry 3" in grade.feedback


@pytest.mark.parametrize("seed", range(6))
def test_the_multivariate_chain_rule_without_the_path_derivatives(seed: int) -> None:
    question = generate_from("total-derivative", "total_derivative", seed)
    match = re.fullmatch(r"/chain (.+) with (.+) wrt t", question.solution_command)
    assert match is not None
    f, path = parse(match.group(1)), parse_assignments(match.group(2))
    wrong = sum(sympy.diff(f, v).subs(path) for v in path)  # ∂f/∂x + ∂f/∂y, no dx/dt, dy/dt
    correct = sympy.diff(f.subs(path), t)
    if sympy.simplify(wrong - correct) == 0:
        pytest.skip("the path derivatives are all 1")
    grade = grade_answer(question.to_json(), plain(wrong))
    assert not grade.correct
    assert grade.diagnosis is not None and grade.diagnosis.code == "chain_rule_inner_missing", grade.feedback
    assert "left out" in grade.feedback


def test_a_right_quiz_answer_has_no_diagnosis() -> None:
    question = generate_from("partial-derivatives", "partial_derivative", 0)
    grade = grade_answer(question.to_json(), question.answer)
    assert grade.correct and grade.diagnosis is None
