"""Every command that reads maths says how it read a documented ambiguity (issue 12 §1), in chat.

Answers are checked against SymPy computed here: the note must describe the reading actually used.
"""

from __future__ import annotations

import pytest
import sympy

from tests.commands.test_learning_chat import _expression_question

x, y = sympy.symbols("x y", real=True)
E2X_NOTE = "I read `e^2x` as e²·x — write `e^(2x)` for the other."


def _expr(result: str | None) -> sympy.Expr:
    assert result is not None
    found = sympy.sympify(result)  # our own output, in SymPy syntax — not user text
    return found.xreplace({s: sympy.Symbol(s.name, real=True) for s in found.free_symbols})


def _line_after_read_as(text: str) -> str:
    lines = text.splitlines()
    where = next(i for i, line in enumerate(lines) if "I read this as" in line)
    return lines[where + 1]


async def test_derive_notes_e_to_the_2x_right_under_how_it_read_it(bot):
    reply = await bot.say("/derive e^2x")
    assert sympy.simplify(_expr(reply.result) - sympy.E**2) == 0  # the derivative of e²·x, not of e^(2x)
    assert E2X_NOTE in _line_after_read_as(reply.text)


async def test_check_notes_the_reading_that_decided_the_verdict(bot):
    reply = await bot.say("/check e^2x = e^(2x)")
    assert reply.result == "False"  # e²·x is not e^(2x): the verdict stands on the documented reading
    assert E2X_NOTE in reply.text


@pytest.mark.parametrize(("command", "expected"), [
    ("/taylor 1/2x^2 + x at 0 order 2", [x**2 / 2 + x]),
    ("/grad 1/2x^2 + y", [x, 1]),
    ("/partial 1/2x^2 y wrt x", [x * y]),
])
async def test_one_half_x_is_noted_by_every_command_that_reads_it(bot, command, expected):
    reply = await bot.say(command)
    assert reply.error is None, reply.error
    found = _expr(reply.result)
    components = list(found) if isinstance(found, sympy.MatrixBase) else [found]
    assert [sympy.simplify(mine - theirs) for mine, theirs in zip(components, expected, strict=True)] == [0] * len(expected)
    assert "I read `1/2x^2` as (1/2)·x^2 — write `1/(2x^2)` for the other." in reply.text


async def test_a_power_over_a_number_is_noted_on_slope(bot):
    reply = await bot.say("/slope x^-1/2 at 1")
    assert sympy.simplify(_expr(reply.result) - sympy.diff(1 / (2 * x), x).subs(x, 1)) == 0
    assert "I read `x^-1/2` as x⁻¹/2 — write `x^(-1/2)` for the other." in reply.text


async def test_commands_without_a_read_as_line_still_show_the_note(bot):
    reply = await bot.say("/newton x^1/2 - 1 from 3")
    assert "I read `x^1/2` as x¹/2 — write `x^(1/2)` for the other." in reply.text
    assert "**Root**: x ≈ 2\n" in reply.text + "\n"  # the root of x/2 − 1, not of √x − 1 (which is 1)


async def test_unambiguous_input_gets_no_note(bot):
    reply = await bot.say("/derive e^(2x)")
    assert "Note:" not in reply.text
    assert sympy.simplify(_expr(reply.result) - 2 * sympy.exp(2 * x)) == 0


async def test_a_quiz_answer_says_how_it_was_read(bot):
    await _expression_question(bot, "chain rule")
    reply = await bot.say("/answer e^2x")
    assert reply.error is None
    assert E2X_NOTE in reply.text
