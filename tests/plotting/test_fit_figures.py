"""The /fit and /backprop figures: real PNGs, and the data drawn is the fit's."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import sympy

from bot.solver.regression import X, expression_model, fit_model
from bot.solver.variables import symbol
from plotting.fit import fit_plot_data, render_fit
from plotting.training import cost_curve_data, render_cost_curve

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture(scope="module")
def exponential_fit():  # type: ignore[no-untyped-def]
    a, b, c = symbol("a"), symbol("b"), symbol("c")
    rng = np.random.default_rng(1)
    x = np.linspace(0.0, 2.0, 30)
    y = 2.0 * np.exp(0.7 * x) + 1.0 + rng.normal(0.0, 0.05, x.size)
    return fit_model(expression_model(a * sympy.exp(b * X) + c), x, y)


def test_fit_figure_is_an_800_by_600_png(exponential_fit) -> None:  # type: ignore[no-untyped-def]
    data = fit_plot_data(exponential_fit.x, exponential_fit.y, exponential_fit.predict)
    assert png_size(render_fit(data, title="fit")) == (800, 600)


def test_fit_figure_draws_the_fitted_curve(exponential_fit) -> None:  # type: ignore[no-untyped-def]
    data = fit_plot_data(exponential_fit.x, exponential_fit.y, exponential_fit.predict)
    a, b, c = exponential_fit.params
    curve_x = np.array(data.curve_x)
    assert np.allclose(data.curve_y, a * np.exp(b * curve_x) + c, rtol=1e-12)


def test_fit_figure_curve_covers_the_data_range(exponential_fit) -> None:  # type: ignore[no-untyped-def]
    data = fit_plot_data(exponential_fit.x, exponential_fit.y, exponential_fit.predict)
    assert min(data.curve_x) < 0.0 and max(data.curve_x) > 2.0


def test_fit_figure_residuals_are_data_minus_fit(exponential_fit) -> None:  # type: ignore[no-untyped-def]
    data = fit_plot_data(exponential_fit.x, exponential_fit.y, exponential_fit.predict)
    a, b, c = exponential_fit.params
    expected = exponential_fit.y - (a * np.exp(b * exponential_fit.x) + c)
    assert np.allclose(data.residuals, expected, atol=1e-12)
    assert data.x == tuple(exponential_fit.x.tolist()) and data.y == tuple(
        exponential_fit.y.tolist()
    )


def test_fit_figure_leaves_gaps_where_the_model_is_undefined() -> None:
    data = fit_plot_data([1.0, 2.0, 3.0], [0.0, 0.7, 1.1], lambda t: np.log(t - 1.5))
    assert np.isnan(data.curve_y[0]) and np.isfinite(data.curve_y[-1])
    assert png_size(render_fit(data, title="log")) == (800, 600)


def test_fit_figure_handles_ten_thousand_points() -> None:
    x = np.linspace(0.0, 1.0, 10_000)
    data = fit_plot_data(x, 3 * x, lambda t: 3 * t)
    assert png_size(render_fit(data, title="many")) == (800, 600)


def test_cost_curve_is_an_800_by_600_png() -> None:
    png = render_cost_curve(cost_curve_data([0.3, 0.2, 0.15, 0.1]), title="training")
    assert png_size(png) == (800, 600)


def test_cost_curve_draws_every_cost_against_its_step() -> None:
    data = cost_curve_data([0.3, 0.2, 0.1])
    assert data.steps == (0, 1, 2) and data.costs == (0.3, 0.2, 0.1)


def test_cost_curve_uses_a_log_axis_only_when_costs_span_decades() -> None:
    assert cost_curve_data([1.0, 1e-3]).log_scale
    assert not cost_curve_data([1.0, 0.5]).log_scale
    assert not cost_curve_data([1.0, 0.0]).log_scale
