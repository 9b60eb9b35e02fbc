"""Chat-transcript tests of the command families, and readers for the ``result`` field of a reply.

``Reply.result`` is SymPy syntax: an expression, ``Matrix([[…], …])``, a list of point tuples, or a
``{name: value}`` dict of fitted parameters.  The readers below take those apart by brackets and hand
every single expression to our own parser (never ``sympify``), so tests compare independent values.
"""

from __future__ import annotations

import sympy

from bot.solver.parser import parse

_OPENING, _CLOSING = "([{", ")]}"


def top_level_items(text: str) -> list[str]:
    """The comma-separated items of one bracketed group (``[a, (b, c)]`` -> ``a``, ``(b, c)``)."""
    text = text.strip()
    if text[:1] in _OPENING and text[-1:] == _CLOSING[_OPENING.index(text[0])]:
        text = text[1:-1]
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [item for item in items if item]  # a 1-tuple "(1,)" leaves an empty last item


def matrix_of(result: str | None) -> sympy.Matrix:
    """``Matrix([[1, x], [2, y]])`` -> the matrix, each entry read by our parser."""
    assert result is not None and result.startswith("Matrix(") and result.endswith(")"), result
    rows = top_level_items(result[len("Matrix(") : -1])
    return sympy.Matrix([[parse(entry) for entry in top_level_items(row)] for row in rows])


def points_of(result: str | None) -> list[tuple[sympy.Expr, ...]]:
    """``[(1, 0), (-1, 2)]`` (or ``[(1,), (-1,)]`` in 1-D) -> the points."""
    assert result is not None and result.startswith("[") and result.endswith("]"), result
    return [tuple(parse(c) for c in top_level_items(point)) for point in top_level_items(result)]


def parameters_of(result: str | None) -> dict[str, float]:
    """``{a: 1.5, b: -2.0}`` -> ``{"a": 1.5, "b": -2.0}``."""
    assert result is not None and result.startswith("{") and result.endswith("}"), result
    found = {}
    for item in top_level_items(result):
        name, _, value = item.partition(":")
        found[name.strip()] = float(parse(value))
    return found


def numbers_of(result: str | None) -> list[float]:
    """``(0.5, 1e-12)`` or ``0.5`` -> the floats."""
    assert result is not None
    return [float(parse(item)) for item in top_level_items(result)]
