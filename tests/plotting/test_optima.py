import math

import contourpy
import numpy as np
import pytest
import sympy

from bot.errors import BadArgument, Undefined
from bot.solver.variables import symbol
from plotting import optima
from tests.plotting.pngcheck import assert_chat_sized_png

x, y = symbol("x"), symbol("y")


def test_stationary_points_carry_their_values_and_normalised_kinds():
    data = optima.stationary_data(
        x**3 - 3 * x + y**2, [((1, 0), "local minimum"), ((-1, 0), "saddle point")]
    )
    assert [p.kind for p in data.points] == ["minimum", "saddle"]
    assert [p.value for p in data.points] == pytest.approx([-2.0, 2.0])


def test_stationary_points_on_a_curve_use_the_curve():
    data = optima.stationary_data(x**3 - 3 * x, [(1, "min"), (-1, "max")])
    assert data.field is None and data.curve is not None
    assert [p.value for p in data.points] == pytest.approx([-2.0, 2.0])


def test_every_kind_has_its_own_marker():
    markers = [marker for marker, _, _ in optima.KINDS.values()]
    assert len(set(markers)) == len(markers)


def test_unknown_kind_is_refused():
    with pytest.raises(BadArgument, match="unknown kind"):
        optima.stationary_data(x**2, [(0, "flat bit")])


def test_point_with_wrong_number_of_coordinates_is_refused():
    with pytest.raises(BadArgument, match="2 coordinates"):
        optima.stationary_data(x * y, [((0, 0), "saddle"), ((1,), "min")])


def test_stationary_figures_render_in_one_and_two_variables():
    assert_chat_sized_png(optima.render_stationary(x**3 - 3 * x, [(1, "min"), (-1, "max")]))
    assert_chat_sized_png(
        optima.render_stationary(x**3 - 3 * x + y**2, [((1, 0), "min"), ((-1, 0), "saddle")])
    )


def test_far_stationary_point_is_in_view():
    data = optima.stationary_data(x**2 - 40 * x, [(20, "min")])
    assert data.curve is not None
    assert data.curve.xlim[0] < 20 < data.curve.xlim[1]


def test_constraint_curve_lies_on_g_equals_c():
    expr, constraint = x * y, x**2 + 4 * y**2
    data = optima.lagrange_data(expr, constraint, level=4)
    lines = contourpy.contour_generator(data.field.x, data.field.y, data.constraint).lines(0.0)
    vertices = np.concatenate(list(lines))  # type: ignore[arg-type]
    assert len(vertices) > 50
    g = vertices[:, 0] ** 2 + 4 * vertices[:, 1] ** 2
    np.testing.assert_allclose(g, 4.0, atol=0.05)


def test_gradients_are_parallel_at_the_constrained_optimum():
    r = 1 / math.sqrt(2)
    data = optima.lagrange_data(x + y, x**2 + y**2, [(r, r)], level=1)
    (fu, fv), (gu, gv) = data.gradients_f[0], data.gradients_g[0]
    assert (fu, fv) == pytest.approx((1.0, 1.0))
    assert (gu, gv) == pytest.approx((2 * r, 2 * r))
    assert fu * gv - fv * gu == pytest.approx(0.0, abs=1e-12)
    assert data.values[0] == pytest.approx(math.sqrt(2))


def test_lagrange_figure_renders():
    r = 1 / math.sqrt(2)
    png = optima.render_lagrange(x + y, x**2 + y**2, [(r, r), (-r, -r)], level=1)
    assert_chat_sized_png(png)


def test_constraint_outside_the_view_is_reported():
    with pytest.raises(Undefined, match="does not pass"):
        optima.lagrange_data(x + y, x**2 + y**2, level=400, bounds=(-3, 3, -3, 3))


def test_lagrange_needs_two_variables_in_all():
    with pytest.raises(BadArgument):
        optima.lagrange_data(x + y, x**2 + symbol("z") ** 2, level=1)


def test_course_lagrange_example_renders_with_the_ellipse():
    expr = sympy.exp(-(2 * x**2 + y**2 - x * y) / 2)
    data = optima.lagrange_data(expr, x**2 + 3 * (y + 1) ** 2, level=1)
    assert np.nanmin(data.constraint) < 0 < np.nanmax(data.constraint)
