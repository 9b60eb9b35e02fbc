"""A formula as a PNG, typeset by matplotlib's mathtext (no TeX install needed).

For platforms that cannot render LaTeX themselves: the bot sends the picture instead.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.errors import BadArgument, InputTooLarge
from plotting import style

MAX_LATEX_CHARS = 2000
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 60


def render_latex(latex: str, *, fontsize: int = 22) -> bytes:
    """``latex`` (math-mode body, no ``$``) typeset on white with a tight border, as PNG bytes."""
    body = latex.strip()
    if body.startswith("$") and body.endswith("$") and len(body) >= 2:
        body = body.strip("$")
    if not body:
        raise BadArgument("there is no formula to typeset")
    if len(body) > MAX_LATEX_CHARS:
        raise InputTooLarge(
            f"the formula is too long to typeset (over {MAX_LATEX_CHARS} characters)"
        )
    if not MIN_FONT_SIZE <= fontsize <= MAX_FONT_SIZE:
        raise BadArgument(f"the font size must be from {MIN_FONT_SIZE} to {MAX_FONT_SIZE}")
    text = f"${style.mathtext_compatible(body)}$"
    if not style.is_mathtext(text):
        raise BadArgument(
            "this formula uses LaTeX that the image renderer cannot typeset",
            hint="matrices, cases and \\begin{...} environments are not supported in images",
        )
    return _centred_png(text, fontsize)


MIN_WIDTH_PX, MIN_HEIGHT_PX, PADDING_PX = 360, 120, 28  # readable in a chat at its preview size
FORMULA_DPI = 150


def _centred_png(text: str, fontsize: int) -> bytes:
    """The formula centred on a canvas at least MIN_WIDTH × MIN_HEIGHT, with padding all round: a
    bare ``x^2`` is not a 58-pixel speck in the chat."""
    probe = Figure(figsize=(1, 1), dpi=FORMULA_DPI)
    canvas = FigureCanvasAgg(probe)
    box = probe.text(0, 0, text, fontsize=fontsize).get_window_extent(canvas.get_renderer())
    width = max(MIN_WIDTH_PX, box.width + 2 * PADDING_PX)
    height = max(MIN_HEIGHT_PX, box.height + 2 * PADDING_PX)
    figure = Figure(figsize=(width / FORMULA_DPI, height / FORMULA_DPI), dpi=FORMULA_DPI, facecolor="white")
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, fontsize=fontsize, color=style.INK, ha="center", va="center")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=FORMULA_DPI, facecolor="white")
    return buffer.getvalue()
