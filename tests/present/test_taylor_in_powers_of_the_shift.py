"""Taylor polynomials written f(a) + f′(a)(x − a) + … in text, JSON result, LaTeX and the figure's
legend (issue 12 §4). Coefficients are checked against SymPy's own series."""

from __future__ import annotations

import re

import pytest
import sympy

from plotting.style import shifted_latex

x = sympy.Symbol("x", real=True)


@pytest.mark.parametrize(("command", "function", "a", "order", "result"), [
    ("/taylor 2x^2 at 1 order 2", 2 * x**2, 1, 2, "2 + 4*(x - 1) + 2*(x - 1)**2"),
    ("/taylor e^x about 1 order 2", sympy.exp(x), 1, 2, "E + E*(x - 1) + E*(x - 1)**2/2"),
    ("/taylor sin x at pi/2 order 3", sympy.sin(x), sympy.pi / 2, 3, "1 - (x - pi/2)**2/2"),
    ("/taylor x^3 at -2 order 3", x**3, -2, 3, "-8 + 12*(x + 2) - 6*(x + 2)**2 + (x + 2)**3"),
])
async def test_the_result_is_in_powers_of_x_minus_a_lowest_first(bot, command, function, a, order, result):
    reply = await bot.say(command)
    assert reply.result == result
    read = sympy.sympify(reply.result, locals={"x": x})  # our own output, SymPy syntax
    assert sympy.expand(read - sympy.series(function, x, a, order + 1).removeO()) == 0
    powers = [int(p) if p else 1 for p in re.findall(r"\(x [-+] [^)]+\)(?:\*\*(\d+))?", reply.result)]
    assert powers == sorted(powers)
    assert "\\left(x" in (reply.latex or "") or a == 0


def test_the_legend_is_in_powers_of_x_minus_a():
    polynomial = sympy.expand(sympy.series(sympy.exp(x), x, 1, 3).removeO())  # expanded, as drawn
    assert shifted_latex(polynomial, x, sympy.Integer(1)) == r"e + e(x - 1) + \frac{e}{2}(x - 1)^{2}"
    assert shifted_latex(sympy.expand(2 * (x + 2) ** 2 - 3), x, sympy.Integer(-2)) == "-3 + 2(x + 2)^{2}"
    assert shifted_latex(1 - x**2 / 2, x, sympy.Integer(0)) == r"1 - \frac{1}{2} x^{2}"


@pytest.mark.parametrize(("command", "function", "a", "line"), [
    ("/slope x^2 at 3", x**2, 3, "9 + 6*(x - 3)"),
    ("/slope x^3 at -1", x**3, -1, "-1 + 3*(x + 1)"),
    ("/slope cbrt(x) at -8", -((-x) ** sympy.Rational(1, 3)), -8, "-2 + (x + 8)/12"),
])
async def test_slope_gives_the_linearisation_in_powers_of_x_minus_a(bot, command, function, a, line):
    reply = await bot.say(command)
    assert f"f(a) + f'(a)(x − a) = `{line}`" in reply.text
    tangent = function.subs(x, a) + sympy.diff(function, x).subs(x, a) * (x - a)  # for x < 0, ∛x = −∛(−x)
    assert sympy.simplify(sympy.sympify(line.replace("^", "**"), locals={"x": x}) - tangent) == 0
