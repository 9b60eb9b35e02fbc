"""Picture questions on contour maps: which arrows show ∇f, which descent path's step is too large,
which starting point descends to the marked minimum.

Distractors are real mistakes (−∇f, ∇f turned along the contours, another function's gradient; a
step that is small, large-but-converging, or just right) and differ visibly from the right panel:
arrow fields by their mean angle (:func:`field_gap`), paths by their mean distance.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import sympy

from content.figures import ARROW_SAMPLES, descend, gradient_of, sample_2d
from content.generators.base import Draft, Generator, code, pick, x, y
from content.generators.pictures import picture_draft, readable

VISIBLE_ANGLE = 0.15  # least mean (1 − cos θ)/2 between two arrow fields: 90° everywhere is 0.5
BOX = [-2.0, 2.0, -2.0, 2.0]

_SURFACES = (
    x**2 + 3 * y**2,
    x**2 - y**2,
    x * y,
    x**2 + x * y + y**2,
    x**3 / 3 - x + y**2,
    sympy.sin(x) + y**2 / 2,
    x**2 * y,
    (x - 1) ** 2 + (y + 1) ** 2 / 2,
    x * sympy.exp(-(x**2 + y**2) / 4),
    x + y**2,
)


_SHIFTS = (sympy.Integer(0), sympy.Rational(1, 2), -sympy.Rational(1, 2))


def arrow_grid() -> tuple[np.ndarray, np.ndarray]:
    inset = 0.08 * (BOX[1] - BOX[0])
    return np.meshgrid(np.linspace(BOX[0] + inset, BOX[1] - inset, ARROW_SAMPLES),
                       np.linspace(BOX[2] + inset, BOX[3] - inset, ARROW_SAMPLES))


def field_gap(u1: np.ndarray, v1: np.ndarray, u2: np.ndarray, v2: np.ndarray) -> float:
    """Mean (1 − cos θ)/2 over the points where both arrows exist: 0 same directions, 1 opposite."""
    n1, n2 = np.hypot(u1, v1), np.hypot(u2, v2)
    both = (n1 > 1e-9) & (n2 > 1e-9)
    if not both.any():
        return 0.0
    cos = (u1 * u2 + v1 * v2)[both] / (n1 * n2)[both]
    return float(np.mean((1 - cos) / 2))


def gradient_arrows(seed: int) -> Draft:
    index, sign, h, k = pick(seed, range(len(_SURFACES)), (1, -1), _SHIFTS, _SHIFTS)
    f = sign * _SURFACES[index].xreplace({x: x - h, y: y - k})
    fx, fy = gradient_of(f)
    rng = random.Random(seed)
    others = [sign2 * g for g in _SURFACES if g != _SURFACES[index] for sign2 in (1, -1)]
    rng.shuffle(others)
    candidates: list[tuple[tuple[sympy.Expr, sympy.Expr], str, str | None]] = [
        ((fx, fy), "∇f: the arrows cross the contours at right angles, pointing uphill", None),
        ((-fx, -fy), "−∇f: the arrows point downhill, the opposite way", "sign_error"),
        ((-fy, fx), "∇f turned through 90°: the arrows run along the contours, not across them", None),
    ]
    for g in others:
        gx, gy = gradient_of(g)
        candidates.append(((gx, gy), f"the gradient of another function, g(x, y) = {readable(g)}: "
                                     "its arrows do not cross f's contours at right angles", None))
    ax, ay = arrow_grid()
    kept: list[tuple[tuple[sympy.Expr, sympy.Expr], str, str | None]] = []
    fields: list[tuple[np.ndarray, np.ndarray]] = []
    for candidate in candidates:
        u, v = sample_2d(candidate[0][0], ax, ay), sample_2d(candidate[0][1], ax, ay)
        if all(field_gap(u, v, *seen) >= VISIBLE_ANGLE for seen in fields):
            kept.append(candidate)
            fields.append((u, v))
        if len(kept) == 4:
            break
    options = [([sympy.sstr(p), sympy.sstr(q)], note, malrule) for (p, q), note, malrule in kept]
    figure = {"type": "gradient", "f": sympy.sstr(f), "f_text": readable(f), "box": BOX, "panels": []}
    draft, _ = picture_draft(
        seed,
        f"**Which arrows show ∇f?** Each panel shows the contours of f(x, y) = {code(f)} (blue low, red high) "
        "with a field of arrows. Which panel, A–D, shows the gradient ∇f?",
        figure,
        options,
        hints=("∇f points the way f increases fastest: uphill, towards the red.",
               "∇f is perpendicular to the contour lines; arrows along a contour cannot be it."),
        solution=f"∇f = ({code(fx)}, {code(fy)}): at every point it crosses the contour at a right angle, uphill.",
        command=f"/grad {readable(f).replace('·', '*').replace('−', '-')}",
        skills=("gradient",),
    )
    return draft


# --- gradient descent: step sizes ---------------------------------------------------------------

_BOWLS = ((1, 0, 4), (1, 0, 6), (2, 1, 5), (1, 1, 4), (3, -1, 4), (1, -1, 5), (4, 0, 1), (5, 2, 2))
_STARTS = ((-1.2, 0.9), (1.1, 1.0), (-1.0, -1.1), (1.3, -0.7))
ITERATIONS = 12


def descent_step_size(seed: int) -> Draft:
    (a, c, b), start, big = pick(seed, _BOWLS, _STARTS, (sympy.Rational(21, 10), sympy.Rational(22, 10)))
    f = (a * x**2 + 2 * c * x * y + b * y**2) / 2
    hessian = np.array([[a, c], [c, b]], dtype=float)
    largest = float(max(np.linalg.eigvalsh(hessian)))
    # Steps as multiples of 1/λmax, rounded to two figures: > 2/λmax diverges, (1, 2)/λmax zigzags in.
    ratios = ((float(big), "too large: each step overshoots the valley by more than the last, so the path zigzags "
               "outwards and leaves the map"),
              (1.7, "large but still converging: it zigzags across the valley, each step landing closer to the minimum"),
              (0.12, "small: it creeps towards the minimum and is still far from it after all its steps"),
              (0.8, "well chosen: it heads straight into the minimum in a few steps"))
    options = []
    for ratio, note in ratios:
        step = float(f"{ratio / largest:.2g}")
        options.append((step, f"the step size η = {step:g}, {note}", None))
    figure = {"type": "descent_steps", "f": sympy.sstr(f), "f_text": readable(f), "box": BOX, "start": list(start),
              "iterations": ITERATIONS, "steps": []}
    draft, _ = picture_draft(
        seed,
        (f"**Which step size is too large?** Each panel runs {ITERATIONS} steps of gradient descent, "
         f"x ← x − η∇f(x), on f(x, y) = {code(f)} from the same start (the square), each with its own "
         "step size η. Which path, A–D, used a step size that is too large?"),
        figure, options,
        hints=("A step that is too large overshoots: the next point is further from the minimum than the last.",
               "Zigzagging alone is not the problem — look for a path whose zigzags grow."),
        solution=(f"Along the steepest direction f curves by λ = {largest:.3g}; a step above 2/λ ≈ {2 / largest:.2g} "
                  "makes every step overshoot by more than the last, so descent runs away from the minimum."),
        command=f"/descent {readable(f).replace('·', '*').replace('−', '-')} from ({start[0]:g}, {start[1]:g})",
        skills=("gradient_descent",),
        noun="path", key="steps",
    )
    return draft


# --- gradient descent: which start reaches which minimum ----------------------------------------

_WELLS = (
    ((-1.5, -1.0), (1.5, -0.5), (0.0, 1.5)),
    ((-1.4, 1.2), (1.3, 1.0), (0.2, -1.5)),
    ((-1.6, 0.0), (1.0, 1.4), (1.2, -1.3)),
    ((-1.0, -1.4), (-0.8, 1.4), (1.6, 0.1)),
)
BASIN_BOX = [-3.0, 3.0, -3.0, 3.0]
BASIN_STEP = 0.05
BASIN_ITERATIONS = 600


def wells_function(centres: tuple[tuple[float, float], ...], depths: tuple[int, ...], widths: tuple[sympy.Rational, ...]) -> sympy.Expr:
    bowl = (x**2 + y**2) / 10
    wells = [d * sympy.exp(-((x - sympy.nsimplify(cx)) ** 2 + (y - sympy.nsimplify(cy)) ** 2) / w)
             for (cx, cy), d, w in zip(centres, depths, widths, strict=True)]
    return bowl - sympy.Add(*wells)


def descent_basins(seed: int) -> Draft:
    centres, depths, widths, target = pick(seed, _WELLS, ((3, 2, 2), (2, 3, 2), (2, 2, 3), (3, 3, 2)),
                                            ((1, 2, sympy.Rational(3, 2)), (sympy.Rational(3, 2), 1, 2), (2, sympy.Rational(3, 2), 1)),
                                            (0, 1, 2))
    f = wells_function(centres, depths, widths)
    grid = np.array([(gx, gy) for gx in np.arange(-2.5, 2.51, 0.5) for gy in np.arange(-2.5, 2.51, 0.5)])
    # One descent for the wells' centres and the grid together (each start descends on its own):
    # the gradient is compiled and stepped once, not twice.
    ends = _ends(f, np.vstack([np.array(centres, dtype=float), grid]))
    minima, ends = ends[: len(centres)], ends[len(centres) :]
    basin = np.argmin(np.hypot(ends[:, None, 0] - minima[None, :, 0], ends[:, None, 1] - minima[None, :, 1]), axis=1)
    far = np.min(np.hypot(grid[:, None, 0] - minima[None, :, 0], grid[:, None, 1] - minima[None, :, 1]), axis=1) >= 0.7
    rng = random.Random(seed)
    inside = [i for i in range(len(grid)) if basin[i] == target and far[i]]
    outside = [i for i in range(len(grid)) if basin[i] != target and far[i]]
    rng.shuffle(inside)
    rng.shuffle(outside)
    goal = minima[target]
    right = inside[0]
    # The trap: a wrong start nearer to ★ than the right one, across the ridge.
    distance = np.hypot(grid[:, 0] - goal[0], grid[:, 1] - goal[1])
    outside.sort(key=lambda i: (distance[i] >= distance[right], rng.random()))
    chosen = [right]
    for i in outside:
        if all(np.hypot(*(grid[i] - grid[j])) >= 1.2 for j in chosen):
            chosen.append(i)
        if len(chosen) == 4:
            break
    notes = []
    for i in chosen:
        end = minima[basin[i]]
        if i == right:
            notes.append("downhill from it leads to ★: it starts in ★'s basin")
        else:
            nearer = " — nearer to ★, but a ridge lies between" if distance[i] < distance[right] else ""
            notes.append(f"downhill from it leads to the other minimum near ({end[0]:.1f}, {end[1]:.1f}){nearer}")
    figure = {"type": "basins", "f": sympy.sstr(f), "box": BASIN_BOX, "target": [round(float(goal[0]), 4), round(float(goal[1]), 4)],
              "starts": [], "step": BASIN_STEP, "iterations": BASIN_ITERATIONS}
    options = [([float(grid[i][0]), float(grid[i][1])], note, None) for i, note in zip(chosen, notes, strict=True)]
    draft, _ = picture_draft(
        rng,
        ("**Which start reaches the minimum ★?** The map shows a function with several valleys (blue low, "
         "red high). Gradient descent with small steps starts from each of the points A–D. Which one ends "
         "at the minimum marked ★?"),
        figure, options,
        hints=("Small steps go straight downhill, across the contours, into the valley the start lies in.",
               "The nearest minimum is not always the one reached: find the ridge between the valleys."),
        solution="",
        skills=("gradient_descent",),
        noun="point", key="starts",
    )
    return dataclasses.replace(
        draft, solution=f"From {draft.answer} every downhill step stays in ★'s valley; the others cross no ridge to reach it.")


def _ends(f: sympy.Expr, starts: np.ndarray) -> np.ndarray:
    path = descend(f, (starts[:, 0], starts[:, 1]), BASIN_STEP, BASIN_ITERATIONS)
    return np.stack([path.x[-1], path.y[-1]], axis=1)


GENERATORS: dict[str, Generator] = {
    "gradient_arrows": gradient_arrows,
    "descent_step_size": descent_step_size,
    "descent_basins": descent_basins,
}
