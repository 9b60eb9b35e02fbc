"""The characters and names the maths lexer knows: function spellings, Greek letters, constants,
LaTeX commands, sub- and superscripts, and the look-alike characters mapped to ASCII.

Shared by ``lexer.py`` (characters to tokens) and ``leibniz.py`` (derivative notation), so that
neither imports the other.
"""

from __future__ import annotations

import sympy

from bot.solver.tokens import Kind

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

GREEK_LETTERS: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "ϱ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "Υ": "Upsilon",
}  # fmt: skip
LATEX_GREEK = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho"}

# Constants found anywhere in a run of letters (case-sensitive) ...
RUN_CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E, "E": sympy.E}
# ... and constants only as a whole word (case-insensitive): ``oo`` inside ``zoom`` is not ∞.
WORD_CONSTANTS: dict[str, sympy.Expr] = {
    "pi": sympy.pi,
    "oo": sympy.oo,
    "inf": sympy.oo,
    "infty": sympy.oo,
    "infinity": sympy.oo,
}
UNDEFINED_WORDS = {"zoo": "complex infinity", "nan": "not a number"}

# Names matched inside runs, longest first, grouped by first letter for speed.
RUN_NAMES: dict[str, tuple[str, ...]] = {}
for _name in sorted({*FUNCTION_ALIASES, *GREEK_NAMES, *LATEX_GREEK, "pi"}, key=len, reverse=True):
    RUN_NAMES.setdefault(_name[0], ())
    RUN_NAMES[_name[0]] += (_name,)

LATEX_OPERATORS = {"cdot": "*", "times": "*", "ast": "*", "div": "/"}
LATEX_BARS = {"vert", "lvert", "rvert", "mid"}
LATEX_IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"}
LATEX_FRACTIONS = {"frac", "dfrac", "tfrac"}

# --- characters --------------------------------------------------------------------------------

_TRANSLATION: dict[int, str] = {ord(c): "-" for c in "−–—‐‑‒﹣"}
_TRANSLATION.update({ord(c): "*" for c in "·×⋅∗•"})
_TRANSLATION.update({ord(c): "/" for c in "÷∕⁄"})
_TRANSLATION.update({ord(c): " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"})
_TRANSLATION.update({ord(c): " " for c in "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u202f"})
_TRANSLATION.update({ord(c): " " for c in "\u205f\u2060\u3000\ufeff\t\n\r\v\f"})
_TRANSLATION.update({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})  # full width
_TRANSLATION.update({ord("∣"): "|", ord("｜"): "|", ord("＾"): "^"})

SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
SUBSCRIPTS.update(dict(zip("ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "aeoxhklmnpstijruv", strict=True)))

SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾", "0123456789+-()", strict=True))
SUPERSCRIPTS.update(
    dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz", strict=True))
)

ROOTS = {"√": 2, "∛": 3, "∜": 4}
SINGLE_CHARACTERS = {
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
CHARACTER_HINTS = {
    "Σ": "sums written with Σ are not supported; write the terms out",
    "Π": "products written with Π are not supported; write the factors out",
    "<": "inequalities are not read here",
    ">": "inequalities are not read here",
    "%": "percent is not read here; write 0.05 for 5%",
    "?": "leave out the question mark",
    ".": "a decimal needs digits after the point (2.5); leave out a full stop at the end",
}

DIGITS = frozenset("0123456789")
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
LETTERS = ASCII_LETTERS | frozenset(GREEK_LETTERS)


def is_digit(char: str) -> bool:
    return char in DIGITS


def is_ascii_letter(char: str) -> bool:
    return char in ASCII_LETTERS


def is_letter(char: str) -> bool:
    return char in LETTERS


def normalise(text: str) -> str:
    """Map look-alike characters to ASCII one for one, so columns still match the user's text."""
    return text.translate(_TRANSLATION)
