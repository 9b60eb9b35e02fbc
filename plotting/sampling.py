"""Numeric sampling shared by every figure: checked variables and ranges, safe evaluation, clipping.

SymPy objects are turned into numpy functions with ``sympy.lambdify`` (never from text). Points
where a function has no real value come back as NaN, so they are simply absent from a figure;
values that blow up near a singularity are masked rather than allowed to stretch an axis.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy
from sympy.core.function import AppliedUndef

from bot.errors import BadArgument, Undefined
from bot.solver import numeric
from bot.solver.variables import symbol

Array = np.ndarray
Bounds1D = tuple[float, float]
Bounds2D = tuple[float, float, float, float]

MAX_COORDINATE = 1e6  # |A|, |B| beyond this is not a range a learner means
MAX_WIDTH = 1e4  # wider than this, every curve is a flat line or a spike
CURVE_SAMPLES = 1200  # enough to resolve tan(x) near its asymptotes on -2pi..2pi
CONTOUR_SAMPLES = 160
QUIVER_SAMPLES = 17
_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def as_real(value: Any, what: str) -> float:
    """A finite real float from a Python or SymPy number, or BadArgument naming ``what``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadArgument(
            f"{what} must be a real number, not {value}",
            hint="give a number such as 2, -1.5 or pi/2",
        ) from None
    if not math.isfinite(number):
        raise BadArgument(f"{what} must be a finite number, not {value}")
    return number


def validate_range(lo: Any, hi: Any, name: str = "x") -> Bounds1D:
    """A user range ``lo < hi``, finite and not absurdly wide; BadArgument says how to fix it."""
    a = as_real(lo, f"the start of the {name} range")
    b = as_real(hi, f"the end of the {name} range")
    if not a < b:
        raise BadArgument(
            f"the {name} range must go from a smaller to a larger number, not {a:g} to {b:g}",
            hint=f"e.g. 'from {min(a, b):g} to {max(a, b):g}'" if a != b else "e.g. 'from -5 to 5'",
        )
    if max(abs(a), abs(b)) > MAX_COORDINATE:
        raise BadArgument(f"the {name} range must stay within ±{MAX_COORDINATE:g}")
    if b - a > MAX_WIDTH:
        raise BadArgument(
            f"the {name} range {a:g} to {b:g} is too wide to show anything",
            hint=f"use a range at most {MAX_WIDTH:g} wide",
        )
    if b - a < 1e-9 * max(1.0, abs(a), abs(b)):
        raise BadArgument(f"the {name} range {a:g} to {b:g} is too narrow to plot")
    return a, b


def validate_bounds(bounds: Sequence[Any], names: Sequence[str] = ("x", "y")) -> Bounds2D:
    """``(x0, x1, y0, y1)``, each pair checked like a 1-D range."""
    if len(bounds) != 4:
        raise BadArgument("a 2-D range needs four numbers: x from, x to, y from, y to")
    x0, x1 = validate_range(bounds[0], bounds[1], names[0])
    y0, y1 = validate_range(bounds[2], bounds[3], names[1])
    return x0, x1, y0, y1


def check_plottable(expr: Any) -> sympy.Expr:
    """Only scalar expressions without unknown functions can be sampled."""
    if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
        raise BadArgument(
            f"can only plot an expression, not {expr}",
            hint="give a formula such as x^2 sin(x)",
        )
    unknown = sorted({str(f.func) for f in expr.atoms(AppliedUndef)})
    if unknown:
        raise BadArgument(
            f"can't plot the unknown function {', '.join(unknown)}",
            hint="write the function out, e.g. x^2 + 1 instead of f(x)",
        )
    return expr


def one_variable(exprs: Sequence[sympy.Expr], var: sympy.Symbol | None = None) -> sympy.Symbol:
    """The single variable shared by ``exprs`` (x for constants); several -> BadArgument."""
    for expr in exprs:
        check_plottable(expr)
    free = sorted({s.name for e in exprs for s in e.free_symbols}, key=str)
    if var is not None:
        extra = [name for name in free if name != var.name]
        if extra:
            raise BadArgument(
                f"this plot is in {var.name} only, but the formula also has {', '.join(extra)}",
                hint="give numbers for the other variables, or use /surface for two variables",
            )
        return var
    if len(free) > 1:
        raise BadArgument(
            f"a curve needs one variable, but this has {', '.join(free)}",
            hint="use /surface for a function of two variables",
        )
    return symbol(free[0]) if free else symbol("x")


def two_variables(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol] | None = None,
    others: Sequence[sympy.Expr] = (),
) -> tuple[sympy.Symbol, sympy.Symbol]:
    """The two plane variables of ``expr`` (and ``others``): given, else alphabetical, padded with x, y."""
    for item in (expr, *others):
        check_plottable(item)
    free = sorted(set().union(*(e.free_symbols for e in (expr, *others))), key=lambda s: s.name)
    if variables is not None:
        if len(variables) != 2:
            raise BadArgument(f"this figure needs exactly two variables, not {len(variables)}")
        extra = [s.name for s in free if s not in variables]
        if extra:
            raise BadArgument(
                f"the formula has {', '.join(extra)} besides {variables[0]} and {variables[1]}",
                hint="a map in the plane shows functions of two variables only",
            )
        return variables[0], variables[1]
    if len(free) > 2:
        raise BadArgument(
            f"a map in the plane needs at most two variables, but this has "
            f"{', '.join(s.name for s in free)}",
        )
    names = [s.name for s in free]
    for fallback in ("x", "y", "u", "v"):
        if len(names) == 2:
            break
        if fallback not in names:
            names.append(fallback)
    first, second = sorted(names)
    return symbol(first), symbol(second)


def numeric_function(expr: sympy.Expr, variables: Sequence[sympy.Symbol], *,
                     keep_overflow: bool = False) -> Callable[..., Array]:
    """A numpy function of ``variables`` returning real floats, NaN where there is no real value.

    Odd roots of negatives are real (∛−8 = −2), the one reading /slope and /newton use too. With
    ``keep_overflow``, values too large for floating point come back as ±inf rather than NaN, so a
    figure can say "overflows" and not "has no real value".
    """
    check_plottable(expr)
    compiled = sympy.lambdify(list(variables), numeric.realise(expr), modules=numeric.NUMPY)

    def evaluate(*grids: Array) -> Array:
        shape = np.broadcast(*grids).shape if grids else ()
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                raw = np.asarray(compiled(*grids))
                if raw.dtype == object:
                    raw = raw.astype(complex)
            except (
                TypeError,
                ValueError,
                AttributeError,
                NameError,
                ZeroDivisionError,
                OverflowError,
            ):
                raise BadArgument(
                    f"can't evaluate {expr} numerically",
                    hint="use elementary functions (powers, exp, log, trig) and numbers",
                ) from None
            if np.iscomplexobj(raw):
                real = raw.real.astype(float)
                tolerance = 1e-9 * np.maximum(1.0, np.abs(real))
                real[np.abs(raw.imag) > tolerance] = np.nan
            else:
                real = raw.astype(float)
        values = np.array(np.broadcast_to(real, shape), dtype=float)
        values[np.isnan(values) if keep_overflow else ~np.isfinite(values)] = np.nan
        return values

    return evaluate


def has_trig(exprs: Sequence[sympy.Expr]) -> bool:
    return any(e.has(*_TRIG) for e in exprs)


def default_half_width(exprs: Sequence[sympy.Expr]) -> float:
    """2π for trigonometric formulas (two periods each way), 5 otherwise."""
    return 2 * math.pi if has_trig(exprs) else 5.0


def default_range(exprs: Sequence[sympy.Expr], centre: float = 0.0) -> Bounds1D:
    half = default_half_width(exprs)
    return centre - half, centre + half


def trim_to_defined(x: Array, ys: Sequence[Array], lo: float, hi: float) -> Bounds1D:
    """Shrink a default range to where some curve is defined (log x: from just below 0)."""
    defined = np.zeros_like(x, dtype=bool)
    for y in ys:
        defined |= np.isfinite(y)
    if not defined.any():
        return lo, hi
    margin = 0.05 * (hi - lo)
    first, last = x[defined][0], x[defined][-1]
    return max(lo, first - margin), min(hi, last + margin)


def robust_limits(values: Sequence[Array], what: str = "the function") -> Bounds1D:
    """Axis limits that show the shape, not a spike: full range unless outliers dominate."""
    finite = np.concatenate([np.ravel(v)[np.isfinite(np.ravel(v))] for v in values])
    if finite.size == 0:
        raise Undefined(
            f"{what} has no real values in this range",
            hint="try another range, e.g. one where the square root or log is defined",
        )
    lo, hi = float(finite.min()), float(finite.max())
    p_lo, p_hi = (float(v) for v in np.percentile(finite, [2.0, 98.0]))
    spread = p_hi - p_lo
    if hi - lo > 4 * spread and spread > 0:
        lo, hi = max(lo, p_lo - 0.5 * spread), min(hi, p_hi + 0.5 * spread)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        pad = max(1.0, 0.1 * abs(hi))
        return lo - pad, hi + pad
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad


def mask_outside(y: Array, limits: Bounds1D) -> Array:
    """Hide far-off values and break the line at jumps, so asymptotes are not drawn as walls."""
    lo, hi = limits
    span = hi - lo
    out = y.copy()
    out[(out < lo - span) | (out > hi + span)] = np.nan
    jumps = np.abs(np.diff(out)) > span
    if jumps.any():
        centre = 0.5 * (lo + hi)
        left_farther = np.abs(out[:-1] - centre) >= np.abs(out[1:] - centre)
        index = np.nonzero(jumps)[0]
        out[np.where(left_farther[index], index, index + 1)] = np.nan
    return out


def grid(bounds: Bounds2D, samples: int) -> tuple[Array, Array]:
    x0, x1, y0, y1 = bounds
    return np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples))


def default_bounds(points: Sequence[Sequence[float]] = (), half_width: float = 3.0) -> Bounds2D:
    """A square around the points of interest (the origin if none), wide enough for them all."""
    if all(max(abs(p[0]), abs(p[1])) <= 0.8 * half_width for p in points):
        return -half_width, half_width, -half_width, half_width
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    cx, cy = 0.5 * (min(xs) + max(xs)), 0.5 * (min(ys) + max(ys))
    half = max(half_width, 0.6 * (max(xs) - min(xs)) + 0.5, 0.6 * (max(ys) - min(ys)) + 0.5)
    half = min(half, 0.5 * MAX_WIDTH)
    return cx - half, cx + half, cy - half, cy + half


def clip_field(z: Array, what: str = "the function") -> tuple[Array, Bounds1D]:
    """Values for contouring with spikes clipped to robust limits (NaN stays absent)."""
    limits = robust_limits([z], what)
    return np.clip(z, *limits), limits


LOG_VIEW_DECADES = 8.0  # positive values spanning more than this read only on a logarithmic axis


def overflow_range(x: Array, raw: Array) -> Bounds1D | None:
    """Where a sampled function's values are beyond floating point (±inf), as an x-interval."""
    over = np.isinf(raw)
    if not over.any():
        return None
    return float(x[over].min()), float(x[over].max())


def wants_log_view(values: Sequence[Array]) -> bool:
    """A log y-axis when every shown value is positive and they span many decades (e^x on
    −50…50): a linear axis would show a flat line and then a wall."""
    finite = np.concatenate([np.ravel(v)[np.isfinite(np.ravel(v))] for v in values])
    if finite.size < 2 or (finite < 0).any():
        return False
    positive = finite[finite > 0]
    if positive.size < 2:
        return False
    return bool(math.log10(positive.max()) - math.log10(positive.min()) > LOG_VIEW_DECADES)


def log_limits(values: Sequence[Array]) -> Bounds1D:
    finite = np.concatenate([np.ravel(v)[np.isfinite(np.ravel(v))] for v in values])
    positive = finite[finite > 0]
    lo, hi = math.log10(positive.min()), math.log10(positive.max())
    pad = 0.04 * (hi - lo)
    return 10 ** max(lo - pad, -290.0), 10 ** min(hi + pad, 290.0)  # matplotlib needs headroom


def break_at_jumps(function: Callable[[Array], Array], x: Array, y: Array, span: float) -> Array:
    """NaN between two samples where the function really jumps (floor, sign, a step), so no vertical
    riser is drawn: a steep but continuous rise shrinks when the interval is halved, a jump does not."""
    if not math.isfinite(span) or span <= 0 or x.size < 2:
        return y
    step = np.abs(np.diff(y))
    candidates = np.nonzero(np.isfinite(step) & (step > 0.02 * span))[0]
    if candidates.size == 0:
        return y
    lo, hi = x[candidates].astype(float), x[candidates + 1].astype(float)
    y_lo, y_hi = y[candidates].astype(float), y[candidates + 1].astype(float)
    first_jump = np.abs(y_hi - y_lo)
    for _ in range(30):  # each round halves the interval around the jump
        mid = 0.5 * (lo + hi)
        y_mid = function(mid)
        go_left = np.abs(y_mid - y_lo) > np.abs(y_hi - y_mid)
        go_left |= ~np.isfinite(y_mid)
        hi = np.where(go_left, mid, hi)
        y_hi = np.where(go_left, y_mid, y_hi)
        lo = np.where(go_left, lo, mid)
        y_lo = np.where(go_left, y_lo, y_mid)
    left_over = np.abs(y_hi - y_lo)
    jumps = candidates[(left_over > 0.5 * first_jump) | ~np.isfinite(left_over)]
    if jumps.size == 0:
        return y
    out = y.astype(float).copy()
    # Of the two samples around a jump, hide the one nearer to it, and keep the flat runs whole.
    nearer_right = (x[jumps + 1] - hi[np.isin(candidates, jumps)]) < (lo[np.isin(candidates, jumps)] - x[jumps])
    out[np.where(nearer_right, jumps + 1, jumps)] = np.nan
    return out


def frame_to_defined(x: Array, y: Array, z: Array, box: Bounds2D) -> Bounds2D:
    """The part of ``box`` where f has values, padded a little, when that is much smaller than ``box``."""
    defined = np.isfinite(z)
    if not defined.any():
        return box
    x0, x1 = float(x[defined].min()), float(x[defined].max())
    y0, y1 = float(y[defined].min()), float(y[defined].max())
    width, height = box[1] - box[0], box[3] - box[2]
    if (x1 - x0) > 0.6 * width and (y1 - y0) > 0.6 * height:
        return box
    cell = max(width, height) / (x.shape[1] - 1)
    half = 0.5 * max(x1 - x0, y1 - y0) + 2 * cell  # the grid only samples the domain: reach its edge
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    half *= 1.08
    return cx - half, cx + half, cy - half, cy + half


def refine_edges(function: Callable[..., Array], x: Array, y: Array, z: Array,
                 limits: Bounds1D) -> tuple[Array, Array, Array]:
    """Move each grid node just outside the drawn part (no real value, or beyond the z-limits) onto
    that part's edge, found by bisection towards an inside neighbour. The surface then ends on a
    smooth rim — the unit circle of √(1 − x² − y²), the cut of 1/(x² + y²) — not in stalactites."""
    lo, hi = limits
    inside = np.isfinite(z) & (z >= lo) & (z <= hi)
    x, y, z = x.astype(float).copy(), y.astype(float).copy(), z.astype(float).copy()
    moved = np.zeros_like(inside)
    for axis, shift in ((0, 1), (0, -1), (1, 1), (1, -1)):
        neighbour_inside = np.roll(inside, shift, axis=axis)
        edge = ~inside & ~moved & neighbour_inside
        if axis == 0:
            edge[0 if shift == 1 else -1, :] = False
        else:
            edge[:, 0 if shift == 1 else -1] = False
        if not edge.any():
            continue
        ix, iy = np.roll(x, shift, axis=axis)[edge], np.roll(y, shift, axis=axis)[edge]  # inside
        ox, oy = x[edge], y[edge]  # outside
        for _ in range(24):
            mx, my = 0.5 * (ix + ox), 0.5 * (iy + oy)
            mz = function(mx, my)
            ok = np.isfinite(mz) & (mz >= lo) & (mz <= hi)
            ix, iy = np.where(ok, mx, ix), np.where(ok, my, iy)
            ox, oy = np.where(ok, ox, mx), np.where(ok, oy, my)
        x[edge], y[edge] = ix, iy
        z[edge] = np.clip(function(ix, iy), lo, hi)
        moved |= edge
    z[~inside & ~moved] = np.nan
    return x, y, z
