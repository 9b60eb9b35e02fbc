"""The /progress figure: mastery per skill as horizontal bars, with the "mastered" line at 95%."""

from __future__ import annotations

from collections.abc import Sequence

from plotting.style import (
    INK,
    LABEL_SIZE,
    PALETTE,
    TICK_SIZE,
    TITLE_SIZE,
    new_figure,
    style_axes,
    to_png,
)

MASTERED_COLOUR, LEARNING_COLOUR, LINE_COLOUR = PALETTE[2], PALETTE[0], PALETTE[1]


def render_mastery(skills: Sequence[tuple[str, float]], *, mastered_at: float = 0.95,
                   title: str = "Mastery per skill") -> bytes:
    """PNG bytes (800 px wide) of one bar per (skill name, mastery 0..1), top to bottom as given;
    a mastered skill's bar is green and labelled, the rest blue, each with its percentage."""
    if not skills:
        raise ValueError("no skills to draw")
    names = [name for name, _ in skills]
    values = [min(1.0, max(0.0, value)) for _, value in skills]
    height_px = max(300, 110 + 42 * len(skills))
    figure = new_figure(height_px=height_px)  # margins set by hand: a layout engine costs more than the drawing
    label_px = 14 + 8.5 * max(len(name) for name in names)
    figure.subplots_adjust(left=min(0.6, label_px / 800), right=0.97, top=1 - 50 / height_px,
                           bottom=65 / height_px)
    axes = figure.subplots()
    rows = list(range(len(skills)))[::-1]  # the first skill at the top
    colours = [MASTERED_COLOUR if value >= mastered_at else LEARNING_COLOUR for value in values]
    axes.barh(rows, values, color=colours, height=0.65)
    for row, value in zip(rows, values, strict=True):
        mark = " ✓" if value >= mastered_at else ""
        inside = value > 0.82
        axes.text(value - 0.01 if inside else value + 0.01, row, f"{value:.0%}{mark}",
                  va="center", ha="right" if inside else "left", fontsize=TICK_SIZE,
                  color="white" if inside else INK)
    axes.axvline(mastered_at, color=LINE_COLOUR, linestyle="--", linewidth=1.5)
    axes.text(mastered_at, len(skills) - 0.35, f"mastered ≥ {mastered_at:.0%}", ha="right", va="bottom",
              fontsize=TICK_SIZE, color=LINE_COLOUR)
    axes.set_yticks(rows, names)
    axes.set_xlim(0, 1)
    axes.set_ylim(-0.6, len(skills) - 0.1)
    axes.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    style_axes(axes, "chance you know it now (Bayesian Knowledge Tracing)", "")
    axes.grid(False, axis="y")
    axes.set_title(title, fontsize=TITLE_SIZE, color=INK)
    axes.tick_params(axis="y", labelsize=LABEL_SIZE - 1)
    return to_png(figure)
