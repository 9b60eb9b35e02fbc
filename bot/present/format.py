"""Small, shared formatting for chat: how an expression, a number or a table reads in Markdown."""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from bot.solver.learner_notation import LearnerNotation, learner_text

__all__ = ["LearnerNotation", "fmt_expr", "fmt_latex", "fmt_number", "fmt_table", "plain", "result_str"]


def fmt_expr(expr: sympy.Basic) -> str:
    """An expression as inline code, readable by a learner: `x^2*sin(x)`."""
    return f"`{plain(expr)}`"


def plain(expr: sympy.Basic) -> str:
    """An expression as plain text with ``^`` powers (no Markdown), in the learner's notation."""
    return learner_text(expr)


def fmt_latex(expr: sympy.Basic) -> str:
    return sympy.latex(expr)


def result_str(expr: sympy.Basic) -> str:
    """The machine-readable answer: SymPy syntax, re-parseable by our parser (and by SymPy)."""
    return sympy.sstr(expr)


def fmt_number(value: sympy.Basic | float, digits: int = 8) -> str:
    """A number for a table: exact if short, else a decimal with ``digits`` significant figures."""
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, sympy.Integer) or (isinstance(value, sympy.Rational) and len(str(value)) <= 12):
        return str(value)
    numeric = sympy.N(value, digits + 2)
    if not numeric.is_Number:  # no numeric value (DiracDelta(0), a symbol left over): show it as it is
        return plain(value)
    return f"{float(numeric):.{digits}g}"


def fmt_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (the console and Slack show it as monospaced text, Discord as-is)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
