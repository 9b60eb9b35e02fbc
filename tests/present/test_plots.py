import math

import pytest

pytest.importorskip("bot.solver.parser")

from bot.errors import BadArgument  # noqa: E402
from bot.present import plots  # noqa: E402
from bot.solver.parser import parse, parse_list, parse_point  # noqa: E402
from tests.plotting.pngcheck import assert_chat_sized_png, png_size  # noqa: E402


def test_plot_answers_with_a_picture_and_the_parsed_expressions():
    answer = plots.plot("x^2, sin(x)", "-3 to 3")
    assert len(answer.images) == 1
    assert_chat_sized_png(answer.images[0].png)
    exprs = parse_list(answer.result)
    assert len(exprs) == 2
    assert float(exprs[0].subs(parse("x"), 1.5)) == pytest.approx(2.25)
    assert "from -3 to 3" in answer.text


def test_plot_range_accepts_constants_like_pi():
    answer = plots.plot("cos(x)", "-pi to pi")
    assert "3.142" in answer.text


def test_plot_range_must_be_numbers():
    with pytest.raises(BadArgument):
        plots.plot("x^2", "a to 3")


def test_plot_range_must_read_a_to_b():
    with pytest.raises(BadArgument, match="can.t read the range"):
        plots.plot("x^2", "-3 .. 3")


def test_plot_says_where_a_curve_is_missing():
    answer = plots.plot("sqrt(x)", "-4 to 4")
    assert "left blank" in answer.text


def test_surface_answers_with_a_picture():
    answer = plots.surface("x^2 - y^2")
    assert_chat_sized_png(answer.images[0].png)
    assert float(parse(answer.result).subs({parse("x"): 2, parse("y"): 1})) == pytest.approx(3.0)


def test_descent_shows_the_table_and_ends_near_the_minimum():
    answer = plots.descent("(x - 1)^2 + 2*(y + 1)^2", "(3, 2)", rate=0.2, steps=60)
    assert "| k |" in answer.text
    final = parse_point(answer.result)
    assert float(final[0]) == pytest.approx(1.0, abs=1e-4)
    assert float(final[1]) == pytest.approx(-1.0, abs=1e-4)
    assert_chat_sized_png(answer.images[0].png)


def test_descent_reports_divergence_without_a_result():
    answer = plots.descent("x^2 + y^2", "(1, 1)", rate=1.5, steps=50)
    assert "Diverged" in answer.text
    assert answer.result is None


def test_descent_in_one_variable_gives_a_number():
    answer = plots.descent("x^2", "(2)", rate=0.25, steps=100)
    assert math.isclose(float(parse(answer.result)), 0.0, abs_tol=1e-6)


def test_descent_start_must_match_the_variables():
    with pytest.raises(BadArgument):
        plots.descent("x*y", "(1, 2, 3, 4)")


def test_latex_gives_source_and_a_picture():
    answer = plots.latex("x^2/2")
    assert answer.latex == r"\frac{x^{2}}{2}"
    width, height = png_size(answer.images[0].png)
    assert width < 800 and height < 300
