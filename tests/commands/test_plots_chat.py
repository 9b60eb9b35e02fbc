"""Transcripts of the picture commands: real PNGs of chat size, and descent checked by a numpy loop."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from bot.solver.parser import parse, parse_list
from bot.solver.variables import symbol
from tests.commands import numbers_of
from tests.plotting.pngcheck import assert_chat_sized_png, png_size

x, y = symbol("x"), symbol("y")


def numpy_descent(gradient, start: tuple[float, ...], rate: float, steps: int) -> np.ndarray:
    point = np.array(start, dtype=float)
    for _ in range(steps):
        point = point - rate * np.asarray(gradient(*point), dtype=float)
    return point


# --- /plot --------------------------------------------------------------------------------------


async def test_plot_of_two_functions_is_one_chat_sized_picture(bot):
    reply = await bot.say("/plot sin x, cos x from -pi to pi")
    assert reply.error is None
    assert [image.name for image in reply.images] == ["plot.png"]
    assert_chat_sized_png(reply.images[0].png)
    assert parse_list(reply.result) == [sympy.sin(x), sympy.cos(x)]
    assert "from -3.142 to 3.142" in reply.text


async def test_plot_without_a_range_uses_the_default(bot):
    reply = await bot.say("/plot x^3 - 3x")
    assert parse(reply.result) == x**3 - 3 * x
    assert "from -5 to 5" in reply.text


async def test_plot_of_1_over_x_warns_about_the_asymptote(bot):
    reply = await bot.say("/plot 1/x from -2 to 2")
    assert reply.error is None and len(reply.images) == 1
    assert "infinity" in reply.text


async def test_plot_with_a_backwards_range_is_refused(bot):
    reply = await bot.say("/plot x from 10 to -10")
    assert reply.error is not None and reply.error.code == "bad_argument"
    assert "from -10 to 10" in reply.error.message


async def test_plot_of_two_variables_points_to_surface(bot):
    reply = await bot.say("/plot x y")
    assert reply.error is not None and "/surface" in reply.error.message


async def test_graph_is_an_alias_of_plot(bot):
    reply = await bot.say("/graph x^2")
    assert reply.error is None and parse(reply.result) == x**2


# --- /surface -----------------------------------------------------------------------------------


async def test_surface_of_a_saddle_is_a_chat_sized_picture(bot):
    reply = await bot.say("/surface x^2 - y^2")
    assert [image.name for image in reply.images] == ["surface.png"]
    assert_chat_sized_png(reply.images[0].png)
    assert parse(reply.result) == x**2 - y**2


async def test_surface_of_three_variables_is_refused(bot):
    reply = await bot.say("/surface x y z")
    assert reply.error is not None and reply.error.code == "bad_argument"


async def test_every_surface_alias_is_reachable(bot):
    for alias in ("surf", "plot3d"):
        reply = await bot.say(f"/{alias} sin(x) cos(y)")
        assert reply.error is None, (alias, reply.text)


# --- /descent -----------------------------------------------------------------------------------


async def test_descent_on_an_elliptic_bowl_matches_a_numpy_loop(bot):
    reply = await bot.say("/descent x^2 + 3y^2 from (2, 1)")
    expected = numpy_descent(lambda a, b: (2 * a, 6 * b), (2, 1), 0.1, 30)
    assert numbers_of(reply.result) == pytest.approx(expected, rel=1e-12, abs=1e-15)


async def test_descent_on_the_rosenbrock_valley_matches_a_numpy_loop(bot):
    reply = await bot.say("/descent (x-1)^2 + 10(y-x^2)^2 from (-1, 1) rate 0.01 steps 200")
    expected = numpy_descent(
        lambda a, b: (2 * (a - 1) - 40 * a * (b - a**2), 20 * (b - a**2)), (-1, 1), 0.01, 200
    )
    assert numbers_of(reply.result) == pytest.approx(expected, rel=1e-10)


async def test_descent_draws_the_path_on_the_contours(bot):
    reply = await bot.say("/descent x^2 + 3y^2 from (2, 1)")
    assert [image.name for image in reply.images] == ["descent.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_descent_with_too_big_a_rate_says_it_diverged_once(bot):
    reply = await bot.say("/descent x^2 + y^2 from (1, 1) rate 5 steps 10")
    assert reply.error is None and reply.result is None
    assert "**Diverged**" in reply.text
    assert reply.text.lower().count("diverged") == 1
    assert "smaller" in reply.text


async def test_descent_in_one_variable_writes_the_step_with_f_prime(bot):
    reply = await bot.say("/descent x^2 from 3 steps 3")
    assert "x ← x − γ f′(x), with f′(x) = `2*x`" in reply.text
    assert numbers_of(reply.result) == pytest.approx([3 * 0.8**3])


async def test_gd_alias_with_rate_and_steps(bot):
    reply = await bot.say("/gd x^2 + y^2 from (1, 1) rate 0.1 steps 3")
    assert numbers_of(reply.result) == pytest.approx([0.512, 0.512])


async def test_descent_without_a_start_shows_the_usage_line(bot):
    reply = await bot.say("/descent x^2 + y^2")
    assert reply.error is not None and reply.error.code == "usage"
    assert "`/descent EXPR from (a, b) [rate R] [steps N]`" in reply.error.message


async def test_descent_rate_must_be_a_number(bot):
    reply = await bot.say("/descent x^2 from 1 rate fast")
    assert reply.error is not None and reply.error.code == "usage"
    assert "'rate' must be a number" in reply.error.message


# --- /latex -------------------------------------------------------------------------------------


async def test_latex_gives_the_source_and_a_typeset_picture(bot):
    reply = await bot.say("/latex x^2 sin x / sqrt(1 + x^2)")
    assert r"\frac{x^{2} \sin{\left(x \right)}}{\sqrt{x^{2} + 1}}" in reply.text
    assert parse(reply.result) == x**2 * sympy.sin(x) / sympy.sqrt(1 + x**2)
    width, height = png_size(reply.images[0].png)
    assert width > height > 0


async def test_latex_of_a_gaussian(bot):
    reply = await bot.say("/latex e^(-x^2/2)")
    assert r"e^{- \frac{x^{2}}{2}}" in reply.text


async def test_latex_of_a_typo_points_at_the_column(bot):
    reply = await bot.say("/latex x +* 2")
    assert reply.error is not None and reply.error.code == "parse"
    assert "column 4" in reply.error.message
