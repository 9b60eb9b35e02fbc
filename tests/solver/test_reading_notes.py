"""Documented ambiguities are read as documented and say so (issue 12 §1, third bullet).

Each case states the reading in SymPy built here, independently of the parser, and checks that the
parser read exactly that — and that the note names both what was typed and how to write the other.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import CalcbotError
from bot.solver.ambiguities import find_ambiguities, noting
from bot.solver.lexer import tokenize
from bot.solver.parser import parse, parse_equation, parse_list
from bot.solver.terms import typed_terms

x, y, z, a, b, c = sympy.symbols("x y z a b c", real=True)
E = sympy.E

# typed, the documented reading (built independently), the other reading's spelling in the note
AMBIGUOUS = [
    ("e^2x", E**2 * x, "e^(2x)"),
    ("3e^2x + 1", 3 * E**2 * x + 1, "e^(2x)"),
    ("e^-2x", E**-2 * x, "e^(-2x)"),
    ("e^xy", sympy.exp(x) * y, "e^(xy)"),
    ("2^3x", 8 * x, "2^(3x)"),
    ("x^-1/2", 1 / (2 * x), "x^(-1/2)"),
    ("x^1/2", x / 2, "x^(1/2)"),
    ("x^3/2", x**3 / 2, "x^(3/2)"),
    ("x^2/3", x**2 / 3, "x^(2/3)"),
    ("1/2x", x / 2, "1/(2x)"),
    ("1/2 x", x / 2, "1/(2 x)"),
    ("1/2(x+1)", (x + 1) / 2, "1/(2(x+1))"),
    ("(x+1)/(x-1)(x+2)", (x + 1) * (x + 2) / (x - 1), "(x+1)/((x-1)(x+2))"),
    ("a/bc", a * c / b, "a/(bc)"),
    ("1/2 sin x", sympy.sin(x) / 2, "1/(2 sin x)"),
    ("√2x", sympy.sqrt(2) * x, "√(2x)"),
    ("sin x^2", sympy.sin(x**2), "(sin x)^2"),
    ("sin x²", sympy.sin(x**2), "(sin x)²"),
    ("ln x^2", sympy.log(x**2), "(ln x)^2"),
    ("sin x/2", sympy.sin(x) / 2, "sin(x/2)"),
    ("sin^-1 x", sympy.asin(x), "1/sin(x)"),
    ("2^3^2", sympy.Integer(2) ** 9, "(2^3)^2"),
]


@pytest.mark.parametrize(("typed", "reading", "other"), AMBIGUOUS)
def test_an_ambiguity_is_read_as_documented_and_noted(typed, reading, other):
    with noting() as notes:
        expr = parse(typed)
    assert sympy.simplify(expr - reading) == 0
    assert len(notes) == 1
    assert f"`{other}`" in notes[0].text
    assert "I read `" in notes[0].text


def test_the_note_says_how_it_was_read_in_the_learners_terms():
    with noting() as notes:
        parse("e^2x")
    assert notes[0].text == "Note: I read `e^2x` as e²·x — write `e^(2x)` for the other."


def test_the_note_writing_the_other_reading_means_the_other_reading():
    """Typing what the note offers gives the other meaning, with no note of its own."""
    for _typed, reading, other in AMBIGUOUS:
        if other.startswith("1/sin"):
            continue  # the reciprocal's note spells the function, not the typed argument
        with noting() as notes:
            expr = parse(other)
        assert notes == [], other
        assert sympy.simplify(expr - reading) != 0, other


@pytest.mark.parametrize("typed", [
    "e^(2x)", "e^2 x", "x^2y", "3x^2 y", "x^2/2", "x^3/6", "x^4/24", "x**3/2", "e^x/2", "sin(x)/2",
    "sin^2 x", "2x/3", "x/2", "(1/2)x", "sqrt(2) x", "√2 x", "x^(1/2)", "2*x^3*cos(x)/3", "exp(2)*x",
])
def test_unambiguous_input_gets_no_note(typed):
    with noting() as notes:
        parse(typed)
    assert notes == []


def test_each_ambiguity_is_noted_once_and_in_order():
    with noting() as notes:
        parse("1/2x + 1/3y + 1/2x")
    assert [note.typed for note in notes] == ["1/2x", "1/3y"]


def test_equations_and_lists_are_noted_too():
    with noting() as notes:
        parse_equation("e^2x = e^(2x)")
        parse_list("[1/2x, y]")
    assert [note.typed for note in notes] == ["e^2x", "1/2x"]


def test_outside_a_scope_nothing_is_kept_and_a_failed_parse_notes_nothing():
    parse("e^2x")  # no scope: a no-op
    with noting() as notes:
        with pytest.raises(Exception):  # noqa: B017 — any parse error
            parse("1/2x +")
    assert notes == []


_ALPHABET = "xye2130/^*-+()√² sin|!.,="


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([*_ALPHABET, "sin ", "sqrt", "ln ", "e^", "^-1", "1/2", "σ"]), max_size=16).map("".join))
def test_finding_notes_never_fails_on_anything_the_lexer_reads(text):
    try:
        tokens = tokenize(text)
    except CalcbotError:
        return
    for note in find_ambiguities(text, tokens):
        assert note.typed and note.typed in text
    terms = typed_terms(text)  # also read on every parse, for the learner's order of terms
    assert terms is None or all(term.text for term in terms)


@pytest.mark.parametrize(("typed", "reading", "notes"), [
    ("sin e^2x", sympy.sin(E**2 * x), ["e^2x"]),  # not "sin e^2": the argument is the whole product
    ("sin x^2 y", sympy.sin(x**2 * y), []),
    ("2 sin x/2y", sympy.sin(x) * y, ["sin x/2", "sin x/2y"]),
])
def test_a_note_describes_the_whole_reading_not_a_piece_of_it(typed, reading, notes):
    with noting() as found:
        expr = parse(typed)
    assert sympy.simplify(expr - reading) == 0
    assert [note.typed for note in found] == notes
