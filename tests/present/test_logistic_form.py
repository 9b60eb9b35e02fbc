"""σ(x)(1 − σ(x)) offered for the logistic function's derivative (issue 12 §4).

The offered text is read back and compared with SymPy's own derivative of 1/(1 + e^(−u)).
"""

from __future__ import annotations

import re

import pytest
import sympy

from bot.solver.parser import parse

x, w, b = sympy.symbols("x w b", real=True)


def _logistic(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


def _offered(text: str) -> str:
    found = re.search(r"With the logistic function σ\(u\) = 1/\(1 \+ e\^\(−u\)\), this is `([^`]+)`", text)
    assert found is not None, text
    return found.group(1)


@pytest.mark.parametrize(("command", "function", "var", "order", "form"), [
    ("/derive sigmoid(x)", _logistic(x), x, 1, "σ(x)(1 − σ(x))"),
    ("/derive 1/(1+e^-x)", _logistic(x), x, 1, "σ(x)(1 − σ(x))"),
    ("/derive σ(x) order 2", _logistic(x), x, 2, "(1 − 2*σ(x))·σ(x)(1 − σ(x))"),
    ("/derive σ(w x + b) wrt w", _logistic(w * x + b), w, 1, None),
    ("/derive 3 sigmoid(x^2)", 3 * _logistic(x**2), x, 1, None),
])
async def test_the_logistic_derivative_is_offered_in_sigma_form(bot, command, function, var, order, form):
    reply = await bot.say(command)
    assert reply.error is None, reply.error
    offered = _offered(reply.text)
    if form is not None:
        assert offered == form
    read_back = parse(offered)  # σ before a bracket is the sigmoid; · and − are read as * and -
    names = {s.name: s for s in (x, w, b)}
    read_back = read_back.xreplace({s: names[s.name] for s in read_back.free_symbols})
    assert sympy.simplify(read_back - sympy.diff(function, var, order)) == 0


async def test_no_sigma_form_where_it_is_not_a_multiple_of_sigma_one_minus_sigma(bot):
    reply = await bot.say("/derive x sigmoid(x)")
    assert "logistic function" not in reply.text
