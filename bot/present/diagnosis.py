"""A diagnosed mistake in a teacher's words: what went wrong, where, the right step there, the fix."""

from __future__ import annotations

import sympy

from bot.present.answer import Diagnosed
from bot.present.format import fmt_expr, plain
from bot.solver.diagnosis import Finding, Slip
from bot.solver.malrules import BY_CODE

NOT_EXPLAINED = (
    "🔎 No common mistake (a misapplied rule, or two) explains this answer exactly — "
    "compare it with the derivative at the point above."
)


def diagnosed(finding: Finding | None, line: int | None = None) -> Diagnosed | None:
    """The machine-readable part (the console's ``"diagnosis"``)."""
    if finding is None:
        return None
    return Diagnosed(finding.code, sympy.sstr(finding.where), line)


def diagnosis_lines(finding: Finding | None, var: sympy.Symbol, order: int = 1) -> list[str]:
    """The teacher's explanation; when nothing explains the answer, say so."""
    if finding is None:
        return [NOT_EXPLAINED]
    if len(finding.slips) == 1:
        lines = [f"🔎 **The mistake:** {_slip_text(finding.slips[0], var, order)}"]
    else:
        lines = ["🔎 **Two mistakes** explain your answer exactly:"]
        lines += [f"{i}. {_slip_text(slip, var, order)}" for i, slip in enumerate(finding.slips, 1)]
    lines.append(f"**Corrected answer:** {fmt_expr(finding.correct)}")
    return lines


def _slip_text(slip: Slip, var: sympy.Symbol, order: int) -> str:
    rule = BY_CODE[slip.code]
    operator = f"d/d{var.name}"
    if slip.wrong_step is None or slip.right_step is None:
        return f"{rule.words[0].upper()}{rule.words[1:]} (`{slip.code}`). Remember {rule.rule}."
    return (
        f"{rule.words[0].upper()}{rule.words[1:]} (`{slip.code}`), at `{plain(slip.node)}`. "
        f"Your step there: {operator}({plain(slip.node)}) = {fmt_expr(slip.wrong_step)}; "
        f"the right step: {operator}({plain(slip.node)}) = {fmt_expr(slip.right_step)} — {rule.rule}."
    )
