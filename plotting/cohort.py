"""An organiser's pictures of a cohort: the mastery heatmap and the leaderboard as a table.

Built for a chat window: one row per member (50 stay readable), one column per topic, the value
printed in every cell, a legend, and the struggling members at the top (the caller sorts them).
Colours: ``cividis`` (ordered dark to light, readable with every common colour-vision deficiency);
a cell never practised is pale grey with a dot, so "not tried" is never read as "0 %".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import colormaps
from PIL import Image, ImageDraw, ImageFont

from plotting.png import png_bytes
from plotting.style import DPI, INK, new_figure, to_png

HEATMAP_CMAP = "cividis"
EMPTY = "#eeeeee"
LEGEND_WIDTH, LEGEND_ABOVE = 100, 12  # beside the grid: the bar, its ticks and "not tried"


def render_cohort_heatmap(members: Sequence[str], columns: Sequence[str],
                          values: Sequence[Sequence[float | None]], title: str) -> bytes:
    """Members (rows, top first) × topics or skills (columns); ``values`` 0..1, None when never practised.

    Drawn with Pillow, not matplotlib: a 50 × 26 grid is 1,300 labelled cells, which matplotlib's text
    layout takes seconds to draw; Pillow draws it in tens of milliseconds with the same font (DejaVu)
    and the same colour map, so the organiser's view stays well inside its latency budget."""
    cell_w, cell_h, pad = 46, 24, 12
    label, heading = _font(13), _font(16, bold=True)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    left = pad + max((_width(m, 13) for m in members), default=60) + 10
    longest = max((_width(c, 13) for c in columns), default=60)
    slant = math.radians(50)
    bottom = int(longest * math.sin(slant)) + 24
    top = 40
    grid_w, grid_h = cell_w * max(len(columns), 1), cell_h * max(len(members), 1)
    legend_w = 110
    width = max(left + grid_w + legend_w, int(measure.textlength(title, font=heading)) + 2 * pad,
                left + int(longest * math.cos(slant)) + legend_w)
    height = top + grid_h + bottom
    picture = Image.new("RGB", (width, max(height, top + 170 + bottom)), "white")
    # first: the legend is on white, so whatever is drawn later near it is drawn as over the page
    picture.paste(_legend_picture(min(max(grid_h, 150), 300)), (left + grid_w + 24, top - LEGEND_ABOVE))
    draw = ImageDraw.Draw(picture)
    draw.text((pad, 10), title, fill=INK, font=heading)
    colours = _colours()  # one per percent
    for r, name in enumerate(members):
        y = top + r * cell_h
        draw.text((left - 8, y + cell_h / 2), name, fill=INK, font=label, anchor="rm")
        row = values[r] if r < len(values) else ()
        for c in range(len(columns)):
            x = left + c * cell_w
            value = row[c] if c < len(row) else None
            if value is None:
                draw.rectangle((x, y, x + cell_w - 2, y + cell_h - 2), fill=EMPTY)
                mark = _stamp("·", "#999999", cell_w - 2, cell_h - 2)
            else:
                percent = round(max(0.0, min(1.0, value)) * 100)
                draw.rectangle((x, y, x + cell_w - 2, y + cell_h - 2), fill=colours[percent])
                mark = _stamp(f"{percent}", "white" if percent < 55 else "black", cell_w - 2, cell_h - 2)
            picture.paste(mark, (x, y), mark)
    for c, column in enumerate(columns):  # labels slanted under their columns, ending at the cell's centre
        turned = _slanted(column, math.degrees(slant))
        x = left + c * cell_w + cell_w // 2 - turned.width + 6
        picture.paste(turned, (x, top + grid_h + 6), turned)
    return png_bytes(picture)


# The pieces every heatmap repeats (the colour map, the legend's bar, the skills' slanted labels) are
# drawn once per process: a weekly digest draws thousands of small heatmaps in a row.

@cache
def _colours() -> list[tuple[int, ...]]:
    cmap = colormaps[HEATMAP_CMAP]
    return [tuple(int(255 * v) for v in cmap(i / 100)[:3]) for i in range(101)]


@cache
def _slanted(text: str, degrees: float) -> Image.Image:
    tag = Image.new("RGBA", (_width(text, 13) + 4, 18), (255, 255, 255, 0))
    ImageDraw.Draw(tag).text((0, 1), text, fill=INK, font=_font(13))
    return tag.rotate(degrees, expand=True, resample=Image.Resampling.BICUBIC)


@cache
def _stamp(text: str, ink: str, width: int, height: int) -> Image.Image:
    """A cell's label, drawn once, then pasted into every cell that shows it."""
    mark = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(mark).text((width / 2, height / 2), text, fill=ink, font=_font(12), anchor="mm")
    return mark


@lru_cache(maxsize=4096)
def _width(text: str, size: int) -> int:
    return int(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(text, font=_font(size)))


@cache
def _legend_picture(height: int) -> Image.Image:
    """A vertical colour bar, 100 % at the top, with ticks and what grey means (on white), from
    ``LEGEND_ABOVE`` pixels above the bar (the top tick's label reaches above it)."""
    cmap, font, y = colormaps[HEATMAP_CMAP], _font(13), LEGEND_ABOVE
    picture = Image.new("RGB", (LEGEND_WIDTH, y + height + 50), "white")
    draw = ImageDraw.Draw(picture)
    for i in range(height):
        rgba = cmap(1.0 - i / max(height - 1, 1))
        draw.line((0, y + i, 16, y + i), fill=tuple(int(255 * v) for v in rgba[:3]))
    for tick in (0, 25, 50, 75, 100):
        ty = y + int((1 - tick / 100) * (height - 1))
        draw.line((16, ty, 20, ty), fill=INK)
        draw.text((24, ty), f"{tick}", fill=INK, font=font, anchor="lm")
    draw.text((0, y + height + 10), "mastery %", fill=INK, font=font)
    draw.rectangle((0, y + height + 32, 16, y + height + 46), fill=EMPTY)
    draw.text((22, y + height + 39), "not tried", fill=INK, font=font, anchor="lm")
    return picture


@cache
def _font(size: int, *, bold: bool = False) -> Any:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


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
