"""Small, shared formatting for chat: how an expression, a number or a table reads in Markdown."""

from __future__ import annotations

from collections.abc import Sequence

import sympy
from sympy.printing.str import StrPrinter

from bot.solver.terms import typed_order

_ARC = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
        "acsc": "arccsc", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh"}


_RAISED = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class LearnerNotation(StrPrinter):
    """The notation of the course and of learners: ``ln`` not ``log``, ``arctan`` not ``atan``,
    ``e^x`` not ``exp(x)``, ``|x|`` not ``Abs``, ``e`` for Euler's number. Text and working only: the
    machine-readable ``result`` stays in SymPy syntax."""

    def _print_Exp1(self, expr: sympy.Basic) -> str:
        return "e"

    def _print_Abs(self, expr: sympy.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_log(self, expr: sympy.log) -> str:
        if len(expr.args) == 2:  # log_2 x read back unevaluated, as the learner typed it
            base = self._print(expr.args[1])
            return f"log_{base if expr.args[1].is_Atom else f'({base})'}({self._print(expr.args[0])})"
        return f"ln({self._print(expr.args[0])})"

    def _print_exp(self, expr: sympy.exp) -> str:
        power = expr.args[0]
        shown = self._print(power)
        return f"e^{shown}" if power.is_Symbol or (power.is_Integer and power >= 0) else f"e^({shown})"

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        """A sum the learner typed keeps their order of terms (SymPy sorts them)."""
        typed = typed_order(expr)
        if typed is None:
            return super()._print_Add(expr, order)
        text = self._print(typed[0])
        for term in typed[1:]:
            text += f" - {self._print(-term)}" if term.could_extract_minus_sign() else f" + {self._print(term)}"
        return text

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        """``d/dx(x^2)``, ``d²/dx²(x^3)``, ``∂²/∂x∂y(…)``: a derivative the learner wrote, read back."""
        variables = [v for v, count in expr.variable_count for _ in range(int(count))]
        mark = "∂" if len(expr.expr.free_symbols) > 1 else "d"
        raised = "" if len(variables) == 1 else str(len(variables)).translate(_RAISED)
        if len(set(variables)) == 1:
            below = f"{mark}{variables[0]}{raised}"
        else:
            below = "".join(f"{mark}{v}" for v in variables)
        return f"{mark}{raised}/{below}({self._print(expr.expr)})"

    def _print_Function(self, expr: sympy.Function) -> str:
        name = _ARC.get(type(expr).__name__)
        if name is None:
            return super()._print_Function(expr)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"


class _ChatPrinter(LearnerNotation):
    """SymPy's str form, but with ``^`` for powers, as students type them."""

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Mul(self, expr: sympy.Mul) -> str:
        return super()._print_Mul(expr).replace("**", "^")


def fmt_expr(expr: sympy.Basic) -> str:
    """An expression as inline code, readable by a learner: `x^2*sin(x)`."""
    return f"`{plain(expr)}`"


def plain(expr: sympy.Basic) -> str:
    """An expression as plain text with ``^`` powers (no Markdown)."""
    return _ChatPrinter({"order": None}).doprint(expr).replace("**", "^")


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
