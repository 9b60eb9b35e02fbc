"""Text -> SymPy for everything a student types: a hand-written Pratt parser, never ``eval``.

Reading rules (also in ``NOTATION_HELP``): implicit multiplication binds exactly like ``*``, left to
right, so ``1/2x`` is (1/2)·x and ``a/bc`` is (a/b)·c, as Wolfram|Alpha reads them; an exponent is
one factor (``e^2x`` is e²·x); a function without brackets takes the implicit product after it
(``sin 2x`` is sin(2x)) and stops at ``+ - * /``, at another function and at ``|``. SymPy objects
are built directly, checked as they are built (division by zero, non-real values, sizes) so that
nothing undefined or huge leaves this module.
"""

from __future__ import annotations

import sympy

from bot.errors import BadArgument, CalcbotError, EmptyInput, InputTooLarge, ParseError
from bot.solver.ambiguities import record_ambiguities
from bot.solver.construction import MAX_RESULT_DIGITS, brief, finished
from bot.solver.grammar import MAX_DEPTH, Parser
from bot.solver.lexer import MAX_LENGTH, tokenize
from bot.solver.notation import NOTATION_HELP
from bot.solver.terms import record_typed_order
from bot.solver.tokens import Kind
from bot.solver.variables import symbol
from bot.stages import stage

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_RESULT_DIGITS",
    "NOTATION_HELP",
    "parse",
    "parse_assignments",
    "parse_equation",
    "parse_list",
    "parse_point",
    "parse_variable",
    "split_top_level",
]


@stage("reading")
def parse(text: str) -> sympy.Expr:
    """One expression, e.g. ``x^2 sin x``; ``=`` is refused with a pointer to /check."""
    tokens = tokenize(text)
    parser = Parser(tokens)
    expr = parser.expression()
    parser.expect_end()
    read = finished(expr)
    record_ambiguities(text, tokens)
    record_typed_order(text, read, tokens)
    return read


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
    parser = Parser(tokens, equation=True)
    left = parser.expression()
    if parser.peek().kind is not Kind.EQUALS:
        raise parser.unexpected(parser.peek())
    parser.advance()
    right = parser.expression()
    parser.expect_end()
    sides = finished(left), finished(right)
    record_ambiguities(text, tokens)
    record_typed_order(text[: equals[0].column - 1], sides[0])
    record_typed_order(text[equals[0].column :], sides[1])
    return sides


def parse_list(text: str) -> list[sympy.Expr]:
    """``[f1, f2, f3]``, ``(a, b)`` or ``f1, f2``: the expressions separated by top-level commas."""
    tokens = tokenize(text)
    found = [expr for expr, _ in Parser(tokens).items()]
    record_ambiguities(text, tokens)
    pieces = _top_level_pieces(text)
    if len(pieces) == len(found):  # each item's terms echoed in the learner's order, as parse does
        for piece, expr in zip(pieces, found, strict=True):
            record_typed_order(piece, expr)
    return found


def _top_level_pieces(text: str) -> list[str]:
    """``(a, b + c)`` → ``["a", "b + c"]``: the text of each item of a list (one outer bracket pair off)."""
    body = text.strip()
    if body[:1] in "([" and body[-1:] in ")]":
        body = body[1:-1]
    return split_top_level(body, ",")


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside brackets, each part stripped."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def parse_point(text: str) -> tuple[sympy.Expr, ...]:
    """A point such as ``(1, 2)``, ``1, 2``, ``[1,2]``, ``3`` or ``pi/2``: finite real numbers only.

    Named coordinates are read too — ``x = 3``, ``x=1, y=2``, ``(x, y) = (1, 2)`` — and put in the
    order of the variables' names, which is the order every command takes its variables in unless
    told otherwise (``vars``)."""
    if text.lstrip().startswith("="):  # `x0 = 1`: the keyword was the name
        text = text.lstrip()[1:]
    tokens = tokenize(text)
    if any(token.kind is Kind.EQUALS for token in tokens):
        return _named_point(text)
    found = Parser(tokens).items()
    for position, (value, column) in enumerate(found, start=1):
        if value.free_symbols:
            names = ", ".join(sorted(str(s) for s in value.free_symbols))
            raise BadArgument(
                f"a point needs numbers, but coordinate {position} ({brief(value)}) contains {names}",
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


def _named_point(text: str) -> tuple[sympy.Expr, ...]:
    """``x = 3``, ``x=1, y=2``, ``(x = 1, y = 2)``, ``(x, y) = (1, 2)``: coordinates by name."""
    body = text.strip()
    if body[:1] in "([" and body[-1:] in ")]" and len(split_top_level(body, "=")) == 1:
        body = body[1:-1]  # (x = 1, y = 2)
    sides = split_top_level(body, "=")
    if len(sides) == 2 and sides[0][:1] in "([":  # (x, y) = (1, 2)
        names = [parse_variable(name) for name in split_top_level(sides[0].strip()[1:-1], ",")]
        values = parse_point(sides[1])
        if len(names) != len(values) or len(set(names)) != len(names):
            raise BadArgument(
                f"the point names {len(names)} variable(s) but gives {len(values)} value(s)",
                hint="e.g. at (x, y) = (1, 2), or at x = 1, y = 2",
            )
        named = dict(zip(names, values, strict=True))
    else:
        named = parse_assignments(body)
    for variable, value in named.items():
        checked_value = parse_point_value(value, variable.name)
        named[variable] = checked_value
    return tuple(named[variable] for variable in sorted(named, key=lambda v: v.name))


def parse_point_value(value: sympy.Expr, name: str) -> sympy.Expr:
    """A named coordinate must be a finite number."""
    if value.free_symbols:
        names = ", ".join(sorted(str(s) for s in value.free_symbols))
        raise BadArgument(
            f"a point needs numbers, but {name} = {brief(value)} contains {names}",
            hint="give numbers, e.g. at x = 1, y = 2",
        )
    if value.is_finite is False:
        raise BadArgument(f"the coordinate {name} of the point is infinite", hint="give finite numbers")
    return value


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
    parser = Parser(tokens, equation=True)
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
        found[variable] = finished(parser.expression())
        separator = parser.peek()
        if separator.kind is Kind.END:
            record_ambiguities(text, tokens)
            return found
        if separator.kind is not Kind.COMMA:
            raise parser.unexpected(separator)
        parser.advance()
