"""Figures of functions of two variables: contour maps with gradient arrows, 3-D surfaces,
descent paths and 2-D Taylor approximations.

As in ``curves``, each figure has a pure ``*_data`` function (the numbers, tested against
independent computation) and a ``render_*`` function (PNG bytes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import MaxNLocator

from bot.errors import BadArgument, Undefined
from plotting import sampling, style
from plotting.sampling import Array, Bounds1D, Bounds2D

MAX_TAYLOR_2D_ORDER = 4
SURFACE_SAMPLES = 60


@dataclass(frozen=True)
class FieldData:
    """f sampled on a grid, clipped to robust limits, with the contour levels to draw."""

    variables: tuple[sympy.Symbol, sympy.Symbol]
    bounds: Bounds2D
    x: Array
    y: Array
    z: Array
    levels: Array


def field_data(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
    *,
    around: Sequence[Sequence[float]] = (),
    samples: int = sampling.CONTOUR_SAMPLES,
    others: Sequence[sympy.Expr] = (),
) -> FieldData:
    """f on a grid over ``bounds`` (default: a square around the points in ``around``)."""
    pair = sampling.two_variables(expr, variables, others)
    box = (
        sampling.validate_bounds(bounds, [v.name for v in pair])
        if bounds is not None
        else sampling.default_bounds(around)
    )
    x, y = sampling.grid(box, samples)
    z = sampling.numeric_function(expr, pair)(x, y)
    z, limits = sampling.clip_field(z, style.plain_formula(expr))
    if limits[1] - limits[0] <= 0 or np.nanmax(z) - np.nanmin(z) <= 1e-12 * max(
        1.0, float(np.nanmax(np.abs(z)))
    ):
        raise BadArgument(
            f"{style.plain_formula(expr)} is constant here, so it has no contours to draw",
            hint="use /plot or /surface to see a constant function",
        )
    return FieldData(pair, box, x, y, z, levels_for(z))


def levels_for(*fields: Array) -> Array:
    """Contour levels for values that may span decades. Evenly spaced levels when the values are
    spread out; levels at the values' quantiles when most of the map sits near one end (Rosenbrock's
    valley, e^(xy)): on an even scale that map would be one flat colour."""
    values = np.concatenate([np.ravel(f)[np.isfinite(np.ravel(f))] for f in fields])
    lo, hi = float(values.min()), float(values.max())
    median = float(np.median(values))
    if hi > lo and not 0.1 < (median - lo) / (hi - lo) < 0.9:
        quantiles = np.quantile(values, np.linspace(0.0, 1.0, 16))
        rounded = np.unique([_two_figures(q) for q in quantiles[1:-1]])
        inner = rounded[(rounded > lo) & (rounded < hi)]
        levels = np.unique(np.concatenate([[lo], inner, [hi]]))
        if levels.size >= 6:
            return levels
    ticks = np.asarray(MaxNLocator(nbins=15).tick_values(lo, hi), dtype=float)
    ticks = ticks[(ticks > lo) & (ticks < hi)]
    return np.unique(np.concatenate([[lo], ticks, [hi]]))


def _two_figures(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, 1 - int(math.floor(math.log10(abs(value)))))


def _evenly_coloured(levels: Array) -> Any:
    """Each band its own colour, however unevenly the levels are spaced."""
    return BoundaryNorm(levels, ncolors=256)


def _draw_field(ax: Axes, data: FieldData, *, alpha: float = 0.8) -> Any:
    """Filled contours with thin level lines; returns the filled set (for a colour bar)."""
    filled = ax.contourf(
        data.x, data.y, data.z, levels=data.levels, cmap=style.FIELD_CMAP, alpha=alpha,
        norm=_evenly_coloured(data.levels),
    )
    ax.contour(
        data.x,
        data.y,
        data.z,
        levels=data.levels,
        colors="#555555",
        linewidths=0.6,
        linestyles="solid",
        alpha=0.7,
    )
    ax.set_xlim(data.bounds[0], data.bounds[1])
    ax.set_ylim(data.bounds[2], data.bounds[3])
    ax.set_aspect("equal", adjustable="box")
    style.style_axes(ax, f"${data.variables[0].name}$", f"${data.variables[1].name}$", grid=False)
    return filled


def field_figure(data: FieldData, *, colorbar: bool = True) -> tuple[Any, Axes]:
    figure = style.new_figure()
    # Fixed margins instead of tight_layout: the square map leaves room, and it saves a text layout pass.
    figure.subplots_adjust(left=0.08, right=0.97, bottom=0.1, top=0.9)
    ax = figure.add_subplot()
    filled = _draw_field(ax, data)
    if colorbar:
        bar = figure.colorbar(filled, ax=ax, shrink=0.85, pad=0.02)
        bar.ax.tick_params(labelsize=style.TICK_SIZE - 1)
    return figure, ax


def plane_point(values: Sequence[Any], what: str = "the point") -> tuple[float, float]:
    if len(values) != 2:
        raise BadArgument(f"{what} needs two coordinates, like (1, 2)")
    return sampling.as_real(values[0], what), sampling.as_real(values[1], what)


# --- gradient field -------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientFieldData:
    field: FieldData
    arrow_x: Array  # coarse grid for the arrows
    arrow_y: Array
    u: Array  # ∂f/∂x at the arrows (NaN where undefined)
    v: Array  # ∂f/∂y
    point: tuple[float, float] | None
    gradient_at_point: tuple[float, float] | None


def gradient_field_data(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
    point: Sequence[Any] | None = None,
) -> GradientFieldData:
    at = plane_point(point) if point is not None else None
    field = field_data(expr, variables, bounds, around=[at] if at else ())
    gx, gy = (sympy.diff(expr, v) for v in field.variables)
    x0, x1, y0, y1 = field.bounds
    # Arrows on cell centres, so none sits on the frame.
    ax_, ay_ = np.meshgrid(
        np.linspace(x0, x1, 2 * sampling.QUIVER_SAMPLES + 1)[1::2],
        np.linspace(y0, y1, 2 * sampling.QUIVER_SAMPLES + 1)[1::2],
    )
    u = sampling.numeric_function(gx, field.variables)(ax_, ay_)
    v = sampling.numeric_function(gy, field.variables)(ax_, ay_)
    gradient = None
    if at is not None:
        gu = float(sampling.numeric_function(gx, field.variables)(np.array(at[0]), np.array(at[1])))
        gv = float(sampling.numeric_function(gy, field.variables)(np.array(at[0]), np.array(at[1])))
        if not (math.isfinite(gu) and math.isfinite(gv)):
            raise Undefined(f"the gradient is not defined at ({at[0]:g}, {at[1]:g})")
        gradient = (gu, gv)
    return GradientFieldData(field, ax_, ay_, u, v, at, gradient)


def _arrow_scale(u: Array, v: Array, cell: float) -> tuple[Array, Array]:
    """Arrow lengths proportional to |∇f| up to its 90th percentile (one cell), capped beyond."""
    magnitude = np.hypot(u, v)
    reference = float(np.nanpercentile(magnitude, 90)) if np.isfinite(magnitude).any() else 0.0
    if reference <= 0:
        return np.zeros_like(u), np.zeros_like(v)
    factor = 0.85 * cell * np.minimum(1.0, reference / np.maximum(magnitude, 1e-300)) / reference
    return u * factor, v * factor


def render_gradient_field(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
    point: Sequence[Any] | None = None,
) -> bytes:
    """Filled contours of f with ∇f arrows (uphill, across the contours); ∇f at ``point`` in red."""
    data = gradient_field_data(expr, variables, bounds, point)
    figure, ax = field_figure(data.field)
    x0, x1, _, _ = data.field.bounds
    u, v = _arrow_scale(data.u, data.v, (x1 - x0) / sampling.QUIVER_SAMPLES)
    ax.quiver(
        data.arrow_x,
        data.arrow_y,
        u,
        v,
        angles="xy",
        scale_units="xy",
        scale=1.0,
        color=style.INK,
        width=0.0035,
        headwidth=4,
        zorder=3,
    )
    names = [s.name for s in data.field.variables]
    if data.point is not None and data.gradient_at_point is not None:
        (px, py), (gu, gv) = data.point, data.gradient_at_point
        norm = math.hypot(gu, gv)
        length = 0.18 * (x1 - x0)
        du, dv = (gu / norm * length, gv / norm * length) if norm > 0 else (0.0, 0.0)
        ax.quiver(
            [px],
            [py],
            [du],
            [dv],
            angles="xy",
            scale_units="xy",
            scale=1.0,
            color=style.PALETTE[1],
            width=0.009,
            zorder=5,
            label=rf"$\nabla f({style.short_number(px)}, {style.short_number(py)}) = ({style.short_number(gu)}, {style.short_number(gv)})$",
        )
        ax.plot(
            [px], [py], "o", color=style.PALETTE[1], markeredgecolor="white", markersize=9, zorder=6
        )
        style.legend(ax, loc="upper left")
    style.set_title(
        figure,
        ax,
        rf"$\nabla f$ on the contours of {style.formula(expr, 'f')}",
        f"Gradient of f({', '.join(names)})",
    )
    return style.to_png(figure)


# --- surface ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurfaceData:
    variables: tuple[sympy.Symbol, sympy.Symbol]
    x: Array
    y: Array
    z: Array  # clipped to zlim; NaN where f has no real value
    zlim: Bounds1D


def surface_data(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> SurfaceData:
    pair = sampling.two_variables(expr, variables)
    box = (
        sampling.validate_bounds(bounds, [v.name for v in pair])
        if bounds is not None
        else sampling.default_bounds()
    )
    function = sampling.numeric_function(expr, pair)
    x, y = sampling.grid(box, SURFACE_SAMPLES)
    z = function(x, y)
    if bounds is None:  # frame the view to where f is defined: √(1 − x² − y²) lives in the unit disc
        framed = sampling.frame_to_defined(x, y, z, box)
        if framed != box:
            box = framed
            x, y = sampling.grid(box, SURFACE_SAMPLES)
            z = function(x, y)
    _, limits = sampling.clip_field(z, style.plain_formula(expr))
    x, y, z = sampling.refine_edges(function, x, y, z, limits)
    return SurfaceData(pair, x, y, z, limits)


def render_surface(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """The graph z = f(x, y) as a shaded 3-D surface."""
    data = surface_data(expr, variables, bounds)
    figure = style.new_figure()
    ax = figure.add_subplot(projection="3d")
    z = np.ma.masked_invalid(data.z)
    ax.plot_surface(
        data.x,
        data.y,
        z,
        cmap=style.FIELD_CMAP,
        rstride=1,
        cstride=1,
        linewidth=0,
        antialiased=False,
        vmin=data.zlim[0],
        vmax=data.zlim[1],
    )
    ax.set_zlim(*data.zlim)
    a, b = (v.name for v in data.variables)
    for set_label, name in ((ax.set_xlabel, a), (ax.set_ylabel, b), (ax.set_zlabel, "z")):
        set_label(f"${name}$", fontsize=style.LABEL_SIZE, labelpad=8)
    ax.tick_params(labelsize=style.TICK_SIZE - 1)
    ax.view_init(elev=28, azim=-58)
    ax.set_box_aspect(None, zoom=0.95)
    figure.subplots_adjust(left=0.0, right=0.97, bottom=0.0, top=1.0)
    style.set_suptitle(figure, style.formula(expr, "z"), style.plain_formula(expr, "z"))
    figure.texts[-1].set_y(0.97)
    return style.to_png(figure)


# --- descent path ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DescentPathData:
    field: FieldData
    path: Array  # shape (n, 2): the iterates in order
    values: Array  # f at each iterate


def descent_path_data(
    expr: sympy.Expr,
    iterates: Sequence[Sequence[Any]],
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> DescentPathData:
    if not iterates:
        raise BadArgument("a descent path needs at least its starting point")
    path = np.array([plane_point(p, "each iterate") for p in iterates], dtype=float)
    shown = [tuple(p) for p in path if np.all(np.abs(p - path[0]) <= 0.4 * sampling.MAX_WIDTH)]
    field = field_data(expr, variables, bounds, around=shown)
    values = sampling.numeric_function(expr, field.variables)(path[:, 0], path[:, 1])
    return DescentPathData(field, path, values)


def render_descent(
    expr: sympy.Expr,
    iterates: Sequence[Sequence[Any]],
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """The iterates of gradient descent joined on the contour map; start and end marked."""
    data = descent_path_data(expr, iterates, variables, bounds)
    figure, ax = field_figure(data.field)
    path = data.path
    ax.plot(path[:, 0], path[:, 1], "-", color="white", linewidth=4.2, zorder=3)
    ax.plot(
        path[:, 0],
        path[:, 1],
        "-o",
        color=style.INK,
        linewidth=1.8,
        markersize=3.5,
        zorder=4,
        label=f"{len(path) - 1} steps",
    )
    ax.plot(
        *path[0],
        "o",
        color=style.PALETTE[2],
        markeredgecolor="white",
        markersize=12,
        zorder=5,
        label=f"start ({style.short_number(path[0][0])}, {style.short_number(path[0][1])})",
    )
    ax.plot(
        *path[-1],
        "*",
        color=style.PALETTE[1],
        markeredgecolor="white",
        markersize=18,
        zorder=6,
        label=f"end ({style.short_number(path[-1][0])}, {style.short_number(path[-1][1])})",
    )
    style.legend(ax, loc="upper left")
    style.set_title(
        figure, ax, f"Gradient descent on {style.formula(expr, 'f')}", "Gradient descent"
    )
    return style.to_png(figure)


# --- Taylor in two variables ----------------------------------------------------------------


@dataclass(frozen=True)
class Taylor2DData:
    field: FieldData  # f
    approximation: Array  # the polynomial on the same grid, clipped to f's levels
    polynomial: sympy.Expr
    point: tuple[float, float]


def taylor_polynomial_2d(
    expr: sympy.Expr, variables: Sequence[sympy.Symbol], at: Sequence[Any], order: int
) -> sympy.Expr:
    """Σ_{i+j ≤ N} ∂^{i+j}f/∂x^i∂y^j (a, b) (x − a)^i (y − b)^j / (i! j!)."""
    if not 1 <= order <= MAX_TAYLOR_2D_ORDER:
        raise BadArgument(f"the order must be from 1 to {MAX_TAYLOR_2D_ORDER}, not {order}")
    x, y = variables
    a, b = (_exact(v) for v in at)
    total = sympy.Integer(0)
    row = expr
    for i in range(order + 1):
        derivative = row
        for j in range(order + 1 - i):
            coefficient = derivative.subs({x: a, y: b})
            value = complex(coefficient.evalf())
            if not (math.isfinite(value.real) and abs(value.imag) < 1e-12):
                raise Undefined(
                    f"f is not smooth at ({a}, {b}), so it has no Taylor approximation there",
                    hint="expand about another point",
                )
            total += (
                coefficient
                * (x - a) ** i
                * (y - b) ** j
                / (sympy.factorial(i) * sympy.factorial(j))
            )
            derivative = sympy.diff(derivative, y)
        row = sympy.diff(row, x)
    return sympy.expand(total)


def _exact(value: Any) -> sympy.Expr:
    if isinstance(value, sympy.Expr) and value.is_number:
        return value
    number = sampling.as_real(value, "the expansion point")
    return sympy.Integer(int(number)) if number.is_integer() else sympy.Float(number)


def taylor_2d_data(
    expr: sympy.Expr,
    at: Sequence[Any],
    order: int = 2,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> Taylor2DData:
    point = plane_point(at, "the expansion point")
    pair = sampling.two_variables(expr, variables)
    polynomial = taylor_polynomial_2d(expr, pair, at, order)
    field = field_data(expr, pair, bounds, around=[point])
    raw_f = sampling.numeric_function(expr, pair)(field.x, field.y)
    approximation = sampling.numeric_function(polynomial, pair)(field.x, field.y)
    # One colour scale for both panels, clipped to what both mostly span: neither saturates.
    limits = sampling.robust_limits([raw_f, approximation], style.plain_formula(expr))
    shared = [np.clip(raw_f, *limits), np.clip(approximation, *limits)]
    levels = levels_for(*shared)
    field = FieldData(field.variables, field.bounds, field.x, field.y, shared[0], levels)
    return Taylor2DData(field, shared[1], polynomial, point)


def render_taylor_2d(
    expr: sympy.Expr,
    at: Sequence[Any],
    order: int = 2,
    variables: Sequence[sympy.Symbol] | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """Contours of f beside those of its order-N Taylor approximation, on the same levels."""
    data = taylor_2d_data(expr, at, order, variables, bounds)
    figure = style.new_figure(layout="constrained")
    left, right = figure.subplots(1, 2, sharey=True)
    filled = _draw_field(left, data.field)
    approx = FieldData(
        data.field.variables,
        data.field.bounds,
        data.field.x,
        data.field.y,
        data.approximation,
        data.field.levels,
    )
    _draw_field(right, approx)
    right.set_ylabel("")
    px, py = data.point
    for ax in (left, right):
        ax.plot(px, py, "o", color=style.INK, markeredgecolor="white", markersize=10, zorder=5)
    left.set_title("$f$", fontsize=style.LABEL_SIZE)
    right.set_title(f"order-{order} Taylor polynomial", fontsize=style.LABEL_SIZE)
    bar = figure.colorbar(filled, ax=[left, right], orientation="horizontal", shrink=0.8, aspect=40)
    bar.ax.tick_params(labelsize=style.TICK_SIZE - 1)
    style.set_suptitle(
        figure,
        f"Order-{order} Taylor approximation of {style.formula(expr, 'f')} about $({style.short_number(px)}, {style.short_number(py)})$",
        f"Taylor approximation about ({style.short_number(px)}, {style.short_number(py)})",
    )
    return style.to_png(figure)
