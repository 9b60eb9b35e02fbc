"""The /fit figure: the data, the fitted curve, and the residuals in a panel below."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CURVE_SAMPLES = 400
WIDTH_PX, HEIGHT_PX, DPI = 800, 600, 100


@dataclass(frozen=True)
class FitPlotData:
    """Exactly what is drawn, so tests can check the picture against the fit."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    curve_x: tuple[float, ...]
    curve_y: tuple[float, ...]  # NaN where the model is undefined: drawn as a gap
    residuals: tuple[float, ...]  # y_i - f(x_i)


def fit_plot_data(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    predict: Callable[[np.ndarray], np.ndarray],
    samples: int = CURVE_SAMPLES,
) -> FitPlotData:
    """Sample the fitted model across the data's x range (plus a 5% margin) and the residuals."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    low, high = float(xs.min()), float(xs.max())
    margin = 0.05 * (high - low) if high > low else 1.0
    curve_x = np.linspace(low - margin, high + margin, samples)
    with np.errstate(all="ignore"):
        curve_y = np.asarray(predict(curve_x), dtype=float)
        residuals = ys - np.asarray(predict(xs), dtype=float)
    curve_y = np.where(np.isfinite(curve_y), curve_y, np.nan)
    return FitPlotData(
        tuple(xs.tolist()),
        tuple(ys.tolist()),
        tuple(curve_x.tolist()),
        tuple(curve_y.tolist()),
        tuple(residuals.tolist()),
    )


def render_fit(data: FitPlotData, *, title: str, curve_label: str = "fit") -> bytes:
    """PNG bytes (800x600): data and curve on top, residuals against x below."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    marker = 4 if len(data.x) > 500 else 6
    top.plot(data.x, data.y, "o", markersize=marker, color="tab:blue", label="data", zorder=3)
    top.plot(data.curve_x, data.curve_y, "-", linewidth=2, color="tab:orange", label=curve_label)
    top.set_ylabel("y", fontsize=13)
    top.set_title(title, fontsize=14)
    top.legend(fontsize=12)
    top.grid(True, alpha=0.3)
    bottom.axhline(0.0, color="0.4", linewidth=1)
    bottom.plot(data.x, data.residuals, "o", markersize=marker - 1, color="tab:red")
    if len(data.x) <= 200:
        bottom.vlines(data.x, 0.0, data.residuals, colors="tab:red", linewidth=1, alpha=0.6)
    bottom.set_xlabel("x", fontsize=13)
    bottom.set_ylabel("residual y − f(x)", fontsize=12)
    bottom.grid(True, alpha=0.3)
    for axes in (top, bottom):
        axes.tick_params(labelsize=12)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
