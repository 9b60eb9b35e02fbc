"""Characters to tokens for the maths parser, with runs of letters already resolved into names.

The rules for reading names live here, in one place: ``xy`` is x·y, ``sinx`` is sin x, ``x1`` and
``x_1`` are single subscripted names, ``θ`` is ``theta``, ``e`` is the constant. The grammar in
``parser.py`` then only sees numbers, variables, constants, functions and punctuation.
"""

from __future__ import annotations

import difflib
import re
from enum import Enum
from typing import NamedTuple

import sympy

from bot.errors import EmptyInput, InputTooLarge, ParseError, Undefined, UnknownFunction
from bot.solver.variables import symbol
from bot.solver.words import check_run

MAX_LENGTH = 1000
MAX_NUMBER_DIGITS = 100  # digits in one number literal
MAX_DECIMAL_EXPONENT = 100  # |n| in scientific notation 1e-n


class Kind(Enum):
    NUMBER = "number"
    VARIABLE = "variable"
    CONSTANT = "constant"
    FUNCTION = "function"
    OPERATOR = "operator"  # + - * / ^ ! !!
    OPEN = "open"
    CLOSE = "close"
    BAR = "bar"  # | for absolute value
    ROOT = "root"  # √ ∛ ∜
    SUPERSCRIPT = "superscript"  # a run like ⁻¹ or ⁽ⁿ⁺¹⁾, carried as ASCII text
    DERIVATIVE = "derivative"  # d/dx, d²/dx², ∂/∂y, ∂²/∂x∂y: name holds the variables, "x,x" for d²/dx²
    COMMA = "comma"
    EQUALS = "equals"
    END = "end"


class Token(NamedTuple):
    kind: Kind
    text: str  # as typed, for messages
    column: int  # 1-based column of the first character in the user's text
    name: str = ""  # operator, bracket, variable or canonical function name, superscript text
    value: sympy.Expr | None = None  # number or constant value, root degree, log base
    word: str = ""  # the whole run of letters this token was read from (for messages)


# --- names -------------------------------------------------------------------------------------

# Spelling -> canonical function name (the parser has one builder per canonical name).
FUNCTION_ALIASES: dict[str, str] = {
    **{name: name for name in ("sin", "cos", "tan", "sec", "csc", "cot")},
    "cosec": "csc",
    **{name: name for name in ("sinh", "cosh", "tanh", "sech", "csch", "coth")},
    "cosech": "csch",
    **{name: name for name in ("exp", "ln", "log", "sqrt", "cbrt", "abs", "sign", "floor", "ceil")},
    "sgn": "sign",
    "ceiling": "ceil",
    "factorial": "factorial",
    "sigmoid": "sigmoid",
    "relu": "relu",
}
for _trig in ("sin", "cos", "tan", "sec", "csc", "cot"):
    FUNCTION_ALIASES["a" + _trig] = FUNCTION_ALIASES["arc" + _trig] = "a" + _trig
    FUNCTION_ALIASES["a" + _trig + "h"] = FUNCTION_ALIASES["ar" + _trig + "h"] = "a" + _trig + "h"
    FUNCTION_ALIASES["arc" + _trig + "h"] = "a" + _trig + "h"
FUNCTION_ALIASES.update({"arccosec": "acsc", "acosec": "acsc"})

# Functions recognised only as a whole word followed by a bracket, so that ``max`` alone stays
# m·a·x and SymPy's own output (``Max(0, x)``, ``Heaviside(x)``) reads back.
CALL_ONLY_FUNCTIONS: dict[str, str] = {
    "max": "max",
    "min": "min",
    "heaviside": "heaviside",
    "diracdelta": "diracdelta",
}

GREEK_NAMES: frozenset[str] = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho sigma "
    "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Phi Psi Omega Upsilon".split()
)
_LATEX_GREEK = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho"}

GREEK_LETTERS: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "ϱ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "Υ": "Upsilon",
}  # fmt: skip

# Constants found anywhere in a run of letters (case-sensitive) ...
_RUN_CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E, "E": sympy.E}
# ... and constants only as a whole word (case-insensitive): ``oo`` inside ``zoom`` is not ∞.
_WORD_CONSTANTS: dict[str, sympy.Expr] = {
    "pi": sympy.pi,
    "oo": sympy.oo,
    "inf": sympy.oo,
    "infty": sympy.oo,
    "infinity": sympy.oo,
}
_UNDEFINED_WORDS = {"zoo": "complex infinity", "nan": "not a number"}

# Names matched inside runs, longest first, grouped by first letter for speed.
_RUN_NAMES: dict[str, tuple[str, ...]] = {}
for _name in sorted({*FUNCTION_ALIASES, *GREEK_NAMES, *_LATEX_GREEK, "pi"}, key=len, reverse=True):
    _RUN_NAMES.setdefault(_name[0], ())
    _RUN_NAMES[_name[0]] += (_name,)

_LATEX_OPERATORS = {"cdot": "*", "times": "*", "ast": "*", "div": "/"}
_LATEX_BARS = {"vert", "lvert", "rvert", "mid"}
_LATEX_IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"}
_LATEX_FRACTIONS = {"frac", "dfrac", "tfrac"}

# --- characters --------------------------------------------------------------------------------

_TRANSLATION: dict[int, str] = {ord(c): "-" for c in "−–—‐‑‒﹣"}
_TRANSLATION.update({ord(c): "*" for c in "·×⋅∗•"})
_TRANSLATION.update({ord(c): "/" for c in "÷∕⁄"})
_TRANSLATION.update({ord(c): " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"})
_TRANSLATION.update({ord(c): " " for c in "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u202f"})
_TRANSLATION.update({ord(c): " " for c in "\u205f\u2060\u3000\ufeff\t\n\r\v\f"})
_TRANSLATION.update({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})  # full width
_TRANSLATION.update({ord("∣"): "|", ord("｜"): "|", ord("＾"): "^"})

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾", "0123456789+-()", strict=True))
_SUPERSCRIPTS.update(
    dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz", strict=True))
)
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
_SUBSCRIPTS.update(dict(zip("ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "aeoxhklmnpstijruv", strict=True)))

_ROOTS = {"√": 2, "∛": 3, "∜": 4}
_SINGLE = {
    "+": (Kind.OPERATOR, "+"),
    "-": (Kind.OPERATOR, "-"),
    "*": (Kind.OPERATOR, "*"),
    "/": (Kind.OPERATOR, "/"),
    "^": (Kind.OPERATOR, "^"),
    "!": (Kind.OPERATOR, "!"),
    "(": (Kind.OPEN, "("),
    "[": (Kind.OPEN, "["),
    "{": (Kind.OPEN, "{"),
    ")": (Kind.CLOSE, ")"),
    "]": (Kind.CLOSE, "]"),
    "}": (Kind.CLOSE, "}"),
    "|": (Kind.BAR, "|"),
    ",": (Kind.COMMA, ","),
    "=": (Kind.EQUALS, "="),
}
_CHARACTER_HINTS = {
    "Σ": "sums written with Σ are not supported; write the terms out",
    "Π": "products written with Π are not supported; write the factors out",
    "<": "inequalities are not read here",
    ">": "inequalities are not read here",
    "%": "percent is not read here; write 0.05 for 5%",
    "?": "leave out the question mark",
    ".": "a decimal needs digits after the point (2.5); leave out a full stop at the end",
}


_PRIMES = frozenset("'′’")
_DERIVATIVE_STARTS = frozenset("d∂")
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
    elif char in _ASCII_LETTERS:
        name, end = char, index + 1
        for word in _GREEK_WORDS:
            if source.startswith(word, index) and not _is_ascii_letter(source[index + len(word) : index + len(word) + 1]):
                name, end = word, index + len(word)
                break
    else:
        return None
    if name in ("e", "E"):
        return None
    if _is_digit(source[end : end + 1]):
        stop = end
        while _is_digit(source[stop : stop + 1]):
            stop += 1
        name, end = name + source[end:stop], stop
    elif source[end : end + 1] == "_" and (_is_digit(source[end + 1 : end + 2]) or _is_ascii_letter(source[end + 1 : end + 2])):
        stop = end + 1
        while _is_digit(source[stop : stop + 1]) or _is_ascii_letter(source[stop : stop + 1]):
            stop += 1
        name, end = name + source[end:stop], stop
    elif source[end : end + 1] in _SUBSCRIPTS:
        stop = end
        while source[stop : stop + 1] in _SUBSCRIPTS and source[stop : stop + 1]:
            stop += 1
        name, end = name + "_" + "".join(_SUBSCRIPTS[c] for c in source[end:stop]), stop
    if _is_ascii_letter(source[end : end + 1]) and not (
        source[end : end + 1] == mark and _is_letter(source[end + 1 : end + 2])
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
    if source[index : index + 1] in _LETTERS and not _is_letter(source[index + 1 : index + 2]):
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
        if order > 1 and _is_digit(name[-1]) and len(name) == 2 and len(variables) + int(name[-1]) == order:
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


_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS = _ASCII_LETTERS | frozenset(GREEK_LETTERS)
_NUMBER = re.compile(r"([0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?")
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _is_digit(char: str) -> bool:
    return char in _DIGITS


def _is_ascii_letter(char: str) -> bool:
    return char in _ASCII_LETTERS


def _is_letter(char: str) -> bool:
    return char in _LETTERS


def _shown(char: str) -> str:
    """A character as it can safely appear in a message (control characters by code point)."""
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def normalise(text: str) -> str:
    """Map look-alike characters to ASCII one for one, so columns still match the user's text."""
    return text.translate(_TRANSLATION)


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
            single = _SINGLE.get(char)
            if single is not None and not (char in "*!" and self.at(start + 1) == char):
                self.i += 1
                self.add(single[0], start, self.i, single[1])
            elif char == " ":
                self.i += 1
            elif char in _DIGITS or (char == "." and self.at(start + 1) in _DIGITS):
                self.read_number()
            elif char in _DERIVATIVE_STARTS and self.read_derivative():
                pass
            elif char in _LETTERS:
                self.read_run()
            elif char in _PRIMES:  # (x^2)' is d/dx(x^2); the grammar takes it only after a bracket
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
            elif char in _SUPERSCRIPTS:
                while self.i < length and source[self.i] in _SUPERSCRIPTS:
                    self.i += 1
                ascii_text = "".join(_SUPERSCRIPTS[c] for c in source[start : self.i])
                self.add(Kind.SUPERSCRIPT, start, self.i, ascii_text)
            elif char in _ROOTS:
                self.i += 1
                self.add(Kind.ROOT, start, self.i, "root", sympy.Integer(_ROOTS[char]))
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
        hint = _CHARACTER_HINTS.get(
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
        """``d/dx``, ``d^2/dx^2``, ``d²/dx²``, ``d2/dx2``, ``dy/dx``, ``d²y/dx²``, ``∂/∂y``, ``∂f/∂x``,
        ``∂²/∂x∂y`` at the start of a run: one DERIVATIVE token (False, nothing read, if it is not one)."""
        start = self.i
        if start > 0 and (_is_letter(self.at(start - 1)) or self.at(start - 1) == "_"):
            return False  # "dd/dx" or "ad/dx": part of a longer run
        found = read_leibniz(self.source, start)
        if found is None:
            return False
        end, variables, function = found
        if len(variables) > MAX_DERIVATIVE_ORDER:
            raise InputTooLarge(
                f"the derivative at column {self.column(start)} is of order {len(variables)}",
                hint=f"orders up to {MAX_DERIVATIVE_ORDER} are worked out",
                column=self.column(start),
            )
        self.i = end
        self.add(Kind.DERIVATIVE, start, end, ",".join(variables), word=function)
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
            and not _is_digit(self.at(end))
            and self.at(end) not in ("_", *_SUBSCRIPTS)
        ):
            lowered = word.lower()
            if lowered in _UNDEFINED_WORDS:
                raise Undefined(
                    f"'{word}' ({_UNDEFINED_WORDS[lowered]}) at column {self.column(start)} is not a value",
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
            if lowered in _WORD_CONSTANTS:
                self.i = end
                self.add(
                    Kind.CONSTANT, start, end, lowered, value=_WORD_CONSTANTS[lowered], word=word
                )
                return
        first_token = len(self.tokens)
        while self.i < len(source) and _is_letter(source[self.i]):
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
            for candidate in _RUN_NAMES.get(char, ()):
                if source.startswith(candidate, start):
                    name, end = candidate, start + len(candidate)
                    break
        self.i = end
        if name in FUNCTION_ALIASES and char not in GREEK_LETTERS:
            canonical = FUNCTION_ALIASES[name]
            if (
                canonical == "log"
                and (_is_digit(self.at(end)) or self.at(end) == "_" or self.at(end) in _SUBSCRIPTS)
                and self.at(end) != ""
            ):
                base = self.read_log_base(end)
                self.add(Kind.FUNCTION, start, self.i, "log", value=base)
                return
            if self.at(end) == "_" or self.at(end) in _SUBSCRIPTS:
                raise ParseError(
                    f"'{name}' at column {self.column(start)} is a function and cannot take a subscript",
                    hint=f"write {name}(x), or pick another variable name",
                    column=self.column(start),
                )
            self.add(Kind.FUNCTION, start, end, canonical)
            return
        if name in _RUN_CONSTANTS:
            if _is_digit(self.at(end)) or self.at(end) == "_" or self.at(end) in _SUBSCRIPTS:
                shown = "π" if name == "pi" else "e"
                raise ParseError(
                    f"'{self.original[start:end]}' at column {self.column(start)} is the constant "
                    f"{shown}, so it cannot be a variable name with a subscript",
                    hint="use another letter for the variable, or put * before the number",
                    column=self.column(start),
                )
            self.add(Kind.CONSTANT, start, end, name, value=_RUN_CONSTANTS[name])
            return
        name = _LATEX_GREEK.get(name, name)
        self.i = self.read_subscript(end)
        self.add(Kind.VARIABLE, start, self.i, name + self.subscript_text(end, self.i))

    def read_subscript(self, index: int) -> int:
        """The end of a subscript at ``index``: digits, ₁₂, _1, _ij, _{12}; else ``index``."""
        source = self.source
        if _is_digit(self.at(index)):
            while _is_digit(self.at(index)):
                index += 1
            return index
        if self.at(index) in _SUBSCRIPTS and self.at(index) != "":
            while index < len(source) and source[index] in _SUBSCRIPTS:
                index += 1
            return index
        if self.at(index) != "_":
            return index
        following = self.at(index + 1)
        if _is_digit(following):
            index += 1
            while _is_digit(self.at(index)):
                index += 1
            return index
        if _is_ascii_letter(following):
            index += 1
            while _is_ascii_letter(self.at(index)) or _is_digit(self.at(index)):
                index += 1
            return index
        if following == "{":
            close = index + 2
            while _is_ascii_letter(self.at(close)) or _is_digit(self.at(close)):
                close += 1
            if close > index + 2 and self.at(close) == "}":
                return close + 1
        raise self.unexpected_character(index)

    def subscript_text(self, start: int, end: int) -> str:
        """The subscript as it goes into the symbol's name: x1 stays x1, x₁ and x_{1} become x_1."""
        raw = self.source[start:end]
        if not raw:
            return ""
        if raw[0] in _SUBSCRIPTS:
            return "_" + "".join(_SUBSCRIPTS[c] for c in raw)
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
        letters = "".join(c for c in word if _is_ascii_letter(c)).lower()
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
        while _is_ascii_letter(self.at(end)):
            end += 1
        command = self.source[start + 1 : end]
        if not command:
            if self.at(end) in (",", ";", "!", ":", " "):  # LaTeX spacing
                self.i = end + 1
                return
            raise self.unexpected_character(start)
        if command in _LATEX_OPERATORS:
            self.i = end
            self.add(Kind.OPERATOR, start, end, _LATEX_OPERATORS[command])
        elif command in _LATEX_BARS:
            self.i = end
            self.add(Kind.BAR, start, end, "|")
        elif command in _LATEX_IGNORED:
            self.i = end
        elif command in _LATEX_FRACTIONS and (leibniz := _LATEX_LEIBNIZ.match(self.source, start)):
            variables = _latex_leibniz_variables(leibniz)
            if variables is None:
                raise ParseError(
                    f"the orders in the derivative at column {self.column(start)} do not match",
                    hint="write \\frac{d^2}{dx^2} for a second derivative",
                    column=self.column(start),
                )
            self.i = leibniz.end()
            self.add(Kind.DERIVATIVE, start, self.i, ",".join(variables), word=leibniz.group("function") or "")
        elif command in _LATEX_FRACTIONS:
            self.i = end
            self.add(Kind.FUNCTION, start, end, "frac")
        elif command == "infty":
            self.i = end
            self.add(Kind.CONSTANT, start, end, "oo", value=sympy.oo)
        elif command == "sqrt":  # kept apart: \\sqrt[3]{x} takes a degree in square brackets
            self.i = end
            self.add(Kind.FUNCTION, start, end, "sqrt")
        elif command in FUNCTION_ALIASES or command in GREEK_NAMES or command in _LATEX_GREEK:
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
