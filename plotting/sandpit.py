"""The sandpit's two pictures: the blank map of the dips so far, and the reveal at the end.

The map must not give the surface away: it is a plain 6 m square with fixed axes (never scaled to
the data), the dips numbered and labelled with the depths the player was told, mode 0's arrows and
mode 2's walks — nothing computed from the hidden surface that the player was not already shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from plotting import style

SIZE = 6.0
Point = tuple[float, float]
Path = Sequence[tuple[float, float, float]]


def _pit(title: str, *, px: int = 560) -> tuple[Any, Any]:
    figure = style.new_figure(width_px=px, height_px=px, layout="constrained")
    ax = figure.add_subplot()
    ax.set_xlim(-0.15, SIZE + 0.15)
    ax.set_ylim(-0.15, SIZE + 0.15)
    ax.set_aspect("equal")
    ax.set_xticks(range(7))
    ax.set_yticks(range(7))
    style.style_axes(ax, "x (m)", "y (m)")
    ax.set_title(title, fontsize=style.TITLE_SIZE - 2, color=style.INK)
    return figure, ax


def dip_map(dips: Sequence[tuple[float, float, float]], *, arrows: Sequence[Point | None] = (),
            paths: Sequence[Path | None] = (), title: str = "The sandpit") -> bytes:
    """The dips so far on a blank pit, numbered, each with the depth the player was told."""
    figure, ax = _pit(title)
    ax.add_patch(_wall())
    labels, markers = [], []
    for number, (x, y, depth) in enumerate(dips, start=1):
        latest = number == len(dips)
        colour = style.PALETTE[1] if latest else style.PALETTE[0]
        if number <= len(paths) and paths[number - 1]:
            walk = np.array(paths[number - 1])
            ax.plot(walk[:, 0], walk[:, 1], "-", color=style.PALETTE[2], linewidth=1.6, marker=".", markersize=5)
            ax.plot(walk[-1, 0], walk[-1, 1], "s", color=style.PALETTE[2], markersize=7)
        if number <= len(arrows) and arrows[number - 1]:
            ax_, ay = arrows[number - 1]  # type: ignore[misc]
            length = float(np.hypot(ax_, ay))
            if length > 0.02:  # shorter than the dot: nearly flat here, and the depth label says the rest
                head = min(14.0, 50.0 * length)  # a head never longer than its arrow
                ax.annotate("", xy=(x + ax_, y + ay), xytext=(x, y),
                            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.0, "mutation_scale": head,
                                        "shrinkA": 0, "shrinkB": 0})
        markers.extend(ax.plot(x, y, "o", color=colour, markersize=8 if latest else 6))
        labels.append(ax.annotate(
            f"{number}: {depth:.2f}".replace("-", "−"), (x, y), xytext=_label_offset(arrows, number, x, y),
            textcoords="offset points", ha="center", va="center", fontsize=9 if len(dips) > 12 else 10,
            color=colour, fontweight="bold" if latest else "normal",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}))
    style.place_labels(ax, labels[::-1], keep_clear=markers)  # the latest dip's label first
    return style.to_png(figure)


def reveal(xs: np.ndarray, ys: np.ndarray, depths: np.ndarray, dips: Sequence[tuple[float, float, float]], *,
           prize: Point, local_minima: Sequence[Point] = (), paths: Sequence[Path | None] = (),
           title: str = "The sandpit, revealed") -> bytes:
    """The whole surface as filled contours, the dips in order, and the prize marked."""
    figure, ax = _pit(title, px=640)
    filled = ax.contourf(xs, ys, depths, levels=np.linspace(-9.0, -1.0, 17), cmap=style.FIELD_CMAP)
    ax.contour(xs, ys, depths, levels=np.linspace(-9.0, -1.0, 17), colors="white", linewidths=0.4, alpha=0.6)
    bar = figure.colorbar(filled, ax=ax, shrink=0.8, label="depth (m)")
    bar.ax.tick_params(labelsize=style.TICK_SIZE - 2)
    for walk in paths:
        if walk:
            line = np.array(walk)
            ax.plot(line[:, 0], line[:, 1], "-", color="#dddddd", linewidth=1.2)
    if dips:
        route = np.array([(x, y) for x, y, _ in dips])
        ax.plot(route[:, 0], route[:, 1], "-", color=style.INK, linewidth=1.0, alpha=0.7)
        ax.plot(route[:, 0], route[:, 1], "o", color="white", markeredgecolor=style.INK, markersize=6, zorder=5)
        numbers = [ax.annotate(str(number), (x, y), xytext=(6, 6), textcoords="offset points", fontsize=9,
                               color=style.INK, zorder=5) for number, (x, y, _) in enumerate(dips, start=1)]
    for index, point in enumerate(local_minima):
        ax.plot(*point, "x", color=style.INK, markersize=7, markeredgewidth=1.5,
                label="local minimum" if index == 0 else None)
    ax.plot(*prize, "*", color="#F0E442", markeredgecolor=style.INK, markersize=20, label="prize (−9 m)",
            zorder=4)
    # Under the map, never over a dip's number.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=style.LEGEND_SIZE - 2, frameon=False)
    if dips:
        style.place_labels(ax, numbers[::-1])
    return style.to_png(figure)


def _label_offset(arrows: Sequence[Point | None], number: int, x: float, y: float) -> tuple[float, float]:
    """Put a dip's label on the side away from its arrow (so they never overlap), and inside the picture."""
    arrow = arrows[number - 1] if number <= len(arrows) else None
    if not arrow or not (arrow[0] or arrow[1]):
        dx, dy = 0.0, 14.0
    else:
        length = float(np.hypot(*arrow))
        dx, dy = -34.0 * arrow[0] / length, -16.0 * arrow[1] / length
    if x > SIZE - 0.8:
        dx = -abs(dx) - 20.0
    elif x < 0.8:
        dx = abs(dx) + 20.0
    if y > SIZE - 0.4:
        dy = -abs(dy) - 4.0
    return (dx, dy)


def _wall() -> object:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), SIZE, SIZE, fill=True, facecolor="#f6efe0", edgecolor="#8a6d3b", linewidth=2.0, zorder=0)
