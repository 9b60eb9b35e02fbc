"""One look for every figure: chat-sized canvas, large fonts, formula titles, PNG output.

Figures are built on ``matplotlib.figure.Figure`` with an Agg canvas, never through pyplot, so
no global figure state is created or kept, and the module is safe in worker processes.
"""

from __future__ import annotations

import io
import math
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

WIDTH_PX, HEIGHT_PX, DPI = 800, 600, 100
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE = 16, 14, 12, 12
MIN_TITLE_SIZE = 10
# Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
FIELD_CMAP = "RdYlBu_r"  # low = blue valleys, high = red hills
INK = "#222222"
GRID = "#dddddd"

_MATHTEXT = MathTextParser("path")


def new_figure(
    *, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX, layout: Any = None
) -> Figure:
    figure = Figure(
        figsize=(width_px / DPI, height_px / DPI), dpi=DPI, facecolor="white", layout=layout
    )
    FigureCanvasAgg(figure)
    return figure


def style_axes(ax: Axes, xlabel: str, ylabel: str, *, grid: bool = True) -> None:
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE, color=INK)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE, color=INK)
    ax.tick_params(labelsize=TICK_SIZE, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid:
        ax.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)


_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def wants_pi_ticks(exprs: Any, var: sympy.Symbol, bounds: Any) -> bool:
    """Ticks at multiples of π when the range is given in π (``from -pi to pi``) or the curve is
    trigonometric in the variable: a learner reads π/4 where 0.785 means nothing."""
    if bounds is not None and any(isinstance(b, sympy.Basic) and b.has(sympy.pi) for b in bounds[:2]):
        return True
    return any(
        isinstance(node, _TRIG) and node.has(var) and _affine_in(node.args[0], var)
        for e in exprs if isinstance(e, sympy.Basic)
        for node in sympy.preorder_traversal(e)
    )


def _affine_in(argument: sympy.Expr, var: sympy.Symbol) -> bool:
    """sin(2x + 1) repeats every π in x; sin(1/x) or sin(x²) do not, and π ticks would mislead."""
    return bool(argument.is_polynomial(var)) and sympy.degree(argument, var) == 1


def pi_ticks(axis: Any, limits: tuple[float, float]) -> None:
    """Major ticks at k·π/d, with d chosen so that 3 to 9 ticks fit the range; labels like 3π/4."""
    span = limits[1] - limits[0]
    if not math.isfinite(span) or span <= 0:
        return
    for step in (math.pi / 4, math.pi / 2, math.pi, 2 * math.pi, 4 * math.pi, 8 * math.pi):
        if span / step <= 9:
            break
    else:
        return  # too wide for π ticks to help
    if span / step < 2:
        return  # too narrow: decimals read better
    first, last = math.ceil(limits[0] / step - 1e-9), math.floor(limits[1] / step + 1e-9)
    ticks = [k * step for k in range(first, last + 1)]
    if len(ticks) < 4:
        return  # two or three π ticks read worse than decimals
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: _pi_label(round(value / (math.pi / 4)))))


def power_of_ten_ticks(axis: Any, limits: tuple[float, float], most: int = 7) -> None:
    """At most ``most`` ticks 10^k on a log axis. matplotlib's own locator overflows near the largest
    float (e^x up to 10^308), and 600 decades need a stride anyway."""
    first, last = math.ceil(math.log10(limits[0])), math.floor(math.log10(limits[1]))
    stride = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200) if (last - first) / s < most)
    start = math.ceil(first / stride) * stride  # 10^-200, 10^0, 10^200 rather than 10^-207, 10^-7 …
    axis.set_major_locator(FixedLocator([10.0**k for k in range(start, last + 1, stride)]))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"$10^{{{round(math.log10(value))}}}$"))


def _pi_multiple(value: float) -> str | None:
    """``value`` as k·π/d (d ≤ 12) when it is one to within rounding, else None."""
    if not math.isfinite(value) or value == 0 or abs(value) > 1e3:
        return None
    ratio = Fraction(value / math.pi).limit_denominator(12)
    if ratio == 0 or abs(float(ratio) * math.pi - value) > 1e-12 * abs(value):
        return None
    sign = "−" if ratio < 0 else ""
    num, den = abs(ratio.numerator), ratio.denominator
    head = "π" if num == 1 else f"{num}π"
    return f"{sign}{head}" if den == 1 else f"{sign}{head}/{den}"


def _pi_label(quarters: int) -> str:
    """k quarters of π as text: 0, π/4, π/2, 3π/4, π, −5π/4, 2π …"""
    return "0" if quarters == 0 else _pi_multiple(quarters * math.pi / 4) or "0"


def latex_of(expr: sympy.Basic, order: str | None = None) -> str:
    """LaTeX in the course's notation: ln for the natural log (SymPy's ``log``)."""
    return mathtext_compatible(sympy.latex(expr, order=order, ln_notation=True))


def shifted_latex(poly: sympy.Expr, var: sympy.Symbol, at: sympy.Expr, *, figures: int | None = None) -> str:
    """A polynomial in powers of (x − a), lowest first, as Taylor polynomials are written:
    ``e + e(x - 1) + \\frac{e}{2}(x - 1)^{2}``, not its expansion in powers of x; with ``figures``,
    each coefficient is rounded to that many significant figures (after the shift, exactly)."""
    shift = sympy.Dummy("t")
    terms = sympy.Poly(sympy.expand(poly.subs(var, shift + at)), shift).terms()
    if figures is not None:
        terms = [(degree, c if c.is_Integer else c.evalf(figures)) for degree, c in terms]
    base = latex_of(var) if at == 0 else f"({latex_of(var - at)})"
    text = ""
    for (degree,), coefficient in sorted(terms):
        power = "" if degree == 0 else base if degree == 1 else f"{base}^{{{degree}}}"
        negative = coefficient.could_extract_minus_sign()
        size = -coefficient if negative else coefficient
        if degree and size == 1:
            piece = power
        elif degree and size.is_Add:
            piece = f"({latex_of(size)}){power}"
        else:
            piece = f"{latex_of(size)}{' ' if power and not power.startswith('(') else ''}{power}"
        sign = ("-" if negative else "") if not text else (" - " if negative else " + ")
        text += sign + piece
    return text or "0"


# SymPy LaTeX that mathtext lacks but can do without, replaced before typesetting.
_MATHTEXT_REWRITES = (
    (r"\limits", ""),
    (r"\displaystyle", ""),
    (r"\dfrac", r"\frac"),
    (r"\tfrac", r"\frac"),
)


def mathtext_compatible(latex: str) -> str:
    """``latex`` with the few constructs mathtext cannot parse (``\\limits`` …) rewritten."""
    for old, new in _MATHTEXT_REWRITES:
        latex = latex.replace(old, new)
    return latex


def is_mathtext(text: str) -> bool:
    """Whether matplotlib's mathtext (no TeX install) can typeset ``text``."""
    try:
        _MATHTEXT.parse(text)
    except (ValueError, RuntimeError):
        return False
    return True


def plain_formula(expr: sympy.Basic, lhs: str | None = None) -> str:
    """The formula as students type it (``^`` powers), for when mathtext cannot set it."""
    text = sympy.sstr(expr).replace("**", "^")
    return f"{lhs} = {text}" if lhs else text


def formula(expr: sympy.Basic, lhs: str | None = None) -> str:
    """``$lhs = latex$`` when mathtext can typeset it, else the plain formula."""
    prefix_tex = f"{lhs} = " if lhs else ""
    text = f"${prefix_tex}{latex_of(expr)}$"
    if is_mathtext(text):
        return text
    return plain_formula(expr, lhs)


def fit_title(
    figure: Figure, title: Any, fallback: str | None = None, *, max_fraction: float = 0.96
) -> None:
    """Shrink a title until it fits the figure width; if it never does, shorten the plain form."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    limit = max_fraction * figure.bbox.width
    size = float(title.get_fontsize())
    while title.get_window_extent(renderer).width > limit and size > MIN_TITLE_SIZE:
        size -= 1.5
        title.set_fontsize(size)
    if title.get_window_extent(renderer).width <= limit:
        return
    text = fallback if fallback is not None else title.get_text().replace("$", "")
    title.set_text(text)
    width = title.get_window_extent(renderer).width
    if width > limit:
        keep = max(10, int(len(text) * limit / width) - 2)
        title.set_text(text[:keep] + "…")


def set_title(figure: Figure, ax: Axes, text: str, fallback: str | None = None) -> None:
    fit_title(figure, ax.set_title(text, fontsize=TITLE_SIZE, color=INK, pad=12), fallback)


def set_suptitle(figure: Figure, text: str, fallback: str | None = None) -> None:
    fit_title(figure, figure.suptitle(text, fontsize=TITLE_SIZE, color=INK), fallback)


def axis_lines(ax: Axes) -> None:
    """Thin x- and y-axes through the origin, for where zero is on screen."""
    ax.axhline(0.0, color="#888888", linewidth=0.9, zorder=1)
    ax.axvline(0.0, color="#888888", linewidth=0.9, zorder=1)


def short_number(value: float) -> str:
    """A number for a label: a simple multiple of π as such (π/4, not 0.785), else 3 significant
    figures, no ``-0``."""
    multiple = _pi_multiple(value)
    if multiple is not None:
        return multiple
    text = f"{value:.3g}"
    return "0" if text in ("-0", "-0.0") else text


def legend(ax: Axes, *, loc: Any = "best", **options: Any) -> None:
    options = {"fontsize": LEGEND_SIZE, "framealpha": 0.92, "edgecolor": GRID, **options}
    ax.legend(loc=loc, **options)


def to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with np.errstate(over="ignore", invalid="ignore"):  # log axes near 10^308: matplotlib's own margins
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


_OFFSETS = [(0, 14), (0, -14), (30, 0), (-30, 0), (26, 12), (-26, 12), (26, -12), (-26, -12),
            (0, 26), (0, -26), (44, 0), (-44, 0), (40, 22), (-40, 22), (40, -22), (-40, -22)]


def place_labels(ax: Axes, labels: list[Any], *, keep_clear: list[Any] = ()) -> None:  # type: ignore[assignment]
    """Move each annotation (offset-points text) to the first nearby spot where it overlaps no label
    placed before it, none of ``keep_clear`` (markers, arrows, a legend), and stays inside the axes.
    Greedy, in the order given — put the label that matters most (the latest dip) first."""
    figure = ax.get_figure()
    renderer = figure.canvas.get_renderer()  # type: ignore[union-attr, attr-defined]
    inside = ax.get_window_extent(renderer)
    taken = [artist.get_window_extent(renderer) for artist in keep_clear]
    for label in labels:
        preferred = tuple(label.xyann)
        for offset in [preferred, *_OFFSETS]:
            label.xyann = offset
            box = label.get_window_extent(renderer)
            if _within(box, inside) and not any(box.overlaps(other) for other in taken):
                break
        else:
            label.xyann = preferred  # nowhere clear: keep the first choice
        taken.append(label.get_window_extent(renderer))


def _within(box: Any, outer: Any) -> bool:
    return bool(box.x0 >= outer.x0 and box.x1 <= outer.x1 and box.y0 >= outer.y0 and box.y1 <= outer.y1)
