"""Readings the notation help documents but a learner may not expect: each one gets a one-line note.

``e^2x`` is e²·x, ``x^-1/2`` is x⁻¹/2, ``1/2x`` is ½·x, ``√2x`` is √2·x, ``sin x^2`` is sin(x²),
``sin x/2`` is (sin x)/2, ``sin^-1 x`` is arcsin x and ``2^3^2`` is 2^(3²). calcbot keeps reading them
that way (one rule, the same everywhere), but says so — "I read `e^2x` as e²·x — write `e^(2x)` for the
other" — so a learner who meant the other reading is never answered confidently about something else.

The parser runs in a worker process; it records each note while a job's ``noting()`` scope is open
(``bot/guard.py`` opens one around every job), and the job's Answer carries the notes back. The
patterns are read off the tokens, which is exact for these shapes: each one is a single factor the
grammar binds in one documented way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.solver.tokens import Kind, Token

__all__ = ["ReadingNote", "find_ambiguities", "noting", "record_ambiguities"]


@dataclass(frozen=True, slots=True)
class ReadingNote:
    """One documented ambiguity met in the learner's text: what they typed, how it was read, and how
    to write the other reading."""

    typed: str
    read_as: str
    other: str
    other_label: str = "the other"

    @property
    def text(self) -> str:
        if not self.other:  # nothing to write instead: the reading itself is the news
            return f"Note: I read `{self.typed}` as {self.read_as}."
        return f"Note: I read `{self.typed}` as {self.read_as} — write `{self.other}` for {self.other_label}."


_RECORDED: ContextVar[list[ReadingNote] | None] = ContextVar("calcbot_reading_notes", default=None)


@contextmanager
def noting() -> Iterator[list[ReadingNote]]:
    """Collect the notes of every parse inside the block (a fresh list; an outer scope sees none)."""
    found: list[ReadingNote] = []
    token = _RECORDED.set(found)
    try:
        yield found
    finally:
        _RECORDED.reset(token)


def record_ambiguities(source: str, tokens: list[Token]) -> None:
    """Called by the parser on each text it reads: adds its notes to the open scope, once each."""
    found = _RECORDED.get()
    if found is None:
        return
    for note in find_ambiguities(source, tokens):
        if note not in found:
            found.append(note)


# --- the patterns ------------------------------------------------------------------------------

_ATOMS = (Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT)
_FACTOR_STARTS = (*_ATOMS, Kind.OPEN, Kind.FUNCTION, Kind.ROOT)
_INVERTIBLE = frozenset("sin cos tan sec csc cot sinh cosh tanh sech csch coth".split())
_RAISED = dict(zip("0123456789-+abcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True))


def find_ambiguities(source: str, tokens: list[Token]) -> list[ReadingNote]:
    """Every documented ambiguity in ``tokens`` (read from ``source``), in the order they appear."""
    reader = _Reader(source, tokens)
    notes: list[ReadingNote] = []
    for index, token in enumerate(tokens):
        if token.kind is Kind.OPERATOR and token.text == "^":
            notes += reader.after_power(index)
        elif token.kind is Kind.OPERATOR and token.name == "/":
            notes += reader.after_division(index)
        elif token.kind is Kind.ROOT:
            notes += reader.after_root(index)
        elif token.kind is Kind.FUNCTION:
            notes += reader.after_function(index)
        elif token.kind is Kind.VARIABLE:
            notes += reader.variable(index)
    return notes


class _Reader:
    def __init__(self, source: str, tokens: list[Token]):
        self.source = source
        self.tokens = tokens

    # --- spans of tokens ---------------------------------------------------------------------

    def kind(self, index: int) -> Kind:
        return self.tokens[index].kind if 0 <= index < len(self.tokens) else Kind.END

    def is_op(self, index: int, name: str) -> bool:
        return self.kind(index) is Kind.OPERATOR and self.tokens[index].name == name

    def text(self, start: int, end: int) -> str:
        """The learner's own characters from token ``start`` up to (not including) token ``end``."""
        first, last = self.tokens[start], self.tokens[end - 1]
        return self.source[first.column - 1 : last.column - 1 + len(last.text)]

    def adjacent(self, index: int) -> bool:
        """Token ``index`` follows the one before it with no space between."""
        before, token = self.tokens[index - 1], self.tokens[index]
        return before.column + len(before.text) == token.column

    def match(self, index: int, step: int) -> int:
        """The bracket matching the one at ``index``, searching forwards (+1) or backwards (-1)."""
        opening, closing = (Kind.OPEN, Kind.CLOSE) if step > 0 else (Kind.CLOSE, Kind.OPEN)
        depth = 0
        while 0 <= index < len(self.tokens):
            if self.tokens[index].kind is opening:
                depth += 1
            elif self.tokens[index].kind is closing:
                depth -= 1
                if depth == 0:
                    return index
            index += step
        return -1

    def atom_end(self, index: int) -> int:
        """The end of the atom at ``index``: a number, name or constant, or a bracketed group."""
        kind = self.kind(index)
        if kind in _ATOMS:
            return index + 1
        if kind is Kind.OPEN:
            close = self.match(index, 1)
            return close + 1 if close > 0 else -1
        return -1

    def factor_end(self, index: int) -> int:
        """The end of one factor: an atom or a function with its argument, then any ``^`` chain."""
        kind = self.kind(index)
        if kind is Kind.FUNCTION:
            end = index + 1
            if self.is_op(end, "^"):
                end = self.exponent_end(end + 1)
            elif self.kind(end) is Kind.SUPERSCRIPT:
                end += 1
            end = self.atom_end(end) if self.kind(end) is Kind.OPEN else self.factor_end(end)
        elif kind is Kind.ROOT:
            end = self.factor_end(index + 1)
        else:
            end = self.atom_end(index)
        while end > 0 and (self.is_op(end, "^") or self.kind(end) is Kind.SUPERSCRIPT):
            end = self.exponent_end(end + 1) if self.is_op(end, "^") else end + 1
        return end

    def exponent_end(self, index: int) -> int:
        """The end of an unbracketed exponent: an optional sign, then one atom."""
        if self.is_op(index, "-") or self.is_op(index, "+"):
            index += 1
        return self.atom_end(index)

    def factor_start(self, end: int, with_function: bool = False) -> int:
        """The start of the factor that ends just before token ``end`` (walking back over a power);
        ``with_function``: a function written without brackets before it belongs to it."""
        index = end - 1
        kind = self.kind(index)
        if kind is Kind.CLOSE:
            index = self.match(index, -1)
            if index > 0 and self.kind(index - 1) is Kind.FUNCTION:
                index -= 1
        elif kind not in _ATOMS:
            return -1
        while index >= 2 and (self.is_op(index - 1, "^") or (self.is_op(index - 1, "-") and self.is_op(index - 2, "^"))):
            caret = index - 1 if self.is_op(index - 1, "^") else index - 2
            base = self.factor_start(caret)
            if base < 0:
                break
            index = base
        if with_function and index > 0 and self.kind(index - 1) is Kind.FUNCTION and kind is not Kind.CLOSE:
            index -= 1  # sin x/2y: the bare argument belongs to its function
        return index

    def starts_product(self, index: int) -> bool:
        return self.kind(index) in _FACTOR_STARTS

    # --- one pattern each ----------------------------------------------------------------------

    def after_power(self, caret: int) -> list[ReadingNote]:
        """``e^2x``, ``e^-2x``, ``e^xy`` (an exponent is one factor), ``x^-1/2`` and ``2^3^2``."""
        if self.kind(caret - 1) is Kind.FUNCTION:
            return []  # sin^2 x: a power of the function, read in after_function
        base_start = self.factor_start(caret)
        exponent_start = caret + 1
        exponent_end = self.exponent_end(exponent_start)
        if base_start < 0 or exponent_end < 0 or self.kind(exponent_end - 1) is Kind.CLOSE:
            return []
        base = self.text(base_start, caret)
        exponent = self.text(exponent_start, exponent_end)
        base_kind = self.kind(caret - 1)
        following = exponent_end
        if (
            base_kind in (Kind.NUMBER, Kind.CONSTANT)
            and self.starts_product(following)
            and self.adjacent(following)
        ):
            factor_end = self.factor_end(following)
            if factor_end < 0:
                return []
            factor = self.text(following, factor_end)
            return [ReadingNote(
                typed=self.text(base_start, factor_end),
                read_as=f"{_raised(base, exponent)}·{factor}",
                other=f"{base}^({exponent}{factor})",
            )]
        if (
            self.is_op(following, "/")
            and self.kind(following + 1) is Kind.NUMBER
            and not self.is_op(following + 2, "^")
            and self.kind(following + 2) is not Kind.SUPERSCRIPT
        ):
            return self.power_over_number(base_start, base, exponent, exponent_start, following)
        if self.is_op(following, "^") and self.kind(caret - 1) in _ATOMS:
            top_end = self.exponent_end(following + 1)
            if top_end < 0:
                return []
            top = self.text(following + 1, top_end)
            return [ReadingNote(
                typed=self.text(base_start, top_end),
                read_as=f"{base}^({exponent}^{top})",
                other=f"({base}^{exponent})^{top}",
            )]
        return []

    def power_over_number(
        self, base_start: int, base: str, exponent: str, exponent_start: int, slash: int
    ) -> list[ReadingNote]:
        """``x^1/2``, ``x^-1/2``, ``x^3/2``: a power then a division, where a fractional exponent is
        a likely meaning (not ``x^2/2`` or ``x^3/6``, the terms of a Taylor polynomial)."""
        top = self.tokens[exponent_start + (1 if exponent.startswith(("-", "+")) else 0)]
        if top.kind is not Kind.NUMBER or not top.value or not top.value.is_Integer:
            return []
        numerator = int(top.value)
        divisor_token = self.tokens[slash + 1]
        if divisor_token.value is None or not divisor_token.value.is_Integer:
            return []
        divisor = int(divisor_token.value)
        if divisor < 2 or numerator == 0 or math.gcd(numerator, divisor) != 1:
            return []
        if not (numerator == 1 or exponent.startswith("-") or divisor <= 4):
            return []
        return [ReadingNote(
            typed=self.text(base_start, slash + 2),
            read_as=f"{_raised(base, exponent)}/{divisor_token.text}",
            other=f"{base}^({exponent}/{divisor_token.text})",
        )]

    def after_division(self, slash: int) -> list[ReadingNote]:
        """``1/2x``, ``a/b c``, ``1/2(x+1)``: implicit multiplication binds like ``*``, left to right."""
        numerator_start = self.factor_start(slash, with_function=True)
        divisor_end = self.factor_end(slash + 1)
        if numerator_start < 0 or divisor_end < 0 or not self.starts_product(divisor_end):
            return []
        if self.kind(divisor_end) is Kind.NUMBER:
            return []  # two numbers in a row: the parser refuses it
        factor_end = self.factor_end(divisor_end)
        if factor_end < 0:
            return []
        numerator = self.text(numerator_start, slash)
        divisor = self.text(slash + 1, divisor_end)
        factor = self.text(divisor_end, factor_end)
        spaced = "" if self.adjacent(divisor_end) else " "
        return [ReadingNote(
            typed=self.text(numerator_start, factor_end),
            read_as=f"({numerator}/{divisor})·{factor}",
            other=f"{numerator}/({divisor}{spaced}{factor})",
        )]

    def after_root(self, root: int) -> list[ReadingNote]:
        """``√2x``: the root takes one factor."""
        operand_end = self.factor_end(root + 1)
        if operand_end < 0 or not self.starts_product(operand_end) or not self.adjacent(operand_end):
            return []
        factor_end = self.factor_end(operand_end)
        if factor_end < 0:
            return []
        sign = self.tokens[root].text
        operand = self.text(root + 1, operand_end)
        factor = self.text(operand_end, factor_end)
        return [ReadingNote(
            typed=self.text(root, factor_end),
            read_as=f"{sign}{operand}·{factor}",
            other=f"{sign}({operand}{factor})",
        )]

    def variable(self, index: int) -> list[ReadingNote]:
        """A name that may not be what was meant: ``x2`` beside ``x``, ``Γ(x)``."""
        return _numbered_variable_note(self, index) + _call_looking_note(self, index)

    def after_function(self, index: int) -> list[ReadingNote]:
        """``sin^-1 x`` (arcsin), ``sin x^2`` (sin of x²) and ``sin x/2`` ((sin x)/2)."""
        function = self.tokens[index]
        name = function.text
        following = index + 1
        if self.is_op(following, "^") or self.kind(following) is Kind.SUPERSCRIPT:
            is_inverse = (
                self.is_op(following, "^") and self.is_op(following + 1, "-")
                and self.kind(following + 2) is Kind.NUMBER and self.tokens[following + 2].value == 1
            ) or (self.kind(following) is Kind.SUPERSCRIPT and self.tokens[following].name == "-1")
            if is_inverse and function.name in _INVERTIBLE:
                end = following + (3 if self.is_op(following, "^") else 1)
                return [ReadingNote(
                    typed=self.text(index, end),
                    read_as=f"arc{function.name} (the inverse function)",
                    other=f"1/{function.name}(x)",
                    other_label="the reciprocal",
                )]
            return []
        if self.kind(following) not in _ATOMS:
            return []
        after = following + 1
        argument = self.tokens[following].text
        if self.is_op(after, "^") or self.kind(after) is Kind.SUPERSCRIPT:
            power_end = self.exponent_end(after + 1) if self.is_op(after, "^") else after + 1
            if power_end < 0 or self.starts_product(power_end):
                return []  # sin x^2 y is sin(x²·y): the argument goes on, so it is no case of sin x^2
            power = self.text(after, power_end)
            raised = argument + power
            if self.is_op(after, "^") and not _raised(argument, power[1:]).startswith("("):
                raised = _raised(argument, power[1:])
            return [ReadingNote(
                typed=self.text(index, power_end),
                read_as=f"{name}({raised})",
                other=f"({name} {argument}){power}",
            )]
        if self.is_op(after, "/") and self.kind(after + 1) is Kind.NUMBER:
            divisor = self.tokens[after + 1].text
            return [ReadingNote(
                typed=self.text(index, after + 2),
                read_as=f"({name} {argument})/{divisor}",
                other=f"{name}({argument}/{divisor})",
            )]
        return []


_FUNCTION_LOOKING = frozenset({"f", "g", "h", "F", "G", "H", "Gamma", "Γ"})
_NUMBERED = re.compile(r"^([A-Za-z])([0-9]+)$")


def _variable_names(tokens: list[Token]) -> set[str]:
    return {token.name for token in tokens if token.kind is Kind.VARIABLE}


def _numbered_variable_note(reader: _Reader, index: int) -> list[ReadingNote]:
    """``x2cos(x^2)``: ``x2`` is one variable (x₂), but beside a bare ``x`` it is likely 2·x."""
    token = reader.tokens[index]
    match = _NUMBERED.match(token.text)
    if match is None or match.group(1) not in _variable_names(reader.tokens):
        return []
    letter, digits = match.groups()
    return [ReadingNote(typed=token.text, read_as=f"the variable {token.text} (a new variable, not {digits}·{letter})",
                        other=f"{digits}{letter}", other_label=f"{digits}·{letter}")]


def _call_looking_note(reader: _Reader, index: int) -> list[ReadingNote]:
    """``Γ(x)``, ``f(x)``: a letter before a bracket around one variable looks like a function; it is a product."""
    token = reader.tokens[index]
    if token.name not in _FUNCTION_LOOKING or token.text not in _FUNCTION_LOOKING:
        return []
    if not (reader.kind(index + 1) is Kind.OPEN and reader.adjacent(index + 1)
            and reader.kind(index + 2) is Kind.VARIABLE and reader.kind(index + 3) is Kind.CLOSE):
        return []
    typed = reader.text(index, index + 4)
    inside = reader.tokens[index + 2].text
    if token.name == "Gamma":
        what = "calcbot has no gamma function"
    else:
        what = f"calcbot does not know a function {token.text}; write its formula instead"
    return [ReadingNote(typed=typed, read_as=f"{token.text}·{inside}, a product ({what})", other="")]


def _raised(base: str, exponent: str) -> str:
    """``e``, ``2`` → e²; an exponent with no superscript form stays written with ^ and brackets."""
    if all(char in _RAISED for char in exponent):
        return base + "".join(_RAISED[char] for char in exponent)
    return f"({base}^{exponent})"
