import pytest
import sympy

from bot.errors import BadArgument, InputTooLarge
from bot.solver.variables import symbol
from plotting.formula import render_latex
from tests.plotting.pngcheck import decode, png_size

x = symbol("x")


def test_render_latex_gives_a_tight_png_of_the_formula():
    png = render_latex(sympy.latex(sympy.exp(-(x**2)) / sympy.sqrt(sympy.pi)))
    width, height = png_size(png)
    assert 40 < width < 600 and 20 < height < 200
    assert decode(png)[..., :3].min() < 0.3  # there is dark ink on the white


def test_wider_formulas_give_wider_images():
    short = png_size(render_latex("x^2"))[0]
    long = png_size(render_latex(r"x^2 + \sin{\left(x \right)} + \frac{1}{1 + e^{-x}} + \cos{\left(x \right)} + x^{3}"))[0]
    assert long > 1.5 * short


def test_a_short_formula_is_readable_at_chat_size_with_a_white_margin():
    png = render_latex("x^2")
    width, height = png_size(png)
    assert width >= 360 and height >= 120  # not a 58-pixel speck
    pixels = decode(png)[..., :3]
    ink = pixels.min(axis=2) < 0.5
    rows, cols = ink.any(axis=1).nonzero()[0], ink.any(axis=0).nonzero()[0]
    assert rows.size and cols.size
    assert rows.min() >= 20 and rows.max() <= height - 20  # padding above and below
    assert cols.min() >= 20 and cols.max() <= width - 20
    glyph_height = rows.max() - rows.min()
    assert glyph_height >= 30  # the glyphs themselves are large enough to read


def test_sympy_integrals_are_typeset_despite_limits():
    integral = sympy.Integral(sympy.exp(-(x**2)), (x, -sympy.oo, sympy.oo))
    png_size(render_latex(sympy.latex(integral)))


def test_unsupported_latex_is_refused_with_a_reason():
    with pytest.raises(BadArgument, match="cannot typeset"):
        render_latex(sympy.latex(sympy.Matrix([[x, 1], [0, x]])))


def test_empty_formula_is_refused():
    with pytest.raises(BadArgument):
        render_latex("  ")


def test_huge_formula_is_refused():
    with pytest.raises(InputTooLarge):
        render_latex("x+" * 2000 + "x")
