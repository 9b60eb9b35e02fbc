"""Work grows with the expression, never explodes: what bare SymPy differentiates in milliseconds
answers well inside the worker's time limit, with the working, and the right derivative."""

from __future__ import annotations

import sympy

from bot.solver.parser import parse
from bot.solver.variables import symbol


async def test_a_ten_deep_composition_is_answered_with_its_chain_rule_steps(bot):
    text = "x"
    for _ in range(10):
        text = f"sin({text})"
    reply = await bot.say(f"/derive {text}")
    assert reply.error is None, reply.error
    x = symbol("x")
    nested = x
    for _ in range(10):
        nested = sympy.sin(nested)
    assert sympy.expand(parse(reply.result) - sympy.diff(nested, x)) == 0
    assert reply.text.lower().count("chain rule") >= 9
