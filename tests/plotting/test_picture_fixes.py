"""Pictures that misled when looked at one by one (issue 12 §7), each held by a test."""

from __future__ import annotations

import math

import matplotlib
import pytest
import sympy

from bot.present.figures import _complete_view
from bot.solver.optimise import stationary_points
from plotting import curves, newton_curve, style

matplotlib.use("Agg")
x, y = sympy.symbols("x y")


def test_identical_taylor_polynomials_share_one_curve_and_legend_entry():
    orders = range(1, 6)
    polys = [sympy.series(sympy.cos(x), x, 0, k + 1).removeO() for k in orders]
    groups = curves._distinct_polynomials(polys, [None] * len(polys))
    assert [g[0] for g in groups] == [[1], [2, 3], [4, 5]]  # cos: P₂ = P₃, P₄ = P₅


@pytest.mark.parametrize(("value", "text"), [
    (math.pi / 4, "π/4"), (-3 * math.pi / 2, "−3π/2"), (2 * math.pi, "2π"), (math.pi / 6, "π/6"),
    (0.785, "0.785"), (1.0, "1"), (-0.0, "0"), (3.14, "3.14"),
])
def test_labels_show_simple_multiples_of_pi_as_such(value, text):
    assert style.short_number(value) == text


def test_a_trigonometric_curve_gets_ticks_at_multiples_of_pi():
    data = curves.functions_data([sympy.sin(x)], x, (-sympy.pi, sympy.pi))
    figure = style.new_figure()
    ax = figure.add_subplot()
    curves.finish_curve_axes(ax, data)
    ticks = ax.get_xticks()
    assert len(ticks) == 9 and all(abs(t / (math.pi / 4) - round(t / (math.pi / 4))) < 1e-12 for t in ticks)
    labels = [ax.xaxis.get_major_formatter()(t, i) for i, t in enumerate(ticks)]
    assert labels == ["−π", "−3π/4", "−π/2", "−π/4", "0", "π/4", "π/2", "3π/4", "π"]


def test_a_polynomial_keeps_decimal_ticks():
    assert not curves.functions_data([x**2], x, (0, 3)).pi_ticks


def test_every_stationary_point_inside_the_drawn_view_is_marked():
    result = stationary_points(sympy.sin(x) * sympy.sin(y), [x, y])
    shown, bounds = _complete_view(result)
    assert bounds is not None
    half = bounds[1]
    marked = {(round(float(p.point[0]), 9), round(float(p.point[1]), 9)) for p in shown}
    # Independently: ∇(sin x sin y) = 0 at (kπ, mπ) and ((k+½)π, (m+½)π).
    lattice = [(k * math.pi, m * math.pi) for k in range(-6, 7) for m in range(-6, 7)]
    lattice += [((k + 0.5) * math.pi, (m + 0.5) * math.pi) for k in range(-6, 6) for m in range(-6, 6)]
    inside = {(round(a, 9), round(b, 9)) for a, b in lattice if abs(a) <= half and abs(b) <= half}
    assert inside and inside <= marked


def test_newton_iterates_that_would_overprint_share_one_label():
    iterates = [1.0, 1.5, 1.4166667, 1.4142157, 1.4142136, 1.4142136]
    clusters = newton_curve._iterate_clusters(iterates, (0.75, 1.75))
    assert [(indices[0], indices[-1]) for _, indices in clusters] == [(0, 0), (1, 1), (2, 5)]
    assert [newton_curve.iterate_names(indices) for _, indices in clusters][-1] == "$x_{2} \\ldots x_{5}$"


def test_iterates_that_meet_again_later_are_listed_not_run_together():
    # A cycle: x₀ and x₂, x₄ print at the same place, x₁, x₃ at another — never "x₀…x₄".
    clusters = newton_curve._iterate_clusters([0.0, 1.0, 0.0, 1.0, 0.0], (-0.5, 1.5))
    names = [newton_curve.iterate_names(indices) for _, indices in clusters]
    assert names == ["$x_{0}, x_{2}, x_{4}$", "$x_{1}, x_{3}$"]
    assert newton_curve.iterate_names([0, 1, 2, 23]) == "$x_{0} \\ldots x_{2}, x_{23}$"


def test_an_iterative_fit_draws_its_chi2_path_and_an_exact_one_does_not():
    from bot.present.regression import fit

    data = "0,1; 1,2.7; 2,7.4; 3,20"
    assert [f.name for f in fit("a*exp(b*x)", data, None, "descent").images] == ["fit.png", "chi2.png"]
    assert [f.name for f in fit("line", data).images] == ["fit.png"]


def test_the_tangent_legend_is_the_linearisation_in_powers_of_x_minus_a():
    """L(x) = f(a) + f'(a)(x − a): for x³ at −2, f(−2) = −8 and f'(−2) = 3·4 = 12 (by hand)."""
    import sympy

    from plotting.curves import tangent_data, tangent_label

    x = sympy.Symbol("x")
    assert tangent_label(tangent_data(x**3, -2, x), "x") == r"tangent $L(x) = -8 + 12\,(x + 2)$, slope $f'(-2) = 12$"
    assert tangent_label(tangent_data(x**2, 1, x), "x").startswith(r"tangent $L(x) = 1 + 2\,(x - 1)$")
    assert tangent_label(tangent_data(sympy.sin(x), 0, x), "x").startswith("tangent $L(x) = x$")
    assert tangent_label(tangent_data(sympy.cos(x), 0, x), "x").startswith("tangent $L(x) = 1$")
