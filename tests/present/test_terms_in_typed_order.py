"""Terms in the order the learner wrote them where SymPy reorders (issue 12 §4)."""

from __future__ import annotations

import re

import pytest
import sympy

x = sympy.Symbol("x", real=True)


def _code_after(label: str, text: str) -> str:
    found = re.search(re.escape(label) + r"[^`]*`([^`]+)`", text)
    assert found is not None, text
    return found.group(1)


@pytest.mark.parametrize(("typed", "echo", "derivative"), [
    ("3x + x^2", "3*x + x^2", "3 + 2*x"),
    ("sin x + x^3 - 5x", "sin(x) + x^3 - 5*x", "cos(x) + 3*x^2 - 5"),
    ("5 + x sin x + e^x", "5 + x*sin(x) + e^x", "x*cos(x) + sin(x) + e^x"),
])
async def test_derive_echoes_and_answers_in_the_learners_order(bot, typed, echo, derivative):
    reply = await bot.say(f"/derive {typed}")
    assert _code_after("I read this as:", reply.text) == echo
    assert _code_after("**Result**:", reply.text) == derivative
    expected = sympy.diff(sympy.sympify(echo.replace("^", "**").replace("e**x", "exp(x)"), locals={"x": x}), x)
    assert sympy.simplify(sympy.sympify(reply.result, locals={"x": x}) - expected) == 0


async def test_sympys_order_stays_where_the_learner_typed_it_that_way(bot):
    reply = await bot.say("/derive x^2 + 3x")
    assert _code_after("**Result**:", reply.text) == "2*x + 3"


@pytest.mark.parametrize(("command", "echo"), [
    ("/grad y^2 + x^3", "y^2 + x^3"),
    ("/hessian y^3 + x^2 y", "y^3 + x^2*y"),
    ("/taylor sin x + e^x order 2", "sin(x) + e^x"),
])
async def test_every_command_echoes_a_sum_in_the_learners_order(bot, command, echo):
    reply = await bot.say(command)
    assert f"= `{echo}`" in reply.text.splitlines()[0]


async def test_check_echoes_both_sides_in_the_learners_order(bot):
    reply = await bot.say("/check 3x + x^2 = x(x + 3)")
    assert "(I read this as `3*x + x^2` = `x*(x + 3)`.)" in reply.text
    assert reply.result == "True"


async def test_jacobian_functions_are_echoed_in_the_order_their_terms_were_typed(bot):
    import sympy

    reply = await bot.say("/jacobian (y^2 + x, 3x + x^2 y)")
    assert "f1(x, y) = `y^2 + x`" in reply.text and "f2(x, y) = `3*x + x^2*y`" in reply.text
    x, y = sympy.symbols("x y")
    expected = sympy.Matrix([y**2 + x, 3 * x + x**2 * y]).jacobian([x, y])
    assert sympy.simplify(sympy.sympify(reply.result) - expected) == sympy.zeros(2, 2)  # the maths unchanged
