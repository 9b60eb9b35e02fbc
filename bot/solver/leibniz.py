"""Leibniz derivative notation, read from normalised text: ``d/dx``, ``d^2/dx^2``, ``d²/dx²``,
``d2/dx2``, ``dy/dx``, ``d²y/dx²``, ``∂/∂y``, ``∂f/∂x``, ``∂²/∂x∂y``, and LaTeX ``\\frac{d}{dx}``.

The lexer turns what is read here into DERIVATIVE tokens, and ``prefixes.py`` reads the same forms at
the start of a command; the grammar applies them (and primes, ``(x^2)'``) to their operands.
"""

from __future__ import annotations

import re

from bot.errors import InputTooLarge, ParseError
from bot.solver.vocabulary import (
    ASCII_LETTERS,
    GREEK_LETTERS,
    GREEK_NAMES,
    LETTERS,
    SUBSCRIPTS,
    is_ascii_letter,
    is_digit,
    is_letter,
)

PRIMES = frozenset("'′’")
DERIVATIVE_STARTS = frozenset("d∂")
MAX_DERIVATIVE_ORDER = 10  # as /derive's ``order``
_ORDER_MARK = re.compile(r"\^\s*\{?\s*([0-9]+)\s*\}?|([²³⁴⁵⁶⁷⁸⁹])")
_SUPERSCRIPT_DIGITS = dict(zip("²³⁴⁵⁶⁷⁸⁹", range(2, 10), strict=True))
_GREEK_WORDS = sorted(GREEK_NAMES, key=len, reverse=True)


def _order_at(source: str, index: int, digits: bool) -> tuple[int, int]:
    """An order written at ``index``: ``^2``, ``^{2}``, ``²`` (or ``2`` when ``digits``); (order, end)."""
    match = _ORDER_MARK.match(source, index)
    if match:
        return (int(match.group(1)) if match.group(1) else _SUPERSCRIPT_DIGITS[match.group(2)]), match.end()
    if digits and index < len(source) and source[index] in "23456789" and not (
        index + 1 < len(source) and source[index + 1].isdigit()
    ):
        return int(source[index]), index + 1
    return 1, index


def _skip_spaces(source: str, index: int) -> int:
    while index < len(source) and source[index] == " ":
        index += 1
    return index


def _variable_at(source: str, index: int, mark: str = "") -> tuple[str, int] | None:
    """A variable name at ``index``: ``x``, ``θ``, ``theta``, ``x1``, ``x_1``, ``x₁``."""
    char = source[index] if index < len(source) else ""
    if char in GREEK_LETTERS:
        name, end = GREEK_LETTERS[char], index + 1
    elif char in ASCII_LETTERS:
        name, end = char, index + 1
        for word in _GREEK_WORDS:
            if source.startswith(word, index) and not is_ascii_letter(source[index + len(word) : index + len(word) + 1]):
                name, end = word, index + len(word)
                break
    else:
        return None
    if name in ("e", "E"):
        return None
    if is_digit(source[end : end + 1]):
        stop = end
        while is_digit(source[stop : stop + 1]):
            stop += 1
        name, end = name + source[end:stop], stop
    elif source[end : end + 1] == "_" and (is_digit(source[end + 1 : end + 2]) or is_ascii_letter(source[end + 1 : end + 2])):
        stop = end + 1
        while is_digit(source[stop : stop + 1]) or is_ascii_letter(source[stop : stop + 1]):
            stop += 1
        name, end = name + source[end:stop], stop
    elif source[end : end + 1] in SUBSCRIPTS:
        stop = end
        while source[stop : stop + 1] in SUBSCRIPTS and source[stop : stop + 1]:
            stop += 1
        name, end = name + "_" + "".join(SUBSCRIPTS[c] for c in source[end:stop]), stop
    if is_ascii_letter(source[end : end + 1]) and not (
        source[end : end + 1] == mark and is_letter(source[end + 1 : end + 2])
    ):
        return None  # "d/dxy": not one variable (but d²/dxdy is dx then dy)
    return name, end


def read_leibniz(source: str, start: int) -> tuple[int, list[str], str] | None:
    """Leibniz notation at ``start`` in normalised text: (end, variables in order, the function letter
    of ``dy/dx`` or ""), or None. ``d/dx2`` is d/d(x2); after ``d2`` on top, ``dx2`` is dx²."""
    mark = source[start]
    order, index = _order_at(source, start + 1, digits=True)
    index = _skip_spaces(source, index)
    function = ""
    if source[index : index + 1] in LETTERS and not is_letter(source[index + 1 : index + 2]):
        function = source[index]
        order_after, index = _order_at(source, index + 1, digits=False)  # ∂χ²/∂m: χ² is the name
        if order_after != 1 and order == 1:
            function += source[index - 1]
        index = _skip_spaces(source, index)
    if source[index : index + 1] != "/":
        return None
    index = _skip_spaces(source, index + 1)
    variables: list[str] = []
    end = index
    while source[index : index + 1] == mark:
        found = _variable_at(source, index + 1, mark if order > 1 else "")
        if found is None:
            return None
        name, after = found
        if order > 1 and is_digit(name[-1]) and len(name) == 2 and len(variables) + int(name[-1]) == order:
            variables += [name[:-1]] * int(name[-1])  # d2/dx2: x, twice
        elif order > 1:
            power, after = _order_at(source, after, digits=False)
            variables += [name] * power
        else:
            variables.append(name)
        end = after
        index = _skip_spaces(source, after)
        if order > 1 and source[index : index + 1] == "*" and source[index + 1 : index + 2] == mark:
            index += 1
    if len(variables) != order:
        return None
    return end, variables, function


_LATEX_D = r"(?:d|\\partial|\\mathrm\{d\})"
_LATEX_POWER = r"(?:\^\s*\{?\s*(?P<NAME>[0-9]+)\s*\}?)?"
_LATEX_LEIBNIZ = re.compile(
    r"\\[dt]?frac\s*\{\s*" + _LATEX_D + r"\s*" + _LATEX_POWER.replace("NAME", "order")
    + r"\s*(?P<function>[A-Za-z])?\s*\}\s*\{(?P<below>(?:\s*" + _LATEX_D
    + r"\s*[A-Za-z](?:\^\s*\{?\s*[0-9]+\s*\}?)?)+)\s*\}"
)
_LATEX_BELOW = re.compile(_LATEX_D + r"\s*(?P<var>[A-Za-z])" + _LATEX_POWER.replace("NAME", "power"))


def _latex_leibniz_variables(match: re.Match[str]) -> list[str] | None:
    """``\\frac{d^2}{dx^2}`` → ["x", "x"]; None when the orders above and below differ."""
    variables: list[str] = []
    for part in _LATEX_BELOW.finditer(match.group("below")):
        variables += [part.group("var")] * int(part.group("power") or 1)
    order = int(match.group("order") or 1)
    return variables if len(variables) == order else None


def read_derivative(source: str, start: int, column: int) -> tuple[int, str, str] | None:
    """``d/dx``, ``d^2/dx^2``, ``d²/dx²``, ``d2/dx2``, ``dy/dx``, ``d²y/dx²``, ``∂/∂y``, ``∂f/∂x``,
    ``∂²/∂x∂y`` at ``start`` (``column`` for messages): (end, the variables as "x,x", the function
    letter or ""), or None if it is not one."""
    if start > 0 and (is_letter(source[start - 1]) or source[start - 1] == "_"):
        return None  # "dd/dx" or "ad/dx": part of a longer run
    found = read_leibniz(source, start)
    if found is None:
        return None
    end, variables, function = found
    if len(variables) > MAX_DERIVATIVE_ORDER:
        raise InputTooLarge(
            f"the derivative at column {column} is of order {len(variables)}",
            hint=f"orders up to {MAX_DERIVATIVE_ORDER} are worked out",
            column=column,
        )
    return end, ",".join(variables), function


def read_latex_derivative(source: str, start: int, column: int) -> tuple[int, str, str] | None:
    """``\\frac{d}{dx}``, ``\\frac{d^2 y}{dx^2}``, ``\\frac{\\partial^2}{\\partial x \\partial y}``
    at ``start``: (end, the variables as "x,x", the function letter or ""), or None."""
    leibniz = _LATEX_LEIBNIZ.match(source, start)
    if leibniz is None:
        return None
    variables = _latex_leibniz_variables(leibniz)
    if variables is None:
        raise ParseError(
            f"the orders in the derivative at column {column} do not match",
            hint="write \\frac{d^2}{dx^2} for a second derivative",
            column=column,
        )
    return leibniz.end(), ",".join(variables), leibniz.group("function") or ""
