"""Long gradients and Hessians with a common factor show it taken out (issue 12 §4)."""

from __future__ import annotations

from functools import reduce

import pytest
import sympy

from bot.solver.factoring import common_factor

x, y = sympy.symbols("x y", real=True)
E = sympy.exp(x**2 + y**2)


@pytest.mark.parametrize("entries", [
    [6 * x * (x**2 + y**2) ** 2, 6 * y * (x**2 + y**2) ** 2],
    [(4 * x**2 + 2) * E, 4 * x * y * E, 4 * x * y * E, (4 * y**2 + 2) * E],
    [sympy.sin(x) * sympy.cos(y), -sympy.sin(x) * sympy.sin(y)],
    [y * sympy.exp(x * y), 0, x * sympy.exp(x * y)],
])
def test_the_factor_times_the_rest_is_the_matrix_and_nothing_more_is_shared(entries):
    found = common_factor(entries)
    assert found is not None
    factor, rest = found
    assert all(sympy.simplify(factor * r - e) == 0 for r, e in zip(rest, entries, strict=True))
    # independently: the polynomial gcd of what is left (exponentials as generators) is a unit
    left = [sympy.expand(r) for r in rest if r != 0]
    assert reduce(sympy.gcd, left) in (1, -1)


@pytest.mark.parametrize("entries", [[2 * x * y, x**2 + 3 * y**2], [x, 0], [sympy.Integer(1), x]])
def test_nothing_shared_means_no_factor(entries):
    assert common_factor(entries) is None


async def test_grad_shows_the_common_factor_taken_out(bot):
    reply = await bot.say("/grad (x^2+y^2)^3")
    assert "∇f = 6*(x^2 + y^2)^2 · [ x ]" in reply.text
    assert reply.result == "Matrix([[6*x*(x**2 + y**2)**2], [6*y*(x**2 + y**2)**2]])"  # the contract is unchanged


async def test_hessian_shows_the_common_factor_taken_out(bot):
    reply = await bot.say("/hessian e^(x^2+y^2)")
    assert "H = 2*e^(x^2 + y^2) · [ 2*x^2 + 1      2*x*y ]" in reply.text


async def test_a_short_gradient_is_left_alone(bot):
    assert "common factor" not in (await bot.say("/grad x^2 + y^2")).text
