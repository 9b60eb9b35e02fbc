"""The Newton–Raphson figure: the curve, each tangent line meeting the x-axis at the next iterate,
and the iterates labelled — pure ``newton_data`` and a ``render_newton`` returning PNG bytes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from bot.errors import BadArgument
from plotting import sampling, style
from plotting.curves import CurvesData, finish_curve_axes, sample_curves
from plotting.sampling import Bounds1D


@dataclass(frozen=True)
class NewtonStep:
    x: float  # x_n
    value: float  # f(x_n)
    slope: float  # f'(x_n)
    next_x: float | None  # where the tangent meets the x-axis (None if the tangent is flat)


@dataclass(frozen=True)
class NewtonData:
    curve: CurvesData
    iterates: tuple[float, ...]
    steps: tuple[NewtonStep, ...]


def _range_around(points: Sequence[float]) -> Bounds1D:
    """Show every point with room either side; a runaway point is left off-screen."""
    first = points[0]
    near = [p for p in points if abs(p - first) <= 0.4 * sampling.MAX_WIDTH]
    lo, hi = min(near), max(near)
    pad = max(0.3 * (hi - lo), 0.25) if hi > lo else 1.0
    lo, hi = lo - pad, hi + pad
    return max(lo, -sampling.MAX_COORDINATE), min(hi, sampling.MAX_COORDINATE)


def newton_data(
    expr: sympy.Expr,
    iterates: Sequence[Any],
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> NewtonData:
    """The curve and, for each iterate but the last, its tangent and where it meets y = 0."""
    var = sampling.one_variable([expr], var)
    if not iterates:
        raise BadArgument("give at least the starting point x₀")
    xs = tuple(sampling.as_real(v, f"x_{i}") for i, v in enumerate(iterates))
    f = sampling.numeric_function(expr, [var])
    df = sampling.numeric_function(sympy.diff(expr, var), [var])
    steps = []
    for x_n in xs[:-1] if len(xs) > 1 else xs:
        value, slope = float(f(np.array(x_n))), float(df(np.array(x_n)))
        if not (math.isfinite(value) and math.isfinite(slope)):
            break
        steps.append(NewtonStep(x_n, value, slope, x_n - value / slope if slope != 0 else None))
    curve = sample_curves([expr], var, bounds if bounds is not None else _range_around(xs))
    curve = _focus_on_steps(curve, steps, f)
    return NewtonData(curve=curve, iterates=xs, steps=tuple(steps))


def _focus_on_steps(curve: CurvesData, steps: Sequence[NewtonStep], f: Any) -> CurvesData:
    """Y-limits around the iterates and the x-axis, where the tangents are, not the curve's far tails."""
    inside = [s.value for s in steps if curve.xlim[0] <= s.x <= curve.xlim[1]]
    if not inside:
        return curve
    lo, hi = min(0.0, *inside), max(0.0, *inside)
    span = max(hi - lo, 0.1 * (curve.ylim[1] - curve.ylim[0]))
    ylim = (lo - 0.15 * span, hi + 0.15 * span)
    y = sampling.mask_outside(f(curve.x), ylim)
    return CurvesData(curve.var, curve.x, (y,), curve.xlim, ylim)


def render_newton(
    expr: sympy.Expr,
    iterates: Sequence[Any],
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """The curve with each iterate's tangent line running down to the x-axis at the next iterate."""
    data = newton_data(expr, iterates, var, bounds)
    curve = data.curve
    figure = style.new_figure()
    ax = figure.add_subplot()
    ax.axhline(0.0, color=style.INK, linewidth=1.2, zorder=1)
    ax.plot(
        curve.x,
        curve.ys[0],
        color=style.PALETTE[0],
        linewidth=2.4,
        label=f"$y = f({curve.var.name})$",
    )
    for i, step in enumerate(data.steps):
        if step.next_x is None:
            continue
        ax.plot(
            [step.x, step.next_x],
            [step.value, 0.0],
            color=style.PALETTE[1],
            linewidth=1.6,
            label="tangent lines" if i == 0 else None,
            zorder=3,
        )
        ax.plot(
            [step.next_x, step.next_x],
            [0.0, _curve_value(expr, curve.var, step.next_x)],
            color=style.PALETTE[1],
            linewidth=1,
            linestyle=":",
            zorder=2,
        )
    shown = [x for x in data.iterates if curve.xlim[0] <= x <= curve.xlim[1]]
    ax.plot(
        shown,
        np.zeros(len(shown)),
        "o",
        color=style.PALETTE[1],
        markersize=8,
        markeredgecolor="white",
        label="iterates $x_n$",
        zorder=5,
    )
    for k, (x, indices) in enumerate(_iterate_clusters(data.iterates, curve.xlim)):
        name = iterate_names(indices)
        ax.annotate(
            name,
            (x, 0.0),
            textcoords="offset points",
            xytext=(0, -20 if k % 2 else 10),
            ha="center",
            fontsize=style.LEGEND_SIZE,
            color=style.INK,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8, "linewidth": 0},
        )
    finish_curve_axes(ax, curve)
    style.legend(ax)
    style.set_title(figure, ax, f"Newton–Raphson on {style.formula(expr, 'y')}", "Newton–Raphson")
    figure.tight_layout()
    return style.to_png(figure)


def _iterate_clusters(iterates: Sequence[float], xlim: Bounds1D) -> list[tuple[float, list[int]]]:
    """Iterates that would print on top of each other (near the root they all do) share one label:
    (where, the indices of the iterates there) for each label."""
    width = xlim[1] - xlim[0]
    clusters: list[tuple[float, list[int]]] = []
    for i, x in enumerate(iterates):
        if not xlim[0] <= x <= xlim[1]:
            continue
        near = next((c for c in clusters if abs(x - c[0]) <= 0.06 * width), None)
        if near is None:
            clusters.append((x, [i]))
        else:
            near[1].append(i)
    return clusters


def iterate_names(indices: Sequence[int]) -> str:
    """``x₃…x₆`` only for a run of consecutive iterates; others are listed, ``x₀, x₂…x₄, x₂₃``."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [f"x_{{{r[0]}}}" if len(r) == 1 else
             f"x_{{{r[0]}}}, x_{{{r[1]}}}" if len(r) == 2 else
             f"x_{{{r[0]}}} \\ldots x_{{{r[-1]}}}" for r in runs]
    if len(parts) > 3:
        parts = [*parts[:2], "\\ldots", parts[-1]]
    return "$" + ", ".join(parts) + "$"


def _curve_value(expr: sympy.Expr, var: sympy.Symbol, at: float) -> float:
    value = float(sampling.numeric_function(expr, [var])(np.array(at)))
    return value if math.isfinite(value) else 0.0
