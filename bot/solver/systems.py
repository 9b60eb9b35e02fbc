"""Solving systems of equations for the optimisation commands: exactly when that is cheap and
complete (polynomial systems via a lex Gröbner basis and exact real roots), otherwise by a numeric
search from a grid of starting points inside a stated box; and how the found values are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from bot.errors import TooComplex
from bot.solver import numeric
from bot.solver.equivalence import run_with_budget

WORKING_DIGITS = 30
_SOLVE_BUDGET_SECONDS = 4.0  # exact polynomial solving: complete, so worth waiting for
_GENERAL_SOLVE_BUDGET_SECONDS = 2.0  # sympy.solve on other equations: often partial; the search follows
SEARCH_BOX = 10.0  # the numeric search looks for solutions with every coordinate in [-10, 10]
_MAX_VARIABLES = 6
NICE_OPS = 40  # exact values bigger than this are shown as decimals
_TABLE_ROWS_IN_ERRORS = 12


def learner_text(expr: sympy.Basic) -> str:
    """An expression in messages as learners type it: ``x^2``, not ``x**2``."""
    return sympy.sstr(expr).replace("**", "^")


# ---------------------------------------------------------------------------------------------
# Solving systems: exact for polynomial systems, numeric search otherwise


@dataclass(frozen=True)
class _Solutions:
    points: list[tuple[sympy.Expr, ...]]
    families: list[tuple[sympy.Expr, ...]]  # parametrised by some of the unknowns, e.g. (y, y)
    infinite: bool  # infinitely many solutions (families may or may not describe them)
    method: str  # "symbolic", "numeric" or "symbolic+numeric"
    box: float | None  # numeric search bounds, when the search was used


def _essential(equation: sympy.Expr, unknowns: Sequence[sympy.Symbol]) -> sympy.Expr:
    """The part of ``equation = 0`` that can vanish: numerator without never-zero factors (exp, constants)."""
    # A polynomial is its own numerator: ``together`` (a gcd over every term) would only confirm it.
    numerator = equation if equation.is_polynomial(*unknowns) else sympy.together(equation).as_numer_denom()[0]
    if numerator == 0:
        return sympy.Integer(0)
    kept = []
    for factor in sympy.Mul.make_args(sympy.factor_terms(numerator)):
        base = factor.base if isinstance(factor, sympy.Pow) and factor.exp.is_positive else factor
        if base.is_positive or base.is_negative or not (base.free_symbols & set(unknowns)):
            continue
        kept.append(base)
    return sympy.expand(sympy.Mul(*kept)) if kept else sympy.Integer(1)


def solve_system(
    equations: Sequence[sympy.Expr],
    unknowns: Sequence[sympy.Symbol],
    numeric_system: tuple[Sequence[sympy.Expr], Sequence[sympy.Symbol], Callable[[np.ndarray], np.ndarray]] | None = None,
) -> _Solutions:
    """Real solutions of ``equations = 0``.

    ``numeric_system`` (square equations, unknowns, start maker) is what the numeric search solves
    when it differs from ``equations`` (Lagrange: with λ, so the system is square).
    """
    reduced = [_essential(eq, unknowns) for eq in equations]
    reduced = [eq for eq in reduced if eq != 0]
    if any(eq.is_number and eq != 0 for eq in reduced):
        return _Solutions([], [], False, "symbolic", None)
    if not reduced:
        return _Solutions([], [tuple(unknowns)], True, "symbolic", None)
    if all(eq.is_polynomial(*unknowns) for eq in reduced):
        exact = run_with_budget(lambda: _solve_polynomial(reduced, unknowns), _SOLVE_BUDGET_SECONDS)
        if exact is not None:
            points, families, infinite = exact
            points = [p for p in points if _satisfies(equations, unknowns, p)]
            return _Solutions(points, families, infinite, "symbolic", None)
        symbolic: list[tuple[sympy.Expr, ...]] = []
    else:
        symbolic = run_with_budget(lambda: _solve_general(reduced, unknowns), _GENERAL_SOLVE_BUDGET_SECONDS) or []
        symbolic = [p for p in symbolic if _satisfies(equations, unknowns, p)]
    system = numeric_system or (equations, unknowns, lambda start: start)
    found = _numeric_search(equations, unknowns, *system)
    merged = list(symbolic)
    for point in found:
        if not any(_close(point, known) for known in merged[: len(symbolic)]):
            merged.append(point)
    merged.sort(key=_point_order)
    method = "symbolic+numeric" if symbolic else "numeric"
    return _Solutions(merged, [], False, method, SEARCH_BOX)


def _solve_polynomial(
    equations: Sequence[sympy.Expr], unknowns: Sequence[sympy.Symbol]
) -> tuple[list[tuple[sympy.Expr, ...]], list[tuple[sympy.Expr, ...]], bool]:
    """Complete real solution set via a lex Gröbner basis and exact real roots, back to front."""
    basis = sympy.groebner(list(equations), *unknowns, order="lex")
    if list(basis.exprs) == [1]:
        return [], [], False
    if not basis.is_zero_dimensional:
        families: list[tuple[sympy.Expr, ...]] = []
        points: list[tuple[sympy.Expr, ...]] = []
        for solution in sympy.solve(list(equations), list(unknowns), dict=True):
            point = tuple(sympy.simplify(solution.get(u, u)) for u in unknowns)
            if any(value.has(sympy.I) for value in point):
                continue
            (families if any(v.free_symbols for v in point) else points).append(point)
        return points, families, True
    solutions: list[dict[sympy.Symbol, sympy.Expr]] = [{}]
    for var in reversed(unknowns):
        extended = []
        for assigned in solutions:
            polys = [sympy.expand(p.xreplace(assigned)) for p in basis.exprs]
            univariate = [p for p in polys if p.free_symbols == {var}]
            for root in _real_roots(univariate, var):
                extended.append({**assigned, var: root})
        solutions = extended
    points = [tuple(tidy(s[u]) for u in unknowns) for s in solutions]
    return points, [], False


def _real_roots(polys: Sequence[sympy.Expr], var: sympy.Symbol) -> list[sympy.Expr]:
    """Common real roots: exact over the rationals, else exact if linear, else 30-digit decimals."""
    if not polys:
        raise TooComplex("the system has infinitely many solutions that could not be described")
    if not any(p.has(sympy.Float) for p in polys):
        try:
            common = sympy.Poly(polys[0], var, domain="QQ")
            for p in polys[1:]:
                common = common.gcd(sympy.Poly(p, var, domain="QQ"))
            # roots of irreducible quartics and up are CRootOf: shown as decimals anyway, and
            # 30-digit decimals keep the rest of the work fast
            return [
                sympy.Float(sympy.N(root, WORKING_DIGITS), WORKING_DIGITS) if root.has(sympy.CRootOf) else root
                for root in dict.fromkeys(common.real_roots())
            ]
        except (sympy.PolynomialError, sympy.CoercionFailed):
            pass
    lowest = min(polys, key=lambda p: sympy.degree(p, var))
    if sympy.degree(lowest, var) == 1:
        a, b = sympy.Poly(lowest, var).all_coeffs()
        candidates = [-b / a]
    else:
        coefficients = [sympy.N(c, WORKING_DIGITS + 10) for c in sympy.Poly(lowest, var).all_coeffs()]
        with mpmath.workdps(WORKING_DIGITS + 10):
            roots = mpmath.polyroots([mpmath.mpmathify(complex(c)) if c.has(sympy.I) else mpmath.mpf(c) for c in coefficients], maxsteps=200, extraprec=60)
        candidates = [sympy.Float(mpmath.nstr(mpmath.re(r), WORKING_DIGITS), WORKING_DIGITS) for r in roots if abs(mpmath.im(r)) < 1e-20]
    tolerance = sympy.Float(f"1e-{WORKING_DIGITS - 8}")
    return [
        c for c in candidates
        if all(abs(sympy.N(p.xreplace({var: c}), WORKING_DIGITS)) < tolerance for p in polys)
    ]


def _solve_general(equations: Sequence[sympy.Expr], unknowns: Sequence[sympy.Symbol]) -> list[tuple[sympy.Expr, ...]]:
    try:
        solutions = sympy.solve(list(equations), list(unknowns), dict=True)
    except (NotImplementedError, sympy.PolynomialError, ValueError, TypeError):
        return []
    points = []
    for solution in solutions:
        if any(u not in solution for u in unknowns):
            continue
        point = tuple(tidy(solution[u]) for u in unknowns)
        if all(not v.free_symbols for v in point):
            points.append(point)
    return points


def tidy(value: sympy.Expr) -> sympy.Expr:
    """Simplify small exact values; make numerically real values real."""
    if value.is_Rational or value.has(sympy.Float):
        return value  # a rational number is already as simple as it gets
    if value.is_real is not True:
        real, imaginary = sympy.N(value, WORKING_DIGITS).as_real_imag()
        if abs(imaginary) > 1e-20 * max(1, abs(real)):
            return value  # genuinely complex: _satisfies drops it
        if sympy.count_ops(value) > NICE_OPS or value.has(sympy.I):
            return sympy.Float(real, WORKING_DIGITS)
    if sympy.count_ops(value) <= NICE_OPS and not value.has(sympy.CRootOf):
        simplified = run_with_budget(lambda: sympy.radsimp(sympy.simplify(value)), 1.0)
        if simplified is not None and sympy.count_ops(simplified) <= sympy.count_ops(value):
            return simplified
    return value


def _satisfies(equations: Sequence[sympy.Expr], unknowns: Sequence[sympy.Symbol], point: tuple[sympy.Expr, ...]) -> bool:
    """Real, and every equation is defined and ~0 there (guards removed denominators too)."""
    substitution = dict(zip(unknowns, point, strict=True))
    for value in point:
        real, imaginary = sympy.N(value, WORKING_DIGITS).as_real_imag()
        if abs(imaginary) > 1e-20 * max(1, abs(real)):
            return False
    for eq in equations:
        value = sympy.N(eq.xreplace(substitution), WORKING_DIGITS)
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_number:
            return False
        if abs(value) > 1e-12 * max(1, max(abs(sympy.N(v)) for v in point) if point else 1):
            return False
    return True


def _close(a: tuple[sympy.Expr, ...], b: tuple[sympy.Expr, ...]) -> bool:
    return all(
        abs(x - y) <= 1e-6 * max(1.0, abs(x))
        for x, y in zip(_floats(a), _floats(b), strict=True)
    )


def _floats(point: tuple[sympy.Expr, ...]) -> list[float]:
    return [float(sympy.re(sympy.N(v))) for v in point]


def _start_grid(dimension: int) -> np.ndarray:
    """Deterministic starting points filling the search box."""
    per_axis = {1: 201, 2: 21, 3: 9}.get(dimension)
    if per_axis is not None:
        axis = np.linspace(-SEARCH_BOX, SEARCH_BOX, per_axis)
        mesh = np.meshgrid(*([axis] * dimension), indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)
    return np.random.default_rng(0).uniform(-SEARCH_BOX, SEARCH_BOX, size=(600, dimension))


def _numeric_search(
    equations: Sequence[sympy.Expr],
    unknowns: Sequence[sympy.Symbol],
    system: Sequence[sympy.Expr],
    system_unknowns: Sequence[sympy.Symbol],
    make_start: Callable[[np.ndarray], np.ndarray],
) -> list[tuple[sympy.Expr, ...]]:
    """Newton-type root finding (scipy hybr) from a grid, polished to 30 digits, deduplicated.

    Returns points in ``unknowns`` (the first len(unknowns) of ``system_unknowns``), exact where
    a short closed form (rational, surd, multiple of pi) is verified to satisfy the equations.
    """
    import scipy.optimize  # ≈0.7 s to import, only for systems SymPy cannot solve: kept off every start

    vector = sympy.Matrix(list(system))
    jacobian = vector.jacobian(list(system_unknowns))
    residual = sympy.lambdify([list(system_unknowns)], numeric.realise(list(system)), numeric.NUMPY)
    derivative = sympy.lambdify([list(system_unknowns)], numeric.realise(jacobian.tolist()), numeric.NUMPY)

    def fun(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(residual(v), dtype=float), np.asarray(derivative(v), dtype=float)

    k = len(unknowns)
    found: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for grid_point in _start_grid(k):
            start = make_start(grid_point)
            try:
                outcome = scipy.optimize.root(fun, start, jac=True, method="hybr")
            except (ValueError, TypeError, ZeroDivisionError, FloatingPointError):
                continue
            solution = outcome.x
            if not np.all(np.isfinite(solution)) or np.any(np.abs(solution[:k]) > SEARCH_BOX * (1 + 1e-9)):
                continue
            value = np.asarray(residual(solution), dtype=float)
            if not np.all(np.isfinite(value)) or np.max(np.abs(value)) > 1e-9:
                continue
            known = np.array([other[:k] for other in found]).reshape(-1, k)
            near = np.all(np.abs(known - solution[:k]) <= 1e-6 * (1 + np.abs(solution[:k])), axis=1)
            if not np.any(near):
                found.append(solution)
    precise_residual = sympy.lambdify([list(system_unknowns)], numeric.realise(list(system)), numeric.MPMATH)
    precise_derivative = sympy.lambdify([list(system_unknowns)], numeric.realise(jacobian.tolist()), numeric.MPMATH)
    points = []
    for solution in found:
        polished = _polish(precise_residual, precise_derivative, solution)
        point = tuple(_recognise(value, equations, unknowns, polished[:k], i) for i, value in enumerate(polished[:k]))
        if _satisfies(equations, unknowns, point):
            points.append(point)
    return sorted(points, key=_point_order)


def _polish(
    residual: Callable[[list[mpmath.mpf]], list[mpmath.mpf]],
    derivative: Callable[[list[mpmath.mpf]], list[list[mpmath.mpf]]],
    start: np.ndarray,
) -> list[sympy.Float]:
    """A few Newton steps at 30 digits so that recognised closed forms can be checked."""
    with mpmath.workdps(WORKING_DIGITS + 5):
        v = mpmath.matrix([mpmath.mpf(float(s)) for s in start])
        for _ in range(4):
            try:
                step = mpmath.lu_solve(mpmath.matrix(derivative(list(v))), mpmath.matrix(residual(list(v))))
            except (ZeroDivisionError, ValueError, TypeError):
                break
            v = v - step
            if mpmath.norm(step) <= mpmath.mpf(10) ** (-WORKING_DIGITS) * (1 + mpmath.norm(v)):
                break
        return [sympy.Float(mpmath.nstr(mpmath.re(value), WORKING_DIGITS), WORKING_DIGITS) for value in v]


def _recognise(
    value: sympy.Float,
    equations: Sequence[sympy.Expr],
    unknowns: Sequence[sympy.Symbol],
    point: Sequence[sympy.Float],
    index: int,
) -> sympy.Expr:
    """A short closed form for a coordinate (0, 1/2, sqrt(2), 3*pi/2) if it checks out, else the decimal."""
    candidate = sympy.nsimplify(value, [sympy.pi], tolerance=1e-20, rational=False)
    if candidate.has(sympy.Float) or sympy.count_ops(candidate) > 12:
        return sympy.Float(value, 15)
    trial = dict(zip(unknowns, point, strict=True))
    trial[unknowns[index]] = candidate
    # a closed form is trusted when the equations still vanish to 30 digits with it substituted
    for eq in equations:
        residual = sympy.N(eq.xreplace(trial), WORKING_DIGITS)
        if not residual.is_number or abs(residual) > 1e-20:
            return sympy.Float(value, 15)
    return candidate


def _point_order(point: tuple[sympy.Expr, ...]) -> tuple[float, ...]:
    numbers = _floats(point)
    return (sum(v * v for v in numbers), *numbers)


def shown(value: sympy.Expr) -> sympy.Expr:
    """What a learner sees: exact if short, else a 15-digit decimal (CRootOf never shown)."""
    if isinstance(value, sympy.Float):
        return sympy.Float(value, 15)
    if value.has(sympy.CRootOf, sympy.Float) or sympy.count_ops(value) > NICE_OPS:
        return sympy.Float(sympy.re(sympy.N(value, 20)), 15)
    return value


def check_variables(variables: Sequence[sympy.Symbol]) -> None:
    if len(variables) > _MAX_VARIABLES:
        raise TooComplex(f"{len(variables)} variables is too many here; at most {_MAX_VARIABLES}")


