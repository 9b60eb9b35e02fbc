"""Figures of functions of one variable: graphs, tangent lines, Taylor fans, Newton–Raphson.

Each figure has a pure ``*_data`` function returning the numbers it is drawn from (tested
against independent computation) and a ``render_*`` function returning PNG bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from bot.errors import BadArgument, Undefined
from plotting import sampling, style
from plotting.sampling import Array, Bounds1D

MAX_TAYLOR_ORDER = 10
MAX_DERIVATIVE_ORDER = 10  # as /derive's order


@dataclass(frozen=True)
class CurvesData:
    var: sympy.Symbol
    x: Array
    ys: tuple[Array, ...]  # one per expression; NaN where undefined or clipped
    xlim: Bounds1D
    ylim: Bounds1D
    pi_ticks: bool = False  # trigonometric in x, or a range given in π: ticks at multiples of π
    log_y: bool = False  # positive values over many decades: a logarithmic y-axis
    overflow: tuple[Bounds1D | None, ...] = ()  # per curve: where its values are beyond floating point


def sample_curves(
    exprs: Sequence[sympy.Expr],
    var: sympy.Symbol,
    bounds: Sequence[Any] | None,
    centre: float = 0.0,
    limit_exprs: int | None = None,
) -> CurvesData:
    """Sample ``exprs`` on the given or default range; y-limits from the first ``limit_exprs``."""
    functions = [sampling.numeric_function(e, [var]) for e in exprs]
    if bounds is None:
        lo, hi = sampling.default_range(exprs[: limit_exprs or len(exprs)], centre)
        x = np.linspace(lo, hi, sampling.CURVE_SAMPLES)
        trimmed = sampling.trim_to_defined(
            x, [f(x) for f in functions[: limit_exprs or None]], lo, hi
        )
        if trimmed != (lo, hi) and trimmed[0] <= centre <= trimmed[1]:
            lo, hi = trimmed
    else:
        lo, hi = sampling.validate_range(bounds[0], bounds[1], var.name)
    x = np.linspace(lo, hi, sampling.CURVE_SAMPLES)
    raws = [sampling.numeric_function(e, [var], keep_overflow=True)(x) for e in exprs]
    overflow = tuple(sampling.overflow_range(x, raw) for raw in raws)
    ys = [np.where(np.isinf(raw), np.nan, raw) for raw in raws]
    for expr, y, over in zip(exprs, ys, overflow, strict=True):
        if not np.isfinite(y).any():
            reason = "is too large for floating point" if over else "has no real values"
            raise Undefined(
                f"{style.plain_formula(expr)} {reason} for {var.name} from {lo:g} to {hi:g}",
                hint="try another range, e.g. one where the square root or log is defined" if not over
                else "try a narrower range",
            )
    shown = ys[: limit_exprs or None]
    if sampling.wants_log_view(shown):
        ylim = sampling.log_limits(shown)
        masked = tuple(np.where((y >= ylim[0]) & (y <= ylim[1]), y, np.nan) for y in ys)
        return CurvesData(var=var, x=x, ys=masked, xlim=(lo, hi), ylim=ylim, log_y=True, overflow=overflow,
                          pi_ticks=style.wants_pi_ticks(exprs, var, bounds))
    ylim = sampling.robust_limits(shown)
    span = ylim[1] - ylim[0]
    masked = tuple(
        sampling.mask_outside(sampling.break_at_jumps(f, x, y, span), ylim)
        for f, y in zip(functions, ys, strict=True)
    )
    pi_ticks = style.wants_pi_ticks(exprs, var, bounds)
    return CurvesData(var=var, x=x, ys=masked, xlim=(lo, hi), ylim=ylim, pi_ticks=pi_ticks, overflow=overflow)


def functions_data(
    exprs: Sequence[sympy.Expr],
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> CurvesData:
    """The sampled curves of one or more functions of the same variable."""
    if not exprs:
        raise BadArgument("give at least one expression to plot")
    if len(exprs) > len(style.PALETTE):
        raise BadArgument(f"at most {len(style.PALETTE)} functions fit on one plot")
    var = sampling.one_variable(exprs, var)
    return sample_curves(exprs, var, bounds)


def render_functions(
    exprs: Sequence[sympy.Expr],
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """Graphs of one or more functions, overlaid, with a legend when there are several."""
    data = functions_data(exprs, var, bounds)
    figure = style.new_figure()
    ax = figure.add_subplot()
    style.axis_lines(ax)
    for index, (expr, y) in enumerate(zip(exprs, data.ys, strict=True)):
        ax.plot(
            data.x, y, color=style.PALETTE[index], linewidth=2.4, label=style.formula(expr, "y")
        )
    finish_curve_axes(ax, data)
    name = data.var.name
    if len(exprs) == 1:
        style.set_title(
            figure, ax, style.formula(exprs[0], "y"), style.plain_formula(exprs[0], "y")
        )
    else:
        style.set_title(figure, ax, f"{len(exprs)} functions of ${name}$")
        style.legend(ax)
    figure.tight_layout()
    return style.to_png(figure)


def finish_curve_axes(ax: Any, data: CurvesData, ylabel: str = "y") -> None:
    ax.set_xlim(*data.xlim)
    ax.set_ylim(*data.ylim)  # before the scale: autoscaling near 10^308 would overflow
    if data.log_y:
        ax.set_yscale("log")
        style.power_of_ten_ticks(ax.yaxis, data.ylim)
    style.style_axes(ax, f"${data.var.name}$", f"${ylabel}$")
    if data.pi_ticks:
        style.pi_ticks(ax.xaxis, data.xlim)


# --- tangent line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TangentData:
    curve: CurvesData  # ys[0] = f, ys[1] = the derivative of the asked order when asked for
    at: float
    value: float  # f(a)
    slope: float  # f'(a)
    tangent: Array  # f(a) + f'(a) (x - a) on curve.x
    order: int = 1  # of the derivative in ys[1]
    derivative: sympy.Expr | None = None  # that derivative, when it is drawn
    derivative_value: float | None = None  # and its value at a


def _value_at(expr: sympy.Expr, var: sympy.Symbol, at: float, what: str) -> float:
    value = float(sampling.numeric_function(expr, [var])(np.array(at)))
    if not math.isfinite(value):
        raise Undefined(
            f"{what} is not defined at {var.name} = {at:g}",
            hint="choose a point where the function is smooth",
        )
    return value


def tangent_data(
    expr: sympy.Expr,
    at: Any,
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
    *,
    derivative: bool = False,
    order: int = 1,
) -> TangentData:
    """f, its tangent at ``at`` and (optionally) its ``order``-th derivative, for the figure."""
    if not 1 <= order <= MAX_DERIVATIVE_ORDER:
        raise BadArgument(f"the derivative's order must be 1 to {MAX_DERIVATIVE_ORDER}")
    var = sampling.one_variable([expr], var)
    a = sampling.as_real(at, "the point")
    df = sympy.diff(expr, var)
    value = _value_at(expr, var, a, f"{style.plain_formula(expr)}")
    slope = _value_at(df, var, a, f"the derivative {style.plain_formula(df)}")
    dn = df if order == 1 else sympy.diff(df, var, order - 1)
    derivative_value = None
    if derivative:
        derivative_value = (
            slope if order == 1 else _value_at(dn, var, a, f"the derivative {style.plain_formula(dn)}")
        )
    if bounds is None:
        # Narrower than a plain graph, so the tangent's tilt is visible against the curve.
        half = 0.5 * sampling.default_half_width([expr])
        bounds = (a - half, a + half)
    curve = sample_curves([expr], var, bounds, centre=a)
    if derivative:
        # Clipped to its own limits, not f's: (cos 3x)² stays in [0, 1], its f″ spans ±18.
        sampled = sampling.numeric_function(dn, [var])(curve.x)
        ylim = sampling.robust_limits([sampled], "the derivative")
        curve = CurvesData(
            curve.var,
            curve.x,
            (curve.ys[0], sampling.mask_outside(sampled, ylim)),
            curve.xlim,
            curve.ylim,
        )
    return TangentData(
        curve=curve,
        at=a,
        value=value,
        slope=slope,
        tangent=value + slope * (curve.x - a),
        order=order,
        derivative=dn if derivative else None,
        derivative_value=derivative_value,
    )


def tangent_label(data: TangentData, name: str) -> str:
    """The linearisation as the course writes it, L(x) = f(a) + f′(a)(x − a), and its slope."""
    number = style.short_number
    shift = name if data.at == 0 else f"({name} {'-' if data.at > 0 else '+'} {number(abs(data.at))})"
    coefficient = "" if abs(data.slope) == 1 else f"{number(abs(data.slope))}\\,"
    sign = "-" if data.slope < 0 else "+"
    if data.slope == 0:
        line = number(data.value)
    elif data.value == 0:
        line = f"{'-' if data.slope < 0 else ''}{coefficient}{shift}"
    else:
        line = f"{number(data.value)} {sign} {coefficient}{shift}"
    return f"tangent $L({name}) = {line}$, slope $f'({number(data.at)}) = {number(data.slope)}$"


def derivative_label(order: int) -> str:
    """Primes up to the third derivative, then the order in brackets: y^{(4)} and on."""
    return "y" + "'" * order if order <= 3 else f"y^{{({order})}}"


def render_tangent(
    expr: sympy.Expr,
    at: Any,
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
    *,
    derivative: bool = False,
    order: int = 1,
) -> bytes:
    """f with its tangent line at x = a (slope in the legend); a derivative below if asked."""
    data = tangent_data(expr, at, var, bounds, derivative=derivative, order=order)
    curve, name = data.curve, data.curve.var.name
    figure = style.new_figure()
    if derivative:
        ax, ax_d = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    else:
        ax, ax_d = figure.add_subplot(), None
    style.axis_lines(ax)
    ax.plot(
        curve.x, curve.ys[0], color=style.PALETTE[0], linewidth=2.4, label=style.formula(expr, "y")
    )
    ax.plot(
        curve.x,
        data.tangent,
        color=style.PALETTE[1],
        linewidth=2,
        linestyle="--",
        label=tangent_label(data, name),
    )
    ax.plot(
        [data.at],
        [data.value],
        "o",
        color=style.PALETTE[1],
        markersize=10,
        markeredgecolor="white",
        markeredgewidth=1.5,
        zorder=5,
    )
    finish_curve_axes(ax, curve)
    style.legend(ax)
    if ax_d is not None:
        ax.set_xlabel("")
        style.axis_lines(ax_d)
        label = derivative_label(data.order)
        ax_d.plot(
            curve.x,
            curve.ys[1],
            color=style.PALETTE[2],
            linewidth=2.2,
            label=style.formula(data.derivative, label),
        )
        ax_d.plot(
            [data.at],
            [data.derivative_value],
            "o",
            color=style.PALETTE[1],
            markersize=9,
            markeredgecolor="white",
            zorder=5,
        )
        ax_d.set_ylim(*sampling.robust_limits([curve.ys[1]], "the derivative"))
        style.style_axes(ax_d, f"${name}$", f"${label}$")
        style.legend(ax_d)
    style.set_title(
        figure,
        ax,
        f"Tangent to {style.formula(expr, 'y')} at ${name} = {style.short_number(data.at)}$",
        f"Tangent at {name} = {style.short_number(data.at)}",
    )
    figure.tight_layout()
    return style.to_png(figure)


# --- Taylor polynomials ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaylorData:
    curve: CurvesData  # ys[0] = f, ys[1:] = P_1 .. P_N
    at: float
    value: float  # f(a)
    polynomials: tuple[sympy.Expr, ...]  # P_1 .. P_N
    error: Array  # |f - P_N| on curve.x (NaN where f is undefined)
    top: Array  # P_N on curve.x, unclipped (the shaded band runs from f to it)


def _exact_point(at: Any) -> sympy.Expr:
    """Keep integers and SymPy numbers exact so coefficients print as x - x^3/6, not 0.16667."""
    if isinstance(at, sympy.Expr) and at.is_number:
        return at
    value = sampling.as_real(at, "the expansion point")
    return sympy.Integer(int(value)) if value.is_integer() else sympy.Float(value)


def taylor_polynomials(
    expr: sympy.Expr, var: sympy.Symbol, at: Any, order: int
) -> tuple[sympy.Expr, ...]:
    """P_1 .. P_order of ``expr`` about ``at``, from derivatives evaluated at the point."""
    if not 1 <= order <= MAX_TAYLOR_ORDER:
        raise BadArgument(f"the order must be from 1 to {MAX_TAYLOR_ORDER}, not {order}")
    a = _exact_point(at)
    term, derivative, total, polys = sympy.Integer(1), expr, sympy.Integer(0), []
    for k in range(order + 1):
        coefficient = derivative.subs(var, a)
        if not _finite_real(coefficient):
            what = "f" if k == 0 else f"the order-{k} derivative"
            raise Undefined(
                f"{what} is not defined at {var.name} = {a}, so there is no Taylor series there",
                hint="expand about a point where the function is smooth",
            )
        total += coefficient / sympy.factorial(k) * term
        if k >= 1:
            polys.append(sympy.expand(total))
        term *= var - a
        derivative = sympy.diff(derivative, var)
    return tuple(polys)


def _finite_real(value: sympy.Expr) -> bool:
    try:
        number = complex(value.evalf())
    except (TypeError, ValueError):
        return False
    return math.isfinite(number.real) and abs(number.imag) <= 1e-12 * max(1.0, abs(number.real))


def taylor_data(
    expr: sympy.Expr,
    at: Any,
    order: int,
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> TaylorData:
    var = sampling.one_variable([expr], var)
    polys = taylor_polynomials(expr, var, at, order)
    a = sampling.as_real(at, "the expansion point")
    curve = sample_curves([expr, *polys], var, bounds, centre=a, limit_exprs=1)
    f = sampling.numeric_function(expr, [var])(curve.x)
    p_n = sampling.numeric_function(polys[-1], [var])(curve.x)
    value = _value_at(expr, var, a, style.plain_formula(expr))
    return TaylorData(
        curve=curve, at=a, value=value, polynomials=polys, error=np.abs(f - p_n), top=p_n
    )


def render_taylor(
    expr: sympy.Expr,
    at: Any,
    order: int,
    var: sympy.Symbol | None = None,
    bounds: Sequence[Any] | None = None,
) -> bytes:
    """f and its Taylor polynomials of orders 1..N about a; the gap |f − P_N| shaded."""
    data = taylor_data(expr, at, order, var, bounds)
    curve, name = data.curve, data.curve.var.name
    figure = style.new_figure(layout="constrained")
    ax = figure.add_subplot()
    style.axis_lines(ax)
    f, p_n = curve.ys[0], data.top
    ax.fill_between(
        curve.x,
        f,
        np.clip(p_n, *_wide(curve.ylim)),
        where=np.isfinite(f) & np.isfinite(p_n),
        color=style.PALETTE[1],
        alpha=0.15,
        linewidth=0,
        label=f"$|f - P_{{{order}}}|$",
    )
    ax.plot(curve.x, f, color=style.INK, linewidth=3, label=style.formula(expr, "f"), zorder=4)
    colours = _order_colours(order)
    for orders, poly, y in _distinct_polynomials(data.polynomials, curve.ys[1:]):
        names = " = ".join(f"P_{{{k}}}" for k in orders)
        label = _polynomial_label(names, poly, curve.var, _exact_point(at))
        ax.plot(curve.x, y, color=colours[orders[-1] - 1], linewidth=1.8, label=label, zorder=3)
    ax.plot(
        [data.at],
        [data.value],
        "o",
        color=style.INK,
        markersize=10,
        markeredgecolor="white",
        markeredgewidth=1.5,
        zorder=5,
    )
    ax.axvline(data.at, color=style.INK, linewidth=0.8, linestyle=":", zorder=2)
    finish_curve_axes(ax, curve)
    longest = max(len(label) for label in ax.get_legend_handles_labels()[1])
    figure.legend(  # polynomials in powers of (x − a) are long: then the legend goes under the plot
        loc="outside right upper" if longest <= 40 else "outside lower center",
        fontsize=style.LEGEND_SIZE, framealpha=0.92, edgecolor=style.GRID,
    )
    style.set_title(
        figure,
        ax,
        f"Taylor polynomials of {style.formula(expr, 'f')} about ${name} = {style.short_number(data.at)}$",
        f"Taylor polynomials about {name} = {style.short_number(data.at)}",
    )
    return style.to_png(figure)


def _polynomial_label(names: str, poly: sympy.Expr, var: sympy.Symbol, at: sympy.Expr) -> str:
    """``P₂ = 1 + x + x²/2``, in powers of (x − a); with coefficients to 3 figures when exact ones
    are too long for a legend, and never a bare name."""
    for figures in (None, 3):
        latex = style.shifted_latex(poly, var, at, figures=figures)
        if len(latex) <= 90 and style.is_mathtext(f"${latex}$"):
            return f"${names} = {latex}$"
    return f"${names}$ (written out in the answer)"


def _distinct_polynomials(
    polynomials: Sequence[sympy.Expr], ys: Sequence[np.ndarray]
) -> list[tuple[list[int], sympy.Expr, np.ndarray]]:
    """Successive orders that give the same polynomial (cos: P₂ = P₃) as one curve and one legend
    entry, instead of identical curves drawn on top of each other."""
    groups: list[tuple[list[int], sympy.Expr, np.ndarray]] = []
    for k, (poly, y) in enumerate(zip(polynomials, ys, strict=True), start=1):
        if groups and sympy.expand(poly - groups[-1][1]) == 0:
            groups[-1][0].append(k)
        else:
            groups.append(([k], poly, y))
    return groups


def _wide(limits: Bounds1D) -> Bounds1D:
    span = limits[1] - limits[0]
    return limits[0] - span, limits[1] + span


def _order_colours(order: int) -> list[Any]:
    """Cool to warm with the order, so the eye reads the fan as a sequence."""
    from matplotlib import colormaps

    cmap = colormaps["plasma"]
    return [cmap(0.08 + 0.8 * i / max(1, order - 1)) for i in range(order)]
