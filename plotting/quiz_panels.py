"""Picture quizzes: one image of lettered panels (or lettered points on one panel), data in, PNG out.

The numbers drawn are given, never computed here: ``content.figures`` samples the question's
functions into a :class:`QuizFigure`, tests check those numbers against an independent computation,
and this module only draws them — so what a learner is asked to judge is exactly what was checked.
The words for a screen reader come from the same numbers (``plotting.quiz_words``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes

from plotting.style import FIELD_CMAP, GRID, INK, PALETTE, new_figure, to_png

Array = np.ndarray

GIVEN_COLOUR = "#555555"
ANSWER_COLOUR = PALETTE[0]
LINE_COLOUR = PALETTE[1]
PATH_COLOUR = "#111111"
LABEL_SIZE = 22
CAPTION_SIZE = 15
TICK_SIZE = 11


@dataclass(frozen=True)
class Curve:
    """A sampled curve; ``role``: "given" (the function asked about, grey), "candidate" (what a
    panel offers, bold), "line" (a straight line drawn over the function)."""

    x: Array
    y: Array
    role: str = "candidate"


@dataclass(frozen=True)
class Contours:
    x: Array  # 1-D, columns
    y: Array  # 1-D, rows
    z: Array  # 2-D, z[row, column]


@dataclass(frozen=True)
class Arrows:
    x: Array
    y: Array
    u: Array
    v: Array


@dataclass(frozen=True)
class Path:
    x: Array
    y: Array


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    text: str  # a letter, or "★" for a marked minimum
    kind: str = "point"  # "point" (a lettered candidate) | "target" (the marked minimum)


@dataclass(frozen=True)
class Panel:
    label: str  # "A"…"D" for a candidate panel, "" for the panel that shows what is given
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    caption: str = ""  # a short line under the label, e.g. "f(x)" on the given panel
    curves: tuple[Curve, ...] = ()
    contours: Contours | None = None
    arrows: Arrows | None = None
    paths: tuple[Path, ...] = ()
    markers: tuple[Marker, ...] = ()
    vline: float | None = None  # a dashed vertical line, e.g. at the centre of a Taylor expansion
    equal_aspect: bool = False


@dataclass(frozen=True)
class QuizFigure:
    title: str  # plain text: what the picture asks
    panels: tuple[Panel, ...]  # the lettered panels A–D, or one panel with lettered points
    given: Panel | None = None  # drawn across the top, above the lettered panels
    notes: tuple[str, ...] = field(default=())  # extra lines for the alt text (e.g. the line's formula)


def render_quiz_figure(figure_data: QuizFigure) -> bytes:
    """The PNG: the given panel on top (if any), then the lettered panels in a 2×2 grid, or one
    large panel when the letters mark points."""
    count = len(figure_data.panels)
    has_given = figure_data.given is not None
    if count == 1:
        width, height = 820, 640
    else:
        width, height = 820, 1000 if has_given else 820
    figure = new_figure(width_px=width, height_px=height, layout="constrained")
    figure.suptitle("\n".join(textwrap.wrap(figure_data.title, 70)), fontsize=15, color=INK)
    if count == 1:
        axes = [figure.add_subplot(1, 1, 1)]
        given_ax = None
    elif has_given:
        grid = figure.add_gridspec(3, 2, height_ratios=(1.0, 1.0, 1.0))
        given_ax = figure.add_subplot(grid[0, :])
        axes = [figure.add_subplot(grid[1 + i // 2, i % 2]) for i in range(count)]
    else:
        grid = figure.add_gridspec(2, 2)
        given_ax = None
        axes = [figure.add_subplot(grid[i // 2, i % 2]) for i in range(count)]
    if given_ax is not None and figure_data.given is not None:
        _draw_panel(given_ax, figure_data.given)
    for ax, panel in zip(axes, figure_data.panels, strict=True):
        _draw_panel(ax, panel)
    return to_png(figure)


def _draw_panel(ax: Axes, panel: Panel) -> None:
    ax.set_xlim(*panel.xlim)
    ax.set_ylim(*panel.ylim)
    ax.tick_params(labelsize=TICK_SIZE, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if panel.contours is None:
        ax.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.axhline(0.0, color="#888888", linewidth=1.0, zorder=1)
    if panel.equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    if panel.contours is not None:
        _draw_contours(ax, panel.contours)
    if panel.vline is not None:
        ax.axvline(panel.vline, color="#777777", linewidth=1.2, linestyle="--", zorder=1)
    for curve in panel.curves:
        _draw_curve(ax, curve)
    if panel.arrows is not None:
        u, v = _display_arrows(panel.arrows)
        ax.quiver(panel.arrows.x, panel.arrows.y, u, v, color=PATH_COLOUR, angles="xy", scale_units="xy",
                  scale=1.0, width=0.008, headwidth=4.0, headlength=4.5, zorder=4)
    for path in panel.paths:
        ax.plot(path.x, path.y, color=PATH_COLOUR, linewidth=1.8, zorder=4, clip_on=True)
        ax.plot(path.x, path.y, "o", color=PATH_COLOUR, markersize=4.5, zorder=5, clip_on=True)
        ax.plot(path.x[:1], path.y[:1], "s", color=PALETTE[1], markersize=9, zorder=6)
    for marker in panel.markers:
        _draw_marker(ax, marker, panel)
    if panel.label:
        # Above the axes, never over the data.
        ax.set_title(f"({panel.label})", loc="left", fontsize=LABEL_SIZE, fontweight="bold", color=INK, pad=6)
    if panel.caption:
        ax.set_title(panel.caption, fontsize=CAPTION_SIZE, color=INK)


def _display_arrows(arrows: Arrows) -> tuple[Array, Array]:
    """Arrow lengths for the eye: the direction exact, the length growing with the square root of
    the magnitude (so short arrows stay visible), the longest filling most of a grid cell."""
    x = np.unique(np.round(np.asarray(arrows.x, dtype=float), 9))
    cell = float(np.min(np.diff(x))) if x.size > 1 else 1.0
    u, v = np.asarray(arrows.u, dtype=float), np.asarray(arrows.v, dtype=float)
    size = np.hypot(u, v)
    largest = float(np.nanmax(size)) if np.isfinite(size).any() else 0.0
    if largest <= 0:
        return u * 0, v * 0
    length = 0.85 * cell * np.sqrt(np.clip(size / largest, 0.0, 1.0))
    length = np.where(size > 1e-9 * largest, np.maximum(length, 0.3 * cell), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(size > 0, length / size, 0.0)
    return np.nan_to_num(u * scale), np.nan_to_num(v * scale)


def _draw_curve(ax: Axes, curve: Curve) -> None:
    y = np.where((curve.y >= -1e300) & (curve.y <= 1e300), curve.y, np.nan)
    if curve.role == "given":
        ax.plot(curve.x, y, color=GIVEN_COLOUR, linewidth=2.0, zorder=2)
    elif curve.role == "reference":
        ax.plot(curve.x, y, color="#9a9a9a", linewidth=2.0, linestyle=(0, (4, 3)), zorder=2)
    elif curve.role == "line":
        ax.plot(curve.x, y, color=LINE_COLOUR, linewidth=2.4, zorder=3)
    else:
        ax.plot(curve.x, y, color=ANSWER_COLOUR, linewidth=3.0, zorder=3)


def _draw_contours(ax: Axes, contours: Contours) -> None:
    z = contours.z
    finite = z[np.isfinite(z)]
    lo, hi = (float(np.quantile(finite, 0.02)), float(np.quantile(finite, 0.98))) if finite.size else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    levels = np.linspace(lo, hi, 14)
    ax.contourf(contours.x, contours.y, np.clip(z, lo, hi), levels=levels, cmap=FIELD_CMAP, alpha=0.55, zorder=0,
                extend="neither")
    ax.contour(contours.x, contours.y, z, levels=levels, colors="#444444", linewidths=0.7, alpha=0.7, zorder=1,
               linestyles="solid")


def _draw_marker(ax: Axes, marker: Marker, panel: Panel) -> None:
    if marker.kind == "target":
        ax.plot([marker.x], [marker.y], marker="*", color="#F0E442", markeredgecolor=INK, markersize=26, zorder=8)
        return
    ax.plot([marker.x], [marker.y], "o", color=PALETTE[1], markeredgecolor=INK, markersize=11, zorder=8)
    width = panel.xlim[1] - panel.xlim[0]
    height = panel.ylim[1] - panel.ylim[0]
    # The letter sits up and to the right of its point, or to the left near the right edge.
    right = marker.x < panel.xlim[1] - 0.12 * width
    dy = 0.06 * height if marker.y < panel.ylim[1] - 0.12 * height else -0.08 * height
    ax.text(marker.x + (0.03 if right else -0.03) * width, marker.y + dy, marker.text, fontsize=LABEL_SIZE - 2,
            fontweight="bold", ha="left" if right else "right", va="center", color=INK, zorder=9,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": INK, "linewidth": 1.0})
