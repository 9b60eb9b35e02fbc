"""The /check jobs: is the learner's claim (or derivative) right? Verdict, how we know, and why not."""

from __future__ import annotations

import sympy

from bot.present.answer import Answer
from bot.present.diagnosis import diagnosed, diagnosis_lines
from bot.present.format import fmt_expr, fmt_latex, fmt_number, plain
from bot.solver.diagnosis import diagnose, find_mistake
from bot.solver.equivalence import Equivalence, equivalent
from bot.solver.parser import parse, parse_equation, parse_variable
from bot.solver.steps import derive_with_steps

CORRECT = "✅ Correct"
WRONG = "❌ Not equivalent"


def check(claim_text: str) -> Answer:
    """Decide ``LHS = RHS`` as an identity over the reals."""
    lhs, rhs = parse_equation(claim_text)
    verdict = equivalent(lhs, rhs)
    headline = (
        f"{CORRECT}: {fmt_expr(lhs)} = {fmt_expr(rhs)}"
        if verdict.equivalent
        else f"{WRONG}: {fmt_expr(lhs)} ≠ {fmt_expr(rhs)}"
    )
    lines = [headline, "", *_evidence(verdict, "the left side", "the right side")]
    relation = "=" if verdict.equivalent else r"\neq"
    return Answer(
        text="\n".join(lines),
        result=str(verdict.equivalent),
        latex=f"{fmt_latex(lhs)} {relation} {fmt_latex(rhs)}",
    )


def check_derivative(var: str, expr_text: str, answer_text: str) -> Answer:
    """Compare the learner's derivative with ours; name the slip when a classic one fits."""
    x = parse_variable(var)
    expr = parse(expr_text)
    answer = parse(answer_text)
    correct = derive_with_steps(expr, x).result
    verdict = equivalent(answer, correct)
    operator = f"d/d{x.name}"
    if verdict.equivalent:
        lines = [
            f"{CORRECT}: {operator}({plain(expr)}) = {fmt_expr(answer)}",
            "",
            *_evidence(verdict, "your answer", "the derivative"),
        ]
        if answer != correct and sympy.count_ops(correct) < sympy.count_ops(answer):
            lines.append(f"A simpler form is {fmt_expr(correct)}.")
    else:
        lines = [
            f"❌ Not quite: {operator}({plain(expr)}) is {fmt_expr(correct)}, not {fmt_expr(answer)}.",
            "",
            *_evidence(verdict, "your answer", "the derivative"),
        ]
        finding = find_mistake(diagnose, expr, x, answer)
        lines += ["", *diagnosis_lines(finding, x, answer=answer, correct=correct)]
        lines += ["", f"/derive {plain(expr)} shows the working step by step."]
    return Answer(
        text="\n".join(lines),
        result=str(verdict.equivalent),
        latex=f"\\frac{{d}}{{d{sympy.latex(x)}}}\\left({fmt_latex(expr)}\\right) = {fmt_latex(correct)}",
        diagnosis=None if verdict.equivalent else diagnosed(finding),
    )


def _evidence(verdict: Equivalence, left: str, right: str) -> list[str]:
    """How the verdict was reached, in a learner's words."""
    if verdict.equivalent:
        if verdict.method == "symbolic":
            return ["Decided by algebra: the difference of the two sides simplifies to 0."]
        lines = [
            f"Decided numerically: the two sides agree at {verdict.points_checked} test points "
            "(to at least 10 significant figures), and algebra found no difference."
        ]
        lines += _domain_lines(verdict, left, right)
        return lines
    if verdict.counterexample is None:
        if verdict.lhs_value is None and verdict.rhs_value is None and verdict.points_checked == 0 and verdict.domain_point is None:
            return ["They cannot be equal: they are of different shapes (a matrix against a scalar, or sizes that differ)."]
        return ["They could not be compared: there are almost no real points where both sides are defined."]
    sentence = f"{_point_words(verdict.counterexample)}{left} is {_value_words(verdict.lhs_value)} but {right} is {_value_words(verdict.rhs_value)}."
    return [sentence[0].upper() + sentence[1:]]


def _domain_lines(verdict: Equivalence, left: str, right: str) -> list[str]:
    if verdict.domain_point is None:
        return []
    undefined, defined = (left, right) if verdict.undefined_side == "lhs" else (right, left)
    lines = ["Careful with domains: they are equal only where both sides are defined."]
    if verdict.condition is not None:
        lines[0] = f"Careful with domains: they are equal for {condition_text(verdict.condition)}, where both sides are defined."
    sentence = f"{_point_words(verdict.domain_point)}{undefined} is not a real number, while {defined} is."
    lines.append(sentence[0].upper() + sentence[1:])
    return lines


def condition_text(condition: sympy.Basic) -> str:
    """``x > 0``, ``-1 ≤ x and x ≤ 1``: the variable first, as a learner writes it."""
    parts = condition.args if isinstance(condition, sympy.And) else (condition,)
    words = []
    for part in parts:
        if isinstance(part, sympy.Rel) and part.lhs.is_number and not part.rhs.is_number:
            part = part.reversed
        words.append(plain(part).replace(">=", "≥").replace("<=", "≤").replace("!=", "≠"))
    return " and ".join(words)


def _point_words(point: dict[sympy.Symbol, sympy.Expr]) -> str:
    if not point:
        return ""
    values = ", ".join(f"{name} = {plain(value)}" for name, value in sorted(((s.name, v) for s, v in point.items()), key=lambda item: item[0]))
    return f"at {values}, "


def _value_words(value: sympy.Basic | None) -> str:
    if value is None:
        return "undefined (not a real number)"
    if isinstance(value, sympy.MatrixBase):
        return f"`{plain(value)}`"
    if isinstance(value, sympy.Float) or value.is_Rational:
        return f"`{plain(value)}`"
    return f"`{plain(value)}` ≈ {fmt_number(value, 8)}"
