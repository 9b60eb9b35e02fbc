"""The /progress chart: one bar per skill, as long as its mastery, green once mastered."""

from __future__ import annotations

import numpy as np
import pytest

from plotting.mastery import MASTERED_COLOUR, render_mastery
from tests.plotting.pngcheck import decode, png_size


def _colour_columns(pixels: np.ndarray, hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    matches = np.all(np.abs(pixels[..., :3] - rgb) < 0.02, axis=-1)
    return np.flatnonzero(matches.any(axis=0))


def test_a_mastered_skill_is_green_and_its_bar_reaches_past_the_line():
    png = render_mastery([("the chain rule", 0.3), ("the power rule", 0.98)])
    width, height = png_size(png)
    assert width == 800 and height >= 300
    green = _colour_columns(decode(png), MASTERED_COLOUR)
    blue = _colour_columns(decode(png), "#0072B2")
    assert green.size and blue.size
    # the axis runs 0..1 over the same span for both bars: 0.98 / 0.3 of the blue bar's length
    start = min(green.min(), blue.min())
    ratio = (green.max() - start) / (blue.max() - start)
    assert ratio == pytest.approx(0.98 / 0.3, rel=0.05)


def test_more_skills_make_a_taller_chart_and_none_is_refused():
    short = png_size(render_mastery([("a", 0.5)]))[1]
    tall = png_size(render_mastery([(f"skill {n}", n / 22) for n in range(22)]))[1]
    assert tall > short
    with pytest.raises(ValueError):
        render_mastery([])
