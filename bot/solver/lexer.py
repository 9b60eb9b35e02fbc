"""Characters to tokens for the maths parser, with runs of letters already resolved into names.

The rules for reading names live here, in one place: ``xy`` is x·y, ``sinx`` is sin x, ``x1`` and
``x_1`` are single subscripted names, ``θ`` is ``theta``, ``e`` is the constant. The grammar in
``parser.py`` then only sees numbers, variables, constants, functions and punctuation.
The tables of names and characters are in ``vocabulary.py``, the token types in ``tokens.py``,
and the reading of Leibniz derivatives (``d/dx``, ``∂²/∂x∂y``, ``\\frac{d}{dx}``) in ``leibniz.py``.
"""

from __future__ import annotations

import difflib
import re

import sympy

from bot.errors import EmptyInput, InputTooLarge, ParseError, Undefined, UnknownFunction
from bot.solver.leibniz import DERIVATIVE_STARTS, PRIMES, read_derivative, read_latex_derivative
from bot.solver.tokens import Kind, Token
from bot.solver.variables import symbol
from bot.solver.vocabulary import (
    CALL_ONLY_FUNCTIONS,
    CHARACTER_HINTS,
    DIGITS,
    FUNCTION_ALIASES,
    GREEK_LETTERS,
    GREEK_NAMES,
    LATEX_BARS,
    LATEX_FRACTIONS,
    LATEX_GREEK,
    LATEX_IGNORED,
    LATEX_OPERATORS,
    LETTERS,
    ROOTS,
    RUN_CONSTANTS,
    RUN_NAMES,
    SINGLE_CHARACTERS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    UNDEFINED_WORDS,
    WORD_CONSTANTS,
    is_ascii_letter,
    is_digit,
    is_letter,
    normalise,
)
from bot.solver.words import check_run

MAX_LENGTH = 1000
MAX_NUMBER_DIGITS = 100  # digits in one number literal
MAX_DECIMAL_EXPONENT = 100  # |n| in scientific notation 1e-n

_NUMBER = re.compile(r"([0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?")
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _shown(char: str) -> str:
    """A character as it can safely appear in a message (control characters by code point)."""
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def tokenize(text: str, column_offset: int = 0) -> list[Token]:
    """Read ``text`` into tokens ending with an END token; raise a CalcbotError if it cannot."""
    if len(text) > MAX_LENGTH:
        raise InputTooLarge(
            f"that is {len(text)} characters long; the limit is {MAX_LENGTH}",
            hint="shorten the expression, or split the question into parts",
        )
    source = normalise(text)
    if not source.strip():
        raise EmptyInput("there is no expression to read", hint="type one, e.g. x^2 sin x")
    return _Lexer(text, source, column_offset).run()


class _Lexer:
    """One pass over the normalised text; ``original`` is kept for messages."""

    def __init__(self, original: str, source: str, column_offset: int):
        self.original = original
        self.source = source
        self.offset = column_offset
        self.tokens: list[Token] = []
        self.i = 0

    def column(self, index: int) -> int:
        return index + 1 + self.offset

    def at(self, index: int) -> str:
        return self.source[index] if index < len(self.source) else ""

    def add(
        self,
        kind: Kind,
        start: int,
        end: int,
        name: str = "",
        value: sympy.Expr | None = None,
        word: str = "",
    ) -> None:
        text = self.original[start:end]
        self.tokens.append(Token(kind, text, self.column(start), name or text, value, word))

    def run(self) -> list[Token]:
        source = self.source
        length = len(source)
        while self.i < length:
            char = source[self.i]
            start = self.i
            single = SINGLE_CHARACTERS.get(char)
            if single is not None and not (char in "*!" and self.at(start + 1) == char):
                self.i += 1
                self.add(single[0], start, self.i, single[1])
            elif char == " ":
                self.i += 1
            elif char in DIGITS or (char == "." and self.at(start + 1) in DIGITS):
                self.read_number()
            elif char in DERIVATIVE_STARTS and self.read_derivative():
                pass
            elif char in LETTERS:
                self.read_run()
            elif char in PRIMES:  # (x^2)' is d/dx(x^2); the grammar takes it only after a bracket
                self.i += 1
                self.add(Kind.OPERATOR, start, self.i, "'")
            elif char == "*":
                self.i += 2
                self.add(Kind.OPERATOR, start, self.i, "^")
            elif char == "!":  # n!! is the double factorial, as in Wolfram|Alpha
                self.i += 2
                self.add(Kind.OPERATOR, start, self.i, "!!")
            elif char == "\\":
                self.read_latex()
            elif char in SUPERSCRIPTS:
                while self.i < length and source[self.i] in SUPERSCRIPTS:
                    self.i += 1
                ascii_text = "".join(SUPERSCRIPTS[c] for c in source[start : self.i])
                self.add(Kind.SUPERSCRIPT, start, self.i, ascii_text)
            elif char in ROOTS:
                self.i += 1
                self.add(Kind.ROOT, start, self.i, "root", sympy.Integer(ROOTS[char]))
            elif char == "∞":
                self.i += 1
                self.add(Kind.CONSTANT, start, self.i, "oo", sympy.oo)
            elif char.isspace():
                self.i += 1
            else:
                raise self.unexpected_character(start)
        self.tokens.append(Token(Kind.END, "", self.column(length), "end"))
        return self.tokens

    def unexpected_character(self, index: int) -> ParseError:
        char = self.original[index]
        shown = _shown(char)
        hint = CHARACTER_HINTS.get(
            self.source[index],
            "type maths with + - * / ^, brackets and names like sin, sqrt, pi (see /help)",
        )
        if self.source[index] == "_":
            hint = "'_' only makes a subscript after a name, as in x_1"
        return ParseError(
            f"unexpected character '{shown}' at column {self.column(index)}",
            hint=hint,
            column=self.column(index),
        )

    # --- numbers ---------------------------------------------------------------------------

    def read_number(self) -> None:
        """Digits with an optional decimal part and exponent; exact: 0.1 is 1/10, 1e-3 is 1/1000."""
        start = self.i
        match = _NUMBER.match(self.source, start)
        assert match is not None  # the caller saw a digit, or a point before a digit
        whole, fraction, sign, digits = match.groups()
        fraction = fraction or ""
        exponent = 0
        # Scientific notation only when a digit follows e or e+/e-: 2e is 2·e, 1e-3 is 1/1000.
        if digits is not None:
            if len(digits.lstrip("0")) > 3 or int(digits) > MAX_DECIMAL_EXPONENT:
                raise InputTooLarge(
                    f"the number at column {self.column(start)} has too large an exponent",
                    hint=f"scientific notation goes up to e±{MAX_DECIMAL_EXPONENT}",
                    column=self.column(start),
                )
            exponent = -int(digits) if sign == "-" else int(digits)
        if len((whole + fraction).lstrip("0")) > MAX_NUMBER_DIGITS:
            raise InputTooLarge(
                f"the number at column {self.column(start)} has more than {MAX_NUMBER_DIGITS} digits",
                hint="numbers that long are out of range here",
                column=self.column(start),
            )
        mantissa = int(whole + fraction)
        scale = exponent - len(fraction)
        value = (
            sympy.Integer(mantissa * 10**scale)
            if scale >= 0
            else sympy.Rational(mantissa, 10**-scale)
        )
        self.i = match.end()
        self.add(Kind.NUMBER, start, self.i, self.source[start : self.i], value)

    # --- Leibniz notation -------------------------------------------------------------------

    def read_derivative(self) -> bool:
        """A Leibniz derivative at the start of a run: one DERIVATIVE token (False, nothing read,
        if it is not one)."""
        start = self.i
        found = read_derivative(self.source, start, self.column(start))
        if found is None:
            return False
        end, variables, function = found
        self.i = end
        self.add(Kind.DERIVATIVE, start, end, variables, word=function)
        return True

    # --- runs of letters -------------------------------------------------------------------

    def read_run(self) -> None:
        """A run of letters (with subscripts) becomes one or more name tokens."""
        source, start = self.source, self.i
        match = _ASCII_WORD.match(source, start)
        end = match.end() if match else start
        word = source[start:end]
        next_char = self.next_significant(end)
        if (
            end > start + 1
            and not is_digit(self.at(end))
            and self.at(end) not in ("_", *SUBSCRIPTS)
        ):
            lowered = word.lower()
            if lowered in UNDEFINED_WORDS:
                raise Undefined(
                    f"'{word}' ({UNDEFINED_WORDS[lowered]}) at column {self.column(start)} is not a value",
                    hint="write a number or an expression",
                    column=self.column(start),
                )
            if lowered in CALL_ONLY_FUNCTIONS and next_char in "([":
                self.i = end
                self.add(Kind.FUNCTION, start, end, CALL_ONLY_FUNCTIONS[lowered], word=word)
                return
            if lowered in FUNCTION_ALIASES and word not in GREEK_NAMES:
                self.i = end
                self.add(Kind.FUNCTION, start, end, FUNCTION_ALIASES[lowered], word=word)
                return
            if lowered in WORD_CONSTANTS:
                self.i = end
                self.add(
                    Kind.CONSTANT, start, end, lowered, value=WORD_CONSTANTS[lowered], word=word
                )
                return
        first_token = len(self.tokens)
        while self.i < len(source) and is_letter(source[self.i]):
            self.read_piece()
        self.finish_run(first_token, start, next_char_after=self.next_significant(self.i))

    def next_significant(self, index: int) -> str:
        while index < len(self.source) and self.source[index] == " ":
            index += 1
        return self.at(index)

    def read_piece(self) -> None:
        """One name out of a run: the longest known name here, else a single letter."""
        source, start = self.source, self.i
        char = source[start]
        if char in GREEK_LETTERS:
            name, end = GREEK_LETTERS[char], start + 1
        else:
            name, end = char, start + 1
            for candidate in RUN_NAMES.get(char, ()):
                if source.startswith(candidate, start):
                    name, end = candidate, start + len(candidate)
                    break
        self.i = end
        if name in FUNCTION_ALIASES and char not in GREEK_LETTERS:
            canonical = FUNCTION_ALIASES[name]
            if (
                canonical == "log"
                and (is_digit(self.at(end)) or self.at(end) == "_" or self.at(end) in SUBSCRIPTS)
                and self.at(end) != ""
            ):
                base = self.read_log_base(end)
                self.add(Kind.FUNCTION, start, self.i, "log", value=base)
                return
            if self.at(end) == "_" or self.at(end) in SUBSCRIPTS:
                raise ParseError(
                    f"'{name}' at column {self.column(start)} is a function and cannot take a subscript",
                    hint=f"write {name}(x), or pick another variable name",
                    column=self.column(start),
                )
            self.add(Kind.FUNCTION, start, end, canonical)
            return
        if name in RUN_CONSTANTS:
            if is_digit(self.at(end)) or self.at(end) == "_" or self.at(end) in SUBSCRIPTS:
                shown = "π" if name == "pi" else "e"
                raise ParseError(
                    f"'{self.original[start:end]}' at column {self.column(start)} is the constant "
                    f"{shown}, so it cannot be a variable name with a subscript",
                    hint="use another letter for the variable, or put * before the number",
                    column=self.column(start),
                )
            self.add(Kind.CONSTANT, start, end, name, value=RUN_CONSTANTS[name])
            return
        name = LATEX_GREEK.get(name, name)
        self.i = self.read_subscript(end)
        self.add(Kind.VARIABLE, start, self.i, name + self.subscript_text(end, self.i))

    def read_subscript(self, index: int) -> int:
        """The end of a subscript at ``index``: digits, ₁₂, _1, _ij, _{12}; else ``index``."""
        source = self.source
        if is_digit(self.at(index)):
            while is_digit(self.at(index)):
                index += 1
            return index
        if self.at(index) in SUBSCRIPTS and self.at(index) != "":
            while index < len(source) and source[index] in SUBSCRIPTS:
                index += 1
            return index
        if self.at(index) != "_":
            return index
        following = self.at(index + 1)
        if is_digit(following):
            index += 1
            while is_digit(self.at(index)):
                index += 1
            return index
        if is_ascii_letter(following):
            index += 1
            while is_ascii_letter(self.at(index)) or is_digit(self.at(index)):
                index += 1
            return index
        if following == "{":
            close = index + 2
            while is_ascii_letter(self.at(close)) or is_digit(self.at(close)):
                close += 1
            if close > index + 2 and self.at(close) == "}":
                return close + 1
        raise self.unexpected_character(index)

    def subscript_text(self, start: int, end: int) -> str:
        """The subscript as it goes into the symbol's name: x1 stays x1, x₁ and x_{1} become x_1."""
        raw = self.source[start:end]
        if not raw:
            return ""
        if raw[0] in SUBSCRIPTS:
            return "_" + "".join(SUBSCRIPTS[c] for c in raw)
        return raw.replace("{", "").replace("}", "")

    def read_log_base(self, index: int) -> sympy.Expr:
        """``log2``, ``log10``, ``log_2``, ``log_b``, ``log_{10}``: the base and where it ends."""
        end = self.read_subscript(index)
        text = self.subscript_text(index, end).lstrip("_")
        self.i = end
        if text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
            return sympy.Integer(int(text))
        if text in ("e", "E"):
            return sympy.E
        if len(text) == 1 or text in GREEK_NAMES:
            return symbol(text)
        raise ParseError(
            f"cannot read the base of the log at column {self.column(index)}",
            hint="write log(x, b) for a log to base b",
            column=self.column(index),
        )

    def finish_run(self, first: int, start: int, next_char_after: str) -> None:
        """Mark every token with its run; before a bracket, ``σ`` is the sigmoid and typos are caught."""
        pieces = self.tokens[first:]
        word = self.original[start : self.i]
        if len(pieces) > 1 and all(
            p.kind in (Kind.VARIABLE, Kind.CONSTANT) and len(p.text) == 1 for p in pieces
        ):  # every letter its own variable (or e): a word would be read as a product
            check_run("".join(p.text for p in pieces), self.column(start))
        elif (
            len(pieces) > 1 and len(word) >= 4 and word.isascii() and word.isalpha()
            and not (len(pieces) == 2 and pieces[0].kind is Kind.FUNCTION and len(pieces[1].text) == 1)
        ):  # "closing" is not c·l·o·sin(g), "pits" not π·t·s; "cosy" is still cos y
            check_run(word, self.column(start), long_only=True)
        if next_char_after in ("(", "["):
            last = pieces[-1]
            if last.kind is Kind.VARIABLE and last.name == "sigma":
                pieces[-1] = last._replace(kind=Kind.FUNCTION, name="sigmoid")
            elif len(pieces) > 1 and last.kind is not Kind.FUNCTION:
                self.check_function_typo(word, start, len(pieces))
        self.tokens[first:] = [piece._replace(word=word) for piece in pieces]

    def check_function_typo(self, word: str, start: int, pieces: int) -> None:
        """A run of letters right before a bracket: a near miss of a function name, or (with three
        or more pieces, like ``range(``) a call of an unknown function, is refused; ``xy(x+1)``
        still multiplies."""
        letters = "".join(c for c in word if is_ascii_letter(c)).lower()
        known = [*FUNCTION_ALIASES, *CALL_ONLY_FUNCTIONS]
        close = (
            difflib.get_close_matches(letters, known, n=1, cutoff=0.7) if len(letters) > 2 else []
        )
        if close:
            raise UnknownFunction(
                f"unknown function '{word}' — did you mean {close[0]}?",
                hint=f"write {close[0]}(…); for a product of letters put * between them",
                column=self.column(start),
            )
        if pieces >= 3:
            raise UnknownFunction(
                f"unknown function '{word}' at column {self.column(start)}",
                hint="see /help for the functions; for a product of letters put * between them",
                column=self.column(start),
            )

    # --- LaTeX -----------------------------------------------------------------------------

    def read_latex(self) -> None:
        """Commands pasted from LaTeX: ``\\frac``, ``\\cdot``, ``\\sin``, ``\\pi``, ``\\left(``."""
        start = self.i
        end = start + 1
        while is_ascii_letter(self.at(end)):
            end += 1
        command = self.source[start + 1 : end]
        if not command:
            if self.at(end) in (",", ";", "!", ":", " "):  # LaTeX spacing
                self.i = end + 1
                return
            raise self.unexpected_character(start)
        if command in LATEX_OPERATORS:
            self.i = end
            self.add(Kind.OPERATOR, start, end, LATEX_OPERATORS[command])
        elif command in LATEX_BARS:
            self.i = end
            self.add(Kind.BAR, start, end, "|")
        elif command in LATEX_IGNORED:
            self.i = end
        elif command in LATEX_FRACTIONS and (
            found := read_latex_derivative(self.source, start, self.column(start))
        ):
            self.i, variables, function = found
            self.add(Kind.DERIVATIVE, start, self.i, variables, word=function)
        elif command in LATEX_FRACTIONS:
            self.i = end
            self.add(Kind.FUNCTION, start, end, "frac")
        elif command == "infty":
            self.i = end
            self.add(Kind.CONSTANT, start, end, "oo", value=sympy.oo)
        elif command == "sqrt":  # kept apart: \\sqrt[3]{x} takes a degree in square brackets
            self.i = end
            self.add(Kind.FUNCTION, start, end, "sqrt")
        elif command in FUNCTION_ALIASES or command in GREEK_NAMES or command in LATEX_GREEK:
            self.i = start + 1  # read the name (and any subscript) as an ordinary run
            self.read_run()
        elif command == "pi":
            self.i = end
            self.add(Kind.CONSTANT, start, end, "pi", value=sympy.pi)
        else:
            raise ParseError(
                f"unknown LaTeX command '\\{command}' at column {self.column(start)}",
                hint="type plain maths instead, e.g. (a)/(b) for \\frac{a}{b}",
                column=self.column(start),
            )
