"""Gradient descent in one variable: the curve, and each iterate as a ball rolling down it.

The 2-D path is drawn on contours (``fields.render_descent``); in 1-D the curve itself shows whether
the steps settle, swing from side to side (rate too large) or run away (no minimum there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from plotting import sampling, style
from plotting.curves import finish_curve_axes, sample_curves


def render_descent_1d(expr: sympy.Expr, iterates: Sequence[Sequence[Any]], var: sympy.Symbol) -> bytes:
    """f with the iterates x₀, x₁, … marked on it and joined in order; start and end labelled."""
    xs = np.array([float(p[0]) for p in iterates])
    lo, hi = float(np.min(xs)), float(np.max(xs))
    pad = max(0.5, 0.25 * (hi - lo))
    data = sample_curves([expr], var, (lo - pad, hi + pad))
    f = sampling.numeric_function(expr, [var])
    ys = np.asarray(f(xs), dtype=float)
    figure = style.new_figure()
    ax = figure.add_subplot()
    style.axis_lines(ax)
    ax.plot(data.x, data.ys[0], color=style.INK, linewidth=2.4, label=style.formula(expr, "y"), zorder=2)
    ax.plot(xs, ys, "-", color=style.PALETTE[1], linewidth=1.2, alpha=0.7, zorder=3)
    ax.plot(xs, ys, "o", color=style.PALETTE[1], markersize=6, markeredgecolor="white",
            label=f"iterates $x_0 \\ldots x_{{{len(xs) - 1}}}$", zorder=4)
    for index, marker, colour in ((0, "s", style.PALETTE[0]), (len(xs) - 1, "*", style.PALETTE[4])):
        ax.plot(xs[index], ys[index], marker, color=colour, markersize=13, markeredgecolor=style.INK, zorder=5)
        ax.annotate(f"$x_{{{index}}}$", (xs[index], ys[index]), textcoords="offset points",
                    xytext=(0, 12), ha="center", fontsize=style.LEGEND_SIZE, color=style.INK, zorder=6)
    finish_curve_axes(ax, data)
    low, high = ax.get_ylim()
    finite = ys[np.isfinite(ys)]
    if finite.size:  # keep every iterate in view even where the curve's own limits are tighter
        ax.set_ylim(min(low, float(finite.min())), max(high, float(finite.max())))
    style.legend(ax)
    style.set_title(figure, ax, f"Gradient descent on {style.formula(expr, 'f')}", "Gradient descent")
    figure.tight_layout()
    return style.to_png(figure)
