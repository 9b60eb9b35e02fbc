"""Words are not variables, prefixes learners write, and real odd roots (issue 12 §1–2).

Answers are checked against SymPy computed here, independently of the code under test.
"""

from __future__ import annotations

import re

import pytest
import sympy

from bot.commands import all_commands
from bot.errors import WordNotVariables
from bot.solver.parser import parse
from bot.solver.prefixes import strip_answer_name, strip_function_name
from bot.solver.words import command_keywords

x, y = sympy.symbols("x y", real=True)


def _expr(result: str | None) -> sympy.Expr:
    assert result is not None
    found = sympy.sympify(result)  # our own output, in SymPy syntax — not user text
    return found.xreplace({s: sympy.Symbol(s.name, real=True) for s in found.free_symbols})


@pytest.mark.parametrize("centre", ["at", "about", "around", "near", "centred at", "centered at"])
async def test_taylor_reads_every_way_of_saying_where_it_is_centred(bot, centre):
    reply = await bot.say(f"/taylor e^x {centre} 1 order 3")
    expected = sympy.series(sympy.exp(x), x, 1, 4).removeO()
    assert reply.error is None and sympy.simplify(_expr(reply.result) - expected) == 0


async def test_derive_at_a_point_gives_the_value_of_the_derivative(bot):
    assert (await bot.say("/derive x^2 at 3")).result == "6"
    reply = await bot.say("/derive x^3 sin x at pi/2")
    expected = sympy.diff(x**3 * sympy.sin(x), x).subs(x, sympy.pi / 2)
    assert sympy.simplify(_expr(reply.result) - expected) == 0


@pytest.mark.parametrize("text", ["/derive dy/dx x^2 sin x", "/derive d/dx(x^2 sin x)", "/derive f(x) = x^2 sin x",
                                  "/derive y = x^2 sin x"])
async def test_derive_understands_the_prefixes_learners_write(bot, text):
    reply = await bot.say(text)
    assert reply.error is None
    assert sympy.simplify(_expr(reply.result) - sympy.diff(x**2 * sympy.sin(x), x)) == 0


async def test_check_understands_dy_dx(bot):
    assert (await bot.say("/check dy/dx x^3 = 3x^2")).result == "True"
    assert (await bot.say("/check d/dx(x^3) = 3x^2")).result == "True"


@pytest.mark.parametrize(("typed", "answer"), [
    ("f'(x) = 2x", "2x"), ("dy/dx = 2x", "2x"), ("y' = 2x", "2x"), ("y = 2x", "2x"), ("f′(x)=cos x", "cos x"),
    ("m = -1.1, c = 3.9", "-1.1, 3.9"), ("2x", "2x"),
])
def test_answers_lose_the_name_the_learner_gave_them(typed, answer):
    assert strip_answer_name(typed) == answer


def test_a_function_name_is_not_part_of_the_expression():
    assert strip_function_name("f(x) = x^2") == "x^2"
    assert strip_function_name("x = 2") == "x = 2"


@pytest.mark.parametrize("text", ["about", "x^2 for x = 3", "e^x around 0", "the x^2", "sin(x) near 1"])
async def test_a_word_is_asked_about_not_multiplied(bot, text):
    reply = await bot.say(f"/derive {text}")
    assert reply.error is not None and reply.error.code == "word"
    assert "did you mean" in reply.error.message or "word" in reply.error.message


async def test_letters_that_are_not_words_still_multiply(bot):
    reply = await bot.say("/derive ax^2 + bx + c")
    a, b = sympy.symbols("a b", real=True)
    assert sympy.simplify(_expr(reply.result) - (2 * a * x + b)) == 0


def test_no_word_of_the_commands_help_is_ever_split_into_variables():
    single = re.compile(r"[A-Za-z]{3,}")
    words = set()
    for cmd in all_commands():
        for text in (cmd.summary, cmd.usage, cmd.details, *cmd.examples):
            words |= set(single.findall(text))
    assert words
    for word in sorted(words):
        try:
            value = parse(word)
        except WordNotVariables:
            continue
        except Exception:  # another pointed error (unknown function…) is no misreading either
            continue
        letters = [s for s in value.free_symbols if len(s.name) == 1]
        assert not (isinstance(value, sympy.Mul) and len(letters) >= 2), f"{word!r} read as {value}"


def test_every_keyword_of_every_command_is_guarded():
    declared = {w.lower() for cmd in all_commands() for k in cmd.keywords for phrase in k.words
                for w in re.findall(r"[A-Za-z]+", phrase) if len(w) > 1}
    assert declared <= command_keywords(), "run scripts/make_word_list.py after adding a keyword"


# --- real odd roots -----------------------------------------------------------------------------

async def test_the_slope_of_a_cube_root_at_a_negative_point_is_real(bot):
    reply = await bot.say("/slope x^(1/3) at -8")
    # independently: d/dx ∛x = 1/(3∛(x²)); ∛((−8)²) = ∛64 = 4
    assert reply.error is None and _expr(reply.result) == sympy.Rational(1, 12)
    assert (await bot.say("/derive cbrt(x) at -8")).result == "1/12"


async def test_newton_on_a_cube_root_shows_the_classic_divergence(bot):
    reply = await bot.say("/newton cbrt(x) from 1")
    assert reply.error is not None and reply.error.code == "no_convergence"
    # x_{n+1} = x_n − ∛x_n / (⅓ x_n^(−2/3)) = −2 x_n: 1, −2, 4, −8, 16 …
    for value in ("-2", "4", "-8", "16"):
        assert re.search(rf"(^|[\s|]){value}(\.0+)?([\s|]|$)", reply.text, re.M), value


async def test_gradient_and_check_read_odd_roots_as_real(bot):
    reply = await bot.say("/grad x^(1/3) y at (-8, 1)")
    assert reply.error is None and _expr(reply.result) == sympy.Matrix([[sympy.Rational(1, 12)], [-2]])
    assert (await bot.say("/check cbrt(-8) = -2")).result == "True"
    assert (await bot.say("/check x^(2/3) = (x^2)^(1/3)")).result == "True"
    assert (await bot.say("/check (-8)^(2/3) = 4")).result == "True"


async def test_even_roots_of_negatives_stay_not_real(bot):
    reply = await bot.say("/slope sqrt(x) at -4")
    assert reply.error is not None and reply.error.code == "undefined"
