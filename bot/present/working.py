"""The /check job for a learner's working: every step marked, the first wrong one explained."""

from __future__ import annotations

import sympy

from bot.present.answer import Answer
from bot.present.check import condition_text, derivative_operator
from bot.present.diagnosis import diagnosed, diagnosis_lines
from bot.present.format import fmt_expr, fmt_latex, fmt_number, plain
from bot.solver.equivalence import Equivalence
from bot.solver.working import Link, Working, check_working


def check_steps(var: str | None, text: str, order: int = 1) -> Answer:
    """Check a chain (``d/dx F = A = B``) or multi-line working; ``result`` lists each link's verdict."""
    working = check_working(var, text, order)
    lines = ["**Your working, step by step**"]
    lines += [_link_line(working, link) for link in working.links]
    wrong = working.first_wrong
    lines.append("")
    if wrong is None:
        lines.append("✅ Every step is right.")
    else:
        lines.append(f"❌ The first wrong step is step {wrong.number}: {_why(working, wrong)}")
        if wrong.differentiation and working.var is not None:
            lines += ["", *diagnosis_lines(working.finding, working.var, wrong.order, answer=wrong.after,
                                           correct=wrong.expected)]
    lines.append("")
    lines.append(_final_line(working))
    if working.var is not None:
        lines.append(f"/derive {plain(working.function)} shows the working step by step.")
    diagnosis = diagnosed(working.finding, wrong.number) if wrong is not None and wrong.differentiation else None
    verdicts = [link.right for link in working.links]
    return Answer(
        text="\n".join(lines),
        result=str(verdicts),
        latex=_latex(working),
        diagnosis=diagnosis,
    )


def _operator(working: Working, link: Link | None = None) -> str:
    order = link.order if link is not None and link.order else working.order
    return derivative_operator(working.var, order) if working.var is not None else ""


def _link_line(working: Working, link: Link) -> str:
    mark = "✅" if link.right else "❌"
    before = link.typed_before or plain(link.before)
    if link.differentiation:
        typed = link.typed_before or plain(working.function)
        before = f"{_operator(working, link)}{typed if _bracketed(typed) else f'({typed})'}"
    kind = " (differentiation)" if link.differentiation else ""
    line = f"{link.number}. {mark} `{before} = {link.typed_after or plain(link.after)}`{kind}"
    if link.right and link.verdict.domain_point is not None:
        where = condition_text(link.verdict.condition) if link.verdict.condition is not None else "where both sides are defined"
        line += f" — valid only for {where}" if link.verdict.condition is not None else f" — valid only {where}"
    return line


def _bracketed(text: str) -> bool:
    """``(…)`` as one bracket pair around the whole text (``(a)(b)`` is not)."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _why(working: Working, link: Link) -> str:
    if not link.restated_ok and link.restated is not None:
        return f"the line starts from {fmt_expr(link.restated)}, which is not what the line before ended with."
    if link.differentiation and link.expected is not None:
        return f"the derivative is {fmt_expr(link.expected)}, not {fmt_expr(link.after)}. {_point(link.verdict)}"
    return f"{fmt_expr(link.after)} is not equal to {fmt_expr(link.before)}. {_point(link.verdict)}"


def _point(verdict: Equivalence) -> str:
    point = verdict.counterexample
    if not point:
        return ""
    where = ", ".join(f"{s.name} = {plain(v)}" for s, v in sorted(point.items(), key=lambda item: item[0].name))
    return f"At {where} the step gives {_value(verdict.lhs_value)} where it should give {_value(verdict.rhs_value)}."


def _value(value: sympy.Basic | None) -> str:
    if value is None:
        return "no real value"
    if isinstance(value, sympy.Expr) and not value.is_Rational and value.is_number:
        return f"`{plain(value)}` ≈ {fmt_number(value, 8)}"
    return f"`{plain(value)}`"


def _final_line(working: Working) -> str:
    last = working.links[-1].after
    if working.correct is not None:
        if working.final_right:
            return f"✅ Your final line, {fmt_expr(last)}, is the right derivative."
        wrong = working.first_wrong
        if wrong is not None and wrong.differentiation and wrong.restated_ok:  # the derivative is stated above
            return f"❌ Your final line, {fmt_expr(last)}, is not the derivative."
        return f"❌ Your final line, {fmt_expr(last)}, is not the derivative: that is {fmt_expr(working.correct)}."
    if working.final_right:
        return f"✅ Your final line, {fmt_expr(last)}, equals {fmt_expr(working.function)}."
    return f"❌ Your final line, {fmt_expr(last)}, does not equal {fmt_expr(working.function)}."


def _latex(working: Working) -> str:
    parts = [fmt_latex(working.function)]
    if working.var is not None:
        parts[0] = f"\\frac{{d}}{{d{sympy.latex(working.var)}}}\\left({parts[0]}\\right)"
    for link in working.links:
        parts.append(("" if link.right else "\\overset{\\times}{=} ") + fmt_latex(link.after))
    return " = ".join(parts).replace("= \\overset", "\\overset")
