"""The /backprop training figure: the cost after each gradient-descent step."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

WIDTH_PX, HEIGHT_PX, DPI = 800, 600, 100


@dataclass(frozen=True)
class CostCurveData:
    """What is drawn: step numbers (0 = before training) and the cost at each; log scale or not."""

    steps: tuple[int, ...]
    costs: tuple[float, ...]
    log_scale: bool


def cost_curve_data(costs: Sequence[float]) -> CostCurveData:
    """A log axis when the positive costs span more than two decades, so late progress stays visible."""
    values = np.asarray(costs, dtype=float)
    positive = bool(np.all(values > 0))
    log_scale = positive and len(values) > 1 and float(values.max() / values.min()) > 100.0
    return CostCurveData(tuple(range(len(values))), tuple(values.tolist()), log_scale)


def render_cost_curve(
    data: CostCurveData,
    *,
    title: str,
    xlabel: str = "training step",
    ylabel: str = r"cost $C = \sum\,(a^{(L)} - y)^2$",
) -> bytes:
    """PNG bytes (800x600) of a cost against step: /backprop's C, or χ² along a /fit's iterations."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    style = "o-" if len(data.steps) <= 60 else "-"
    axes.plot(data.steps, data.costs, style, color="tab:blue", linewidth=2, markersize=5)
    if data.log_scale:
        axes.set_yscale("log")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps are whole: no tick at 0.5
    axes.set_xlabel(xlabel, fontsize=13)
    axes.set_ylabel(ylabel, fontsize=13)
    axes.set_title(title, fontsize=14)
    axes.tick_params(labelsize=12)
    axes.grid(True, alpha=0.3, which="both")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
