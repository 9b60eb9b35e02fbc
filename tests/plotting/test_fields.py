import math

import numpy as np
import pytest
import sympy

from bot.errors import BadArgument
from bot.solver.variables import symbol
from plotting import fields
from tests.plotting.pngcheck import assert_chat_sized_png

x, y, z = symbol("x"), symbol("y"), symbol("z")
BUMPY = sympy.sin(x) * sympy.cos(y) + x**2 / 10


def numeric(expr):
    return np.vectorize(sympy.lambdify((x, y), expr, "math"))


def test_gradient_arrows_are_the_numeric_partial_derivatives():
    data = fields.gradient_field_data(BUMPY)
    f, h = numeric(BUMPY), 1e-6
    px, py = data.arrow_x, data.arrow_y
    du = (f(px + h, py) - f(px - h, py)) / (2 * h)
    dv = (f(px, py + h) - f(px, py - h)) / (2 * h)
    np.testing.assert_allclose(data.u, du, atol=1e-6)
    np.testing.assert_allclose(data.v, dv, atol=1e-6)


def test_gradient_at_the_point_points_uphill():
    data = fields.gradient_field_data(x**2 + 3 * y**2, point=(1, -1))
    assert data.gradient_at_point is not None
    gu, gv = data.gradient_at_point
    assert (gu, gv) == pytest.approx((2.0, -6.0))
    f = numeric(x**2 + 3 * y**2)
    assert f(1 + 1e-3 * gu, -1 + 1e-3 * gv) > f(1, -1)


def test_gradient_field_renders():
    assert_chat_sized_png(fields.render_gradient_field(BUMPY, point=(1, 0.5)))


def test_default_map_covers_a_far_point():
    data = fields.gradient_field_data(x**2 + y**2, point=(10, -7))
    x0, x1, y0, y1 = data.field.bounds
    assert x0 < 10 < x1 and y0 < -7 < y1


def test_constant_function_has_no_contours():
    with pytest.raises(BadArgument, match="constant"):
        fields.render_gradient_field(sympy.Integer(2) + 0 * x)


def test_three_variables_cannot_be_mapped():
    with pytest.raises(BadArgument):
        fields.render_gradient_field(x * y * z)


def test_user_bounds_are_validated():
    with pytest.raises(BadArgument):
        fields.field_data(x * y, bounds=(0, 1, 2, 2))


def test_surface_heights_are_f_and_absent_where_undefined():
    expr = sympy.sqrt(4 - x**2 - y**2)
    data = fields.surface_data(expr)
    inside = data.x**2 + data.y**2 < 3.9
    np.testing.assert_allclose(
        data.z[inside], np.sqrt(4 - data.x[inside] ** 2 - data.y[inside] ** 2)
    )
    assert np.all(np.isnan(data.z[data.x**2 + data.y**2 > 4.1]))


def test_surface_renders():
    assert_chat_sized_png(fields.render_surface(BUMPY))


def hand_rolled_descent(start, rate, steps):
    point = np.array(start, dtype=float)
    path = [point.copy()]
    for _ in range(steps):
        point = point - rate * np.array([2 * point[0] - point[1], 6 * point[1] - point[0]])
        path.append(point.copy())
    return np.array(path)


def test_descent_path_is_drawn_through_the_given_iterates_with_their_values():
    expr = x**2 - x * y + 3 * y**2
    path = hand_rolled_descent((2.5, 2.0), 0.1, 20)
    data = fields.descent_path_data(expr, path.tolist())
    np.testing.assert_allclose(data.path, path)
    np.testing.assert_allclose(
        data.values, path[:, 0] ** 2 - path[:, 0] * path[:, 1] + 3 * path[:, 1] ** 2
    )
    assert np.all(np.diff(data.values) < 0)


def test_descent_figure_renders():
    path = hand_rolled_descent((2.5, 2.0), 0.1, 20)
    assert_chat_sized_png(fields.render_descent(x**2 - x * y + 3 * y**2, path.tolist()))


def test_taylor_2d_matches_value_gradient_and_hessian_at_the_point():
    expr, (a, b) = sympy.exp(x * y) + sympy.sin(x), (0.3, -0.4)
    poly = fields.taylor_polynomial_2d(expr, (x, y), (a, b), 2)
    f, p, h = numeric(expr), numeric(poly), 1e-3
    assert p(a, b) == pytest.approx(f(a, b), rel=1e-12)
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        # second differences along each direction agree up to O(h^3) terms
        fd = f(a + h * dx, b + h * dy) - 2 * f(a, b) + f(a - h * dx, b - h * dy)
        pd = p(a + h * dx, b + h * dy) - 2 * p(a, b) + p(a - h * dx, b - h * dy)
        assert pd == pytest.approx(fd, rel=1e-4)
        fg = f(a + h * dx, b + h * dy) - f(a - h * dx, b - h * dy)
        pg = p(a + h * dx, b + h * dy) - p(a - h * dx, b - h * dy)
        assert pg == pytest.approx(fg, rel=1e-5)


def test_taylor_2d_of_a_quadratic_is_the_quadratic():
    expr = 3 * x**2 - 2 * x * y + y - 5
    poly = fields.taylor_polynomial_2d(expr, (x, y), (1, 2), 2)
    assert sympy.expand(poly - expr) == 0


def test_taylor_2d_figure_renders():
    assert_chat_sized_png(fields.render_taylor_2d(sympy.cos(x) * sympy.exp(y / 3), (0.5, 0.5), 2))


def test_taylor_2d_order_is_limited():
    with pytest.raises(BadArgument):
        fields.taylor_polynomial_2d(x * y, (x, y), (0, 0), fields.MAX_TAYLOR_2D_ORDER + 1)


def test_arrow_scaling_keeps_directions():
    u = np.array([[3.0, -1.0], [0.0, 100.0]])
    v = np.array([[4.0, 1.0], [2.0, 0.0]])
    su, sv = fields._arrow_scale(u, v, 1.0)
    angles = np.arctan2(v, u)
    np.testing.assert_allclose(np.arctan2(sv, su), angles)
    assert float(np.hypot(su, sv).max()) <= 0.85 + 1e-12
    assert math.isclose(float(np.hypot(su, sv)[0, 0] / np.hypot(su, sv)[0, 1]), 5 / math.sqrt(2))
