"""Optimisation (course week 5): Newton–Raphson, stationary points, Lagrange multipliers.

Everything here is pure: SymPy objects and numbers in, frozen dataclasses out, domain errors
(``bot.errors``) raised for the learner. Systems of equations are solved exactly when that is
cheap and complete (polynomial systems via a lex Gröbner basis and exact real roots), and
otherwise by a numeric search from a grid of starting points inside a stated box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.optimize
import sympy

from bot.errors import BadArgument, NoConvergence, NoSolution, TooComplex, Undefined
from bot.solver import numeric
from bot.solver.equivalence import run_with_budget
from bot.solver.variables import symbol

_WORKING_DIGITS = 30
_SOLVE_BUDGET_SECONDS = 4.0  # exact polynomial solving: complete, so worth waiting for
_GENERAL_SOLVE_BUDGET_SECONDS = 2.0  # sympy.solve on other equations: often partial; the search follows
_SEARCH_BOX = 10.0  # the numeric search looks for solutions with every coordinate in [-10, 10]
_MAX_VARIABLES = 6
_NICE_OPS = 40  # exact values bigger than this are shown as decimals
_TABLE_ROWS_IN_ERRORS = 12

# ---------------------------------------------------------------------------------------------
# Newton–Raphson


@dataclass(frozen=True)
class NewtonIterate:
    """One row of the iterations table: x_n and f, f' there."""

    n: int
    x: float
    fx: float
    dfx: float


@dataclass(frozen=True)
class NewtonResult:
    function: sympy.Expr
    var: sympy.Symbol
    derivative: sympy.Expr
    iterates: tuple[NewtonIterate, ...]  # x_0 ... x_N; x_N is the root
    root: sympy.Float  # 15 significant digits
    steps: int  # N
    linear: bool  # the error shrank only linearly: a repeated root, where f'(root) = 0


def newton_raphson(
    function: sympy.Expr,
    var: sympy.Symbol,
    start: sympy.Expr,
    max_steps: int = 50,
    tol: float = 1e-12,
) -> NewtonResult:
    """Iterate x_{n+1} = x_n - f(x_n)/f'(x_n) until the step is below ``tol`` (relative to |x|).

    Raises NoConvergence (divergence, cycling, too many steps) or Undefined (f'(x_n) = 0, f not
    defined or not real at x_n), with the iterations so far in the message.
    """
    if not 1 <= max_steps <= 500:
        raise BadArgument(f"max steps must be between 1 and 500, not {max_steps}")
    if not 1e-25 <= tol < 1:
        raise BadArgument(f"the tolerance must be between 1e-25 and 1, not {tol}")
    others = sorted(s.name for s in function.free_symbols - {var})
    if others:
        raise BadArgument(
            f"Newton–Raphson needs a function of {var} alone; this one also has {', '.join(others)}",
            hint="give numbers for the other symbols",
        )
    if start.free_symbols or not start.is_real:
        raise BadArgument("the starting point must be a real number, e.g. 'from 1.5'")
    derivative = sympy.diff(function, var)
    # f and f' compiled together: compiling is most of a short run's time
    both = sympy.lambdify(var, numeric.realise([function, derivative]), numeric.MPMATH)
    iterates: list[NewtonIterate] = []
    history: list[mpmath.mpf] = []
    with mpmath.workdps(_WORKING_DIGITS):
        x = mpmath.mpf(str(sympy.N(start, _WORKING_DIGITS)))  # exact starts like 1/sqrt(5) too
        x0_scale = max(mpmath.mpf(1), abs(x))
        for n in range(max_steps + 1):
            fx, dfx = _real_values(both, x, n, iterates, function, derivative, var)
            iterates.append(NewtonIterate(n, float(x), float(fx), float(dfx)))
            history.append(x)
            step_small = n > 0 and abs(x - history[-2]) <= tol * max(1, abs(x))
            if fx == 0 or step_small:
                if step_small and abs(fx) > 1e-6 * max(1, abs(iterates[0].fx)):
                    raise NoConvergence(
                        f"the steps shrank but f({_num(x)}) = {_num(fx)} is not near 0: "
                        f"{_txt(function)} has no root here\n{newton_table(iterates)}",
                        hint="try a different starting point",
                    )
                return NewtonResult(
                    function, var, derivative, tuple(iterates),
                    sympy.Float(mpmath.nstr(x, 20), 15), n, _converged_linearly(history),
                )
            if n == max_steps:
                break
            if dfx == 0:
                raise Undefined(
                    f"f'(x_{n}) = 0 at x_{n} = {_num(x)}: the tangent is horizontal and never "
                    f"meets the x-axis, so the next step is undefined\n{newton_table(iterates)}",
                    hint="start somewhere else, away from turning points of f",
                )
            x_next = x - fx / dfx
            if abs(x_next) > 1e10 * x0_scale:
                raise NoConvergence(
                    f"Newton–Raphson is diverging: x_{n + 1} = {_num(x_next)} is running off "
                    f"to infinity\n{newton_table(iterates)}",
                    hint=_start_hint(function, var),
                )
            # back at an earlier iterate while still taking big steps: a cycle, not convergence
            moving = abs(x_next - x) > 1e-6 * max(1, abs(x))
            for m, earlier in enumerate(history[:-1]):
                if moving and abs(x_next - earlier) <= 1e-9 * max(1, abs(earlier)):
                    cycle = ", ".join(_num(value) for value in history[m:])
                    raise NoConvergence(
                        f"Newton–Raphson is cycling: x_{n + 1} = x_{m} = {_num(earlier)}, so "
                        f"the iterates repeat {cycle}, … forever\n{newton_table(iterates)}",
                        hint=_start_hint(function, var),
                    )
            x = x_next
    raise NoConvergence(
        f"no convergence after {max_steps} steps{_no_root_note(function, var, iterates)}\n"
        f"{newton_table(iterates)}",
        hint=_start_hint(function, var),
    )


def newton_table(iterates: Sequence[NewtonIterate], max_rows: int = _TABLE_ROWS_IN_ERRORS) -> str:
    """The iterations as monospaced text (error messages are plain text, not Markdown)."""
    rows = list(iterates)
    if len(rows) > max_rows:
        head, tail = max_rows // 2, max_rows - max_rows // 2 - 1
        shown: list[NewtonIterate | None] = [*rows[:head], None, *rows[-tail:]]
    else:
        shown = list(rows)
    lines = [f"{'n':>3}  {'x_n':>18}  {'f(x_n)':>14}  {'fprime(x_n)':>14}".replace("fprime", "f'")]
    for row in shown:
        if row is None:
            lines.append(f"{'…':>3}")
        else:
            lines.append(f"{row.n:>3}  {row.x:>18.12g}  {row.fx:>14.6g}  {row.dfx:>14.6g}")
    return "\n".join(lines)


def _real_values(
    both: Callable[[mpmath.mpf], list[object]],
    x: mpmath.mpf,
    n: int,
    iterates: Sequence[NewtonIterate],
    function: sympy.Expr,
    derivative: sympy.Expr,
    var: sympy.Symbol,
) -> tuple[mpmath.mpf, mpmath.mpf]:
    """f(x) and f'(x) as real mpfs; if evaluating the pair fails, each alone says which is undefined."""
    try:
        fx, dfx = both(x)
    except (ZeroDivisionError, ValueError, OverflowError):
        return (
            _real_value(sympy.lambdify(var, numeric.realise(function), numeric.MPMATH), x, "f", n, iterates, function, var),
            _real_value(sympy.lambdify(var, numeric.realise(derivative), numeric.MPMATH), x, "f'", n, iterates, function, var),
        )
    return (
        _real_value(lambda _: fx, x, "f", n, iterates, function, var),
        _real_value(lambda _: dfx, x, "f'", n, iterates, function, var),
    )


def _real_value(
    compiled: Callable[[mpmath.mpf], object],
    x: mpmath.mpf,
    name: str,
    n: int,
    iterates: Sequence[NewtonIterate],
    function: sympy.Expr,
    var: sympy.Symbol,
) -> mpmath.mpf:
    """``compiled(x)`` as a real mpf, or Undefined naming where and why."""
    problem = None
    try:
        value = compiled(x)
    except (ZeroDivisionError, ValueError, OverflowError):
        problem = "is undefined"
    else:
        if isinstance(value, mpmath.mpc):
            if value.imag != 0:
                problem = "is not a real number"
            value = value.real
        if problem is None and not isinstance(value, mpmath.mpf):
            value = mpmath.mpf(value)  # a constant function lambdifies to a plain number
        if problem is None and not mpmath.isfinite(value):
            problem = "is undefined (infinite)"
    if problem is not None:
        table = f"\n{newton_table(iterates)}" if iterates else ""
        raise Undefined(
            f"{name}(x_{n}) {problem} at x_{n} = {_num(x)}, so Newton–Raphson cannot go on{table}",
            hint=f"start where {_txt(function)} is defined, and stay away from its poles",
        )
    return value


def _converged_linearly(history: Sequence[mpmath.mpf]) -> bool:
    """Errors shrinking by a steady factor (not squaring) mean a repeated root."""
    root = history[-1]
    errors = [abs(x - root) for x in history[:-1]]
    ratios = [later / earlier for earlier, later in zip(errors, errors[1:], strict=False) if earlier > 0 and later > 0]
    return len(ratios) >= 3 and all(r > 0.1 for r in ratios[-3:])


def _txt(expr: sympy.Basic) -> str:
    """An expression in messages as learners type it: ``x^2``, not ``x**2``."""
    return sympy.sstr(expr).replace("**", "^")


def _num(value: mpmath.mpf | float) -> str:
    return f"{float(value):.12g}"


def _no_root_note(function: sympy.Expr, var: sympy.Symbol, iterates: Sequence[NewtonIterate]) -> str:
    if function.is_polynomial(var) and sympy.Poly(function, var).count_roots() == 0:
        return f": {_txt(function)} has no real roots, so there is nothing to converge to"
    growing = [abs(row.x) for row in iterates[-6:]]
    if len(growing) == 6 and all(b > a for a, b in zip(growing, growing[1:], strict=False)):
        return ": |x_n| keeps growing, f probably tends to 0 far away without a root there"
    return ""


def _start_hint(function: sympy.Expr, var: sympy.Symbol) -> str:
    """Suggest a start next to a sign change of f, where a real root certainly lies."""
    try:
        f = sympy.lambdify(var, numeric.realise(function), numeric.NUMPY)
        grid = np.linspace(-10, 10, 2001)
        with np.errstate(all="ignore"):
            values = np.asarray(f(grid), dtype=complex) * np.ones_like(grid)
    except (TypeError, ValueError, ZeroDivisionError, NameError):
        return "try a different starting point"
    real = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
    changes = np.nonzero(np.isfinite(real[:-1]) & np.isfinite(real[1:]) & (np.sign(real[:-1]) * np.sign(real[1:]) < 0))[0]
    jumps = [i for i in changes if abs(real[i] - real[i + 1]) < 1e3]  # not a pole
    if not jumps:
        return "try a different starting point"
    return f"f changes sign near x = {grid[jumps[0]]:.2f}; try starting there"


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
    numerator = sympy.together(equation).as_numer_denom()[0]
    if numerator == 0:
        return sympy.Integer(0)
    kept = []
    for factor in sympy.Mul.make_args(sympy.factor_terms(numerator)):
        base = factor.base if isinstance(factor, sympy.Pow) and factor.exp.is_positive else factor
        if base.is_positive or base.is_negative or not (base.free_symbols & set(unknowns)):
            continue
        kept.append(base)
    return sympy.expand(sympy.Mul(*kept)) if kept else sympy.Integer(1)


def _solve_system(
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
    return _Solutions(merged, [], False, method, _SEARCH_BOX)


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
    points = [tuple(_tidy(s[u]) for u in unknowns) for s in solutions]
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
                sympy.Float(sympy.N(root, _WORKING_DIGITS), _WORKING_DIGITS) if root.has(sympy.CRootOf) else root
                for root in dict.fromkeys(common.real_roots())
            ]
        except (sympy.PolynomialError, sympy.CoercionFailed):
            pass
    lowest = min(polys, key=lambda p: sympy.degree(p, var))
    if sympy.degree(lowest, var) == 1:
        a, b = sympy.Poly(lowest, var).all_coeffs()
        candidates = [-b / a]
    else:
        coefficients = [sympy.N(c, _WORKING_DIGITS + 10) for c in sympy.Poly(lowest, var).all_coeffs()]
        with mpmath.workdps(_WORKING_DIGITS + 10):
            roots = mpmath.polyroots([mpmath.mpmathify(complex(c)) if c.has(sympy.I) else mpmath.mpf(c) for c in coefficients], maxsteps=200, extraprec=60)
        candidates = [sympy.Float(mpmath.nstr(mpmath.re(r), _WORKING_DIGITS), _WORKING_DIGITS) for r in roots if abs(mpmath.im(r)) < 1e-20]
    tolerance = sympy.Float(f"1e-{_WORKING_DIGITS - 8}")
    return [
        c for c in candidates
        if all(abs(sympy.N(p.xreplace({var: c}), _WORKING_DIGITS)) < tolerance for p in polys)
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
        point = tuple(_tidy(solution[u]) for u in unknowns)
        if all(not v.free_symbols for v in point):
            points.append(point)
    return points


def _tidy(value: sympy.Expr) -> sympy.Expr:
    """Simplify small exact values; make numerically real values real."""
    if value.is_Rational or value.has(sympy.Float):
        return value  # a rational number is already as simple as it gets
    if value.is_real is not True:
        real, imaginary = sympy.N(value, _WORKING_DIGITS).as_real_imag()
        if abs(imaginary) > 1e-20 * max(1, abs(real)):
            return value  # genuinely complex: _satisfies drops it
        if sympy.count_ops(value) > _NICE_OPS or value.has(sympy.I):
            return sympy.Float(real, _WORKING_DIGITS)
    if sympy.count_ops(value) <= _NICE_OPS and not value.has(sympy.CRootOf):
        simplified = run_with_budget(lambda: sympy.radsimp(sympy.simplify(value)), 1.0)
        if simplified is not None and sympy.count_ops(simplified) <= sympy.count_ops(value):
            return simplified
    return value


def _satisfies(equations: Sequence[sympy.Expr], unknowns: Sequence[sympy.Symbol], point: tuple[sympy.Expr, ...]) -> bool:
    """Real, and every equation is defined and ~0 there (guards removed denominators too)."""
    substitution = dict(zip(unknowns, point, strict=True))
    for value in point:
        real, imaginary = sympy.N(value, _WORKING_DIGITS).as_real_imag()
        if abs(imaginary) > 1e-20 * max(1, abs(real)):
            return False
    for eq in equations:
        value = sympy.N(eq.xreplace(substitution), _WORKING_DIGITS)
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
        axis = np.linspace(-_SEARCH_BOX, _SEARCH_BOX, per_axis)
        mesh = np.meshgrid(*([axis] * dimension), indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)
    return np.random.default_rng(0).uniform(-_SEARCH_BOX, _SEARCH_BOX, size=(600, dimension))


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
            if not np.all(np.isfinite(solution)) or np.any(np.abs(solution[:k]) > _SEARCH_BOX * (1 + 1e-9)):
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
    with mpmath.workdps(_WORKING_DIGITS + 5):
        v = mpmath.matrix([mpmath.mpf(float(s)) for s in start])
        for _ in range(4):
            try:
                step = mpmath.lu_solve(mpmath.matrix(derivative(list(v))), mpmath.matrix(residual(list(v))))
            except (ZeroDivisionError, ValueError, TypeError):
                break
            v = v - step
            if mpmath.norm(step) <= mpmath.mpf(10) ** (-_WORKING_DIGITS) * (1 + mpmath.norm(v)):
                break
        return [sympy.Float(mpmath.nstr(mpmath.re(value), _WORKING_DIGITS), _WORKING_DIGITS) for value in v]


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
        residual = sympy.N(eq.xreplace(trial), _WORKING_DIGITS)
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
    if value.has(sympy.CRootOf, sympy.Float) or sympy.count_ops(value) > _NICE_OPS:
        return sympy.Float(sympy.re(sympy.N(value, 20)), 15)
    return value


def _check_variables(variables: Sequence[sympy.Symbol]) -> None:
    if len(variables) > _MAX_VARIABLES:
        raise TooComplex(f"{len(variables)} variables is too many here; at most {_MAX_VARIABLES}")


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
    _check_variables(variables)
    _check_free(function, variables, "f")
    gradient = tuple(sympy.diff(function, v) for v in variables)
    hessian = sympy.hessian(function, list(variables))
    solutions = _solve_system(gradient, variables)
    if solutions.infinite and not solutions.families and not solutions.points:
        raise NoSolution(
            "this function has infinitely many stationary points, and they could not be described",
            hint="try a simpler function, or fix some variables",
        )
    if not solutions.points and not solutions.families and solutions.box is not None:
        raise NoSolution(
            f"no stationary points found with every coordinate in [-{_SEARCH_BOX:g}, {_SEARCH_BOX:g}] "
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
        raise Undefined(f"{name} is infinite or undefined ({_txt(expr)}), so it has no finite extremes to find")
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
    value = _tidy(function.xreplace(at))
    local = hessian.xreplace(at).applyfunc(_tidy)
    if len(variables) == 1:
        return _classify_1d(function, variables[0], point, value, local)
    determinant = _tidy(local.det())
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
            values = [_tidy(v) for v, multiplicity in found.items() for _ in range(multiplicity)]
            if all(v.is_real and sympy.count_ops(v) <= _NICE_OPS for v in values):
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
        derivative = second if k == 2 else _tidy(sympy.diff(function, var, k).xreplace(at))
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
    _check_variables(variables)
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

    solutions = _solve_system([*parallel, constraint - level], variables, (square, [*variables, multiplier], make_start))
    if solutions.infinite:
        raise NoSolution(
            "every point of the constraint is a candidate: ∇f is parallel to ∇g all along it, "
            f"so f is constant there or the equations are degenerate (f = {_txt(function)})",
        )
    if not solutions.points:
        where = "" if solutions.box is None else f" with every coordinate in [-{_SEARCH_BOX:g}, {_SEARCH_BOX:g}]"
        raise NoSolution(
            f"no point on {_txt(constraint)} = {_txt(level)}{where} has ∇f parallel to ∇g, so f has no "
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
    value = _tidy(function.xreplace(at))
    u = [_tidy(d.xreplace(at)) for d in grad_f]
    w = [_tidy(d.xreplace(at)) for d in grad_g]
    if all(abs(float(sympy.N(c))) < 1e-12 for c in w):
        return LagrangeCandidate(point, None, value, "singular")
    multiplier = _tidy(sum((a * b for a, b in zip(u, w, strict=True)), sympy.Integer(0)) / sum((b * b for b in w), sympy.Integer(0)))
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
