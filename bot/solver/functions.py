"""The functions the parser knows: how each is built from its arguments, and its arity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from bot.errors import Undefined
from bot.solver.construction import brief, checked_factorial, checked_power, checked_quotient


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    build: Callable[[list[sympy.Expr], int], sympy.Expr]
    least: int = 1
    most: int | None = 1  # None: any number
    example: str = ""


def _plain(
    function: Callable[[sympy.Expr], sympy.Expr],
) -> Callable[[list[sympy.Expr], int], sympy.Expr]:
    return lambda args, column: function(args[0])


def _log(args: list[sympy.Expr], column: int) -> sympy.Expr:
    if len(args) == 1:
        return sympy.log(args[0])
    value, base = args
    if base.is_number and (base.is_extended_positive is False or base == 1):
        raise Undefined(
            f"a log's base must be positive and not 1, but it is {brief(base)} (column {column})",
            hint="write log(x, b) with b > 0, b ≠ 1",
            column=column,
        )
    return sympy.log(value, base)


def _root(degree: int, name: str) -> Callable[[list[sympy.Expr], int], sympy.Expr]:
    def build(args: list[sympy.Expr], column: int) -> sympy.Expr:
        return checked_power(
            args[0], sympy.Rational(1, degree), column, lambda: f"{name}({brief(args[0])})"
        )

    return build


def _sigmoid(args: list[sympy.Expr], column: int) -> sympy.Expr:
    return checked_quotient(sympy.Integer(1), 1 + sympy.exp(-args[0]), column)


FUNCTIONS: dict[str, FunctionSpec] = {
    **{
        name: FunctionSpec(_plain(getattr(sympy, name)), example=f"{name}(x)")
        for name in (
            "sin cos tan sec csc cot asin acos atan asec acsc acot "
            "sinh cosh tanh sech csch coth asinh acosh atanh asech acsch acoth exp sign floor"
        ).split()
    },
    "ln": FunctionSpec(_plain(sympy.log), example="ln(x)"),
    "log": FunctionSpec(_log, 1, 2, example="log(x) or log(x, base)"),
    "sqrt": FunctionSpec(_root(2, "sqrt"), example="sqrt(x)"),
    "cbrt": FunctionSpec(_root(3, "cbrt"), example="cbrt(x)"),
    "abs": FunctionSpec(_plain(sympy.Abs), example="abs(x)"),
    "ceil": FunctionSpec(_plain(sympy.ceiling), example="ceil(x)"),
    "factorial": FunctionSpec(
        lambda args, column: checked_factorial(args[0], column), example="factorial(n)"
    ),
    "sigmoid": FunctionSpec(_sigmoid, example="sigmoid(x)"),
    "relu": FunctionSpec(_plain(lambda x: sympy.Max(0, x)), example="relu(x)"),
    "max": FunctionSpec(lambda args, column: sympy.Max(*args), 2, None, example="max(a, b)"),
    "min": FunctionSpec(lambda args, column: sympy.Min(*args), 2, None, example="min(a, b)"),
    "heaviside": FunctionSpec(_plain(sympy.Heaviside), example="Heaviside(x)"),
    "sgn": FunctionSpec(_plain(sympy.sign), example="sgn(x)"),
    "diracdelta": FunctionSpec(_plain(sympy.DiracDelta), example="DiracDelta(x)"),
}

# f^-1 means the inverse function for these (sin^-1 x = arcsin x); for others it is ambiguous.
INVERSES = {
    name: "a" + name for name in "sin cos tan sec csc cot sinh cosh tanh sech csch coth".split()
}
