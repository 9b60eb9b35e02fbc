"""Questions aimed at one mistake: which generator shows each mistake, and whether a question does.

A question is aimed at a mistake only when that mistake visibly changes the answer there: for a
derivative, every answer the product's own mal-rule (``bot.solver.malrules``) gives, at every place
it applies, must be a clearly different function from the right derivative; for a multiple-choice
question, one of the options must be the one that mistake builds. ``content.generate.generate_aimed``
walks a generator's seeds until a question passes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import sympy

from bot.errors import BadArgument, CalcbotError
from bot.learner.skills import MISTAKE_CODES
from bot.solver.diagnosis import dependent_nodes, with_slip
from bot.solver.malrules import BY_CODE, Task
from bot.solver.parser import parse
from bot.solver.variables import symbol
from content.questions import Question

# Mistake code -> (topic id, generator name) whose questions can show it.
RECIPES: dict[str, tuple[str, str]] = {
    "product_rule_as_product": ("product-rule", "product_rule"),
    "product_rule_term_missing": ("product-rule", "product_rule"),
    "quotient_rule_sign": ("special-functions", "quotient_rule"),
    "quotient_rule_as_ratio": ("special-functions", "quotient_rule"),
    "quotient_rule_denominator": ("special-functions", "quotient_rule"),
    "chain_rule_inner_missing": ("chain-rule", "chain_rule"),
    "power_rule_exponent_kept": ("power-sum-rules", "power_rule"),
    "power_rule_coefficient_missing": ("power-sum-rules", "power_rule"),
    "power_rule_exponent_miscounted": ("power-sum-rules", "power_rule"),
    "exponential_as_power": ("special-functions", "exponential_log_derivative"),
    "exponential_log_factor_missing": ("special-functions", "exponential_log_derivative"),
    "log_rule": ("special-functions", "exponential_log_derivative"),
    "trig_sign": ("special-functions", "special_derivative"),
    "constant_not_zero": ("power-sum-rules", "power_rule"),
    "term_not_differentiated": ("power-sum-rules", "power_rule"),
    "integrated_instead": ("power-sum-rules", "power_rule"),
    "wrong_variable": ("partial-derivatives", "partial_derivative"),
    "partial_other_variable_kept": ("partial-derivatives", "partial_derivative"),
    "wrong_order": ("power-sum-rules", "power_rule"),
    "sign_error": ("power-sum-rules", "power_rule"),
    "total_derivative_path_missing": ("total-derivative", "total_derivative_choice"),
    "total_derivative_paths_crossed": ("total-derivative", "total_derivative_choice"),
    "jacobian_transposed": ("jacobian-matrix", "jacobian_choice"),
    "jacobian_rows_swapped": ("jacobian-matrix", "jacobian_choice"),
    "hessian_mixed_partials": ("hessian", "hessian_choice"),
    "hessian_diagonal_swapped": ("hessian", "hessian_choice"),
    "hessian_gradient_confused": ("hessian", "hessian_choice"),
    "stationary_point_misclassified": ("hessian", "classify_stationary"),
    "backprop_factor_missing": ("backpropagation", "backprop_chain_choice"),
}

VISIBLE = 0.1  # a mal-rule's answer differs from the right one by at least this (relative, at some probe point)
_PROBES = (sympy.Rational(37, 100), sympy.Rational(171, 100), sympy.Rational(83, 100), sympy.Rational(253, 100))
_DERIVE = re.compile(r"^/derive\s+(?P<expr>.+)$")
_PARTIAL = re.compile(r"^/partial\s+(?P<expr>.+?)\s+wrt\s+(?P<var>[A-Za-z]\w*)$")


def recipe(code: str) -> tuple[str, str]:
    if code not in RECIPES:
        known = ", ".join(MISTAKE_CODES)
        raise BadArgument(f"no practice can be aimed at '{code}' (known mistakes: {known})")
    return RECIPES[code]


def derivative_task(question: Question) -> tuple[sympy.Expr, sympy.Symbol] | None:
    """(F, x) when the question asks for dF/dx (its worked command is ``/derive F`` or ``/partial F wrt x``)."""
    if question.kind != "expression":
        return None
    command = question.solution_command.strip()
    partial, derive = _PARTIAL.match(command), _DERIVE.match(command)
    try:
        if partial is not None:
            return parse(partial.group("expr")), symbol(partial.group("var"))
        if derive is not None:
            expr = parse(derive.group("expr"))
            free = sorted((s for s in expr.free_symbols if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
            return (expr, free[0]) if len(free) == 1 else None
    except CalcbotError:
        return None
    return None


def malrule_answers(code: str, expr: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr]:
    """Every derivative of ``expr`` the mal-rule ``code`` gives (one per place it applies), built
    with the solver's own mal-rule functions."""
    rule = BY_CODE[code]
    answers: list[sympy.Expr] = []
    if rule.local is not None:
        nodes = dependent_nodes(expr, var)

        def d(part: sympy.Expr) -> sympy.Expr:
            return sympy.diff(part, var)

        for node in nodes:
            for wrong_step in rule.local(node, var, d):
                answers.append(with_slip(expr, var, node, wrong_step))
    if rule.whole is not None:
        answers += rule.whole(Task(expr, var))
    return answers


def distance(first: sympy.Expr, second: sympy.Expr) -> float:
    """The largest relative gap between two functions at the probe points (inf where only one is defined)."""
    gaps = []
    for a, b in _values(first, second):
        if a is None and b is None:
            continue
        if a is None or b is None:
            return math.inf
        gaps.append(_gap(a, b))
    return max(gaps) if len(gaps) >= 2 else 0.0


def visibly_differs(first: sympy.Expr, second: sympy.Expr) -> bool:
    """``distance(first, second) >= VISIBLE``, stopping at the first probe point that settles it
    (most wrong answers are far off at the first two points, so the other two are never evaluated)."""
    if first == second:
        return False
    defined, seen = 0, False
    for a, b in _values(first, second):
        if a is None and b is None:
            continue
        if a is None or b is None:
            return True
        defined += 1
        seen = seen or _gap(a, b) >= VISIBLE
        if seen and defined >= 2:
            return True
    return False


def _values(first: sympy.Expr, second: sympy.Expr) -> Iterator[tuple[complex | None, complex | None]]:
    """Both functions' values at each probe point in turn, computed only when asked for."""
    variables = sorted(
        (s for s in first.free_symbols | second.free_symbols if isinstance(s, sympy.Symbol)), key=lambda s: s.name
    )
    for offset, probe in enumerate(_PROBES):
        point = {v: probe + sympy.Rational(i + offset, 7) for i, v in enumerate(variables)}
        yield _value(first, point), _value(second, point)


def _gap(a: complex, b: complex) -> float:
    return abs(a - b) / max(1.0, abs(b))


def _value(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> complex | None:
    try:
        value = complex(expr.xreplace(point).evalf(15))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return None if value != value or math.isinf(abs(value)) else value


def shows(question: Question, code: str) -> bool:
    """Whether the mistake ``code`` visibly changes the answer to ``question`` (see the module docstring)."""
    if question.kind == "choice":
        return code in question.choice_malrules
    if code not in BY_CODE:
        return False
    task = derivative_task(question)
    if task is None:
        return False
    expr, var = task
    correct = sympy.diff(expr, var)
    answers = malrule_answers(code, expr, var)
    return bool(answers) and all(visibly_differs(answer, correct) for answer in answers)
