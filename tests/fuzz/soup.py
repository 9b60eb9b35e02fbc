"""Grammar-aware token soup: what students type, glued together in ways they sometimes do.

Shared by the suite's fuzz test (hypothesis) and ``scripts/fuzz.py`` (long campaigns). An expression
is built from atoms (variables, numbers at extreme sizes, constants, unicode), functions, operators,
brackets and the words and keywords people mix in; a message wraps one or two of them in a command's
grammar, sometimes with a clause in an odd place.
"""

from __future__ import annotations

import random

ATOMS = (
    "x", "y", "z", "t", "a", "b", "2", "3", "0", "1", "-1", "0.5", "1e308", "1e-308", "10^400", "9^99",
    "2^1000", "10^-400", "123456789012345678901234567890", "pi", "e", "π", "√2", "x²", "x³", "½",
    "x^(1/3)", "x^(2/3)", "cbrt(x)", "|x|", "∞", "oo", "nan", "i", "E", "0.000000001", "1/0", "0/0",
)
FUNCTIONS = ("sin", "cos", "tan", "ln", "log", "exp", "sqrt", "√", "asin", "atan", "sinh", "abs", "sec",
             "arctan", "sigmoid", "cbrt", "floor", "sign", "gamma", "erf")
OPERATORS = ("+", "-", "*", "/", "^", "**", "", " ", "·", "×", "−", "!")
WORDS = ("about", "at", "wrt", "d/dx", "dy/dx", "f'(x) =", "y =", "from", "to", "order", "and", "the",
         "of", "=", ",", ";", "(", ")", "[", "]", "{", "}", "'", "\"", "\\", "%", "#", "@", "$", "&&")

FAMILIES = {
    "derive": "/derive {e}", "derive_at": "/derive {e} at {n}", "derive_order": "/derive {e} order {k}",
    "slope": "/slope {e} at {n}", "partial": "/partial {e} wrt {v}", "grad": "/grad {e} at ({n}, {n})",
    "jacobian": "/jacobian [{e}, {e}] at ({n}, {n})", "hessian": "/hessian {e}",
    "chain": "/chain {e} with x = {e}, y = {e} wrt t", "taylor": "/taylor {e} at {n} order {k}",
    "newton": "/newton {e} from {n}", "stationary": "/stationary {e}",
    "lagrange": "/lagrange {e} subject to {e} = {n}", "check": "/check {e} = {e}",
    "check_derivative": "/check d/dx {e} = {e}", "plot": "/plot {e}", "plot_range": "/plot {e} from {n} to {n}",
    "surface": "/surface {e}", "descent": "/descent {e} from ({n}, {n})", "latex": "/latex {e}",
    "fit": "/fit {e} data 0,{n}; 1,{n}; 2,{n}; 3,{n}", "backprop": "/backprop 1-1 x=({n}) y={n}",
    "answer": "/answer {e}",
}

# Sent (by the same user, in the same channel) before each message of the family: a quiz answer
# needs an open question.
SETUP = {"answer": "/quiz"}


def expression(rng: random.Random, depth: int = 0) -> str:
    """One expression-like string, nested up to a few levels."""
    roll = rng.random()
    if depth > 3 or roll < 0.35:
        return rng.choice(ATOMS)
    if roll < 0.55:
        return f"{rng.choice(FUNCTIONS)}({expression(rng, depth + 1)})"
    if roll < 0.62:
        return f"{rng.choice(FUNCTIONS)} {expression(rng, depth + 1)}"
    if roll < 0.85:
        op = rng.choice(OPERATORS)
        return f"{expression(rng, depth + 1)}{op}{expression(rng, depth + 1)}"
    if roll < 0.93:
        return f"({expression(rng, depth + 1)})"
    return f"{expression(rng, depth + 1)} {rng.choice(WORDS)} {expression(rng, depth + 1)}"


def number(rng: random.Random) -> str:
    return rng.choice(("0", "1", "-2", "0.5", "1e308", "-1e308", "10^400", "pi/4", "1e-320", "x", "√2",
                       "2^64", "nan", "1/0", "1,5", "", "(1, 2)"))


def message(rng: random.Random, family: str) -> str:
    """A message for ``family``; one in ten gets a stray word somewhere."""
    template = FAMILIES[family]
    text = template.format_map(_Fill(rng))
    if rng.random() < 0.1:
        words = text.split(" ")
        words.insert(rng.randrange(1, len(words) + 1), rng.choice(WORDS))
        text = " ".join(words)
    return text


class _Fill(dict[str, str]):
    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:  # each placeholder drawn afresh, even when repeated
        return {"e": lambda: expression(self.rng), "n": lambda: number(self.rng),
                "k": lambda: self.rng.choice(("0", "1", "2", "12", "99")),
                "v": lambda: self.rng.choice(("x", "y", "t", "q", "sin"))}[key]()

    def __getitem__(self, key: str) -> str:
        return self.__missing__(key)
