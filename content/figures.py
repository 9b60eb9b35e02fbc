"""Picture questions' images: the stored figure spec in, the plotted numbers out (and the PNG).

A picture question keeps a small JSON spec (``Question.figure``): the function, the range, and what
each lettered panel offers, as SymPy text read back with our own parser (never ``sympify``). From it
:func:`figure_data` samples every panel, so the image can be redrawn at any time — after a restart,
on /review, for a daily push — and tests check those very numbers. :func:`question_image` is the
worker-pool entry point: question JSON in, ``(png, alt text)`` out.

Spec types: ``derivative`` (f above, candidate curves A–D), ``gradient`` (a contour map, four arrow
fields), ``taylor`` (f dashed, a candidate polynomial per panel), ``linearisation`` (f, a line, points
A–D), ``descent_steps`` (four descent paths on a contour map), ``basins`` (start points A–D, a ★).
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import sympy

from bot.errors import BadArgument
from bot.learner.skills import mistake_words
from bot.present.answer import Diagnosed
from bot.solver.parser import parse
from bot.solver.variables import symbol
from content.questions import Grade, Question, choice_labels
from plotting.quiz_panels import (
    Arrows,
    Contours,
    Curve,
    Marker,
    Panel,
    Path,
    QuizFigure,
    render_quiz_figure,
)
from plotting.quiz_words import alt_text
from plotting.sampling import numeric_function

X, Y = symbol("x"), symbol("y")
CURVE_SAMPLES = 400
CONTOUR_SAMPLES = 70
ARROW_SAMPLES = 9


# --- the numbers ----------------------------------------------------------------------------------


def read(text: str) -> sympy.Expr:
    return parse(text)


def sample(expr: sympy.Expr, x: np.ndarray) -> np.ndarray:
    return numeric_function(expr, [X])(x)


def sample_2d(expr: sympy.Expr, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    return numeric_function(expr, [X, Y])(gx, gy)


def gradient_of(f: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    return sympy.diff(f, X), sympy.diff(f, Y)


def descend(f: sympy.Expr, start: tuple[Any, Any], step: float, iterations: int, box: list[float] | None = None) -> Path:
    """Gradient descent x ← x − step·∇f(x), stopped early once far outside ``box`` (it diverged).
    ``start`` may hold arrays: many descents at once, ``Path.x[k]`` the k-th points of all."""
    fx, fy = (numeric_function(g, [X, Y]) for g in gradient_of(f))
    xs, ys = [np.asarray(start[0], dtype=float)], [np.asarray(start[1], dtype=float)]
    for _ in range(iterations):
        px, py = xs[-1], ys[-1]
        xs.append(px - step * fx(px, py))
        ys.append(py - step * fy(px, py))
        if box is not None and float(np.max(np.abs([xs[-1], ys[-1]]))) > 4 * max(abs(v) for v in box):
            break
    return Path(np.array(xs), np.array(ys))


def robust_ylim(values: list[np.ndarray], pad: float = 0.12) -> tuple[float, float]:
    finite = np.concatenate([v[np.isfinite(v)] for v in values])
    lo, hi = float(np.quantile(finite, 0.01)), float(np.quantile(finite, 0.99))
    if hi - lo < 1e-6:
        lo, hi = lo - 1.0, hi + 1.0
    margin = pad * (hi - lo)
    return lo - margin, hi + margin


def figure_data(spec_json: str) -> QuizFigure:
    """The numbers a picture question's image draws, from its stored spec."""
    spec = json.loads(spec_json)
    builder = _BUILDERS.get(spec.get("type"))
    if builder is None:
        raise BadArgument(f"unknown picture type {spec.get('type')!r}")
    return builder(spec)


def _derivative(spec: dict[str, Any]) -> QuizFigure:
    f = read(spec["f"])
    lo, hi = spec["range"]
    x = np.linspace(lo, hi, CURVE_SAMPLES)
    fy = sample(f, x)
    ys = [sample(read(text), x) for text in spec["panels"]]
    ylim = robust_ylim(ys)
    given = Panel("", (lo, hi), robust_ylim([fy]), caption=f"f(x) = {spec['f_text']}", curves=(Curve(x, fy, "given"),))
    panels = tuple(Panel(label, (lo, hi), ylim, curves=(Curve(x, y),))
                   for label, y in zip(choice_labels(len(ys)), ys, strict=True))
    return QuizFigure("Which graph, A–D, is the derivative f′(x) of the function f on top?", panels, given)


def _gradient(spec: dict[str, Any]) -> QuizFigure:
    f = read(spec["f"])
    x0, x1, y0, y1 = spec["box"]
    gx, gy = np.meshgrid(np.linspace(x0, x1, CONTOUR_SAMPLES), np.linspace(y0, y1, CONTOUR_SAMPLES))
    contours = Contours(gx[0], gy[:, 0], sample_2d(f, gx, gy))
    inset = 0.08 * (x1 - x0)
    ax, ay = np.meshgrid(np.linspace(x0 + inset, x1 - inset, ARROW_SAMPLES), np.linspace(y0 + inset, y1 - inset, ARROW_SAMPLES))
    panels = []
    for label, (p, q) in zip(choice_labels(len(spec["panels"])), spec["panels"], strict=True):
        u, v = sample_2d(read(p), ax, ay), sample_2d(read(q), ax, ay)
        panels.append(Panel(label, (x0, x1), (y0, y1), contours=contours, arrows=Arrows(ax, ay, u, v), equal_aspect=True))
    return QuizFigure(f"Contours of f(x, y) = {spec['f_text']}. Which arrows, A–D, show ∇f?", tuple(panels))


def _taylor(spec: dict[str, Any]) -> QuizFigure:
    f = read(spec["f"])
    lo, hi = spec["range"]
    x = np.linspace(lo, hi, CURVE_SAMPLES)
    fy = sample(f, x)
    ylim = robust_ylim([fy], pad=0.45)
    about = float(read(spec["about"]))
    panels = tuple(
        Panel(label, (lo, hi), ylim, curves=(Curve(x, fy, "reference"), Curve(x, sample(read(text), x))), vline=about)
        for label, text in zip(choice_labels(len(spec["panels"])), spec["panels"], strict=True))
    return QuizFigure(f"f(x) = {spec['f_text']} (dashed). Which blue curve, A–D, is its Taylor polynomial of order "
                      f"{spec['order']} about x = {spec['about_text']}?", panels)


def _linearisation(spec: dict[str, Any]) -> QuizFigure:
    f, line = read(spec["f"]), read(spec["line"])
    lo, hi = spec["range"]
    x = np.linspace(lo, hi, CURVE_SAMPLES)
    fy, ly = sample(f, x), sample(line, x)
    points = [float(p) for p in spec["points"]]
    values = sample(f, np.array(points))
    markers = tuple(Marker(px, float(py), label) for label, px, py in zip(choice_labels(len(points)), points, values, strict=True))
    # Framed on the points and the line: the cubic's far ends may leave the view, the touching may not.
    bottom, top = min(float(values.min()), float(ly.min())), max(float(values.max()), float(ly.max()))
    margin = 0.25 * max(top - bottom, 1e-6)
    panel = Panel("", (lo, hi), (bottom - margin, top + margin), curves=(Curve(x, fy, "given"), Curve(x, ly, "line")),
                  markers=markers)
    title = f"The straight line y = {spec['line_text']} is the linearisation of f at one of the points A–D. Which?"
    return QuizFigure(title, (panel,), notes=(f"The curve is f(x) = {spec['f_text']}.",))


def _contours(f: sympy.Expr, box: list[float]) -> Contours:
    x0, x1, y0, y1 = box
    gx, gy = np.meshgrid(np.linspace(x0, x1, CONTOUR_SAMPLES), np.linspace(y0, y1, CONTOUR_SAMPLES))
    return Contours(gx[0], gy[:, 0], sample_2d(f, gx, gy))


def _descent_steps(spec: dict[str, Any]) -> QuizFigure:
    f = read(spec["f"])
    box = spec["box"]
    contours = _contours(f, box)
    start = tuple(spec["start"])
    panels = tuple(
        Panel(label, (box[0], box[1]), (box[2], box[3]), contours=contours,
              paths=(descend(f, start, step, spec["iterations"], box),), equal_aspect=True)
        for label, step in zip(choice_labels(len(spec["steps"])), spec["steps"], strict=True))
    return QuizFigure(f"Gradient descent on f(x, y) = {spec['f_text']} from the same start (square), four step sizes. "
                      "Which path's step size is too large?", panels)


def _basins(spec: dict[str, Any]) -> QuizFigure:
    f = read(spec["f"])
    box = spec["box"]
    markers = [Marker(float(spec["target"][0]), float(spec["target"][1]), "★", "target")]
    markers += [Marker(float(sx), float(sy), label) for label, (sx, sy) in zip(choice_labels(len(spec["starts"])), spec["starts"], strict=True)]
    panel = Panel("", (box[0], box[1]), (box[2], box[3]), contours=_contours(f, box), markers=tuple(markers), equal_aspect=True)
    return QuizFigure("Gradient descent with small steps starts from each point A–D. Which one ends at the minimum ★?",
                      (panel,), notes=("Low values are blue, high values red.",))


_BUILDERS = {
    "derivative": _derivative,
    "gradient": _gradient,
    "taylor": _taylor,
    "linearisation": _linearisation,
    "descent_steps": _descent_steps,
    "basins": _basins,
}


# --- the image and the grading ----------------------------------------------------------------------


def question_image(question_json: str) -> tuple[bytes, str]:
    """The picture question's PNG and its alt text (runs in the worker pool)."""
    question = Question.from_json(question_json)
    data = figure_data(question.figure)
    return render_quiz_figure(data), alt_text(data)


def grade_picture(question: Question, text: str) -> Grade:
    """A letter (``B``, ``(b)``, ``panel B``) picks a panel; a wrong pick is told what it shows, and
    counts as the mistake that built it."""
    labels = choice_labels(len(question.choices))
    found = re.fullmatch(r"(?:panel|point|graph|path)?\s*[\(\[]?\s*([A-Za-z])\s*[\)\]\.:]?", text.strip(), re.IGNORECASE)
    if found is None or found.group(1).upper() not in labels:
        raise BadArgument(f"answer with one of the letters {', '.join(labels)} (the panels of the picture)")
    picked = labels.index(found.group(1).upper())
    right = labels.index(question.answer)
    notes = question.choice_notes or question.choices
    expected = f"{question.answer} — {notes[right]}"
    if picked == right:
        return Grade(True, f"✅ Correct! {question.answer} is {notes[right]}.", expected)
    code = question.choice_malrules[picked] if picked < len(question.choice_malrules) else None
    feedback = f"❌ Not quite — {labels[picked]} is {notes[picked]}. The answer is {question.answer}: {notes[right]}."
    if code is None:
        return Grade(False, feedback, expected)
    feedback += f"\n🔎 That panel is what you get when you've {mistake_words(code)} (`{code}`)."
    return Grade(False, feedback, expected, Diagnosed(code, _panel_expression(question, picked)))


def _panel_expression(question: Question, index: int) -> str:
    """What a panel plots, in SymPy syntax, where it is one expression (a wrong derivative's curve)."""
    panels = json.loads(question.figure).get("panels") if question.figure else None
    if isinstance(panels, list) and index < len(panels) and isinstance(panels[index], str):
        return panels[index]
    return question.choices[index]
