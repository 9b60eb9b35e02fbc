"""The picture-quiz figure: given numbers in, a PNG of lettered panels out, and the same numbers in words."""

from __future__ import annotations

import numpy as np
import pytest

from content.figures import figure_data
from content.generate import generate_from
from plotting.quiz_panels import Curve, Panel, QuizFigure, render_quiz_figure
from plotting.quiz_words import MAX_ALT, alt_text, curve_words, direction
from tests.plotting.pngcheck import decode, png_size

KINDS = ("derivative_graph", "gradient_arrows", "taylor_graph", "linearisation_point", "descent_step_size",
         "descent_basins")


@pytest.mark.parametrize("name", KINDS)
def test_every_kind_draws_a_readable_png_and_describes_each_panel(name):
    question = generate_from("graphs", name, 11)
    data = figure_data(question.figure)
    png = render_quiz_figure(data)
    width, height = png_size(png)
    assert 800 <= width <= 840 and 600 <= height <= 1010
    pixels = decode(png)
    assert pixels[..., :3].std() > 0.05  # not blank
    words = alt_text(data)
    assert len(words) <= MAX_ALT
    letters = [f"{letter}: " for letter in "ABCD"] if len(data.panels) == 4 else [f"point {letter} at" for letter in "ABCD"]
    assert all(letter in words for letter in letters), words


def test_a_figure_with_f_on_top_is_taller_than_the_plain_grid():
    x = np.linspace(-1, 1, 50)
    panels = tuple(Panel(label, (-1, 1), (-1, 1), curves=(Curve(x, x * k),)) for k, label in enumerate("ABCD", 1))
    figure = QuizFigure("Which?", panels, Panel("", (-1, 1), (-1, 1), curves=(Curve(x, x, "given"),)))
    assert png_size(render_quiz_figure(figure)) == (820, 1000)


def test_a_curve_is_described_by_where_it_turns_and_crosses_zero():
    x = np.linspace(-2, 2, 401)
    words = curve_words(Curve(x, x**2 - 1))
    assert "a dip of −1 at x = 0" in words and "crosses zero at x = −1, 1" in words


def test_directions_are_compass_words():
    assert [direction(1, 0), direction(0, 1), direction(-1, -1)] == ["right", "up", "down and left"]
