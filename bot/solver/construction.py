"""SymPy objects built and checked as the parser reads them: nothing undefined, non-real or too big
to use leaves the parser (division by zero, 0 to a negative power, 10^10^10, exp(sinh(100))).

Odd roots of negative numbers are real here (∛−8 = −2), as in the course.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import sympy

from bot.errors import InputTooLarge, ParseError, TooComplex, Undefined

MAX_RESULT_DIGITS = 4000  # under Python's 4300-digit int -> str limit, so every result prints
MAX_FACTORIAL = 1000
MAX_SYMBOLIC_EXPONENT = 10**6
MAX_ROOT_DIGITS = 300  # SymPy factors the radicand of an inexact root: slow beyond this


def brief(expr: sympy.Basic) -> str:
    text = sympy.sstr(expr)
    return text if len(text) <= 40 else text[:37] + "…"


def operand_text(expr: sympy.Basic) -> str:
    """An expression as it reads inside a power: bracketed unless it is a single symbol or number."""
    text = brief(expr)
    simple = expr.is_Symbol or expr.is_Integer or expr.is_NumberSymbol or expr.is_infinite
    return text if simple and not text.startswith("-") else f"({text})"


def checked(
    node: sympy.Expr, column: int | None, describe: Callable[[], str] | None = None
) -> sympy.Expr:
    """Refuse a freshly built node that is undefined or holds a number or power too big to use."""
    for part in (node, *node.args):
        if part is sympy.zoo or part is sympy.nan or isinstance(part, sympy.AccumBounds):
            what = describe() if describe else "the expression"
            raise Undefined(
                f"{what} is undefined" + (f" (column {column})" if column else ""),
                hint="it has no finite value; check for a division by zero or a value outside the domain",
                column=column,
            )
        if part.is_Rational and max(abs(part.p), part.q).bit_length() > _MAX_RESULT_BITS:
            raise InputTooLarge(
                f"a number at column {column} would have more than {MAX_RESULT_DIGITS} digits",
                hint="numbers that big are out of range here",
                column=column,
            )
        if part.is_Pow and part.exp.is_Rational and _beyond(part.exp, MAX_SYMBOLIC_EXPONENT):
            raise TooComplex(
                f"the power at column {column} has an exponent beyond ±{MAX_SYMBOLIC_EXPONENT:,}",
                hint="use a smaller exponent",
                column=column,
            )
    return node


_MAX_RESULT_BITS = int(MAX_RESULT_DIGITS / math.log10(2))


def _beyond(number: sympy.Rational, limit: int) -> bool:
    return abs(number.p) > limit * number.q


def _log10_abs(number: sympy.Rational) -> float:
    """log10 |p/q| for a non-zero rational of any size (no float overflow)."""
    return math.log10(abs(number.p)) - math.log10(number.q)


_LARGEST_VALUE = sympy.Float(10) ** MAX_RESULT_DIGITS


def numeric_checked(node: sympy.Expr, column: int, describe: Callable[[], str]) -> sympy.Expr:
    """A value without variables must be real and below 10^MAX_RESULT_DIGITS in size.

    calcbot has no complex numbers; and a gigantic value such as exp(sinh(100)) would make SymPy
    compute π to astronomically many digits the moment anything asks cos of it.
    """
    if node.is_Rational or not node.is_number:
        return node
    try:
        real = node.is_extended_real
        real_part, imaginary_part = node.evalf(15).as_real_imag()
    except (ArithmeticError, ValueError, TypeError):
        return node
    parts = [part for part in (real_part, imaginary_part) if part.is_Float]
    if any(abs(part) > _LARGEST_VALUE for part in parts):
        raise InputTooLarge(
            f"a value at column {column} is larger than 10^{MAX_RESULT_DIGITS}",
            hint="numbers that big are out of range here",
            column=column,
        )
    if real is None and imaginary_part.is_Float:
        real = imaginary_part == 0
    if real is False:
        raise Undefined(
            f"{describe()} is not a real number (column {column})",
            hint="calcbot works with real numbers: roots of negatives, logs of negatives and "
            "arcsin/arccos outside [-1, 1] have no real value",
            column=column,
        )
    return node


def evaluated(
    build: Callable[[], sympy.Expr], column: int, describe: Callable[[], str]
) -> sympy.Expr:
    """Run one SymPy construction; its refusals, undefined or unreal values become our errors."""
    try:
        node = build()
    except (ValueError, TypeError, ArithmeticError) as error:
        # SymPy refuses some numeric arguments outright (Max of incomparable values, poles).
        raise Undefined(
            f"{describe()} cannot be evaluated (column {column})",
            hint="check the values involved",
            column=column,
        ) from error
    return numeric_checked(checked(node, column, describe), column, describe)


def checked_power(
    base: sympy.Expr,
    exponent: sympy.Expr,
    column: int,
    describe: Callable[[], str] | None = None,
) -> sympy.Expr:
    """``base^exponent``, refusing sizes before SymPy computes them; odd roots of negatives are real."""
    if describe is None:

        def describe() -> str:
            return f"{operand_text(base)}^{operand_text(exponent)}"

    if base.is_zero and exponent.is_extended_negative:
        raise Undefined(
            f"0 to a negative power is a division by zero (column {column})",
            hint="check the base of the power",
            column=column,
        )
    if isinstance(exponent, sympy.Rational):
        _refuse_huge_power(base, exponent, column)
        if (
            not exponent.is_Integer
            and base.is_number
            and base.is_extended_negative
            and exponent.q % 2 == 1
        ):
            sign = -1 if exponent.p % 2 else 1
            return evaluated(lambda: sign * sympy.Pow(-base, exponent), column, describe)
    return evaluated(lambda: sympy.Pow(base, exponent), column, describe)


def _refuse_huge_power(base: sympy.Expr, exponent: sympy.Rational, column: int) -> None:
    if exponent == 0:
        return
    too_large = InputTooLarge(
        f"the power at column {column} would have more than {MAX_RESULT_DIGITS} digits",
        hint="numbers that big are out of range here",
        column=column,
    )
    if isinstance(base, sympy.Rational):
        largest = max(abs(base.p), base.q)
        if largest > 1 and _log10_abs(exponent) + math.log10(math.log10(largest)) > math.log10(
            MAX_RESULT_DIGITS
        ):
            raise too_large
        if not exponent.is_Integer and largest.bit_length() > MAX_ROOT_DIGITS / math.log10(2):
            raise TooComplex(
                f"the root at column {column} is of a number with more than {MAX_ROOT_DIGITS} digits",
                hint="use a smaller number",
                column=column,
            )
    elif base.is_number:
        if _log10_abs(exponent) > 2:
            magnitude = sympy.Abs(base).evalf(15)
            if magnitude.is_Float and magnitude > 0 and magnitude.is_finite:
                scale = abs(float(sympy.log(magnitude) / math.log(10)))
                if scale > 0 and _log10_abs(exponent) + math.log10(scale) > math.log10(
                    MAX_RESULT_DIGITS
                ):
                    raise too_large
    elif _beyond(exponent, MAX_SYMBOLIC_EXPONENT):
        raise TooComplex(
            f"the power at column {column} has an exponent beyond ±{MAX_SYMBOLIC_EXPONENT:,}",
            hint="use a smaller exponent",
            column=column,
        )


def checked_product(left: sympy.Expr, right: sympy.Expr, column: int) -> sympy.Expr:
    product = checked(left * right, column)
    return numeric_checked(product, column, lambda: brief(product))


def checked_quotient(numerator: sympy.Expr, denominator: sympy.Expr, column: int) -> sympy.Expr:
    if denominator == 0:
        raise Undefined(
            f"division by zero at column {column}",
            hint="the expression after '/' is 0",
            column=column,
        )
    return checked(numerator * sympy.Pow(denominator, -1), column)


def checked_factorial(argument: sympy.Expr, column: int, double: bool = False) -> sympy.Expr:
    """``n!`` (or the double factorial ``n!!``), refused above ``MAX_FACTORIAL`` before computing."""
    if argument.is_number and (argument - MAX_FACTORIAL).is_extended_positive:
        raise InputTooLarge(
            f"the factorial at column {column} is of a number above {MAX_FACTORIAL}",
            hint=f"factorials go up to {MAX_FACTORIAL}!",
            column=column,
        )
    if double and argument.is_number and not argument.is_Integer:
        raise Undefined(
            f"the double factorial at column {column} needs a whole number, not {brief(argument)}",
            hint="n!! is n·(n-2)·(n-4)·…; for (n!)! write the brackets",
            column=column,
        )
    function = sympy.factorial2 if double else sympy.factorial
    return evaluated(
        lambda: function(argument), column, lambda: f"the factorial of {brief(argument)}"
    )


def finished(expr: sympy.Expr) -> sympy.Expr:
    """The last line of defence: nothing undefined leaves the parser."""
    if expr.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
        raise Undefined(
            "the expression is undefined",
            hint="check for a division by zero or a value outside a function's domain",
        )
    if not isinstance(expr, sympy.Expr):
        raise ParseError("that does not read as an expression", hint="see /help for notation")
    return expr
