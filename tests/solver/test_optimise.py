"""Newton–Raphson, stationary points and Lagrange multipliers, checked against numpy/scipy/sympy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument, NoConvergence, NoSolution, TooComplex, Undefined
from bot.solver.newton import newton_raphson
from bot.solver.optimise import lagrange_multipliers, stationary_points
from bot.solver.variables import symbol

x, y, z = symbol("x"), symbol("y"), symbol("z")
COURSE_F = x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + sympy.Rational(27, 2) * x**2 + 18 * x - 30
COURSE_COEFFS = [1 / 6, 0, -3, -2 / 3, 27 / 2, 18, -30]


def floats(point: tuple[sympy.Expr, ...]) -> np.ndarray:
    return np.array([float(sympy.N(v)) for v in point])


# --- Newton–Raphson ---------------------------------------------------------------------------


def test_newton_course_example_finds_the_root_numpy_finds() -> None:
    result = newton_raphson(COURSE_F, x, sympy.Integer(-4))
    real_roots = [r.real for r in np.roots(COURSE_COEFFS) if abs(r.imag) < 1e-9]
    nearest = min(real_roots, key=lambda r: abs(r - float(result.root)))
    assert abs(float(result.root) - nearest) < 1e-10
    assert abs(float(result.root) - scipy.optimize.brentq(lambda t: np.polyval(COURSE_COEFFS, t), -4, -3.5)) < 1e-10


def test_newton_first_step_is_the_tangent_step() -> None:
    result = newton_raphson(COURSE_F, x, sympy.Integer(-4))
    f0 = np.polyval(COURSE_COEFFS, -4.0)
    df0 = np.polyval(np.polyder(COURSE_COEFFS), -4.0)
    assert result.iterates[0].x == -4.0
    assert result.iterates[1].x == pytest.approx(-4.0 - f0 / df0, rel=1e-12)


def test_newton_reports_the_derivative() -> None:
    result = newton_raphson(x**3 - 2 * x, x, sympy.Integer(2))
    assert sympy.expand(result.derivative - sympy.diff(x**3 - 2 * x, x)) == 0


def test_newton_sqrt_two_gives_fifteen_digit_decimal() -> None:
    result = newton_raphson(x**2 - 2, x, sympy.Integer(1))
    assert str(result.root) == "1.41421356237310"
    assert abs(float(result.root) - math.sqrt(2)) < 1e-14


def test_newton_converges_quadratically_at_a_simple_root() -> None:
    result = newton_raphson(x**2 - 2, x, sympy.Integer(1))
    assert not result.linear
    assert result.steps <= 7


def test_newton_flags_linear_convergence_at_a_repeated_root() -> None:
    result = newton_raphson((x - 1) ** 2, x, sympy.Integer(3))
    assert result.linear
    assert abs(float(result.root) - 1) < 1e-9


def test_newton_stops_at_once_on_an_exact_root() -> None:
    result = newton_raphson(x**2 - 4, x, sympy.Integer(2))
    assert result.steps == 0 and float(result.root) == 2.0


def test_newton_zero_derivative_is_undefined_with_table() -> None:
    with pytest.raises(Undefined) as error:
        newton_raphson(x**2 + 1, x, sympy.Integer(0))
    assert "f'(x_0) = 0" in error.value.message
    assert "f(x_n)" in error.value.message  # the table header


def test_newton_cycling_is_reported_with_the_cycle() -> None:
    with pytest.raises(NoConvergence) as error:
        newton_raphson(x**3 - 2 * x + 2, x, sympy.Integer(0))
    assert "cycling" in error.value.message
    assert "\n  1                   1" in error.value.message  # the table row x_1 = 1


def test_newton_divergence_is_reported() -> None:
    with pytest.raises(NoConvergence, match="diverging"):
        newton_raphson(sympy.atan(x), x, sympy.Integer(2))


def test_newton_without_real_root_says_so() -> None:
    with pytest.raises(NoConvergence, match="no real roots"):
        newton_raphson(x**2 + 1, x, sympy.Rational(1, 2))


def test_newton_non_real_value_is_undefined() -> None:
    with pytest.raises(Undefined, match="not a real number"):
        newton_raphson(sympy.sqrt(x) - 2, x, sympy.Integer(-1))


def test_newton_max_steps_reached() -> None:
    with pytest.raises(NoConvergence, match="after 2 steps"):
        newton_raphson(x**2 - 2, x, sympy.Integer(100), max_steps=2)


def test_newton_failure_hint_points_at_a_sign_change() -> None:
    with pytest.raises(NoConvergence) as error:
        newton_raphson(x**3 - 2 * x + 2, x, sympy.Integer(0))
    assert error.value.hint is not None and "-1.77" in error.value.hint


def test_newton_rejects_other_symbols() -> None:
    with pytest.raises(BadArgument, match="also has y"):
        newton_raphson(x**2 - y, x, sympy.Integer(1))


def test_newton_rejects_zero_max_steps() -> None:
    with pytest.raises(BadArgument, match="max steps"):
        newton_raphson(x**2 - 2, x, sympy.Integer(1), max_steps=0)


@settings(max_examples=25, deadline=None)
@given(
    r1=st.integers(-20, 20),
    gap=st.integers(1, 20),
    offset=st.floats(0.5, 30),
)
def test_newton_on_quadratics_lands_on_a_numpy_root(r1: int, gap: int, offset: float) -> None:
    r2 = r1 + gap
    start = sympy.Float(r2 + offset)  # right of both roots: Newton converges monotonically to r2
    result = newton_raphson((x - r1) * (x - r2), x, start)
    roots = np.roots([1, -(r1 + r2), r1 * r2])
    assert min(abs(float(result.root) - roots)) < 1e-9


# --- stationary points ------------------------------------------------------------------------


def test_stationary_cubic_plus_square_saddle_and_minimum() -> None:
    f = x**3 - 3 * x + y**2
    result = stationary_points(f, [x, y])
    kinds = {tuple(floats(p.point)): p.kind for p in result.points}
    assert kinds == {(-1.0, 0.0): "saddle", (1.0, 0.0): "minimum"}


def test_stationary_points_make_the_gradient_vanish() -> None:
    f = x**4 - 2 * x**2 + y**4 - 2 * y**2
    result = stationary_points(f, [x, y])
    assert len(result.points) == 9
    for p in result.points:
        at = dict(zip([x, y], p.point, strict=True))
        assert sympy.diff(f, x).subs(at) == 0 and sympy.diff(f, y).subs(at) == 0


def test_stationary_eigenvalues_match_numpy() -> None:
    f = x**2 + y**2 + z**2 - x * y
    (point,) = stationary_points(f, [x, y, z]).points
    expected = np.linalg.eigvalsh(np.array(sympy.hessian(f, [x, y, z]).tolist(), dtype=float))
    assert np.allclose(sorted(float(e) for e in point.eigenvalues), expected)
    assert point.kind == "minimum"


def test_stationary_gaussian_matches_scipy_minimise_and_maximise() -> None:
    f = x * sympy.exp(-(x**2) - y**2)
    result = stationary_points(f, [x, y])
    numeric = sympy.lambdify([(x, y)], f)
    low = scipy.optimize.minimize(numeric, [-0.5, 0.1]).x
    high = scipy.optimize.minimize(lambda v: -numeric(v), [0.5, 0.1]).x
    by_kind = {p.kind: floats(p.point) for p in result.points}
    assert np.allclose(by_kind["minimum"], low, atol=1e-4)
    assert np.allclose(by_kind["maximum"], high, atol=1e-4)


def test_stationary_exact_coordinates_for_gaussian() -> None:
    result = stationary_points(x * sympy.exp(-(x**2) - y**2), [x, y])
    assert {p.point for p in result.points} == {(-sympy.sqrt(2) / 2, 0), (sympy.sqrt(2) / 2, 0)}


def test_stationary_one_variable_cubic_is_an_inflection() -> None:
    (point,) = stationary_points(x**3, [x]).points
    assert point.kind == "inflection" and point.test_order == 3


def test_stationary_one_variable_quartic_is_a_minimum_by_fourth_derivative() -> None:
    (point,) = stationary_points(x**4, [x]).points
    assert point.kind == "minimum" and point.test_order == 4


def test_stationary_line_of_points_is_a_family() -> None:
    result = stationary_points((x - y) ** 2, [x, y])
    assert result.points == ()
    assert result.families == ((y, y),)


def test_stationary_linear_function_has_none() -> None:
    result = stationary_points(x + y, [x, y])
    assert result.points == () and result.families == ()


def test_stationary_numeric_fallback_matches_brentq() -> None:
    f = sympy.exp(x) + x**3 - 5 * x
    result = stationary_points(f, [x])
    assert result.method == "numeric"
    derivative = sympy.lambdify(x, sympy.diff(f, x))
    expected = sorted([scipy.optimize.brentq(derivative, -3, 0), scipy.optimize.brentq(derivative, 0, 3)])
    found = sorted(float(p.point[0]) for p in result.points)
    assert np.allclose(found, expected, atol=1e-12)
    second = sympy.lambdify(x, sympy.diff(f, x, 2))
    for p in result.points:
        assert p.kind == ("minimum" if second(float(p.point[0])) > 0 else "maximum")


def test_stationary_periodic_gradient_lists_points_in_the_box() -> None:
    result = stationary_points(sympy.cos(x) + y**2, [x, y])
    assert result.periodic
    xs = sorted(float(sympy.N(p.point[0])) for p in result.points)
    assert np.allclose(xs, [k * math.pi for k in range(-3, 4)])
    assert {p.kind for p in result.points if p.point[0] == 0} == {"saddle"}


def test_stationary_too_many_variables() -> None:
    names = [symbol(f"x{i}") for i in range(7)]
    with pytest.raises(TooComplex):
        stationary_points(sum(v**2 for v in names), names)


def test_stationary_rejects_unlisted_symbols() -> None:
    with pytest.raises(BadArgument, match="not among the variables"):
        stationary_points(x**2 + y**2, [x])


# --- Lagrange multipliers ---------------------------------------------------------------------


def test_lagrange_classic_product_on_a_line() -> None:
    result = lagrange_multipliers(x * y, x + y, sympy.Integer(10), [x, y])
    (candidate,) = result.candidates
    assert candidate.point == (5, 5) and candidate.multiplier == 5 and candidate.value == 25
    assert candidate.kind == "local maximum"
    assert not result.bounded


COURSE_LAGRANGE_F = sympy.exp(-(2 * x**2 + y**2 - x * y) / 2)
COURSE_LAGRANGE_G = x**2 + 3 * (y + 1) ** 2


def test_lagrange_course_candidates_lie_on_the_constraint() -> None:
    result = lagrange_multipliers(COURSE_LAGRANGE_F, COURSE_LAGRANGE_G, sympy.Integer(1), [x, y])
    assert len(result.candidates) == 4
    for c in result.candidates:
        px, py = floats(c.point)
        assert abs(px**2 + 3 * (py + 1) ** 2 - 1) < 1e-12


def test_lagrange_course_candidates_have_parallel_gradients() -> None:
    result = lagrange_multipliers(COURSE_LAGRANGE_F, COURSE_LAGRANGE_G, sympy.Integer(1), [x, y])
    grad_f = sympy.lambdify([(x, y)], [sympy.diff(COURSE_LAGRANGE_F, v) for v in (x, y)])
    grad_g = sympy.lambdify([(x, y)], [sympy.diff(COURSE_LAGRANGE_G, v) for v in (x, y)])
    for c in result.candidates:
        u, w = np.array(grad_f(floats(c.point))), np.array(grad_g(floats(c.point)))
        assert abs(u[0] * w[1] - u[1] * w[0]) < 1e-12
        assert np.allclose(u, float(sympy.N(c.multiplier)) * w, atol=1e-12)


def test_lagrange_course_max_and_min_agree_with_scipy() -> None:
    result = lagrange_multipliers(COURSE_LAGRANGE_F, COURSE_LAGRANGE_G, sympy.Integer(1), [x, y])
    assert result.bounded
    f = sympy.lambdify([(x, y)], COURSE_LAGRANGE_F)
    on_ellipse = {"type": "eq", "fun": lambda v: v[0] ** 2 + 3 * (v[1] + 1) ** 2 - 1}
    starts = [(0.0, -1.5), (0.9, -1.0), (-0.9, -1.0), (0.0, -0.5), (0.5, -0.6)]
    lows = [scipy.optimize.minimize(f, s, constraints=[on_ellipse], method="SLSQP").fun for s in starts]
    highs = [-scipy.optimize.minimize(lambda v: -f(v), s, constraints=[on_ellipse], method="SLSQP").fun for s in starts]
    maximum = float(sympy.N(result.candidates[result.maximum[0]].value))
    minimum = float(sympy.N(result.candidates[result.minimum[0]].value))
    assert maximum == pytest.approx(max(highs), abs=1e-7)
    assert minimum == pytest.approx(min(lows), abs=1e-7)


def test_lagrange_circle_exact_extremes() -> None:
    result = lagrange_multipliers(x + y, x**2 + y**2, sympy.Integer(1), [x, y])
    top = result.candidates[result.maximum[0]]
    bottom = result.candidates[result.minimum[0]]
    half = sympy.sqrt(2) / 2
    assert top.point == (half, half) and bottom.point == (-half, -half)
    assert result.bounded


def test_lagrange_three_variables_on_a_plane() -> None:
    result = lagrange_multipliers(x * y * z, x + y + z, sympy.Integer(3), [x, y, z])
    assert (1, 1, 1) in [c.point for c in result.candidates]
    best = result.candidates[result.maximum[0]]
    assert best.point == (1, 1, 1) and best.kind == "local maximum"


def test_lagrange_cusp_is_a_singular_candidate() -> None:
    result = lagrange_multipliers(x + y, y**2 - x**3, sympy.Integer(0), [x, y])
    singular = [c for c in result.candidates if c.kind == "singular"]
    assert [c.point for c in singular] == [(0, 0)] and singular[0].multiplier is None


def test_lagrange_function_constant_on_constraint() -> None:
    with pytest.raises(NoSolution, match="every point of the constraint"):
        lagrange_multipliers(x**2 + y**2, x**2 + y**2, sympy.Integer(1), [x, y])


def test_lagrange_constraint_without_real_points() -> None:
    with pytest.raises(NoSolution, match="real points"):
        lagrange_multipliers(x + y, x**2 + y**2, sympy.Integer(-1), [x, y])
