"""How an expression reads for a learner: the course's notation, never SymPy's spellings.

The solver writes rule notes with it and the present layer writes whole answers with it, so a
learner never reads ``atan``, ``exp(…)``, ``log`` for ln, ``Abs``, ``Heaviside`` or ``Matrix([[…]])``.
The machine-readable ``result`` stays in SymPy syntax (``sympy.sstr``).
"""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter

from bot.solver.terms import typed_order

_ARC = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
        "acsc": "arccsc", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh", "asech": "arsech",
        "acsch": "arcsch", "acoth": "arcoth"}
_RAISED = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_NAMES = {"sign": "sgn", "DiracDelta": "δ", "Max": "max", "Min": "min", "ceiling": "ceil"}


class LearnerNotation(StrPrinter):
    """The notation of the course and of learners: ``ln`` not ``log``, ``arctan`` not ``atan``,
    ``e^x`` not ``exp(x)``, ``|x|`` not ``Abs``, ``e`` for Euler's number, ``sgn`` and ``H`` for
    sign and the unit step, a matrix as its rows. Text and working only."""

    def _print_Exp1(self, expr: sympy.Basic) -> str:
        return "e"

    def _print_Abs(self, expr: sympy.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_log(self, expr: sympy.log) -> str:
        if len(expr.args) == 2:  # log_2 x read back unevaluated, as the learner typed it
            base = self._print(expr.args[1])
            return f"log_{base if expr.args[1].is_Atom else f'({base})'}({self._print(expr.args[0])})"
        return f"ln({self._print(expr.args[0])})"

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

    def _print_exp(self, expr: sympy.exp) -> str:
        power = expr.args[0]
        shown = self._print(power)
        return f"e^{shown}" if power.is_Symbol or (power.is_Integer and power >= 0) else f"e^({shown})"

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        if expr.exp == sympy.Rational(1, 3):  # as typed: cbrt x, like sqrt x for the power 1/2
            return f"cbrt({self._print(expr.base)})"
        if expr.exp == sympy.Rational(-1, 3):
            return f"1/cbrt({self._print(expr.base)})"
        return super()._print_Pow(expr, rational)

    def _print_Heaviside(self, expr: sympy.Heaviside) -> str:
        return f"H({self._print(expr.args[0])})"  # the unit step: 0 left of 0, 1 right of it

    def _print_MatrixBase(self, expr: sympy.MatrixBase) -> str:
        return "[" + ", ".join("[" + ", ".join(self._print(e) for e in row) + "]" for row in expr.tolist()) + "]"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        """A sum the learner typed keeps their order of terms (SymPy sorts them)."""
        typed = typed_order(expr)
        if typed is None:
            return super()._print_Add(expr, order)
        text = self._print(typed[0])
        for term in typed[1:]:
            text += f" - {self._print(-term)}" if term.could_extract_minus_sign() else f" + {self._print(term)}"
        return text

    def _print_Function(self, expr: sympy.Function) -> str:
        kind = type(expr).__name__
        name = _ARC.get(kind) or _NAMES.get(kind)
        if name is None:
            return super()._print_Function(expr)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_MinMaxBase(self, expr: sympy.Basic) -> str:
        return self._print_Function(expr)  # type: ignore[arg-type]

    _print_Max = _print_MinMaxBase
    _print_Min = _print_MinMaxBase


class _PowerPrinter(LearnerNotation):
    """With ``^`` for powers, as students type them."""

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Mul(self, expr: sympy.Mul) -> str:
        return super()._print_Mul(expr).replace("**", "^")


def learner_text(expr: sympy.Basic) -> str:
    """An expression as plain text in the learner's notation, with ``^`` powers (no Markdown)."""
    return _PowerPrinter({"order": None}).doprint(expr).replace("**", "^")
