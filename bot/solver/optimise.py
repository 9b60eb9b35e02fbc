"""Optimisation (course week 5): stationary points and Lagrange multipliers.

Everything here is pure: SymPy objects and numbers in, frozen dataclasses out, domain errors
(``bot.errors``) raised for the learner. The systems they lead to are solved by
``bot.solver.systems``; Newton–Raphson is in ``bot.solver.newton``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from bot.errors import BadArgument, NoSolution, Undefined
from bot.solver import numeric
from bot.solver.equivalence import run_with_budget
from bot.solver.systems import (
    NICE_OPS,
    SEARCH_BOX,
    check_variables,
    learner_text,
    solve_system,
    tidy,
)
from bot.solver.variables import symbol

# ---------------------------------------------------------------------------------------------
# Stationary points


@dataclass(frozen=True)
class StationaryPoint:
    point: tuple[sympy.Expr, ...]
    value: sympy.Expr  # f there
    hessian: sympy.Matrix  # H there (1-D: the 1x1 matrix [f''])
    determinant: sympy.Expr
    eigenvalues: tuple[sympy.Expr, ...]
    kind: str  # "minimum", "maximum", "saddle", "inflection" (1-D) or "inconclusive"
    test_order: int = 2  # 1-D: order of the first non-zero derivative that decided


@dataclass(frozen=True)
class StationaryResult:
    function: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    gradient: tuple[sympy.Expr, ...]
    hessian: sympy.Matrix
    points: tuple[StationaryPoint, ...]
    families: tuple[tuple[sympy.Expr, ...], ...]  # lines/curves of stationary points, e.g. (y, y)
    method: str  # "symbolic", "numeric" or "symbolic+numeric"
    search_box: float | None  # numeric search: points found with every |coordinate| <= this
    periodic: bool  # trigonometric gradient: more stationary points repeat outside the box


def stationary_points(function: sympy.Expr, variables: Sequence[sympy.Symbol]) -> StationaryResult:
    """Solve ∇f = 0 (real solutions) and classify each point by the Hessian (1-D: f'' and beyond)."""
    check_variables(variables)
    _check_free(function, variables, "f")
    gradient = tuple(sympy.diff(function, v) for v in variables)
    hessian = sympy.hessian(function, list(variables))
    solutions = solve_system(gradient, variables)
    if solutions.infinite and not solutions.families and not solutions.points:
        raise NoSolution(
            "this function has infinitely many stationary points, and they could not be described",
            hint="try a simpler function, or fix some variables",
        )
    if not solutions.points and not solutions.families and solutions.box is not None:
        raise NoSolution(
            f"no stationary points found with every coordinate in [-{SEARCH_BOX:g}, {SEARCH_BOX:g}] "
            "(the equations ∇f = 0 could not be solved exactly)",
        )
    points = tuple(_classify(function, variables, hessian, p) for p in solutions.points)
    periodic = any(
        node.func in (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)
        for g in gradient for node in sympy.preorder_traversal(g) if isinstance(node, sympy.Function)
    )
    return StationaryResult(
        function, tuple(variables), gradient, hessian, points, tuple(solutions.families),
        solutions.method, solutions.box, periodic,
    )


def _check_free(expr: sympy.Expr, variables: Sequence[sympy.Symbol], name: str) -> None:
    if expr.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise Undefined(f"{name} is infinite or undefined ({learner_text(expr)}), so it has no finite extremes to find")
    others = sorted(s.name for s in expr.free_symbols - set(variables))
    if others:
        raise BadArgument(
            f"{name} has symbols that are not among the variables {', '.join(v.name for v in variables)}: "
            f"{', '.join(others)}",
            hint=f"list every variable, e.g. 'vars {','.join([*(v.name for v in variables), *others])}'",
        )


def _classify(
    function: sympy.Expr, variables: Sequence[sympy.Symbol], hessian: sympy.Matrix, point: tuple[sympy.Expr, ...]
) -> StationaryPoint:
    at = dict(zip(variables, point, strict=True))
    value = tidy(function.xreplace(at))
    local = hessian.xreplace(at).applyfunc(tidy)
    if len(variables) == 1:
        return _classify_1d(function, variables[0], point, value, local)
    determinant = tidy(local.det())
    numeric = np.linalg.eigvalsh(np.array(local.evalf(20).tolist(), dtype=float))
    exact = not any(v.has(sympy.Float) for v in point)
    if exact and determinant != 0:
        tolerance = 0.0  # no eigenvalue is zero: signs of the floats are reliable
    else:
        tolerance = 1e-9 * max(1.0, float(np.max(np.abs(numeric))))
    positive, negative = int(np.sum(numeric > tolerance)), int(np.sum(numeric < -tolerance))
    n = len(variables)
    kind = (
        "minimum" if positive == n else
        "maximum" if negative == n else
        "saddle" if positive and negative else
        "inconclusive"
    )
    return StationaryPoint(point, value, local, determinant, _eigenvalues(local, numeric, exact), kind)


def _eigenvalues(matrix: sympy.Matrix, numeric: np.ndarray, exact: bool) -> tuple[sympy.Expr, ...]:
    """Exact when small and tidy, else decimals, in increasing order."""
    if exact and matrix.shape[0] <= 3:
        found = run_with_budget(matrix.eigenvals, 1.0)
        if found is not None:
            values = [tidy(v) for v, multiplicity in found.items() for _ in range(multiplicity)]
            if all(v.is_real and sympy.count_ops(v) <= NICE_OPS for v in values):
                return tuple(sorted(values, key=lambda v: float(sympy.N(v))))
    return tuple(sympy.Float(float(v), 15) for v in sorted(numeric))


def _classify_1d(
    function: sympy.Expr, var: sympy.Symbol, point: tuple[sympy.Expr, ...], value: sympy.Expr, local: sympy.Matrix
) -> StationaryPoint:
    """f'' test, then the first non-zero higher derivative (odd order: a point of inflection)."""
    at = {var: point[0]}
    second = local[0, 0]
    kind, order = "inconclusive", 2
    for k in range(2, 9):
        derivative = second if k == 2 else tidy(sympy.diff(function, var, k).xreplace(at))
        numeric_value = sympy.N(derivative)
        if not (numeric_value.is_Number and numeric_value.is_finite):
            break  # not differentiable there (|x| at 0: DiracDelta): the test cannot decide
        number = float(numeric_value)
        if derivative == 0 or (derivative.has(sympy.Float) and abs(number) < 1e-9):
            continue
        order = k
        kind = "inflection" if k % 2 else ("minimum" if number > 0 else "maximum")
        break
    return StationaryPoint(point, value, local, second, (second,), kind, order)


# ---------------------------------------------------------------------------------------------
# Lagrange multipliers


@dataclass(frozen=True)
class LagrangeCandidate:
    point: tuple[sympy.Expr, ...]
    multiplier: sympy.Expr | None  # None where ∇g = 0: the method does not apply there
    value: sympy.Expr  # f there
    kind: str  # second-order test along the constraint: "local maximum", "local minimum", "neither", "inconclusive", "singular"


@dataclass(frozen=True)
class LagrangeResult:
    function: sympy.Expr
    constraint: sympy.Expr  # g
    level: sympy.Expr  # c, in g = c
    variables: tuple[sympy.Symbol, ...]
    multiplier: sympy.Symbol  # λ
    equations: tuple[sympy.Eq, ...]  # ∂f/∂x_i = λ ∂g/∂x_i, and g = c
    candidates: tuple[LagrangeCandidate, ...]
    maximum: tuple[int, ...]  # indices of the candidates with the largest f
    minimum: tuple[int, ...]
    bounded: bool  # the constraint set is bounded, so the largest/smallest are the global max/min
    method: str
    search_box: float | None


def lagrange_multipliers(
    function: sympy.Expr, constraint: sympy.Expr, level: sympy.Expr, variables: Sequence[sympy.Symbol]
) -> LagrangeResult:
    """Extremes of f on g = c: solve ∇f = λ∇g with g = c, then compare f at the candidates."""
    check_variables(variables)
    _check_free(function, variables, "f")
    _check_free(constraint - level, variables, "the constraint")
    if not (constraint - level).free_symbols:
        raise BadArgument("the constraint must involve the variables, e.g. 'x + y = 10'")
    names = {v.name for v in variables}
    multiplier = next(symbol(n) for n in ("λ", "μ", "ν") if n not in names)
    grad_f = [sympy.diff(function, v) for v in variables]
    grad_g = [sympy.diff(constraint, v) for v in variables]
    equations = tuple(sympy.Eq(a, multiplier * b, evaluate=False) for a, b in zip(grad_f, grad_g, strict=True))
    equations += (sympy.Eq(constraint, level, evaluate=False),)
    # ∇f ∥ ∇g: every 2x2 minor vanishes; this eliminates λ and keeps the system polynomial more often
    n = len(variables)
    parallel = [grad_f[i] * grad_g[j] - grad_f[j] * grad_g[i] for i in range(n) for j in range(i + 1, n)]
    square = [a - multiplier * b for a, b in zip(grad_f, grad_g, strict=True)] + [constraint - level]
    compiled: list[Callable[[np.ndarray], object]] = []  # ∇f, ∇g: compiled only if the numeric search runs

    def make_start(x0: np.ndarray) -> np.ndarray:
        if not compiled:
            compiled.extend(sympy.lambdify([list(variables)], numeric.realise(grad), numeric.NUMPY) for grad in (grad_f, grad_g))
        df, dg = compiled
        with np.errstate(all="ignore"):
            u, w = np.asarray(df(x0), dtype=float), np.asarray(dg(x0), dtype=float)
        scale = float(w @ w)
        guess = float(u @ w) / scale if scale > 0 and np.isfinite(scale) else 0.0
        return np.append(x0, guess if np.isfinite(guess) else 0.0)

    solutions = solve_system([*parallel, constraint - level], variables, (square, [*variables, multiplier], make_start))
    if solutions.infinite:
        raise NoSolution(
            "every point of the constraint is a candidate: ∇f is parallel to ∇g all along it, "
            f"so f is constant there or the equations are degenerate (f = {learner_text(function)})",
        )
    if not solutions.points:
        where = "" if solutions.box is None else f" with every coordinate in [-{SEARCH_BOX:g}, {SEARCH_BOX:g}]"
        raise NoSolution(
            f"no point on {learner_text(constraint)} = {learner_text(level)}{where} has ∇f parallel to ∇g, so f has no "
            "constrained maximum or minimum there (does the constraint have any real points?)",
            hint="a constraint needs real solutions, e.g. x^2 + y^2 = 1",
        )
    candidates = tuple(
        _candidate(function, constraint, variables, point, grad_f, grad_g) for point in solutions.points
    )
    values = [float(sympy.N(c.value)) for c in candidates]
    top, bottom = max(values), min(values)
    close = lambda a, b: a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a))  # noqa: E731
    maximum = tuple(i for i, v in enumerate(values) if close(v, top))
    minimum = tuple(i for i, v in enumerate(values) if close(v, bottom))
    return LagrangeResult(
        function, constraint, level, tuple(variables), multiplier, equations, candidates,
        maximum, minimum, _bounded(constraint - level, variables), solutions.method, solutions.box,
    )


def _candidate(
    function: sympy.Expr,
    constraint: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    point: tuple[sympy.Expr, ...],
    grad_f: Sequence[sympy.Expr],
    grad_g: Sequence[sympy.Expr],
) -> LagrangeCandidate:
    at = dict(zip(variables, point, strict=True))
    value = tidy(function.xreplace(at))
    u = [tidy(d.xreplace(at)) for d in grad_f]
    w = [tidy(d.xreplace(at)) for d in grad_g]
    if all(abs(float(sympy.N(c))) < 1e-12 for c in w):
        return LagrangeCandidate(point, None, value, "singular")
    multiplier = tidy(sum((a * b for a, b in zip(u, w, strict=True)), sympy.Integer(0)) / sum((b * b for b in w), sympy.Integer(0)))
    # second-order test: the Lagrangian's Hessian on the tangent space of the constraint
    lagrangian = sympy.hessian(function - multiplier * constraint, list(variables))
    h = np.array(lagrangian.xreplace(at).evalf(20).tolist(), dtype=float)
    normal = np.array([float(sympy.N(c)) for c in w])
    tangent = np.linalg.svd(normal.reshape(1, -1))[2][1:].T  # orthonormal basis of normal's complement
    if tangent.size == 0:
        return LagrangeCandidate(point, multiplier, value, "inconclusive")
    curvature = np.linalg.eigvalsh(tangent.T @ h @ tangent)
    tolerance = 1e-8 * max(1.0, float(np.max(np.abs(h))))
    if np.all(curvature > tolerance):
        kind = "local minimum"
    elif np.all(curvature < -tolerance):
        kind = "local maximum"
    elif np.any(curvature > tolerance) and np.any(curvature < -tolerance):
        kind = "neither"
    else:
        kind = "inconclusive"
    return LagrangeCandidate(point, multiplier, value, kind)


def _bounded(constraint: sympy.Expr, variables: Sequence[sympy.Symbol]) -> bool:
    """Is {g = c} bounded? Yes if g is a polynomial whose top-degree part has one strict sign.

    Then |g| -> infinity in every direction, so the level set is closed and bounded and f attains
    its max and min on it (extreme value theorem). Otherwise we do not claim global extremes.
    """
    if not constraint.is_polynomial(*variables):
        return False
    poly = sympy.Poly(constraint, *variables)
    degree = poly.total_degree()
    if degree < 2:
        return False
    top = sum(
        (coefficient * sympy.Mul(*(v**e for v, e in zip(variables, monomial, strict=True)))
         for monomial, coefficient in poly.terms() if sum(monomial) == degree),
        sympy.Integer(0),
    )
    evaluate = sympy.lambdify([list(variables)], numeric.realise(top), numeric.NUMPY)
    if len(variables) == 2:
        angles = np.linspace(0, 2 * math.pi, 721)
        directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    else:
        directions = np.random.default_rng(0).normal(size=(4000, len(variables)))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    values = np.array([float(evaluate(d)) for d in directions])
    smallest = float(np.min(np.abs(values)))
    return smallest > 1e-6 * float(np.max(np.abs(values))) and bool(np.all(np.sign(values) == np.sign(values[0])))

