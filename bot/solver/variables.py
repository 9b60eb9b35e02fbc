"""Canonical symbols and the rules for choosing variables, shared by every solver operation.

All symbols are real: calcbot teaches real calculus, and real symbols let SymPy simplify
``d/dx |x|`` to ``sign(x)`` and ``sqrt(x**2)`` sensibly.
"""

from __future__ import annotations

import sympy

from bot.errors import AmbiguousVariable, BadArgument


def symbol(name: str) -> sympy.Symbol:
    """The one symbol calcbot uses for ``name`` (the parser and every command go through here)."""
    return sympy.Symbol(name, real=True)


def ordered_variables(expr: sympy.Basic | sympy.MatrixBase, given: list[str] | None = None) -> list[sympy.Symbol]:
    """Variables in the order the user gave (``vars x,y,z``), else alphabetical by name."""
    if given:
        return [symbol(name) for name in given]
    free = {s for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    return sorted(free, key=lambda s: s.name)


def default_variable(expr: sympy.Basic, wrt: str | None = None) -> sympy.Symbol:
    """``wrt`` if given; else x if present; else the only variable; several -> ask."""
    free = ordered_variables(expr)
    if wrt is not None:
        var = symbol(wrt)
        if not wrt.isidentifier():
            raise BadArgument(f"'{wrt}' is not a variable name")
        return var
    names = [s.name for s in free]
    if "x" in names:
        return symbol("x")
    if len(free) == 1:
        return free[0]
    if not free:
        return symbol("x")
    raise AmbiguousVariable(
        f"which variable? This expression has {', '.join(names)}",
        hint=f"say which, e.g. 'wrt {names[0]}'",
    )
