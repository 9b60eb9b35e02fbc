"""The gallery: every figure kind, drawn for a broad set of inputs through the same worker jobs the
commands run, and looked at as a reviewer would — on the figure's own artists, not its pixels.

- no two pieces of text overlap (matplotlib's text bounding boxes);
- every piece of text lies inside the picture;
- titles, legends and labels are in the learner's notation, never code;
- where a function is real, its curve has no gap (checked against an independent evaluation).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

import matplotlib.figure
import numpy as np
import pytest
from matplotlib.text import Text

from bot.present import figures, optimise, plots, regression
from bot.solver.parser import parse
from bot.solver.variables import symbol
from plotting import sandpit

x = symbol("x")

FIGURES: list[tuple[str, Callable[[], object]]] = [
    ("plot polynomial", lambda: plots.plot("x^3 - 3x")),
    ("plot two curves", lambda: plots.plot("sin x, cos x")),
    ("plot cube root", lambda: plots.plot("x^(1/3)", "-8 to 8")),
    ("plot steps", lambda: plots.plot("floor(x)", "-3 to 3")),
    ("plot ln", lambda: plots.plot("ln(x + 1)")),
    ("plot overflow", lambda: plots.plot("e^x", "-1000 to 1000")),
    ("plot tan", lambda: plots.plot("tan x")),
    ("plot sin(1/x)", lambda: plots.plot("sin(1/x)", "-1 to 1")),
    ("plot semicircle", lambda: plots.plot("sqrt(4 - x^2)")),
    ("tangent", lambda: figures.tangent_figure("x^3", "2", None)),
    ("tangent trig", lambda: figures.tangent_figure("sin x", "pi/4", None)),
    ("derivative picture", lambda: figures.derivative_figure("x^2 sin x", None, 1)),
    ("second derivative picture", lambda: figures.derivative_figure("x^4 - 3x^2", None, 2)),
    ("gradient field", lambda: figures.gradient_figure("x^2 y + y^3", "(1, 2)", None)),
    ("gradient of a valley", lambda: figures.gradient_figure("(1 - x)^2 + 100(y - x^2)^2", None, None)),
    ("taylor e^x", lambda: figures.taylor_figure("e^x", "1", 2, None)),
    ("taylor tan", lambda: figures.taylor_figure("tan x", "1", 5, None)),
    ("taylor ln", lambda: figures.taylor_figure("ln(1 + x)", "0", 5, None)),
    ("taylor 2d e^(xy)", lambda: figures.taylor_figure("e^(x y)", "(0, 0)", 2, None)),
    ("taylor 2d sin cos", lambda: figures.taylor_figure("sin x cos y", "(0, 0)", 2, None)),
    ("newton sqrt 2", lambda: optimise.newton("x^2 - 2", "1")),
    ("newton far start", lambda: optimise.newton("x^3 - 2x - 5", "10")),
    ("newton course sextic", lambda: optimise.newton("x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30", "-4")),
    ("lagrange ellipse", lambda: optimise.lagrange("x y", "x^2 + 3 y^2 = 1")),
    ("stationary 1d", lambda: optimise.stationary("x^3 - 3x")),
    ("stationary 2d", lambda: optimise.stationary("x^2 - y^2 + x y")),
    ("surface saddle", lambda: plots.surface("x^2 - y^2")),
    ("surface dome", lambda: plots.surface("sqrt(1 - x^2 - y^2)")),
    ("surface spike", lambda: plots.surface("1/(x^2 + y^2)")),
    ("descent bowl", lambda: plots.descent("x^2 + 3y^2", "(2, 1)", 0.1, 20)),
    ("descent rosenbrock", lambda: plots.descent("(1 - x)^2 + 100(y - x^2)^2", "(-1, 1)", 0.001, 50)),
    ("fit exponential", lambda: regression.fit("a*exp(b*x)", "0,1; 1,2.7; 2,7.4; 3,20.1")),
    ("fit line", lambda: regression.fit("line", "0,1; 1,3; 2,5.1; 3,6.9")),
    ("latex", lambda: plots.latex("x^2")),
    ("sandpit map, close dips", lambda: sandpit.dip_map(CLOSE_DIPS, arrows=[(0.3, 0.1)] * len(CLOSE_DIPS))),
    ("sandpit reveal", lambda: sandpit.reveal(*_pit_surface(), CLOSE_DIPS, prize=(5.5, 5.5),
                                              local_minima=[(1.0, 1.0)])),
]

CLOSE_DIPS = [(2.0, 2.0, -3.1), (2.1, 2.05, -3.2), (2.15, 1.95, -3.3), (2.05, 2.12, -3.25), (5.9, 5.9, -1.2),
              (2.2, 2.1, -3.4), (5.7, 5.8, -1.5)]


def _pit_surface() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys = np.meshgrid(np.linspace(0, 6, 60), np.linspace(0, 6, 60))
    return xs, ys, -5 + 3 * np.sin(xs) * np.cos(ys)


# Code spellings a learner never writes: SymPy's names, Python's operators, long floats.
CODE = re.compile(r"\*\*|\bexp\(|\batan\(|\bAbs\(|\bsign\(|Heaviside|Matrix\(|\d\.\d{7,}|\d\*[a-z(]")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[matplotlib.figure.Figure]]:
    """Every matplotlib figure the code saves, kept for inspection (savefig itself still runs)."""
    figures: list[matplotlib.figure.Figure] = []
    real_savefig = matplotlib.figure.Figure.savefig

    def keep(self: matplotlib.figure.Figure, *args: object, **kwargs: object) -> object:
        figures.append(self)
        return real_savefig(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", keep)
    yield figures


def _undrawn_tick_labels(figure: matplotlib.figure.Figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: those of ticks outside the view."""
    hidden: set[int] = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * max(1.0, abs(low), abs(high))
            for ticks, locs in ((axis.get_major_ticks(), axis.get_majorticklocs()),
                                (axis.get_minor_ticks(), axis.get_minorticklocs())):
                for index, tick in enumerate(ticks):
                    if index >= len(locs) or not low - slack <= locs[index] <= high + slack:
                        hidden.update({id(tick.label1), id(tick.label2)})
    return hidden


def _texts(figure: matplotlib.figure.Figure) -> list[Text]:
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    hidden = _undrawn_tick_labels(figure)
    shown = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in hidden:
            continue
        if text.get_window_extent(renderer).width == 0:
            continue
        shown.append(text)
    return shown


def _is_tick_label(text: Text) -> bool:
    """3-D tick labels are placed by perspective (matplotlib's), so the gallery reads only the rest."""
    return any(text in (tick.label1, tick.label2) for ax in text.figure.axes  # type: ignore[union-attr]
               for axis in ax._axis_map.values() for tick in axis.get_major_ticks())


def _is_3d(figure: matplotlib.figure.Figure) -> bool:
    return any(getattr(ax, "name", "") == "3d" for ax in figure.axes)


@pytest.mark.parametrize("name, make", FIGURES, ids=[name for name, _ in FIGURES])
def test_every_figure_reads_cleanly(drawn, name, make):
    made = make()
    assert made is not None and drawn, f"{name}: no figure was drawn"
    for figure in drawn:
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        page = figure.bbox
        texts = [t for t in _texts(figure) if not (_is_3d(figure) and _is_tick_label(t))]
        boxes = [(t, t.get_window_extent(renderer)) for t in texts]
        for text, box in boxes:
            assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1 and \
                box.y1 <= page.y1 + 1, f"{name}: {text.get_text()!r} runs off the picture"
            assert not CODE.search(text.get_text()), f"{name}: code spelling in {text.get_text()!r}"
        if _is_3d(figure):
            continue  # a 3-D box's tick labels are placed by perspective, not by us
        for i, (first, a) in enumerate(boxes):
            for second, b in boxes[i + 1:]:
                overlap = a.overlaps(b) and min(a.x1, b.x1) - max(a.x0, b.x0) > 1.5 and \
                    min(a.y1, b.y1) - max(a.y0, b.y0) > 1.5
                assert not overlap, f"{name}: {first.get_text()!r} overlaps {second.get_text()!r}"


REAL_CURVES = [  # an independent reading of where each is real, in plain Python
    ("x^(1/3)", (-8, 8), lambda v: math.copysign(abs(v) ** (1 / 3), v)),
    ("sqrt(4 - x^2)", (-3, 3), lambda v: math.sqrt(4 - v * v) if v * v <= 4 else None),
    ("ln(x + 1)", (-2, 5), lambda v: math.log(v + 1) if v > -1 else None),
    ("x^(2/3)", (-8, 8), lambda v: abs(v) ** (2 / 3)),
    ("floor(x)", (-3, 3), math.floor),
]


@pytest.mark.parametrize("text, bounds, real", REAL_CURVES, ids=[c[0] for c in REAL_CURVES])
def test_a_curve_has_no_gap_where_the_function_is_real(text, bounds, real):
    from plotting.curves import functions_data

    data = functions_data([parse(text)], x, bounds)
    y = data.ys[0]
    expected = [real(float(v)) for v in data.x]
    missing = [i for i, e in enumerate(expected) if e is not None and math.isfinite(e) and not np.isfinite(y[i])]
    # A jump may cost the one sample beside it (no riser is drawn); nothing else may be missing.
    jumps = sum(1 for a, b in zip(expected, expected[1:], strict=False)
                if a is not None and b is not None and abs(b - a) > 0.5)
    assert len(missing) <= jumps, f"{text}: {len(missing)} real samples left blank"
    for i, e in enumerate(expected):
        if e is not None and np.isfinite(y[i]):
            assert y[i] == pytest.approx(e, rel=1e-9, abs=1e-9)
        if e is None:
            assert not np.isfinite(y[i]), f"{text}: drawn where it has no real value"


def test_a_jump_is_not_drawn_as_a_vertical_riser():
    from plotting.curves import functions_data

    data = functions_data([parse("floor(x)")], x, (-3, 3))
    y = data.ys[0]
    drawn = np.isfinite(y[:-1]) & np.isfinite(y[1:])
    assert (np.abs(np.diff(y))[drawn] < 1e-12).all()  # every drawn segment of a step is flat


def test_an_overflowing_range_is_said_to_overflow_and_drawn_on_a_log_axis():
    answer = plots.plot("e^x", "-1000 to 1000")
    assert "too large for floating-point" in answer.text
    assert "no real value" not in answer.text
    from plotting.curves import functions_data

    data = functions_data([parse("e^x")], x, (-1000, 1000))
    assert data.log_y
    assert data.overflow[0] is not None and data.overflow[0][0] == pytest.approx(math.log(1.7976931348623157e308), abs=2)


def test_a_surface_is_framed_to_its_domain_and_ends_on_its_edge():
    from plotting.fields import surface_data

    data = surface_data(parse("sqrt(1 - x^2 - y^2)"))
    assert data.x.max() < 1.5 and data.x.min() > -1.5  # framed to the unit disc, not −3…3
    rim = np.isfinite(data.z) & (np.hypot(data.x, data.y) > 0.97)
    radius = np.hypot(data.x[rim], data.y[rim])
    assert rim.sum() > 40 and np.all(radius <= 1 + 1e-6)  # edge nodes sit on the circle, not outside it
    assert np.isclose(radius.max(), 1.0, atol=1e-4)


def test_contours_of_a_valley_use_levels_that_show_it():
    from plotting.fields import field_data

    data = field_data(parse("(1 - x)^2 + 100(y - x^2)^2"), None, (-2, 2, -1, 3))
    z = data.z[np.isfinite(data.z)]
    # Independently: half the map lies below the median; at least a third of the levels must too.
    below_median = (data.levels < np.median(z)).sum()
    assert below_median >= len(data.levels) / 3
