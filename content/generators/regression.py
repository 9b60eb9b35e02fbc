"""Module 6 generators: least-squares lines, χ², non-linear models, and fitting by steepest descent.

χ² = Σ(yᵢ − f(xᵢ))² as in the course. Straight-line fits are solved exactly from the normal equations
with SymPy rationals.
"""

from __future__ import annotations

import random

import sympy

from bot.present.format import plain
from bot.solver.variables import symbol
from content.generators.base import (
    Draft,
    Generator,
    code,
    decimal,
    declares,
    expression_draft,
    fmt_pairs,
    nonzero,
    number_draft,
    pick,
    point_text,
    rounded,
    vector_draft,
    x,
)

a, b, m, intercept = (symbol(name) for name in ("a", "b", "m", "c"))


def _data(seed: int) -> list[tuple[int, int]]:
    """3–5 points scattered about a line, integer coordinates, x never all equal."""
    count, slope, offset, start = pick(seed, (3, 4, 5), nonzero(-3, 3), range(-5, 6), (0, 1, 2))
    noise = random.Random(seed)
    return [(start + i, slope * (start + i) + offset + noise.choice((-1, 0, 0, 1))) for i in range(count)]


def _data_text(points: list[tuple[int, int]]) -> str:
    return fmt_pairs(points)


def _least_squares(points: list[tuple[int, int]]) -> tuple[sympy.Expr, sympy.Expr]:
    design = sympy.Matrix([[px, 1] for px, _ in points])
    targets = sympy.Matrix([py for _, py in points])
    solution = (design.T * design).solve(design.T * targets)
    return solution[0], solution[1]


def _chi_squared(points: list[tuple[int, int]], slope: sympy.Expr, offset: sympy.Expr) -> sympy.Expr:
    return sympy.Add(*[(py - (slope * px + offset)) ** 2 for px, py in points])


@declares("least_squares")
def least_squares_line(seed: int) -> Draft:
    points = _data(seed)
    slope, offset = _least_squares(points)
    n = len(points)
    sx, sy = sum(p for p, _ in points), sum(q for _, q in points)
    sxx, sxy = sum(p * p for p, _ in points), sum(p * q for p, q in points)
    return vector_draft(
        f"Fit the line y = m·x + c to the points {_data_text(points)} by least squares (minimise χ² = Σ(yᵢ − m·xᵢ − c)²). Give (m, c).",
        [slope, offset],
        hints=(
            "Set ∂χ²/∂m = 0 and ∂χ²/∂c = 0: two linear equations in m and c.",
            f"They read m·Σx² + c·Σx = Σxy and m·Σx + c·n = Σy, with n = {n}, Σx = {sx}, Σy = {sy}, Σx² = {sxx}, Σxy = {sxy}.",
        ),
        solution=f"The normal equations: {sxx}m + {sx}c = {sxy} and {sx}m + {n}c = {sy}. Solving: m = {plain(slope)}, "
        f"c = {plain(offset)}, so **(m, c) = {point_text([slope, offset])}**.",
        command=f"/fit line data {'; '.join(f'{p},{q}' for p, q in points)}",
    )


_TRIAL_SLOPES = tuple(sympy.Rational(n, 2) for n in range(-6, 7) if n != 0)


@declares("least_squares")
def chi_squared(seed: int) -> Draft:
    points = _data(seed)
    slope, offset = pick(seed, _TRIAL_SLOPES, range(-3, 4))
    value = _chi_squared(points, slope, offset)
    residuals = [py - (slope * px + offset) for px, py in points]
    return number_draft(
        f"For the points {_data_text(points)} and the line y = {code(slope * x + offset)}, what is χ² = Σ(yᵢ − f(xᵢ))²?",
        value,
        hints=("Work out each residual yᵢ − f(xᵢ), square it, and add them up.", f"The residuals are {', '.join(decimal(r) for r in residuals)}."),
        solution=f"Residuals: {', '.join(decimal(r) for r in residuals)}; their squares add up to **{decimal(value)}**.",
        command=f"/fit line data {'; '.join(f'{p},{q}' for p, q in points)}",
    )


_MODELS: tuple[tuple[str, sympy.Expr], ...] = (
    ("exponential", a * sympy.exp(b * x)),
    ("sine", a * sympy.sin(b * x)),
    ("gaussian", a * sympy.exp(-((x - b) ** 2) / 2)),
    ("logistic", a / (1 + sympy.exp(-b * x))),
    ("power", a * x**b),
)


@declares("least_squares", "partial_derivatives")
def model_partial(seed: int) -> Draft:
    (name, model), parameter, k = pick(seed, _MODELS, (a, b), nonzero(-6, 6))
    f = model + k * x if name != "gaussian" else model + k
    derivative = sympy.diff(f, parameter)
    return expression_draft(
        f"Non-linear least squares needs the derivatives of the model with respect to its parameters. "
        f"For f(x; a, b) = {code(f)}, find ∂f/∂{parameter}.",
        derivative,
        hints=(f"x is data here: treat x and the other parameter as constants, and differentiate with respect to {parameter}.",
               "The chain rule applies to the parameter inside the function."),
        solution=f"Holding x and the other parameter fixed, ∂f/∂{parameter} = **{code(derivative)}**. It enters "
        f"∂χ²/∂{parameter} = −2Σ(yᵢ − f(xᵢ))·∂f/∂{parameter}(xᵢ).",
        command=f"/partial {plain(f)} wrt {parameter}",
    )


_HALVES = tuple(sympy.Rational(n, 2) for n in (1, 2, 3, 4))


@declares("least_squares", "partial_derivatives")
def chi_squared_partial(seed: int) -> Draft:
    scale, rate, parameter, ys = pick(
        seed, _HALVES, tuple(sympy.Rational(n, 10) for n in (-5, -2, 1, 3, 5)), (a, b), ((1, 2, 4), (1, 3, 6), (2, 3, 5), (1, 2, 3), (2, 4, 9))
    )
    model = a * sympy.exp(b * x)
    points = list(zip((0, 1, 2), ys, strict=True))
    chi = sympy.Add(*[(py - model.subs(x, px)) ** 2 for px, py in points])
    value = rounded(sympy.diff(chi, parameter).evalf(15, subs={a: scale, b: rate}))
    return number_draft(
        f"Fit f(x) = a·e^(b·x) to the points {_data_text(points)}. At the guess a = {decimal(scale)}, b = {decimal(rate)}, "
        f"what is ∂χ²/∂{parameter}, where χ² = Σ(yᵢ − f(xᵢ))²?",
        value,
        hints=(f"∂χ²/∂{parameter} = −2Σ(yᵢ − f(xᵢ))·∂f/∂{parameter}(xᵢ).", f"∂f/∂{parameter} = {code(sympy.diff(model, parameter))}."),
        solution=f"With ∂f/∂{parameter} = {code(sympy.diff(model, parameter))}, summing −2(yᵢ − f(xᵢ))·∂f/∂{parameter}(xᵢ) over the three "
        f"points gives **{sympy.N(value, 6)}**.",
        command=f"/fit a*exp(b*x) data {'; '.join(f'{p},{q}' for p, q in points)}",
    )


def _line_gradient(points: list[tuple[int, int]], slope: sympy.Expr, offset: sympy.Expr) -> list[sympy.Expr]:
    chi = sympy.Poly(_chi_squared(points, m, intercept), m, intercept)
    return [chi.diff(v).eval({m: slope, intercept: offset}) for v in (m, intercept)]  # safe: Poly.eval of numbers, no text


@declares("least_squares", "gradient")
def chi_squared_gradient(seed: int) -> Draft:
    points = _data(seed)
    slope, offset = pick(seed, range(-2, 3), range(-2, 3))
    gradient = _line_gradient(points, sympy.Integer(slope), sympy.Integer(offset))
    return vector_draft(
        f"For the points {_data_text(points)} and the line y = m·x + c, find the gradient of χ² = Σ(yᵢ − m·xᵢ − c)² "
        f"at m = {slope}, c = {offset}, as (∂χ²/∂m, ∂χ²/∂c).",
        gradient,
        hints=("∂χ²/∂m = −2Σ xᵢ(yᵢ − m·xᵢ − c) and ∂χ²/∂c = −2Σ(yᵢ − m·xᵢ − c).", "Work out the residuals at the given m and c first."),
        solution=f"Residuals: {', '.join(str(py - slope * px - offset) for px, py in points)}; so ∇χ² = **{point_text(gradient)}**.",
        command=f"/fit line data {'; '.join(f'{p},{q}' for p, q in points)}",
    )


_FIT_RATES = tuple(sympy.Rational(n, 100) for n in (1, 2, 5))


@declares("least_squares", "gradient_descent")
def fit_descent_step(seed: int) -> Draft:
    points = _data(seed)
    slope, offset, rate = pick(seed, range(-2, 3), range(-2, 3), _FIT_RATES)
    gradient = _line_gradient(points, sympy.Integer(slope), sympy.Integer(offset))
    following = [slope - rate * gradient[0], offset - rate * gradient[1]]
    chi = _chi_squared(points, a, b)
    return vector_draft(
        f"Fit y = m·x + c to {_data_text(points)} by steepest descent on χ². From (m, c) = ({slope}, {offset}) with step size "
        f"γ = {decimal(rate)}, what is the next (m, c)?",
        following,
        hints=("(m, c) ← (m, c) − γ·∇χ².", f"At ({slope}, {offset}), ∇χ² = (∂χ²/∂m, ∂χ²/∂c) = {point_text(gradient)}."),
        solution=f"∇χ² = {point_text(gradient)} at ({slope}, {offset}); ({slope}, {offset}) − {decimal(rate)}·{point_text(gradient)} = "
        f"**{point_text(following)}**.",
        command=f"/descent {plain(chi)} from ({slope}, {offset}) rate {decimal(rate)}",
    )


GENERATORS: dict[str, Generator] = {
    "least_squares_line": least_squares_line,
    "chi_squared": chi_squared,
    "model_partial": model_partial,
    "chi_squared_partial": chi_squared_partial,
    "chi_squared_gradient": chi_squared_gradient,
    "fit_descent_step": fit_descent_step,
}
