"""Text -> SymPy for everything a student types: a hand-written Pratt parser, never ``eval``.

Reading rules (also in ``NOTATION_HELP``): implicit multiplication binds exactly like ``*``, left to
right, so ``1/2x`` is (1/2)·x and ``a/bc`` is (a/b)·c, as Wolfram|Alpha reads them; an exponent is
one factor (``e^2x`` is e²·x); a function without brackets takes the implicit product after it
(``sin 2x`` is sin(2x)) and stops at ``+ - * /``, at another function and at ``|``. SymPy objects
are built directly, checked as they are built (division by zero, non-real values, sizes) so that
nothing undefined or huge leaves this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import sympy

from bot.errors import (
    BadArgument,
    CalcbotError,
    EmptyInput,
    InputTooLarge,
    ParseError,
    TooComplex,
    Undefined,
    WrongArity,
)
from bot.solver.ambiguities import record_ambiguities
from bot.solver.lexer import MAX_LENGTH, Kind, Token, tokenize
from bot.solver.variables import symbol

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "NOTATION_HELP",
    "parse",
    "parse_assignments",
    "parse_equation",
    "parse_list",
    "parse_point",
    "parse_variable",
]

MAX_DEPTH = 60  # nested brackets, powers, functions; far below Python's recursion limit
MAX_RESULT_DIGITS = 4000  # under Python's 4300-digit int -> str limit, so every result prints
MAX_FACTORIAL = 1000
MAX_SYMBOLIC_EXPONENT = 10**6
MAX_ROOT_DIGITS = 300  # SymPy factors the radicand of an inexact root: slow beyond this

NOTATION_HELP = """\
**Typing maths**
• `+ - * /`, powers `x^2`, `x**2` or `x²`; brackets `( ) [ ] { }`; `|x|` is the absolute value.
• Multiplication can be left out: `2x`, `3x^2 y`, `(x+1)(x-1)`, `2 sin x`, `(x+1)2`. It binds \
like `*`, left to right: `1/2x` is ½·x (as Wolfram|Alpha reads it); write `1/(2x)` for the other.
• `-x^2` is −(x²); `2^3^2` is 2⁹; an exponent is one factor: `e^2x` is e²·x, so write `e^(2x)`, \
`e^(-x)` (`e^-x` works too); `x^-1/2` is x⁻¹/2 and `x^1/2` is x/2, so write `x^(-1/2)`, `x^(1/2)`.
• When you type one of the readings this help calls out (`e^2x`, `x^-1/2`, `1/2x`, `√2x`, `sin x^2`, \
`sin x/2`, `sin^-1 x`, `2^3^2`), the reply keeps that reading and adds a one-line note saying so \
and how to write the other.
• Names: `x`, `x1`, `x_1`, `w₁`, Greek `theta` or `θ`. Other runs of letters are split: `xy` is \
x·y, `xy2` is x·y2; function names, `pi` and Greek names in a run are read first, longest first: \
`sinx` is sin x, `xsinx` is x·sin x, `2pir` is 2πr. A run that is a word (`about`, `the`) or a \
command's keyword (`at`, `to`, `wrt`) is never split: calcbot asks what you meant (write `a*t` for a product).
• Odd roots of negatives are real: `x^(1/3)`, `cbrt x`, `∛x`, `x^(2/3)` are real for x < 0 \
(∛−8 = −2), in every command — slopes, Newton, plots, gradients, /check and quiz answers.
• Names learners write are understood: `d/dx`, `dy/dx`, `f(x) =`, `y =` before an expression, and \
`f'(x) =`, `dy/dx =` before an answer.
• Constants: `pi`/`π`, `e` (always the number e), `oo`/`∞`. `i` is an ordinary variable.
• Functions: `sin cos tan sec csc cot`, `asin`/`arcsin` …, `sinh` …, `asinh`/`arsinh` …, `exp`, \
`ln`, `log`, `sqrt`/`√`, `cbrt`, `abs`, `sign`, `floor`, `ceil`, `n!`, `n!!`, `max(a, b)`, `min(a, b)`, \
`relu`, `sigmoid(x)` = `σ(x)` = 1/(1+e^-x).
• Without brackets a function takes the product after it: `sin 2x` = sin(2x), `sin x^2` = \
sin(x²), `sin x cos x` = sin x·cos x; it stops at `+ - * /` (`sin x/2` is (sin x)/2) and at the \
next function. `√2x` is √2·x.
• `sin^2 x` and `sin²x` are (sin x)²; `sin^-1 x` is arcsin x.
• Logs: `ln x` = `log x` (natural); `log(x, b)`, `log_2 x`, `log2(x)`, `log10(x)` for other bases.
• Decimals are exact: `0.1` is 1/10. `1e-3` is 1/1000 (a digit must follow the e: `2e` is 2·e).
• `σ` or `sigma` right before a bracket is the sigmoid; elsewhere it is a variable. Before a \
bracket one or two letters multiply (`f(x)` is f·x); a longer unknown name is an error.
"""

# Binding powers: how tightly each operator holds its left operand.
_SUM = 10
_BARE_ARGUMENT = 15  # a function's argument without brackets: products, but not sums
_PRODUCT = 20  # *, / and implicit multiplication alike
_UNARY = 25
_POWER = 30
_POSTFIX = 40  # ! and superscripts

_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_OPERAND_STARTS = frozenset(
    {Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT, Kind.FUNCTION, Kind.OPEN, Kind.BAR, Kind.ROOT}
)


# --- checked construction --------------------------------------------------------------------


def _brief(expr: sympy.Basic) -> str:
    text = sympy.sstr(expr)
    return text if len(text) <= 40 else text[:37] + "…"


def _operand(expr: sympy.Basic) -> str:
    """An expression as it reads inside a power: bracketed unless it is a single symbol or number."""
    text = _brief(expr)
    simple = expr.is_Symbol or expr.is_Integer or expr.is_NumberSymbol or expr.is_infinite
    return text if simple and not text.startswith("-") else f"({text})"


def _checked(
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


def _numeric_checked(node: sympy.Expr, column: int, describe: Callable[[], str]) -> sympy.Expr:
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


def _evaluated(
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
    return _numeric_checked(_checked(node, column, describe), column, describe)


def _power(
    base: sympy.Expr,
    exponent: sympy.Expr,
    column: int,
    describe: Callable[[], str] | None = None,
) -> sympy.Expr:
    """``base^exponent``, refusing sizes before SymPy computes them; odd roots of negatives are real."""
    if describe is None:

        def describe() -> str:
            return f"{_operand(base)}^{_operand(exponent)}"

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
            return _evaluated(lambda: sign * sympy.Pow(-base, exponent), column, describe)
    return _evaluated(lambda: sympy.Pow(base, exponent), column, describe)


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


def _product(left: sympy.Expr, right: sympy.Expr, column: int) -> sympy.Expr:
    product = _checked(left * right, column)
    return _numeric_checked(product, column, lambda: _brief(product))


def _divide(numerator: sympy.Expr, denominator: sympy.Expr, column: int) -> sympy.Expr:
    if denominator == 0:
        raise Undefined(
            f"division by zero at column {column}",
            hint="the expression after '/' is 0",
            column=column,
        )
    return _checked(numerator * sympy.Pow(denominator, -1), column)


def _factorial(argument: sympy.Expr, column: int, double: bool = False) -> sympy.Expr:
    """``n!`` (or the double factorial ``n!!``), refused above ``MAX_FACTORIAL`` before computing."""
    if argument.is_number and (argument - MAX_FACTORIAL).is_extended_positive:
        raise InputTooLarge(
            f"the factorial at column {column} is of a number above {MAX_FACTORIAL}",
            hint=f"factorials go up to {MAX_FACTORIAL}!",
            column=column,
        )
    if double and argument.is_number and not argument.is_Integer:
        raise Undefined(
            f"the double factorial at column {column} needs a whole number, not {_brief(argument)}",
            hint="n!! is n·(n-2)·(n-4)·…; for (n!)! write the brackets",
            column=column,
        )
    function = sympy.factorial2 if double else sympy.factorial
    return _evaluated(
        lambda: function(argument), column, lambda: f"the factorial of {_brief(argument)}"
    )


# --- the functions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Function:
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
            f"a log's base must be positive and not 1, but it is {_brief(base)} (column {column})",
            hint="write log(x, b) with b > 0, b ≠ 1",
            column=column,
        )
    return sympy.log(value, base)


def _root(degree: int, name: str) -> Callable[[list[sympy.Expr], int], sympy.Expr]:
    def build(args: list[sympy.Expr], column: int) -> sympy.Expr:
        return _power(
            args[0], sympy.Rational(1, degree), column, lambda: f"{name}({_brief(args[0])})"
        )

    return build


def _sigmoid(args: list[sympy.Expr], column: int) -> sympy.Expr:
    return _divide(sympy.Integer(1), 1 + sympy.exp(-args[0]), column)


_FUNCTIONS: dict[str, _Function] = {
    **{
        name: _Function(_plain(getattr(sympy, name)), example=f"{name}(x)")
        for name in (
            "sin cos tan sec csc cot asin acos atan asec acsc acot "
            "sinh cosh tanh sech csch coth asinh acosh atanh asech acsch acoth exp sign floor"
        ).split()
    },
    "ln": _Function(_plain(sympy.log), example="ln(x)"),
    "log": _Function(_log, 1, 2, example="log(x) or log(x, base)"),
    "sqrt": _Function(_root(2, "sqrt"), example="sqrt(x)"),
    "cbrt": _Function(_root(3, "cbrt"), example="cbrt(x)"),
    "abs": _Function(_plain(sympy.Abs), example="abs(x)"),
    "ceil": _Function(_plain(sympy.ceiling), example="ceil(x)"),
    "factorial": _Function(
        lambda args, column: _factorial(args[0], column), example="factorial(n)"
    ),
    "sigmoid": _Function(_sigmoid, example="sigmoid(x)"),
    "relu": _Function(_plain(lambda x: sympy.Max(0, x)), example="relu(x)"),
    "max": _Function(lambda args, column: sympy.Max(*args), 2, None, example="max(a, b)"),
    "min": _Function(lambda args, column: sympy.Min(*args), 2, None, example="min(a, b)"),
    "heaviside": _Function(_plain(sympy.Heaviside), example="Heaviside(x)"),
    "diracdelta": _Function(_plain(sympy.DiracDelta), example="DiracDelta(x)"),
}

# f^-1 means the inverse function for these (sin^-1 x = arcsin x); for others it is ambiguous.
_INVERSES = {
    name: "a" + name for name in "sin cos tan sec csc cot sinh cosh tanh sech csch coth".split()
}


# --- the parser ------------------------------------------------------------------------------


class _Parser:
    """Precedence climbing over a token list; builds SymPy objects as it goes."""

    def __init__(self, tokens: list[Token], depth: int = 0, equation: bool = False):
        self.tokens = tokens
        self.pos = 0
        self.depth = depth
        self.bars_open = 0  # |…| pairs open in the current bracket level
        self.equation = equation

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind is not Kind.END:
            self.pos += 1
        return token

    # --- the Pratt loop --------------------------------------------------------------------

    def expression(self, right_power: int = 0, bare: bool = False) -> sympy.Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputTooLarge(
                f"the expression is nested too deeply at column {self.peek().column} "
                f"(over {MAX_DEPTH} levels of brackets, powers or functions)",
                hint="simplify it, or split it into parts",
                column=self.peek().column,
            )
        try:
            left = self.prefix(self.advance())
            postfix_run = 0
            while True:
                token = self.peek()
                power = self.left_power(token, bare)
                if power <= right_power:
                    return left
                postfix_run = postfix_run + 1 if power == _POSTFIX else 0
                if postfix_run > MAX_DEPTH:
                    raise InputTooLarge(
                        f"too many '!' or powers in a row at column {token.column}",
                        hint="simplify the expression",
                        column=token.column,
                    )
                left = self.infix(left, token)
        finally:
            self.depth -= 1

    def left_power(self, token: Token, bare: bool) -> int:
        kind = token.kind
        if kind is Kind.OPERATOR:
            operator = token.name
            if operator in ("+", "-"):
                return _SUM
            if operator in ("*", "/"):
                return 0 if bare else _PRODUCT
            if operator == "^":
                return _POWER
            return _POSTFIX  # !
        if kind is Kind.SUPERSCRIPT:
            return _POSTFIX
        if kind in (Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT, Kind.OPEN):
            return _PRODUCT
        if kind in (Kind.FUNCTION, Kind.ROOT):
            return 0 if bare else _PRODUCT
        if kind is Kind.BAR:
            return 0 if bare or self.bars_open else _PRODUCT
        return 0  # CLOSE, COMMA, EQUALS, END

    def prefix(self, token: Token) -> sympy.Expr:
        kind = token.kind
        if kind is Kind.NUMBER or kind is Kind.CONSTANT:
            assert token.value is not None
            return token.value
        if kind is Kind.VARIABLE:
            return symbol(token.name)
        if kind is Kind.OPEN:
            return self.group(token)
        if kind is Kind.BAR:
            return self.absolute_value(token)
        if kind is Kind.FUNCTION:
            return self.function(token)
        if kind is Kind.ROOT:
            assert token.value is not None
            operand = self.expression(_POWER - 1)
            return _power(operand, 1 / token.value, token.column)
        if kind is Kind.OPERATOR and token.name in ("+", "-"):
            negative = token.name == "-"
            while self.peek().kind is Kind.OPERATOR and self.peek().name in ("+", "-"):
                negative ^= self.advance().name == "-"
            operand = self.expression(_UNARY)
            return _checked(-operand, token.column) if negative else operand
        raise self.unexpected(token, missing_operand=True)

    def infix(self, left: sympy.Expr, token: Token) -> sympy.Expr:
        column = token.column
        if token.kind is Kind.OPERATOR:
            self.advance()
            operator = token.name
            if operator == "+":
                return _checked(left + self.expression(_SUM), column)
            if operator == "-":
                return _checked(left - self.expression(_SUM), column)
            if operator == "*":
                return _product(left, self.expression(_PRODUCT), column)
            if operator == "/":
                return _divide(left, self.expression(_PRODUCT), column)
            if operator == "^":
                return _power(left, self.expression(_POWER - 1), column)
            return _factorial(left, column, double=operator == "!!")
        if token.kind is Kind.SUPERSCRIPT:
            self.advance()
            return _power(left, self.superscript(token), column)
        previous = self.tokens[self.pos - 1]
        if token.kind is Kind.NUMBER and previous.kind is Kind.NUMBER:
            raise ParseError(
                f"two numbers in a row at column {column}: '{previous.text}' then '{token.text}'",
                hint=f"put * between them for a product ({previous.text}*{token.text}), "
                "or remove the space if they are one number",
                column=column,
            )
        return _product(left, self.expression(_PRODUCT), column)

    # --- pieces ----------------------------------------------------------------------------

    def group(self, opener: Token) -> sympy.Expr:
        saved, self.bars_open = self.bars_open, 0
        if self.peek().kind is Kind.CLOSE and self.peek().name == _CLOSERS[opener.name]:
            raise ParseError(
                f"empty brackets at column {opener.column}",
                hint="put an expression inside, or remove them",
                column=opener.column,
            )
        inner = self.expression()
        if self.peek().kind is Kind.COMMA:
            raise self.unexpected(self.peek())
        self.expect_close(opener)
        self.bars_open = saved
        return inner

    def expect_close(self, opener: Token) -> None:
        token = self.peek()
        wanted = _CLOSERS[opener.name]
        if token.kind is Kind.CLOSE and token.name == wanted:
            self.advance()
            return
        if token.kind is Kind.CLOSE:
            raise ParseError(
                f"'{token.text}' at column {token.column} does not match the '{opener.text}' "
                f"at column {opener.column}",
                hint=f"close it with '{wanted}'",
                column=token.column,
            )
        if token.kind is Kind.END:
            raise ParseError(
                f"missing '{wanted}' for the '{opener.text}' at column {opener.column}",
                hint=f"add '{wanted}' where the bracket should end",
                column=opener.column,
            )
        raise self.unexpected(token)

    def absolute_value(self, bar: Token) -> sympy.Expr:
        self.bars_open += 1
        inner = self.expression()
        token = self.peek()
        if token.kind is Kind.END:
            raise ParseError(
                f"missing '|' to close the '|' at column {bar.column}",
                hint="absolute values are written |x|",
                column=bar.column,
            )
        if token.kind is not Kind.BAR:
            raise self.unexpected(token)
        self.advance()
        self.bars_open -= 1
        return _checked(sympy.Abs(inner), bar.column)

    def superscript(self, token: Token) -> sympy.Expr:
        inner = _Parser(tokenize(token.name, token.column - 1), self.depth)
        value = inner.expression()
        inner.expect_end()
        return value

    def function(self, token: Token) -> sympy.Expr:
        if token.name == "frac":
            return self.latex_fraction(token)
        name = token.name
        power = self.function_power(token)
        if power == -1:
            if name not in _INVERSES:
                raise ParseError(
                    f"'{token.text}^-1' at column {token.column} is ambiguous",
                    hint=f"write 1/{token.text}(x) for the reciprocal",
                    column=token.column,
                )
            name = _INVERSES[name]
        spec = _FUNCTIONS[name]
        following = self.peek()
        if following.kind is Kind.OPEN:
            if token.text == "\\sqrt" and following.name == "[":
                return self.latex_root(token)
            args = self.call_arguments(self.advance())
        elif spec.least > 1:
            raise ParseError(
                f"{token.text} at column {token.column} needs its arguments in brackets",
                hint=f"write {spec.example}",
                column=token.column,
            )
        else:
            args = [self.bare_argument(token)]
        if token.value is not None:  # log2, log_b: the base came with the name
            if len(args) != 1:
                raise WrongArity(
                    f"{token.text} takes 1 argument (its base is given), got {len(args)}",
                    hint=f"write {token.text}(x)",
                    column=token.column,
                )
            args.append(token.value)
        self.check_arity(token, spec, len(args))

        def describe() -> str:
            return f"{token.text}({', '.join(_brief(arg) for arg in args)})"

        for argument in args:
            _numeric_checked(argument, token.column, describe)
        result = _evaluated(lambda: spec.build(args, token.column), token.column, describe)
        if power is not None and power != -1:
            result = _power(result, power, token.column)
        return result

    def function_power(self, token: Token) -> sympy.Integer | None:
        """``sin^2 x``, ``sin² x``, ``sin^-1 x``, ``sin^{-1}(x)``: a whole-number power or None."""
        following = self.peek()
        if following.kind is Kind.OPERATOR and following.name == "^":
            self.advance()
            power = self.expression(_POWER - 1)
        elif following.kind is Kind.SUPERSCRIPT:
            self.advance()
            power = self.superscript(following)
        else:
            return None
        if not isinstance(power, sympy.Integer) or power == 0 or power < -1:
            raise ParseError(
                f"'{token.text}^{sympy.sstr(power)}' at column {token.column}: after a function "
                "name only a positive whole power (sin^2 x) or -1 (sin^-1 x) can be written",
                hint=f"for other powers write ({token.text} x)^p",
                column=token.column,
            )
        if power > MAX_SYMBOLIC_EXPONENT:
            raise TooComplex(
                f"the power at column {token.column} is beyond {MAX_SYMBOLIC_EXPONENT:,}",
                hint="use a smaller exponent",
                column=token.column,
            )
        return power

    def bare_argument(self, token: Token) -> sympy.Expr:
        following = self.peek()
        if following.kind not in _OPERAND_STARTS and not (
            following.kind is Kind.OPERATOR and following.name == "-"
        ):
            column = following.column if following.kind is not Kind.END else token.column
            raise ParseError(
                f"{token.text} at column {token.column} needs an argument",
                hint=f"for example {token.text}(x) or {token.text} x",
                column=column,
            )
        return self.expression(_BARE_ARGUMENT, bare=True)

    def call_arguments(self, opener: Token) -> list[sympy.Expr]:
        saved, self.bars_open = self.bars_open, 0
        args: list[sympy.Expr] = []
        if not (self.peek().kind is Kind.CLOSE and self.peek().name == _CLOSERS[opener.name]):
            args.append(self.expression())
            while self.peek().kind is Kind.COMMA:
                self.advance()
                args.append(self.expression())
        self.expect_close(opener)
        self.bars_open = saved
        return args

    def check_arity(self, token: Token, spec: _Function, count: int) -> None:
        if spec.least <= count and (spec.most is None or count <= spec.most):
            return
        if spec.most is None:
            expected = f"at least {spec.least} arguments"
        elif spec.least == spec.most:
            expected = f"{spec.least} argument" + ("s" if spec.least > 1 else "")
        else:
            expected = f"{spec.least} or {spec.most} arguments"
        got = "none" if count == 0 else str(count)
        raise WrongArity(
            f"{token.text} takes {expected}, got {got} (column {token.column})",
            hint=f"write {spec.example}",
            column=token.column,
        )

    def latex_fraction(self, token: Token) -> sympy.Expr:
        parts: list[sympy.Expr] = []
        for _ in range(2):
            opener = self.peek()
            if opener.kind is not Kind.OPEN:
                raise ParseError(
                    f"\\frac at column {token.column} needs two groups",
                    hint="write \\frac{a}{b}",
                    column=opener.column,
                )
            self.advance()
            parts.append(self.group(opener))
        return _divide(parts[0], parts[1], token.column)

    def latex_root(self, token: Token) -> sympy.Expr:
        opener = self.advance()
        degree = self.group(opener)
        if not isinstance(degree, sympy.Integer) or degree < 2:
            raise ParseError(
                f"the root at column {token.column} needs a whole degree of 2 or more",
                hint="write \\sqrt[3]{x}",
                column=opener.column,
            )
        following = self.peek()
        if following.kind is not Kind.OPEN:
            raise ParseError(
                f"\\sqrt at column {token.column} needs its argument in braces",
                hint="write \\sqrt[3]{x}",
                column=following.column,
            )
        radicand = self.group(self.advance())
        return _power(radicand, 1 / degree, token.column)

    # --- lists and errors ------------------------------------------------------------------

    def items(self) -> list[tuple[sympy.Expr, int]]:
        """Comma-separated expressions, optionally wrapped in one pair of () or []."""
        first = self.peek()
        if first.kind is Kind.OPEN and first.name in ("(", "["):
            close = self.matching_close(self.pos)
            if close == len(self.tokens) - 2 and (first.name == "[" or self.has_comma(close)):
                self.advance()
                if self.peek().kind is Kind.CLOSE:
                    raise ParseError(
                        f"empty list at column {first.column}",
                        hint="put the items inside, separated by commas",
                        column=first.column,
                    )
                found = self.comma_items(trailing_comma=True)
                self.expect_close(first)
                self.expect_end()
                return found
        found = self.comma_items()
        self.expect_end()
        return found

    def comma_items(self, trailing_comma: bool = False) -> list[tuple[sympy.Expr, int]]:
        """Items up to the end or a closing bracket; inside brackets ``(1,)`` is allowed, as SymPy
        prints a one-element tuple."""
        found: list[tuple[sympy.Expr, int]] = []
        while True:
            column = self.peek().column
            found.append((_finished(self.expression()), column))
            if self.peek().kind is not Kind.COMMA:
                return found
            self.advance()
            if trailing_comma and self.peek().kind is Kind.CLOSE:
                return found

    def matching_close(self, index: int) -> int:
        depth = 0
        for position in range(index, len(self.tokens)):
            kind = self.tokens[position].kind
            if kind is Kind.OPEN:
                depth += 1
            elif kind is Kind.CLOSE:
                depth -= 1
                if depth == 0:
                    return position
        return -1

    def has_comma(self, close: int) -> bool:
        depth = 0
        for token in self.tokens[self.pos + 1 : close]:
            if token.kind is Kind.OPEN:
                depth += 1
            elif token.kind is Kind.CLOSE:
                depth -= 1
            elif token.kind is Kind.COMMA and depth == 0:
                return True
        return False

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind is not Kind.END:
            raise self.unexpected(token)

    def unexpected(self, token: Token, missing_operand: bool = False) -> ParseError:
        column = token.column
        if token.kind is Kind.END:
            previous = self.tokens[self.pos - 1] if self.pos > 0 else None
            if previous is not None:
                return ParseError(
                    f"unexpected end of input after '{previous.text}'",
                    hint="finish the expression",
                    column=previous.column + len(previous.text),
                )
            return ParseError("there is no expression to read", hint="type one, e.g. x^2")
        if token.kind is Kind.EQUALS:
            hint = (
                "put one expression on each side of '='"
                if self.equation
                else "an expression has no '='; to check an equation or an answer use /check"
            )
        elif token.kind is Kind.COMMA:
            hint = (
                "commas separate a function's arguments, as in log(x, 2), or the items of a list; "
                "for decimals use a point: 0.5"
            )
        elif token.kind is Kind.CLOSE:
            hint = (
                "something is missing before it"
                if missing_operand
                else "there is no opening bracket for it to close"
            )
        elif token.kind is Kind.SUPERSCRIPT:
            hint = "a raised power needs something before it, as in x²"
        elif token.kind is Kind.OPERATOR:
            hint = f"'{token.text}' needs a value on each side"
        else:
            hint = "check the expression near there"
        return ParseError(f"unexpected '{token.text}' at column {column}", hint=hint, column=column)


def _finished(expr: sympy.Expr) -> sympy.Expr:
    """The last line of defence: nothing undefined leaves the parser."""
    if expr.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
        raise Undefined(
            "the expression is undefined",
            hint="check for a division by zero or a value outside a function's domain",
        )
    if not isinstance(expr, sympy.Expr):
        raise ParseError("that does not read as an expression", hint="see /help for notation")
    return expr


# --- public API ------------------------------------------------------------------------------


def parse(text: str) -> sympy.Expr:
    """One expression, e.g. ``x^2 sin x``; ``=`` is refused with a pointer to /check."""
    tokens = tokenize(text)
    parser = _Parser(tokens)
    expr = parser.expression()
    parser.expect_end()
    finished = _finished(expr)
    record_ambiguities(text, tokens)
    return finished


def parse_equation(text: str) -> tuple[sympy.Expr, sympy.Expr]:
    """``LHS = RHS`` with exactly one ``=``; returns both sides."""
    tokens = tokenize(text)
    equals = [token for token in tokens if token.kind is Kind.EQUALS]
    if not equals:
        raise ParseError("an equation needs '='", hint="for example x^2 + y^2 = 1")
    if len(equals) > 1:
        raise ParseError(
            f"only one '=' is allowed; there is another at column {equals[1].column}",
            hint="write a single equation, e.g. x^2 + y^2 = 1",
            column=equals[1].column,
        )
    parser = _Parser(tokens, equation=True)
    left = parser.expression()
    if parser.peek().kind is not Kind.EQUALS:
        raise parser.unexpected(parser.peek())
    parser.advance()
    right = parser.expression()
    parser.expect_end()
    sides = _finished(left), _finished(right)
    record_ambiguities(text, tokens)
    return sides


def parse_list(text: str) -> list[sympy.Expr]:
    """``[f1, f2, f3]``, ``(a, b)`` or ``f1, f2``: the expressions separated by top-level commas."""
    tokens = tokenize(text)
    found = [expr for expr, _ in _Parser(tokens).items()]
    record_ambiguities(text, tokens)
    return found


def parse_point(text: str) -> tuple[sympy.Expr, ...]:
    """A point such as ``(1, 2)``, ``1, 2``, ``[1,2]``, ``3`` or ``pi/2``: finite real numbers only."""
    found = _Parser(tokenize(text)).items()
    for position, (value, column) in enumerate(found, start=1):
        if value.free_symbols:
            names = ", ".join(sorted(str(s) for s in value.free_symbols))
            raise BadArgument(
                f"a point needs numbers, but coordinate {position} ({_brief(value)}) contains {names}",
                hint="give numbers, e.g. (1, 2) or pi/2",
                column=column,
            )
        if value.is_finite is False:
            raise BadArgument(
                f"coordinate {position} of the point is infinite",
                hint="give finite numbers, e.g. (1, 2)",
                column=column,
            )
    return tuple(value for value, _ in found)


def parse_variable(text: str) -> sympy.Symbol:
    """One variable name: ``x``, ``t``, ``x1``, ``x_1``, ``theta``, ``θ``; anything else is refused."""
    shown = text.strip()[:40]
    try:
        tokens = tokenize(text)
    except (EmptyInput, InputTooLarge):
        raise
    except CalcbotError as error:
        raise BadArgument(
            f"'{shown}' is not a variable name",
            hint="use a letter, a letter with a number (x1, x_1) or a Greek name (theta)",
            column=error.column,
        ) from error
    read = tokens[:-1]
    if len(read) == 1 and read[0].kind is Kind.VARIABLE:
        return symbol(read[0].name)
    first = read[0]
    if len(read) == 1 and first.kind is Kind.CONSTANT:
        message = f"'{shown}' is a constant, not a variable"
    elif len(read) == 1 and first.kind is Kind.FUNCTION:
        message = f"'{shown}' is a function name, not a variable"
    elif all(token.word and token.word == first.word for token in read):
        pieces = "·".join(token.text for token in read)
        message = f"'{shown}' is not one variable: it reads as {pieces}"
    else:
        message = f"'{shown}' is not a variable name"
    raise BadArgument(
        message,
        hint="use a letter, a letter with a number (x1, x_1) or a Greek name (theta)",
        column=first.column,
    )


def parse_assignments(text: str) -> dict[sympy.Symbol, sympy.Expr]:
    """``x = cos t, y = sin t`` or ``A=1, w=2``: variables and their values, in order."""
    tokens = tokenize(text)
    parser = _Parser(tokens, equation=True)
    found: dict[sympy.Symbol, sympy.Expr] = {}
    while True:
        token = parser.peek()
        following = parser.tokens[parser.pos + 1] if token.kind is not Kind.END else token
        if token.kind is Kind.VARIABLE and following.kind is Kind.EQUALS:
            parser.advance()
            parser.advance()
        elif (
            token.kind is Kind.VARIABLE
            and following.kind is Kind.VARIABLE
            and token.word == following.word
        ):
            raise BadArgument(
                f"'{token.word}' at column {token.column} is not one variable name "
                f"(it reads as a product)",
                hint="assign one variable at a time: x = 1, y = 2",
                column=token.column,
            )
        elif token.kind in (Kind.CONSTANT, Kind.FUNCTION) and following.kind is Kind.EQUALS:
            kind = "a constant" if token.kind is Kind.CONSTANT else "a function name"
            raise BadArgument(
                f"'{token.text}' at column {token.column} is {kind}; it cannot be given a value",
                hint="use a variable name such as a, x1 or theta",
                column=token.column,
            )
        elif token.kind is Kind.VARIABLE:
            raise ParseError(
                f"expected '=' after '{token.text}' at column {token.column}",
                hint="write values as x = cos t, y = sin t",
                column=following.column,
            )
        else:
            raise ParseError(
                f"expected a variable name at column {token.column}",
                hint="write values as x = cos t, y = sin t",
                column=token.column,
            )
        variable = symbol(token.name)
        if variable in found:
            raise BadArgument(
                f"{token.name} is given a value twice (column {token.column})",
                hint="give each variable one value",
                column=token.column,
            )
        found[variable] = _finished(parser.expression())
        separator = parser.peek()
        if separator.kind is Kind.END:
            record_ambiguities(text, tokens)
            return found
        if separator.kind is not Kind.COMMA:
            raise parser.unexpected(separator)
        parser.advance()
