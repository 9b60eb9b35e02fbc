"""Picture questions are checked on the numbers they draw, not on pixels: the right panel's values are
the derivative (gradient, Taylor polynomial, tangent, descent path) computed here independently —
numpy finite differences, sympy.series, a plain descent loop — and every other panel differs visibly."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy

from bot.solver.parser import parse
from content.figures import figure_data, question_image
from content.generate import generate_from, grade_answer
from content.questions import Question, choice_labels

SEEDS = range(0, 400, 16)  # 25 seeds, spread over each generator's grid
X, Y = sympy.symbols("x y", real=True)


def _right(question: Question) -> int:
    return choice_labels(len(question.choices)).index(question.answer)


def _numeric(text: str, variables):
    expr = parse(text).xreplace({s: {"x": X, "y": Y}[s.name] for s in parse(text).free_symbols})
    return sympy.lambdify(variables, expr, "numpy")


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(np.mean((a - b) ** 2)) / max(np.ptp(a), np.ptp(b), 1e-9))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_graph_is_the_slope_of_f_and_the_others_are_not(seed):
    question = generate_from("graphs", "derivative_graph", seed)
    figure = figure_data(question.figure)
    given = figure.given.curves[0]
    slope = np.gradient(given.y, given.x)  # finite differences of the f that is drawn
    panels = [panel.curves[0].y for panel in figure.panels]
    right = panels[_right(question)]
    scale = np.ptp(right)
    assert np.max(np.abs(right - slope)[2:-2]) < 1e-3 * scale
    for i, other in enumerate(panels):
        if i != _right(question):
            assert _gap(other, slope) > 0.1, (question.id, question.choice_notes[i])
    for i in range(4):
        for j in range(i):
            assert _gap(panels[i], panels[j]) > 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_arrows_are_the_gradient_and_the_others_point_elsewhere(seed):
    question = generate_from("graphs", "gradient_arrows", seed)
    figure = figure_data(question.figure)
    f = _numeric(json.loads(question.figure)["f"], (X, Y))
    arrows = figure.panels[_right(question)].arrows
    h = 1e-6
    fx = (f(arrows.x + h, arrows.y) - f(arrows.x - h, arrows.y)) / (2 * h) + 0 * arrows.x
    fy = (f(arrows.x, arrows.y + h) - f(arrows.x, arrows.y - h)) / (2 * h) + 0 * arrows.x
    assert np.allclose(arrows.u, fx, atol=1e-5) and np.allclose(arrows.v, fy, atol=1e-5)
    size = np.hypot(fx, fy)
    for i, panel in enumerate(figure.panels):
        if i == _right(question):
            continue
        u, v = panel.arrows.u, panel.arrows.v
        both = (size > 1e-9) & (np.hypot(u, v) > 1e-9)
        cos = (u * fx + v * fy)[both] / (np.hypot(u, v) * size)[both]
        assert np.mean((1 - cos) / 2) > 0.1, (question.id, question.choice_notes[i])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_curve_is_the_taylor_polynomial(seed):
    question = generate_from("graphs", "taylor_graph", seed)
    spec = json.loads(question.figure)
    figure = figure_data(question.figure)
    f = parse(spec["f"]).xreplace({s: X for s in parse(spec["f"]).free_symbols})
    a = parse(spec["about"])
    polynomial = sympy.series(f, X, a, spec["order"] + 1).removeO()
    curve = figure.panels[_right(question)].curves[1]
    expected = sympy.lambdify(X, polynomial, "numpy")(curve.x) + 0 * curve.x
    assert np.allclose(curve.y, expected, rtol=1e-9, atol=1e-9)
    lo, hi = figure.panels[0].ylim
    clipped = [np.clip(p.curves[1].y, lo, hi) for p in figure.panels]
    for i in range(4):
        for j in range(i):
            assert np.sqrt(np.mean((clipped[i] - clipped[j]) ** 2)) / (hi - lo) > 0.03, question.id


@pytest.mark.parametrize("seed", SEEDS)
def test_the_line_touches_f_only_at_the_right_point(seed):
    question = generate_from("graphs", "linearisation_point", seed)
    figure = figure_data(question.figure)
    panel = figure.panels[0]
    f, line = panel.curves
    f_of = _numeric(json.loads(question.figure)["f"], (X,))
    slope = (line.y[-1] - line.y[0]) / (line.x[-1] - line.x[0])
    intercept = line.y[0] - slope * line.x[0]
    spread = np.ptp(f.y)
    for i, marker in enumerate(panel.markers):
        value_gap = abs(f_of(marker.x) - (slope * marker.x + intercept))
        slope_gap = abs((f_of(marker.x + 1e-6) - f_of(marker.x - 1e-6)) / 2e-6 - slope)
        if i == _right(question):
            assert value_gap < 1e-9 * max(1, spread) and slope_gap < 1e-4
        else:
            assert value_gap > 0.02 * spread or slope_gap > 0.2, (question.id, question.choice_notes[i])


def _descent(f_text: str, start, step: float, iterations: int):
    f = parse(f_text).xreplace({s: {"x": X, "y": Y}[s.name] for s in parse(f_text).free_symbols})
    grad = [sympy.lambdify((X, Y), sympy.diff(f, v), "numpy") for v in (X, Y)]
    point = np.array(start, dtype=float)
    points = [point]
    for _ in range(iterations):
        point = point - step * np.array([float(g(*point)) for g in grad])
        points.append(point)
    return np.array(points)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_path_runs_away_and_every_path_is_descent_with_its_step(seed):
    question = generate_from("graphs", "descent_step_size", seed)
    spec = json.loads(question.figure)
    figure = figure_data(question.figure)
    for i, (panel, step) in enumerate(zip(figure.panels, spec["steps"], strict=True)):
        path = panel.paths[0]
        expected = _descent(spec["f"], spec["start"], step, spec["iterations"])[: len(path.x)]
        assert np.allclose(np.stack([path.x, path.y], axis=1), expected, rtol=1e-9, atol=1e-9)
        grows = np.hypot(path.x[-1], path.y[-1]) > np.hypot(path.x[0], path.y[0])  # the minimum is at 0
        assert grows == (i == _right(question)), (question.id, step)


@pytest.mark.parametrize("seed", range(0, 200, 20))
def test_only_the_right_start_descends_to_the_star(seed):
    question = generate_from("graphs", "descent_basins", seed)
    spec = json.loads(question.figure)
    target = np.array(spec["target"])
    for i, start in enumerate(spec["starts"]):
        end = _descent(spec["f"], start, 0.02, 2500)[-1]
        reached = np.hypot(*(end - target)) < 0.05
        assert reached == (i == _right(question)), (question.id, start, end)


def test_a_wrong_pick_says_what_it_shows_and_counts_as_its_mistake():
    question = next(q for q in (generate_from("graphs", "derivative_graph", s) for s in range(50))
                    if any(code not in (None, "sign_error", "integrated_instead") for code in q.choice_malrules))
    labels = choice_labels(4)
    for i, code in enumerate(question.choice_malrules):
        grade = grade_answer(question.to_json(), f"({labels[i].lower()})")
        if i == _right(question):
            assert grade.correct
            continue
        assert not grade.correct and f"{labels[i]} is {question.choice_notes[i]}" in grade.feedback
        assert (grade.diagnosis.code if grade.diagnosis else None) == code
        if code is not None:  # where: the wrong curve that panel plots
            assert grade.diagnosis.where == json.loads(question.figure)["panels"][i]
    assert "sign_error" in question.choice_malrules  # −f′ is the whole-answer sign slip


def test_a_picture_question_is_redrawn_from_its_stored_json():
    question = generate_from("graphs", "gradient_arrows", 5)
    stored = Question.from_json(question.to_json())
    assert stored == question and stored.kind == "picture"
    png, alt = question_image(stored.to_json())
    assert png.startswith(b"\x89PNG") and all(f"{letter}: " in alt for letter in "ABCD")
    assert question_image(question.to_json()) == (png, alt)
