"""Newton–Raphson (course week 5): the iterates, their table, and why a run stopped.

Pure: SymPy objects and numbers in, frozen dataclasses out, domain errors (``bot.errors``) raised
for the learner.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from bot.errors import BadArgument, NoConvergence, Undefined
from bot.solver import numeric
from bot.solver.mpmath_eval import mpmath_function
from bot.solver.systems import WORKING_DIGITS, learner_text

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
    # f and f' built together as mpmath closures: compiling them with lambdify was most of a short run's time
    both = mpmath_function(var, numeric.realise([function, derivative]), numeric.MPMATH)
    iterates: list[NewtonIterate] = []
    history: list[mpmath.mpf] = []
    with mpmath.workdps(WORKING_DIGITS):
        if start.is_Integer and abs(start) < 10**15:  # exact at working precision either way
            x = mpmath.mpf(int(start))
        else:
            x = mpmath.mpf(str(sympy.N(start, WORKING_DIGITS)))  # exact starts like 1/sqrt(5) too
        running_off = 1e10 * max(mpmath.mpf(1), abs(x))
        tolerance, moving_step = mpmath.mpf(tol), mpmath.mpf(1e-6)  # converted once, not every step
        for n in range(max_steps + 1):
            fx, dfx = _real_values(both, x, n, iterates, function, derivative, var)
            iterates.append(NewtonIterate(n, float(x), float(fx), float(dfx)))
            history.append(x)
            scale = max(1, abs(x))
            step_small = n > 0 and abs(x - history[-2]) <= tolerance * scale
            if fx == 0 or step_small:
                if step_small and abs(fx) > 1e-6 * max(1, abs(iterates[0].fx)):
                    raise NoConvergence(
                        f"the steps shrank but f({_num(x)}) = {_num(fx)} is not near 0: "
                        f"{learner_text(function)} has no root here\n{newton_table(iterates)}",
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
            if abs(x_next) > running_off:
                raise NoConvergence(
                    f"Newton–Raphson is diverging: x_{n + 1} = {_num(x_next)} is running off "
                    f"to infinity\n{newton_table(iterates)}",
                    hint=_start_hint(function, var),
                )
            # back at an earlier iterate while still taking big steps: a cycle, not convergence
            moving = n > 0 and abs(x_next - x) > moving_step * scale  # at n = 0 there is no earlier iterate
            for m in _earlier_iterates_near(x_next, history, iterates) if moving else ():
                earlier = history[m]
                if abs(x_next - earlier) <= 1e-9 * max(1, abs(earlier)):
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


def _earlier_iterates_near(
    x_next: mpmath.mpf, history: Sequence[mpmath.mpf], iterates: Sequence[NewtonIterate]
) -> Iterator[int]:
    """Indices of the earlier iterates that x_next may be back at, to within 1e-9 (relative), for the
    exact test: the iterates' floats rule out the far ones (a float is within 1e-16 of its x, far
    inside the doubled margin), so each step makes a few float comparisons, not one mpf test each."""
    near = float(x_next)
    for m in range(len(history) - 1):
        earlier = iterates[m].x
        if not (math.isfinite(near) and math.isfinite(earlier) and abs(near - earlier) > 2e-9 * max(1.0, abs(earlier))):
            yield m


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
    if isinstance(fx, mpmath.mpf) and isinstance(dfx, mpmath.mpf) and mpmath.isfinite(fx) and mpmath.isfinite(dfx):
        return fx, dfx  # the usual step: two real finite numbers, nothing to convert or report
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
            hint=f"start where {learner_text(function)} is defined, and stay away from its poles",
        )
    return value


def _converged_linearly(history: Sequence[mpmath.mpf]) -> bool:
    """Errors shrinking by a steady factor (not squaring) mean a repeated root: the last three ratios
    of successive errors (pairs with an error of 0 left out) are all above 0.1. Computed from the end,
    so a long run's early errors are never worked out."""
    root = history[-1]
    ratios: list[mpmath.mpf] = []
    later = None
    for x in reversed(history[:-1]):
        earlier = abs(x - root)
        if later is not None and earlier > 0 and later > 0:
            ratios.append(later / earlier)
            if len(ratios) == 3:
                return all(r > 0.1 for r in ratios)
        later = earlier
    return False


def _num(value: mpmath.mpf | float) -> str:
    return f"{float(value):.12g}"


def _no_root_note(function: sympy.Expr, var: sympy.Symbol, iterates: Sequence[NewtonIterate]) -> str:
    if function.is_polynomial(var) and sympy.Poly(function, var).count_roots() == 0:
        return f": {learner_text(function)} has no real roots, so there is nothing to converge to"
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


