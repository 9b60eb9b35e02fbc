"""Terms read from the parser's own tokens are the terms read again from each term's text."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import CalcbotError
from bot.solver.lexer import tokenize
from bot.solver.terms import typed_terms
from tests.solver.test_parser_properties import implicit, minimal, trees, unicode_style

TEXTS = [
    "x^2 - 2", "x^2 sin x + 3x - 1", "-x + 2", "+x - y", "2 - -x", "e^x - e", "sin x cos x - 1/2",
    "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30", "x² + 2x + 1", "3! - x!!", "2e-3 + x", "1.5e3x - 2",
    "ln x - log_2 x + log(x, 3)", "d/dx(x^2) + x", "x' + 1", "sqrt(x) - ∛x", "√x + 1", "2πx - π",
    "(x + 1)(x - 1) - x^2", "|x| + 1", "a b - c d + e f", "x^-1 + x^(-2)", "\\frac{1}{x} + 1",
    "sin^2 x + cos^2 x", "arcsin x - 2 arctan(x)", "x_1 + x_2", "θ + φ - 1", "10^400 + 1",
]


def _same_terms(text: str) -> None:
    try:
        tokens = tokenize(text)
    except CalcbotError:
        return
    again = typed_terms(text)
    reused = typed_terms(text, tokens)
    assert (None if again is None else [(t.text, t.expr) for t in again]) == (
        None if reused is None else [(t.text, t.expr) for t in reused]), text


def test_course_sums_split_the_same_from_the_tokens() -> None:
    for text in TEXTS:
        _same_terms(text)


@settings(max_examples=300, deadline=None)
@given(trees, st.randoms(use_true_random=False), st.sampled_from([minimal, implicit, unicode_style]))
def test_any_sum_splits_the_same_from_the_tokens(tree, rng: random.Random, style) -> None:  # type: ignore[no-untyped-def]
    _same_terms(style(tree, rng))
