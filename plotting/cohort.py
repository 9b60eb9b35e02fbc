"""An organiser's pictures of a cohort: the mastery heatmap and the leaderboard as a table.

Built for a chat window: one row per member (50 stay readable), one column per topic, the value
printed in every cell, a legend, and the struggling members at the top (the caller sorts them).
Colours: ``cividis`` (ordered dark to light, readable with every common colour-vision deficiency);
a cell never practised is pale grey with a dot, so "not tried" is never read as "0 %".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize

from plotting.style import DPI, INK, new_figure, to_png

HEATMAP_CMAP = "cividis"
EMPTY = "#eeeeee"
CELL_W, CELL_H = 0.42, 0.27  # inches per cell: values stay legible at chat size


def render_cohort_heatmap(members: Sequence[str], columns: Sequence[str],
                          values: Sequence[Sequence[float | None]], title: str) -> bytes:
    """Members (rows, top first) × topics or skills (columns); ``values`` 0..1, None when never practised."""
    rows, cols = max(len(members), 1), max(len(columns), 1)
    grid = np.full((rows, cols), np.nan)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if value is not None:
                grid[r, c] = value
    label_w = 0.09 * max((len(m) for m in members), default=6) + 0.4
    width = min(max(label_w + cols * CELL_W + 1.6, 6.0), 22.0)
    height = min(max(rows * max(CELL_H, 0.5 if rows < 8 else CELL_H) + 0.08 * max((len(c) for c in columns), default=6)
                     + 1.2, 2.6), 24.0)
    figure = new_figure(width_px=int(width * DPI), height_px=int(height * DPI), layout="constrained")
    ax = figure.add_subplot()
    norm = Normalize(0.0, 1.0)
    shown = np.ma.masked_invalid(grid)
    colours = colormaps[HEATMAP_CMAP].with_extremes(bad=EMPTY)
    image = ax.imshow(shown, cmap=colours, norm=norm, aspect="auto", interpolation="nearest")
    font = 7 if rows > 25 or cols > 18 else 8
    for r in range(len(members)):
        for c in range(len(columns)):
            value = grid[r, c]
            if np.isnan(value):
                ax.text(c, r, "·", ha="center", va="center", fontsize=font, color="#999999")
            else:
                ink = "white" if value < 0.55 else "black"
                ax.text(c, r, f"{round(value * 100)}", ha="center", va="center", fontsize=font, color=ink)
    ax.set_xticks(range(len(columns)), labels=list(columns), rotation=55, ha="right", fontsize=font + 1,
                  rotation_mode="anchor")
    ax.set_yticks(range(len(members)), labels=list(members), fontsize=font + 1)
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=11, color=INK, loc="left")
    bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.01, shrink=min(1.0, 6 / max(rows * CELL_H, 1)))
    bar.set_label("mastery, %   (grey cell = not practised)", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0", "25", "50", "75", "100"])
    return to_png(figure)


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> bytes:
    """A table as a picture (the leaderboard), for chats where a text table does not line up."""
    lines = max(len(rows), 1)
    figure = new_figure(width_px=int(max(4.8, 1.3 * len(header) + 1.6) * DPI),
                        height_px=int((0.3 * (lines + 1) + 0.55) * DPI), layout="constrained")
    ax = figure.add_subplot()
    ax.axis("off")
    cells = [list(row) for row in rows] or [["—"] * len(header)]
    table = ax.table(cellText=cells, colLabels=list(header), loc="upper center", cellLoc="left", colLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1.0, 1.35)
    for (row, _col), cell in table.get_celld().items():
        cell.set_edgecolor("#dddddd")
        if row == 0:
            cell.set_text_props(weight="bold", color=INK)
            cell.set_facecolor("#f2f2f2")
        elif row % 2 == 0:
            cell.set_facecolor("#fafafa")
    figure.suptitle(title, fontsize=13, color=INK, x=0.03, ha="left")
    return to_png(figure)
