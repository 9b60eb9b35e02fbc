"""Picture questions on curves: which graph is f′, which curve is the Taylor polynomial, at which
point was a linearisation taken.

Every wrong panel is a real mistake (a mal-rule applied to the derivative, −f′, f itself, an
antiderivative; a Taylor polynomial without factorials, about the wrong point, of the wrong order; a
line's crossing or a parallel tangent) and is kept only if it differs visibly from every other panel
over the plotted range (:func:`curve_gap`). The image is drawn from the spec in ``Draft.figure``.
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections.abc import Sequence

import numpy as np
import sympy

from bot.present.format import plain
from bot.solver.diagnosis import dependent_nodes, with_slip
from bot.solver.malrules import BY_CODE, MAL_RULES
from content.figures import CURVE_SAMPLES, sample
from content.generators.base import Draft, Generator, code, decimal, pick, x
from content.generators.series import taylor_polynomial
from content.questions import choice_labels

VISIBLE_GAP = 0.15  # the least normalised distance between two panels' curves (see curve_gap)
# Taylor panels share f's view and polynomials run off it: their gap is the RMS of the clipped
# difference over the view's height (0.05 of a 300-pixel panel is 15 pixels on average).
VISIBLE_VIEW_GAP = 0.05


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable(expr: sympy.Basic) -> str:
    """A formula for a picture's title in the course's notation: x³/3 − 2x, x·sin(x), √(x + 1)."""
    text = plain(expr)
    text = re.sub(r"\^(\d+)(?!\.)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"(\d)\*(?=[a-zA-Z(√])", r"\1", text)
    return text.replace("*", "·").replace("sqrt(", "√(").replace("-", "−").replace("pi", "π")


def curve_gap(a: np.ndarray, b: np.ndarray) -> float:
    """How different two sampled curves look: the RMS of their difference over the larger of their
    value ranges (0: the same curve; ``−f′`` against ``f′`` is about 0.7). NaN anywhere: infinite."""
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("inf")
    scale = max(float(np.ptp(a)), float(np.ptp(b)), 1e-9)
    return float(np.sqrt(np.mean((a - b) ** 2))) / scale


def picture_draft(seed: int | random.Random, prompt: str, figure: dict, options: Sequence[tuple[object, str, str | None]], *,
                  hints: tuple[str, ...], solution: str, skills: tuple[str, ...], command: str = "",
                  noun: str = "panel", key: str = "panels") -> tuple[Draft, list[int]]:
    """A picture Draft over ``options`` (panel content, what it shows, mal-rule code), the first one
    right, shuffled by the seed (or by a generator already in use); ``figure[key]`` gets the contents
    in label order and the choices read "``noun`` A" …. Also returns the order (option index per label)."""
    order = list(range(len(options)))
    (seed if isinstance(seed, random.Random) else random.Random(seed)).shuffle(order)
    labels = choice_labels(len(options))
    figure = {**figure, key: [options[i][0] for i in order]} if key in figure else figure
    draft = Draft(
        prompt=prompt,
        kind="picture",
        answer=labels[order.index(0)],
        choices=tuple(f"{noun} {label}" for label in labels),
        hints=hints,
        solution=solution,
        solution_command=command,
        choice_malrules=tuple(options[i][2] for i in order),
        choice_notes=tuple(options[i][1] for i in order),
        figure=json.dumps(figure, ensure_ascii=False, sort_keys=True),
        skills=skills,
    )
    return draft, order


def _distinct(candidates: Sequence[tuple[sympy.Expr, str, str | None]], x_values: np.ndarray, count: int = 4,
              required: int = 4) -> list[tuple[sympy.Expr, str, str | None]]:
    """The first candidates (the right one first) that differ visibly from all kept so far."""
    kept: list[tuple[sympy.Expr, str, str | None]] = []
    samples: list[np.ndarray] = []
    for candidate in candidates:
        if len(kept) == count:
            break
        values = sample(candidate[0], x_values)
        if all(curve_gap(values, seen) >= VISIBLE_GAP for seen in samples) and np.isfinite(values).all():
            kept.append(candidate)
            samples.append(values)
    if len(kept) < required:
        raise ValueError("too few visibly different panels")  # the generators' grids avoid this (tested)
    return kept


# --- which graph is f′ --------------------------------------------------------------------------

_CURVES: tuple[tuple[sympy.Expr, tuple[float, float]], ...] = (
    (x**3 / 3 - x, (-2.5, 2.5)),
    (x * sympy.sin(x), (-4.0, 4.0)),
    (sympy.cos(2 * x) + x / 2, (-3.0, 3.0)),
    (x * sympy.exp(-x**2 / 2), (-3.5, 3.5)),
    (x**4 / 4 - x**2, (-2.3, 2.3)),
    (sympy.log(x**2 + 1), (-4.0, 4.0)),
    (4 * x / (x**2 + 1), (-5.0, 5.0)),
    (x**2 * sympy.exp(-x), (-0.8, 6.0)),
    (sympy.exp(x / 2) - x, (-3.0, 3.0)),
    (sympy.sin(x) ** 2, (-3.0, 3.0)),
)


def _malrule_derivatives(f: sympy.Expr) -> list[tuple[sympy.Expr, str, str | None]]:
    """f′ as a learner who misapplies one rule once would get it, with the rule's code."""
    found: list[tuple[sympy.Expr, str, str | None]] = []
    nodes = dependent_nodes(f, x)
    for rule in MAL_RULES:
        if rule.local is None or rule.code in ("integrated_instead", "constant_not_zero"):
            continue
        for node in nodes:
            for wrong in rule.local(node, x, lambda part: sympy.diff(part, x)):
                whole = with_slip(f, x, node, wrong)
                found.append((whole, f"the derivative with a slip: {rule.words}", rule.code))
    return found


@functools.cache
def _antiderivative(f: sympy.Expr) -> sympy.Expr:
    """∫f dx, kept: there are 54 curves, and SymPy's Risch integration takes up to half a second."""
    return sympy.integrate(f, x)


def derivative_graph(seed: int) -> Draft:
    (base, span), sign, shift = pick(seed, _CURVES, (1, -1), (0, 1, -1))
    f = sign * base + shift
    derivative = sympy.diff(f, x)
    antiderivative = _antiderivative(f)
    x_values = np.linspace(span[0], span[1], CURVE_SAMPLES)
    rng = random.Random(seed)
    slips = _malrule_derivatives(f)
    rng.shuffle(slips)
    right = (derivative, "f′, the derivative: its height is the slope of f", None)
    usual = [
        (-derivative, "−f′: the slope's sign is flipped (it is above the axis where f falls)", BY_CODE["sign_error"].code),
        (f, "f itself, not its slope", None),
        (antiderivative, "an antiderivative of f: its slope is f, not the other way round", "integrated_instead"),
    ]
    spare = [(derivative + 1, "f′ + 1: the right shape, but not zero where f is flat", None),
             (2 * derivative, "2f′: twice as steep as the slope of f", None)]
    # One mal-rule panel when a visible one exists, then the usual mistakes, then spares.
    orders = ([right, *slips[:1], *usual, *slips[1:], *spare], [right, *usual, *slips, *spare])
    chosen = next((kept for kept in (_distinct(order, x_values, required=0) for order in orders) if len(kept) == 4), [])
    if len(chosen) < 4:
        raise ValueError("too few visibly different panels")
    options = [(sympy.sstr(expr), note, malrule) for expr, note, malrule in chosen]
    figure = {"type": "derivative", "f": sympy.sstr(f), "f_text": readable(f), "range": list(span), "panels": []}
    draft, _ = picture_draft(
        seed,
        f"**Which graph is f′?** The top of the picture shows f(x) = {code(f)}. "
        "Which panel, A–D, is the graph of its derivative f′(x)?",
        figure,
        options,
        hints=("Where f has a peak or a dip, it is flat: f′ is zero there.",
               "Where f rises, f′ is above the axis; where f falls, f′ is below it."),
        solution=f"f′(x) = {code(derivative)}: it crosses zero exactly where f is flat, and is positive where f rises.",
        command=f"/derive {plain(f)}",
        skills=("derivative_definition",),
    )
    return draft


# --- which curve is the Taylor polynomial -------------------------------------------------------

_TAYLOR_FUNCTIONS: tuple[tuple[sympy.Expr, tuple[sympy.Expr, ...]], ...] = (
    (sympy.exp(x), (sympy.Integer(0), sympy.Integer(1), sympy.Integer(-1))),
    (sympy.sin(x), (sympy.Integer(0), sympy.Integer(1), sympy.pi / 2)),
    (sympy.cos(x), (sympy.Integer(0), sympy.Integer(1), sympy.Integer(-1))),
    (sympy.log(1 + x), (sympy.Integer(0), sympy.Integer(1))),
    (sympy.atan(x), (sympy.Integer(0), sympy.Integer(1))),
    (sympy.sqrt(1 + x), (sympy.Integer(0), sympy.Integer(1))),
)


def _taylor_span(f: sympy.Expr, a: float) -> tuple[float, float]:
    half = 2.5 if f.has(sympy.exp) else 3.0
    lo, hi = a - half, a + half
    if f.has(sympy.log) or f.has(sympy.sqrt(1 + x)):
        lo = max(lo, -0.9)
    return lo, hi


def _no_factorials(f: sympy.Expr, a: sympy.Expr, order: int) -> sympy.Expr:
    return sympy.Add(*(sympy.diff(f, x, k).subs(x, a) * (x - a) ** k for k in range(order + 1)))


def _reflected(f: sympy.Expr, a: sympy.Expr, order: int) -> sympy.Expr:
    return sympy.Add(*(sympy.diff(f, x, k).subs(x, a) / sympy.factorial(k) * (a - x) ** k for k in range(order + 1)))


def taylor_graph(seed: int) -> Draft:
    (f, centres), which, order = pick(seed, _TAYLOR_FUNCTIONS, (0, 1, 2), (1, 2, 3, 4))
    a = centres[which % len(centres)]
    span = _taylor_span(f, float(a))
    other = sympy.Integer(0) if a != 0 else sympy.Integer(1)
    candidates = [
        (taylor_polynomial(f, a, order), f"the Taylor polynomial of order {order} about x = {plain(a)}: it hugs f near x = {plain(a)}", None),
        (_no_factorials(f, a, order), "the polynomial without the factorials: its terms are f⁽ᵏ⁾(a)(x − a)ᵏ, not divided by k!", None),
        (taylor_polynomial(f, other, order), f"the Taylor polynomial about x = {plain(other)}, the wrong centre: it touches f there instead", None),
        (_reflected(f, a, order), "the polynomial in (a − x) instead of (x − a): it is f's mirror image about x = a near there", None),
        (taylor_polynomial(f, a, order + 1), f"the Taylor polynomial of order {order + 1}: one term too many", None),
    ]
    if order >= 2:
        candidates.append((taylor_polynomial(f, a, order - 1), f"the Taylor polynomial of order {order - 1}: one term short", None))
    candidates += [
        (taylor_polynomial(f, a, order + 2), f"the Taylor polynomial of order {order + 2}: two terms too many", None),
        *((taylor_polynomial(f, c, order), f"the Taylor polynomial about x = {plain(c)}, the wrong centre: it touches f there instead", None)
          for c in (a + 1, a - 1) if c != other and float(c) > span[0] and float(c) < span[1]),
        (f.subs(x, a), f"only the first term, f({plain(a)}): a flat line at f's value", None),
    ]
    x_values = np.linspace(span[0], span[1], CURVE_SAMPLES)
    chosen = _distinct_clipped(candidates, f, x_values)
    options = [(sympy.sstr(expr), note, malrule) for expr, note, malrule in chosen]
    figure = {"type": "taylor", "f": sympy.sstr(f), "f_text": readable(f), "range": list(span), "about": sympy.sstr(a),
              "about_text": readable(a), "order": order, "panels": []}
    right = taylor_polynomial(f, a, order)
    draft, _ = picture_draft(
        seed,
        f"**Which curve is the Taylor polynomial?** Each panel shows f(x) = {code(f)} (dashed) and a blue "
        f"polynomial. Which one, A–D, is the Taylor polynomial of order {order} about x = {plain(a)}?",
        figure,
        options,
        hints=(f"The Taylor polynomial about x = {plain(a)} touches f there: same value, same slope, same bend.",
               "A higher order hugs f over a wider stretch; the terms are f⁽ᵏ⁾(a)(x − a)ᵏ/k!."),
        solution=f"The Taylor polynomial of order {order} about x = {plain(a)} is {code(right)}.",
        command=f"/taylor {plain(f)} at {plain(a)} order {order}",
        skills=("taylor_series",),
    )
    return draft


def _distinct_clipped(candidates: Sequence[tuple[sympy.Expr, str, str | None]], f: sympy.Expr,
                      x_values: np.ndarray) -> list[tuple[sympy.Expr, str, str | None]]:
    """Like :func:`_distinct`, judged on what the panel shows: values clipped to f's view."""
    fy = sample(f, x_values)
    lo, hi = float(np.nanmin(fy)), float(np.nanmax(fy))
    margin = 0.45 * max(hi - lo, 1e-6)
    kept: list[tuple[sympy.Expr, str, str | None]] = []
    samples: list[np.ndarray] = []
    for candidate in candidates:
        if len(kept) == 4:
            break
        values = np.clip(sample(candidate[0], x_values), lo - margin, hi + margin)
        if np.isfinite(values).all() and all(_clipped_gap(values, seen, hi - lo + 2 * margin) >= VISIBLE_VIEW_GAP for seen in samples):
            kept.append(candidate)
            samples.append(values)
    if len(kept) < 4:
        raise ValueError("too few visibly different panels")
    return kept


def _clipped_gap(a: np.ndarray, b: np.ndarray, view: float) -> float:
    return float(np.sqrt(np.mean((a - b) ** 2))) / view


# --- at which point was this linearisation taken --------------------------------------------------

MAX_POINT_SPREAD = 4  # wider, and the cubic's ends squash the middle where the points are


def linearisation_point(seed: int) -> Draft:
    p, q, k, a2 = pick(seed, (-3, -2, -1, 1, 2, 3), (-3, -2, -1, 0, 1), (2, 3, 4), tuple(range(-4, 5)))
    a = sympy.Rational(a2, 2)
    f = (x**3 + p * x**2 + q * x) / k
    slope = sympy.diff(f, x).subs(x, a)
    line = sympy.expand(f.subs(x, a) + slope * (x - a))
    crossing = -p - 2 * a  # the tangent at a meets the cubic again here
    parallel = -sympy.Rational(2 * p, 3) - a  # f has the tangent's slope here too
    rng = random.Random(seed)
    others = [a + d for d in (sympy.Rational(3, 2), -sympy.Rational(3, 2), 2, -2, 1, -1)]
    rng.shuffle(others)
    points = [a, crossing, parallel]
    for other in others:
        if all(abs(other - p0) >= sympy.Rational(7, 10) for p0 in points):
            points.append(other)
            break
    crowded = any(abs(s - t) < sympy.Rational(7, 10) for i, s in enumerate(points) for t in points[:i])
    if len(points) < 4 or crowded or max(points) - min(points) > MAX_POINT_SPREAD:
        # Points too close to tell apart, or too far apart to see the touching: another grid point's question.
        return linearisation_point(seed + 7919)
    lo, hi = float(min(points)) - 0.9, float(max(points)) + 0.9
    notes = [
        "the point where the line touches f: the same value and the same slope",
        "where the line crosses the curve: the values agree there, but the slopes differ",
        "where f has the line's slope, but the line does not pass through it: the values differ",
        "a point where neither the value nor the slope of f matches the line",
    ]
    figure = {"type": "linearisation", "f": sympy.sstr(f), "f_text": readable(f), "line": sympy.sstr(line),
              "line_text": readable(line), "range": [lo, hi], "points": []}
    options = [(float(point), f"{note} (x ≈ {float(point):.3g})".replace("-", "−"), None)
               for point, note in zip(points, notes, strict=True)]
    draft, _ = picture_draft(
        rng,
        (f"**At which point was this linearisation taken?** The picture shows f(x) = {code(f)} and the "
         f"straight line y = {code(line)}, its linearisation L(x) = f(a) + f′(a)(x − a) at one of the "
         "points A–D. Which point is it?"),
        figure, options,
        hints=("The linearisation at a has f's value at a and f's slope at a.",
               "A line can cross the curve elsewhere, and f can have the same slope elsewhere: look for both at once."),
        solution=(f"It is x = {decimal(a)}: there f = {decimal(f.subs(x, a))} and f′ = {decimal(slope)}, the line's "
                  "value and slope."),
        command=f"/taylor {plain(f)} at {decimal(a)} order 1",
        skills=("taylor_series", "derivative_definition"),
        noun="point", key="points",
    )
    return draft


GENERATORS: dict[str, Generator] = {
    "derivative_graph": derivative_graph,
    "taylor_graph": taylor_graph,
    "linearisation_point": linearisation_point,
}
