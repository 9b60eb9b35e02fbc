"""Transcripts of the calculus commands: each answer re-parsed and checked against sympy or numerics."""

from __future__ import annotations

import math

import pytest
import sympy

from bot.solver.parser import parse
from bot.solver.variables import symbol
from tests.commands import matrix_of, points_of
from tests.plotting.pngcheck import assert_chat_sized_png

x, y, z, t, r = (symbol(name) for name in ("x", "y", "z", "t", "r"))


def same(got: sympy.Expr, expected: sympy.Expr) -> bool:
    return sympy.simplify(got - expected) == 0


def central_difference(f, at: float, h: float = 1e-5) -> float:
    return (f(at + h) - f(at - h)) / (2 * h)


def assert_usage_error(reply, usage: str) -> None:
    assert reply.error is not None and reply.error.code == "usage", reply.text
    assert f"`{usage}`" in reply.error.message


# --- /derive ------------------------------------------------------------------------------------


async def test_derive_names_the_product_rule_and_agrees_with_sympy(bot):
    reply = await bot.say("/derive x^2 sin x")
    assert reply.error is None
    assert "product rule" in reply.text.lower()
    assert same(parse(reply.result), sympy.diff(x**2 * sympy.sin(x), x))


async def test_derive_with_d_dt_prefix_differentiates_by_t(bot):
    reply = await bot.say("/derive d/dt e^(2t)")
    assert reply.error is None
    assert "chain rule" in reply.text.lower()
    assert same(parse(reply.result), 2 * sympy.exp(2 * t))


async def test_derive_wrt_and_order_give_the_second_partial(bot):
    reply = await bot.say("/derive x^3 y^2 wrt y order 2")
    assert reply.error is None
    assert "x is held constant" in reply.text
    assert same(parse(reply.result), sympy.diff(x**3 * y**2, y, 2))


async def test_derive_of_a_quotient_matches_a_finite_difference(bot):
    reply = await bot.say("/derive sin(x)/x")
    derivative = sympy.lambdify(x, parse(reply.result))
    assert derivative(1.3) == pytest.approx(central_difference(lambda v: math.sin(v) / v, 1.3), rel=1e-7)


async def test_derive_plot_flag_adds_a_picture_of_f_and_its_derivative(bot):
    reply = await bot.say("/derive x^2 sin x plot")
    assert reply.error is None
    assert [image.name for image in reply.images] == ["derivative.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_derive_plot_of_a_function_undefined_at_zero_still_draws(bot):
    reply = await bot.say("/derive sin(x)/x plot")
    assert reply.error is None
    assert len(reply.images) == 1
    assert_chat_sized_png(reply.images[0].png)


async def test_derive_without_plot_sends_no_picture(bot):
    reply = await bot.say("/derive x^2 sin x")
    assert reply.images == ()


async def test_derive_aliases_give_the_same_answer(bot):
    replies = [await bot.say(f"/{name} x^3 cos x") for name in ("derive", "d", "diff", "differentiate")]
    assert len({reply.result for reply in replies}) == 1
    assert same(parse(replies[0].result), sympy.diff(x**3 * sympy.cos(x), x))


async def test_derive_with_d_dt_and_a_different_wrt_is_a_usage_error(bot):
    reply = await bot.say("/derive d/dt t^3 wrt x")
    assert reply.error is not None and reply.error.code == "usage"


async def test_derive_order_out_of_range_shows_the_usage_line(bot):
    reply = await bot.say("/derive x^2 order 11")
    assert_usage_error(reply, "/derive EXPR [wrt VAR] [order N] [at A] [plot]")
    assert "between 1 and 10" in reply.error.message


async def test_derive_with_nothing_to_differentiate_shows_the_usage_line(bot):
    reply = await bot.say("/derive")
    assert_usage_error(reply, "/derive EXPR [wrt VAR] [order N] [at A] [plot]")


async def test_unknown_command_suggests_the_closest(bot):
    reply = await bot.say("/deriv x^2")
    assert reply.error is not None and reply.error.code == "unknown_command"
    assert "did you mean /derive" in reply.error.message


# --- /slope -------------------------------------------------------------------------------------


async def test_slope_of_x_squared_at_3_is_6_with_the_quotients_closing_in(bot):
    reply = await bot.say("/slope x^2 at 3")
    assert reply.error is None
    assert parse(reply.result) == 6
    assert "| 0.001 | 9.006001 | 6.001 |" in reply.text  # (f(3.001) − f(3))/0.001, by hand


async def test_slope_at_pi_over_4_matches_a_finite_difference(bot):
    reply = await bot.say("/slope sin x at pi/4")
    assert float(parse(reply.result)) == pytest.approx(central_difference(math.sin, math.pi / 4), rel=1e-8)


async def test_slope_draws_the_tangent(bot):
    reply = await bot.say("/slope x^2 at 3")
    assert [image.name for image in reply.images] == ["tangent.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_slope_where_the_function_is_undefined_says_so(bot):
    reply = await bot.say("/slope 1/x at 0")
    assert reply.error is not None and reply.error.code == "undefined"


async def test_slope_without_a_point_shows_the_usage_line(bot):
    reply = await bot.say("/slope x^2")
    assert_usage_error(reply, "/slope EXPR at A [wrt VAR]")


# --- /partial -----------------------------------------------------------------------------------


async def test_partial_holds_the_other_variable_constant(bot):
    reply = await bot.say("/partial x^2 y^3 wrt y")
    assert "treat x as a constant" in reply.text
    assert same(parse(reply.result), sympy.diff(x**2 * y**3, y))


async def test_partial_wrt_two_variables_is_the_mixed_partial(bot):
    reply = await bot.say("/partial x^2 y^3 wrt x,y")
    assert same(parse(reply.result), sympy.diff(x**2 * y**3, x, y))
    assert "opposite order gives the same" in reply.text


async def test_partial_of_order_2(bot):
    reply = await bot.say("/partial e^(x y) wrt x order 2")
    assert same(parse(reply.result), sympy.diff(sympy.exp(x * y), x, 2))


async def test_partial_without_wrt_shows_the_usage_line(bot):
    reply = await bot.say("/partial x^2 y")
    assert_usage_error(reply, "/partial EXPR wrt VAR [order N]")


# --- /grad --------------------------------------------------------------------------------------


async def test_grad_at_a_point_matches_finite_differences(bot):
    reply = await bot.say("/grad x^2 y + y^3 at (1, 2)")
    assert reply.error is None
    f = sympy.lambdify((x, y), x**2 * y + y**3)
    numeric = [central_difference(lambda v: f(v, 2), 1), central_difference(lambda v: f(1, v), 2)]
    assert [float(c) for c in matrix_of(reply.result)] == pytest.approx(numeric, rel=1e-7)


async def test_grad_of_two_variables_draws_the_gradient_field(bot):
    reply = await bot.say("/grad x^2 y + y^3 at (1, 2)")
    assert [image.name for image in reply.images] == ["gradient.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_grad_of_three_variables_is_symbolic_and_has_no_picture(bot):
    reply = await bot.say("/grad x^2 + y^2 + z^2")
    f = x**2 + y**2 + z**2
    assert matrix_of(reply.result) == sympy.Matrix([sympy.diff(f, v) for v in (x, y, z)])
    assert reply.images == ()


async def test_grad_alias_gradient_works(bot):
    reply = await bot.say("/gradient x y")
    assert matrix_of(reply.result) == sympy.Matrix([y, x])


async def test_grad_at_a_point_with_too_many_coordinates_is_refused(bot):
    reply = await bot.say("/grad x^2 y at (1, 2, 3)")
    assert reply.error is not None and reply.error.code == "bad_argument"
    assert "3 coordinate" in reply.error.message


# --- /jacobian ----------------------------------------------------------------------------------


async def test_jacobian_of_a_list_at_a_point_matches_sympy(bot):
    reply = await bot.say("/jacobian [x^2 y, x + y] at (1, 2)")
    expected = sympy.Matrix([x**2 * y, x + y]).jacobian([x, y]).subs({x: 1, y: 2})
    assert matrix_of(reply.result) == expected
    assert "det J(1, 2) = `3`" in reply.text


async def test_jacobian_of_one_function_is_a_row(bot):
    reply = await bot.say("/jacobian x^2 y z")
    assert matrix_of(reply.result) == sympy.Matrix([x**2 * y * z]).jacobian([x, y, z])


async def test_jacobian_of_polar_coordinates_has_determinant_r(bot):
    reply = await bot.say("/jacobian [r cos t, r sin t] vars r,t")
    got = matrix_of(reply.result)
    assert got == sympy.Matrix([r * sympy.cos(t), r * sympy.sin(t)]).jacobian([r, t])
    assert same(got.det(), r)


async def test_jac_alias_works(bot):
    reply = await bot.say("/jac [x y, y z, x z] at (1, 2, 3)")
    expected = sympy.Matrix([x * y, y * z, x * z]).jacobian([x, y, z]).subs({x: 1, y: 2, z: 3})
    assert matrix_of(reply.result) == expected


# --- /hessian -----------------------------------------------------------------------------------


async def test_hessian_symbolic_matches_sympy(bot):
    reply = await bot.say("/hessian x^2 y + y^3")
    assert matrix_of(reply.result) == sympy.hessian(x**2 * y + y**3, (x, y))


async def test_hessian_at_a_non_stationary_point_does_not_classify_it(bot):
    reply = await bot.say("/hessian x^3 + x y^2 at (1, 1)")
    assert matrix_of(reply.result) == sympy.hessian(x**3 + x * y**2, (x, y)).subs({x: 1, y: 1})
    assert "not a stationary point" in reply.text
    assert "local minimum" not in reply.text


async def test_hessian_at_the_bottom_of_a_bowl_says_local_minimum(bot):
    reply = await bot.say("/hessian x^2 + y^2 at (0, 0)")
    assert matrix_of(reply.result) == sympy.Matrix([[2, 0], [0, 2]])
    assert "**local minimum**" in reply.text


# --- /chain -------------------------------------------------------------------------------------


async def test_chain_agrees_with_substituting_first(bot):
    reply = await bot.say("/chain x^2 y with x = cos t, y = sin t wrt t")
    assert same(parse(reply.result), sympy.diff(sympy.cos(t) ** 2 * sympy.sin(t), t))
    assert reply.text.count("→ term") == 2


async def test_chain_with_three_intermediate_variables(bot):
    reply = await bot.say("/chain x y z with x = t, y = t^2, z = t^3 wrt t")
    assert same(parse(reply.result), 6 * t**5)


async def test_chain_without_substitutions_shows_the_usage_line(bot):
    reply = await bot.say("/chain x^2 y wrt t")
    assert_usage_error(reply, "/chain EXPR with x = …, y = … wrt t")


# --- /taylor ------------------------------------------------------------------------------------


async def test_taylor_of_exp_about_0_is_the_maclaurin_polynomial(bot):
    reply = await bot.say("/taylor e^x at 0 order 4")
    assert same(parse(reply.result), sympy.series(sympy.exp(x), x, 0, 5).removeO())
    assert "Maclaurin" in reply.text


async def test_taylor_about_pi_over_2_matches_the_derivative_formula(bot):
    reply = await bot.say("/taylor cos x at pi/2")
    a = sympy.pi / 2
    expected = sum(sympy.diff(sympy.cos(x), x, n).subs(x, a) / sympy.factorial(n) * (x - a) ** n for n in range(4))
    assert same(parse(reply.result), expected)


async def test_taylor_draws_the_polynomials(bot):
    reply = await bot.say("/taylor e^x at 0 order 4")
    assert [image.name for image in reply.images] == ["taylor.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_taylor_in_two_variables(bot):
    reply = await bot.say("/taylor sin(x) cos(y) at (0, 0) order 2")
    assert same(parse(reply.result), x)


async def test_taylor_order_above_12_shows_the_usage_line(bot):
    reply = await bot.say("/taylor e^x order 13")
    assert_usage_error(reply, "/taylor EXPR [at A | at (a, b, …)] [order N] [vars x,y,…]")


# --- /newton ------------------------------------------------------------------------------------


async def test_newton_finds_root_2(bot):
    reply = await bot.say("/newton x^2 - 2 from 1")
    assert float(parse(reply.result)) == pytest.approx(math.sqrt(2), abs=1e-12)
    assert [image.name for image in reply.images] == ["newton.png"]


async def test_newton_on_the_course_sextic_lands_on_a_root(bot):
    reply = await bot.say("/newton x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30 from -4")
    root = float(parse(reply.result))
    f = sympy.lambdify(x, x**6 / 6 - 3 * x**4 - sympy.Rational(2, 3) * x**3 + sympy.Rational(27, 2) * x**2 + 18 * x - 30)
    assert abs(f(root)) < 1e-9
    assert root == pytest.approx(-3.7602, abs=1e-4)


async def test_newton_at_a_horizontal_tangent_explains_why_it_stops(bot):
    reply = await bot.say("/newton x^2 + 1 from 1")
    assert reply.error is not None and reply.error.code == "undefined"
    assert "horizontal" in reply.error.message


async def test_newton_without_a_start_shows_the_usage_line(bot):
    reply = await bot.say("/newton x^3 - x")
    assert_usage_error(reply, "/newton EXPR from X0 [wrt VAR]")


# --- /stationary --------------------------------------------------------------------------------


async def test_stationary_finds_the_minimum_of_a_bowl(bot):
    reply = await bot.say("/stationary x^2 + y^2 - 2x")
    assert points_of(reply.result) == [(1, 0)]
    assert "local minimum" in reply.text


async def test_stationary_writes_the_gradient_as_one_vector(bot):
    reply = await bot.say("/stationary x^2 + y^2 - 2x")
    assert "∇f = `(2*x - 2, 2*y)`" in reply.text


async def test_stationary_points_of_a_cubic_are_where_the_derivative_vanishes(bot):
    reply = await bot.say("/stationary x^3 - 3x")
    found = sorted(point[0] for point in points_of(reply.result))
    assert found == sorted(sympy.solve(sympy.diff(x**3 - 3 * x, x), x))
    assert "local maximum" in reply.text and "local minimum" in reply.text


async def test_stationary_monkey_saddle_is_inconclusive(bot):
    reply = await bot.say("/stationary x^3 - 3x y^2")
    assert points_of(reply.result) == [(0, 0)]
    assert "inconclusive" in reply.text


async def test_stationary_saddle_is_named(bot):
    reply = await bot.say("/stationary x^2 - y^2")
    assert "saddle point" in reply.text


# --- /lagrange ----------------------------------------------------------------------------------


async def test_lagrange_product_on_a_line_peaks_at_the_middle(bot):
    reply = await bot.say("/lagrange x y subject to x + y = 10")
    assert points_of(reply.result) == [(5, 5)]
    assert "f = 25" in reply.text


async def test_lagrange_candidates_lie_on_the_constraint_with_parallel_gradients(bot):
    reply = await bot.say("/lagrange e^(-(2x^2 + y^2 - x y)/2) subject to x^2 + 3(y+1)^2 = 1")
    f = sympy.exp(-(2 * x**2 + y**2 - x * y) / 2)
    g = x**2 + 3 * (y + 1) ** 2
    candidates = points_of(reply.result)
    assert len(candidates) == 4
    for a, b in candidates:
        at = {x: a, y: b}
        assert float(g.subs(at)) == pytest.approx(1, abs=1e-9)
        fx, fy = (float(sympy.diff(f, v).subs(at)) for v in (x, y))
        gx, gy = (float(sympy.diff(g, v).subs(at)) for v in (x, y))
        assert fx * gy - fy * gx == pytest.approx(0, abs=1e-9)  # ∇f ∥ ∇g


async def test_lagrange_on_a_circle_names_the_largest_and_smallest(bot):
    reply = await bot.say("/lagrange x + y subject to x^2 + y^2 = 1")
    half = sympy.sqrt(2) / 2
    assert sorted(points_of(reply.result)) == sorted([(half, half), (-half, -half)])
    assert "**Constrained maximum**: f = sqrt(2)" in reply.text


async def test_lagrange_without_a_constraint_shows_the_usage_line(bot):
    reply = await bot.say("/lagrange x y")
    assert_usage_error(reply, "/lagrange EXPR subject to G = C [vars x,y,…]")


# --- /check -------------------------------------------------------------------------------------


async def test_check_confirms_the_pythagorean_identity(bot):
    reply = await bot.say("/check sin(x)^2 + cos(x)^2 = 1")
    assert reply.result == "True"
    assert reply.text.startswith("✅")


async def test_check_refutes_a_wrong_expansion_at_a_point_that_really_differs(bot):
    reply = await bot.say("/check (x+1)^2 = x^2 + 1")
    assert reply.result == "False"
    assert "At x = 4/3, the left side is `49/9` but the right side is `25/9`" in reply.text
    assert (sympy.Rational(4, 3) + 1) ** 2 == sympy.Rational(49, 9)


async def test_check_a_correct_derivative(bot):
    reply = await bot.say("/check d/dx x^2 sin x = 2x sin x + x^2 cos x")
    assert reply.result == "True"


async def test_check_a_derivative_off_by_a_factor_points_at_the_constant(bot):
    reply = await bot.say("/check d/dx x^2 = 3x")
    assert reply.result == "False"
    assert "`3/2` times the derivative" in reply.text


async def test_check_a_derivative_in_t(bot):
    reply = await bot.say("/check d/dt e^(2t) = 2e^(2t)")
    assert reply.result == "True"


async def test_check_derivative_without_an_answer_is_a_usage_error(bot):
    reply = await bot.say("/check d/dx x^2")
    assert reply.error is not None and reply.error.code == "usage"
    assert "d/dx EXPR = ANSWER" in reply.error.message


async def test_check_without_equals_shows_how_to_write_a_claim(bot):
    reply = await bot.say("/check x^2")
    assert reply.error is not None and reply.error.code == "usage"
    assert "/check LHS = RHS" in reply.error.message


async def test_verify_is_an_alias_of_check(bot):
    reply = await bot.say("/verify (x-1)(x+1) = x^2 - 1")
    assert reply.result == "True"


async def test_a_slope_at_a_huge_point_is_worked_exactly_not_refused(bot):
    reply = await bot.say("/slope x^2 at 10^400")
    assert reply.error is None
    assert sympy.Integer(reply.result) == 2 * sympy.Integer(10) ** 400  # d/dx x² = 2x, exactly
    assert "(401 digits)" in reply.text  # shown shortened, kept whole in the result
