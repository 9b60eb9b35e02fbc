"""Figures for optimisation: stationary points marked by kind, and Lagrange multipliers.

The points themselves come from the solver; these figures place them on the curve or on the
contour map, so a learner sees why a saddle is not a minimum and why, at a constrained optimum,
the contour of f touches the constraint curve (∇f parallel to ∇g).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from bot.errors import BadArgument, Undefined
from plotting import curves, fields, sampling, style
from plotting.sampling import Array

# kind -> (marker, colour, legend label)
KINDS: dict[str, tuple[str, str, str]] = {
    "minimum": ("v", style.PALETTE[0], "minimum"),
    "maximum": ("^", style.PALETTE[1], "maximum"),
    "saddle": ("X", style.PALETTE[3], "saddle point"),
    "inflection": ("D", style.PALETTE[2], "point of inflection"),
    "inconclusive": ("s", "#888888", "inconclusive"),
}
_ALIASES = {
    "min": "minimum",
    "local minimum": "minimum",
    "global minimum": "minimum",
    "max": "maximum",
    "local maximum": "maximum",
    "global maximum": "maximum",
    "saddle point": "saddle",
    "point of inflection": "inflection",
    "unknown": "inconclusive",
}


def normalise_kind(kind: str) -> str:
    """One of ``KINDS`` from the usual ways of naming it ("min", "local maximum", "saddle point")."""
    key = kind.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in KINDS:
        raise BadArgument(
            f"unknown kind of stationary point '{kind}'",
            hint=f"use one of {', '.join(KINDS)}",
        )
    return key


@dataclass(frozen=True)
class MarkedPoint:
    coordinates: tuple[float, ...]
    value: float  # f at the point (NaN if undefined there)
    kind: str


@dataclass(frozen=True)
class StationaryData:
    curve: curves.CurvesData | None  # for one variable
    field: fields.FieldData | None  # for two
    points: tuple[MarkedPoint, ...]


def _coordinates(point: Any, dimension: int) -> tuple[float, ...]:
    values = (
        tuple(point)
        if isinstance(point, Sequence | np.ndarray) and not isinstance(point, str)
        else (point,)
    )
    if len(values) != dimension:
        raise BadArgument(f"each point needs {dimension} coordinate{'s' if dimension > 1 else ''}")
    return tuple(sampling.as_real(v, "a point's coordinate") for v in values)


def _dimension(
    expr: sympy.Expr, variables: Sequence[sympy.Symbol] | None, points: Sequence[Any]
) -> int:
    if variables is not None:
        return len(variables)
    if points:
        first = points[0][0]
        return len(first) if isinstance(first, Sequence | np.ndarray) else 1
    return 2 if len(expr.free_symbols) == 2 else 1


def stationary_data(
    expr: sympy.Expr,
    points: Sequence[tuple[Any, str]],
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> StationaryData:
    """The curve or map of f, and each point with its f value and normalised kind."""
    dimension = _dimension(expr, variables, points)
    if dimension not in (1, 2):
        raise BadArgument(
            f"can only draw stationary points of functions of 1 or 2 variables, not {dimension}"
        )
    coords = [_coordinates(p, dimension) for p, _ in points]
    kinds = [normalise_kind(k) for _, k in points]
    if dimension == 1:
        var = sampling.one_variable([expr], variables[0] if variables else None)
        if bounds is None and coords:
            xs = [c[0] for c in coords]
            half = sampling.default_half_width([expr])
            inside = all(abs(x) <= 0.8 * half for x in xs)
            bounds = (-half, half) if inside else _padded(min(xs), max(xs))
        curve = curves.functions_data([expr], var, bounds)
        f = sampling.numeric_function(expr, [var])
        values = [float(f(np.array(c[0]))) for c in coords]
        marked = tuple(MarkedPoint(c, v, k) for c, v, k in zip(coords, values, kinds, strict=True))
        return StationaryData(curve=curve, field=None, points=marked)
    field = fields.field_data(expr, variables, bounds, around=coords)
    f = sampling.numeric_function(expr, field.variables)
    values = [float(f(np.array(c[0]), np.array(c[1]))) for c in coords]
    marked = tuple(MarkedPoint(c, v, k) for c, v, k in zip(coords, values, kinds, strict=True))
    return StationaryData(curve=None, field=field, points=marked)


def _padded(lo: float, hi: float) -> tuple[float, float]:
    pad = max(1.0, 0.3 * (hi - lo))
    return lo - pad, hi + pad


def render_stationary(
    expr: sympy.Expr,
    points: Sequence[tuple[Any, str]],
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """Stationary points marked by kind (▼ min, ▲ max, ✕ saddle, ◆ inflection, ■ inconclusive).

    ``points`` pairs coordinates with a kind: ``[((0, 0), "saddle"), ((1, 1), "minimum")]``;
    for one variable a bare number will do: ``[(2.0, "max")]``.
    """
    data = stationary_data(expr, points, variables, bounds)
    if data.curve is not None:
        figure = style.new_figure()
        ax = figure.add_subplot()
        style.axis_lines(ax)
        ax.plot(
            data.curve.x,
            data.curve.ys[0],
            color=style.INK,
            linewidth=2.4,
            label=style.formula(expr, "y"),
        )
        curves.finish_curve_axes(ax, data.curve)
        xy = [(p.coordinates[0], p.value) for p in data.points]
    else:
        assert data.field is not None
        figure, ax = fields.field_figure(data.field)
        xy = [(p.coordinates[0], p.coordinates[1]) for p in data.points]
    seen: set[str] = set()
    for (px, py), point in zip(xy, data.points, strict=True):
        marker, colour, label = KINDS[point.kind]
        count = sum(1 for p in data.points if p.kind == point.kind)
        ax.plot(
            px,
            py,
            marker,
            color=colour,
            markersize=15,
            markeredgecolor="white",
            markeredgewidth=1.6,
            zorder=6,
            label=None if point.kind in seen else f"{label} ({count})" if count > 1 else label,
        )
        seen.add(point.kind)
        if len(data.points) <= 6:
            text = ", ".join(style.short_number(c) for c in point.coordinates)
            ax.annotate(
                f"({text})",
                (px, py),
                textcoords="offset points",
                xytext=(10, 8),
                fontsize=style.LEGEND_SIZE - 1,
                color=style.INK,
                zorder=7,
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "alpha": 0.75,
                    "linewidth": 0,
                },
            )
    if data.points and data.field is not None:
        # Below the map, not on it: markers are never drawn over the legend or hidden under it.
        figure.subplots_adjust(bottom=0.17)
        kinds = len({p.kind for p in data.points})
        style.legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=kinds, borderaxespad=0.0)
    elif data.points:
        style.legend(ax, loc="best")
    style.set_title(
        figure, ax, f"Stationary points of {style.formula(expr, 'f')}", "Stationary points"
    )
    if data.curve is not None:
        figure.tight_layout()
    return style.to_png(figure)


# --- Lagrange multipliers ----------------------------------------------------------------------


@dataclass(frozen=True)
class LagrangeData:
    field: fields.FieldData  # f
    constraint: Array  # g − c on the same grid; the constraint curve is its zero contour
    points: tuple[tuple[float, float], ...]
    values: tuple[float, ...]  # f at the points
    gradients_f: tuple[tuple[float, float], ...]
    gradients_g: tuple[tuple[float, float], ...]


def lagrange_data(
    expr: sympy.Expr,
    constraint: sympy.Expr,
    points: Sequence[Sequence[Any]] = (),
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
    *,
    level: Any = 0,
) -> LagrangeData:
    """f on a grid, g − c on the same grid, and ∇f, ∇g at the given optimum points."""
    c = sampling.as_real(level, "the constraint's value")
    coords = [fields.plane_point(p, "each optimum point") for p in points]
    field = fields.field_data(expr, variables, bounds, around=coords, others=[constraint])
    pair = field.variables
    g = sampling.numeric_function(constraint, pair)(field.x, field.y) - c
    finite = g[np.isfinite(g)]
    if finite.size == 0 or finite.min() > 0 or finite.max() < 0:
        raise Undefined(
            f"the constraint curve {style.plain_formula(constraint)} = {c:g} does not pass through this region",
            hint="give a range that contains the constraint curve",
        )
    f_num = sampling.numeric_function(expr, pair)
    grad_f = [sampling.numeric_function(sympy.diff(expr, v), pair) for v in pair]
    grad_g = [sampling.numeric_function(sympy.diff(constraint, v), pair) for v in pair]

    def at(functions: Sequence[Any], p: tuple[float, float]) -> tuple[float, float]:
        u, v = (float(fn(np.array(p[0]), np.array(p[1]))) for fn in functions)
        return u, v

    values = tuple(float(f_num(np.array(p[0]), np.array(p[1]))) for p in coords)
    return LagrangeData(
        field=field,
        constraint=g,
        points=tuple(coords),
        values=values,
        gradients_f=tuple(at(grad_f, p) for p in coords),
        gradients_g=tuple(at(grad_g, p) for p in coords),
    )


def render_lagrange(
    expr: sympy.Expr,
    constraint: sympy.Expr,
    points: Sequence[Sequence[Any]] = (),
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
    *,
    level: Any = 0,
) -> bytes:
    """Contours of f, the constraint curve g = c, and the optima with ∇f ∥ ∇g drawn at each."""
    data = lagrange_data(expr, constraint, points, variables, bounds, level=level)
    figure, ax = fields.field_figure(data.field)
    c = sampling.as_real(level, "the constraint's value")
    ax.contour(
        data.field.x,
        data.field.y,
        data.constraint,
        levels=[0.0],
        colors=style.INK,
        linewidths=3.2,
        zorder=4,
    )
    ax.plot(
        [],
        [],
        color=style.INK,
        linewidth=3.2,
        label=f"constraint ${style.latex_of(constraint)} = {style.short_number(c)}$"
        if style.is_mathtext(f"${style.latex_of(constraint)}$")
        else "constraint",
    )
    x0, x1, _, _ = data.field.bounds
    length = 0.1 * (x1 - x0)
    labelled: set[str] = set()
    # Where the optimum is, ∇f ∥ ∇g: drawn the same way they would hide each other, so ∇g is a
    # broad arrow underneath and ∇f a slim one on top, outlined in white — both stay visible.
    for p, gf, gg in zip(data.points, data.gradients_f, data.gradients_g, strict=True):
        for (u, v), colour, label, width, z in (
            (gg, style.PALETTE[5], r"$\nabla g$", 0.016, 5),
            (gf, style.PALETTE[1], r"$\nabla f$", 0.006, 6),
        ):
            norm = math.hypot(u, v)
            if math.isfinite(norm) and norm > 0:
                ax.quiver(
                    [p[0]],
                    [p[1]],
                    [u / norm * length],
                    [v / norm * length],
                    angles="xy",
                    scale_units="xy",
                    scale=1.0,
                    color=colour,
                    width=width,
                    edgecolor="white",
                    linewidth=0.8 if z == 6 else 0.0,
                    zorder=z,
                    label=None if label in labelled else label,
                )
                labelled.add(label)
    if data.points:
        xs, ys = zip(*data.points, strict=True)
        ax.plot(
            xs,
            ys,
            "*",
            color=style.PALETTE[4],
            markeredgecolor=style.INK,
            markersize=18,
            zorder=7,
            label="optima",
        )
        if len(data.points) <= 6:
            for p, value in zip(data.points, data.values, strict=True):
                ax.annotate(
                    f"f = {style.short_number(value)}",
                    p,
                    textcoords="offset points",
                    xytext=(10, -16),
                    fontsize=style.LEGEND_SIZE - 1,
                    color=style.INK,
                    zorder=8,
                    bbox={
                        "boxstyle": "round,pad=0.2",
                        "facecolor": "white",
                        "alpha": 0.8,
                        "linewidth": 0,
                    },
                )
    style.legend(ax, loc="upper left")
    style.set_title(
        figure, ax, f"{style.formula(expr, 'f')} on the constraint", "Lagrange multipliers"
    )
    return style.to_png(figure)
