import math

import numpy as np
import pytest
import sympy

from bot.errors import BadArgument, Undefined
from bot.solver.variables import symbol
from plotting import curves, newton_curve
from tests.plotting.pngcheck import assert_chat_sized_png

x, y = symbol("x"), symbol("y")
COURSE_NEWTON = (
    x**6 / 6 - 3 * x**4 - sympy.Rational(2, 3) * x**3 + sympy.Rational(27, 2) * x**2 + 18 * x - 30
)


def numeric(expr, var=x):
    return sympy.lambdify(var, expr, "math")


def test_render_functions_gives_a_chat_sized_png():
    assert_chat_sized_png(curves.render_functions([sympy.sin(x), x**2 / 10]))


def test_functions_data_matches_numpy_where_shown():
    data = curves.functions_data([sympy.sin(x) * x])
    shown = np.isfinite(data.ys[0])
    assert shown.mean() > 0.99
    np.testing.assert_allclose(data.ys[0][shown], np.sin(data.x[shown]) * data.x[shown], rtol=1e-12)


def test_functions_data_uses_the_given_range():
    data = curves.functions_data([x**2], bounds=(1, 3))
    assert (data.x[0], data.x[-1]) == (1.0, 3.0)


def test_default_range_is_trimmed_to_where_log_is_defined():
    data = curves.functions_data([sympy.log(x)])
    assert -1.0 < data.xlim[0] < 0.0 and data.xlim[1] == 5.0


def test_curve_with_no_real_values_is_undefined():
    with pytest.raises(Undefined, match="no real values"):
        curves.functions_data([sympy.sqrt(-1 - x**2)])


def test_two_variables_cannot_be_a_curve():
    with pytest.raises(BadArgument):
        curves.render_functions([x * y])


def test_reversed_user_range_is_refused():
    with pytest.raises(BadArgument, match="smaller to a larger"):
        curves.render_functions([x], bounds=(3, 1))


def test_tangent_slope_is_the_numeric_derivative():
    f = x**3 * sympy.sin(x)
    a, h = 1.3, 1e-6
    data = curves.tangent_data(f, a)
    central = (numeric(f)(a + h) - numeric(f)(a - h)) / (2 * h)
    assert data.slope == pytest.approx(central, rel=1e-6)


def test_tangent_line_touches_the_curve_at_the_point():
    f = sympy.exp(x) / (1 + x**2)
    data = curves.tangent_data(f, 0.5)
    line = np.interp(0.5, data.curve.x, data.tangent)
    assert line == pytest.approx(numeric(f)(0.5), rel=1e-9)


def test_tangent_with_derivative_panel_samples_the_derivative():
    data = curves.tangent_data(x**3 - 2 * x, 1, derivative=True)
    shown = np.isfinite(data.curve.ys[1])
    np.testing.assert_allclose(
        data.curve.ys[1][shown], 3 * data.curve.x[shown] ** 2 - 2, rtol=1e-12
    )
    assert_chat_sized_png(curves.render_tangent(x**3 - 2 * x, 1, derivative=True))


def test_tangent_at_a_corner_is_undefined():
    with pytest.raises(Undefined):
        curves.tangent_data(sympy.sqrt(x), 0)


def test_every_taylor_polynomial_equals_f_at_the_expansion_point():
    f, a = sympy.exp(x) * sympy.cos(x), 0.7
    data = curves.taylor_data(f, a, 5)
    for poly in data.polynomials:
        assert float(poly.subs(x, a)) == pytest.approx(numeric(f)(a), rel=1e-12)


def test_taylor_polynomial_has_the_derivatives_of_f_at_the_point():
    f, a, order = sympy.log(1 + x**2), 1, 4
    poly = curves.taylor_polynomials(f, x, a, order)[-1]
    for k in range(1, order + 1):
        expected = float(sympy.diff(f, x, k).subs(x, a))
        assert float(sympy.diff(poly, x, k).subs(x, a)) == pytest.approx(
            expected, rel=1e-12, abs=1e-12
        )


def test_taylor_error_band_is_f_minus_the_top_polynomial():
    data = curves.taylor_data(sympy.sin(x), 0, 3)
    expected = np.abs(np.sin(data.curve.x) - (data.curve.x - data.curve.x**3 / 6))
    np.testing.assert_allclose(data.error, expected, atol=1e-12)


def test_taylor_figure_renders():
    assert_chat_sized_png(curves.render_taylor(sympy.cos(x), 0, 6))


def test_taylor_about_a_singular_point_is_undefined():
    with pytest.raises(Undefined, match="no Taylor series"):
        curves.taylor_polynomials(sympy.sqrt(x), x, 0, 2)


@pytest.mark.parametrize("order", [0, curves.MAX_TAYLOR_ORDER + 1])
def test_taylor_order_out_of_range_is_refused(order):
    with pytest.raises(BadArgument):
        curves.taylor_polynomials(sympy.sin(x), x, 0, order)


def test_newton_tangents_hit_the_axis_at_the_next_iterate():
    f, df = numeric(COURSE_NEWTON), numeric(sympy.diff(COURSE_NEWTON, x))
    iterates = [-4.0]
    for _ in range(5):
        iterates.append(iterates[-1] - f(iterates[-1]) / df(iterates[-1]))
    data = newton_curve.newton_data(COURSE_NEWTON, iterates)
    assert len(data.steps) == 5
    for step, following in zip(data.steps, iterates[1:], strict=True):
        assert step.next_x is not None
        assert step.next_x == pytest.approx(following, rel=1e-12)
        assert step.value + step.slope * (step.next_x - step.x) == pytest.approx(0.0, abs=1e-9)


def test_newton_figure_renders():
    assert_chat_sized_png(newton_curve.render_newton(x**2 - 2, [1.0, 1.5, 17 / 12]))


def test_newton_flat_tangent_has_no_next_iterate():
    data = newton_curve.newton_data(x**2 + 1, [0.0])
    assert data.steps[0].next_x is None


def test_tangent_point_must_be_real():
    with pytest.raises(BadArgument):
        curves.tangent_data(x**2, sympy.I)


def test_value_at_a_pole_is_undefined():
    with pytest.raises(Undefined):
        curves.tangent_data(1 / x, 0)


def test_pi_is_accepted_as_a_point():
    data = curves.tangent_data(sympy.sin(x), sympy.pi)
    assert data.slope == pytest.approx(math.cos(math.pi))


@pytest.mark.parametrize("order", [2, 3, 4])
def test_the_derivative_panel_shows_the_asked_order(order: int) -> None:
    f = sympy.sin(x) * sympy.exp(x / 3)
    data = curves.tangent_data(f, 1, derivative=True, order=order)
    # Independent of sympy.diff: repeated central differences of f itself.
    h = 1e-2
    points = data.curve.x[::40]
    values = sympy.lambdify(x, f, "numpy")

    def central(g, k):
        if k == 0:
            return g
        inner = central(g, k - 1)
        return lambda t: (inner(t + h) - inner(t - h)) / (2 * h)
    expected = central(values, order)(points)
    np.testing.assert_allclose(data.curve.ys[1][::40], expected, rtol=5e-3, atol=5e-3)
    assert data.derivative_value == pytest.approx(central(values, order)(np.array(1.0)), rel=5e-3)
    assert data.slope == pytest.approx(central(values, 1)(np.array(1.0)), rel=1e-3)
    assert_chat_sized_png(curves.render_tangent(f, 1, derivative=True, order=order))


def test_derivative_labels_use_primes_then_the_order() -> None:
    assert [curves.derivative_label(n) for n in (1, 2, 3, 4)] == ["y'", "y''", "y'''", "y^{(4)}"]


def test_the_derivative_panel_is_not_cut_to_the_range_of_f() -> None:
    # f = cos²(3x) stays in [0, 1]; f″ = 18 sin²(3x) − 18 cos²(3x) reaches ±18.
    data = curves.tangent_data(sympy.cos(3 * x) ** 2, 0, derivative=True, order=2)
    second = data.curve.ys[1]
    assert np.isfinite(second).all()  # nothing masked away
    expected = 18 * np.sin(3 * data.curve.x) ** 2 - 18 * np.cos(3 * data.curve.x) ** 2
    np.testing.assert_allclose(second, expected, atol=1e-9)
    assert data.derivative_value == pytest.approx(-18)
