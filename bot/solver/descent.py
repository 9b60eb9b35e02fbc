"""Gradient descent, x ← x − γ∇f(x), run numerically and watched for divergence.

Pure: SymPy objects and numbers in, a picklable ``Descent`` out. The gradient is differentiated
symbolically once, then both f and ∇f are evaluated with ``lambdify`` (never from text).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from bot.errors import BadArgument, Undefined
from bot.solver import numeric

MIN_STEPS, MAX_STEPS = 1, 500
MAX_RATE = 10.0
GRADIENT_TOLERANCE = 1e-8  # |∇f| below this counts as arrived at a stationary point
RUNAWAY = 1e8  # iterates beyond this distance from the start have run off
RISING_STEPS = 5  # f rising this many steps in a row means the rate overshoots


@dataclass(frozen=True, slots=True)
class Descent:
    iterates: list[tuple[float, ...]]  # x_0 (the start) .. x_k
    values: list[float]  # f(x_i)
    gradients: list[tuple[float, ...]]  # ∇f(x_i)
    converged: bool  # |∇f| fell below GRADIENT_TOLERANCE
    diverged: bool  # values or iterates blew up, or f kept rising
    reason: str  # one sentence for the learner
    arrived_at: str = ""  # when converged: "minimum", "saddle point", "maximum" or "" (the Hessian cannot tell)

    @property
    def steps(self) -> int:
        return len(self.iterates) - 1


def _checked_options(rate: float, steps: int) -> tuple[float, int]:
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise BadArgument(f"the number of steps must be a whole number, not {steps}")
    if not MIN_STEPS <= steps <= MAX_STEPS:
        raise BadArgument(
            f"the number of steps must be from {MIN_STEPS} to {MAX_STEPS}, not {steps}",
            hint="e.g. 'steps 50'",
        )
    try:
        gamma = float(rate)
    except (TypeError, ValueError):
        raise BadArgument(f"the rate must be a number, not {rate}") from None
    if not (math.isfinite(gamma) and 0 < gamma <= MAX_RATE):
        raise BadArgument(
            f"the rate must be greater than 0 and at most {MAX_RATE:g}, not {rate}",
            hint="small rates such as 0.1 or 0.01 are usual",
        )
    return gamma, int(steps)


def _compile(
    expr: sympy.Expr, variables: Sequence[sympy.Symbol]
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    gradient = [sympy.diff(expr, v) for v in variables]
    f = sympy.lambdify(list(variables), numeric.realise(expr), modules=numeric.NUMPY)
    grad = sympy.lambdify(list(variables), numeric.realise(gradient), modules=numeric.NUMPY)
    return f, grad


def _evaluate(function: Callable[..., Any], point: np.ndarray) -> np.ndarray:
    """Evaluate at a point; non-real or failed results come back as NaN."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            raw = np.asarray(function(*(np.float64(c) for c in point)), dtype=complex)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return np.full(1, np.nan)
    real = raw.real.astype(float)
    real[np.abs(raw.imag) > 1e-12 * np.maximum(1.0, np.abs(real))] = np.nan
    return np.atleast_1d(real)


def descend(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    start: Sequence[Any],
    rate: float = 0.1,
    steps: int = 30,
) -> Descent:
    """Run up to ``steps`` steps of gradient descent on ``expr`` from ``start``."""
    gamma, max_steps = _checked_options(rate, steps)
    if not variables:
        raise BadArgument("gradient descent needs at least one variable")
    if len(start) != len(variables):
        names = ", ".join(v.name for v in variables)
        raise BadArgument(
            f"the start needs {len(variables)} coordinate{'s' if len(variables) > 1 else ''} "
            f"({names}), not {len(start)}",
            hint=f"e.g. 'from ({', '.join('1' for _ in variables)})'",
        )
    extra = sorted(s.name for s in expr.free_symbols if s not in set(variables))
    if extra:
        raise BadArgument(f"the function also depends on {', '.join(extra)}; give it a value first")
    try:
        x = np.array([float(c) for c in start], dtype=float)
    except (TypeError, ValueError):
        raise BadArgument("the start must be a point of real numbers, like (1, 2)") from None
    if not np.all(np.isfinite(x)):
        raise BadArgument("the start must be a point of finite numbers")

    f, grad = _compile(expr, variables)
    value, gradient = float(_evaluate(f, x)[0]), _evaluate(grad, x)
    if not (math.isfinite(value) and np.all(np.isfinite(gradient))):
        raise Undefined(
            f"f or its gradient is not defined at the start {_point_text(x)}",
            hint="start where the function is defined and smooth",
        )
    iterates, values, gradients = [tuple(x.tolist())], [value], [tuple(gradient.tolist())]
    converged = diverged = False
    reason = arrived_at = ""
    rising = 0
    for k in range(1, max_steps + 1):
        if float(np.linalg.norm(gradients[-1])) < GRADIENT_TOLERANCE:
            break
        x = x - gamma * gradient
        value, gradient = float(_evaluate(f, x)[0]), _evaluate(grad, x)
        finite = bool(
            np.all(np.isfinite(x)) and math.isfinite(value) and np.all(np.isfinite(gradient))
        )
        if finite:
            iterates.append(tuple(x.tolist()))
            values.append(value)
            gradients.append(tuple(gradient.tolist()))
        if not finite:
            diverged = True
            reason = (
                f"diverged at step {k}: f or its gradient is no longer a finite real number "
                f"— try a smaller rate than {gamma:g}"
            )
            break
        if float(np.linalg.norm(x - np.array(iterates[0]))) > RUNAWAY:
            diverged = True
            reason = f"diverged: the iterates ran off beyond {RUNAWAY:g} by step {k}"
            break
        rising = rising + 1 if values[-1] > values[-2] else 0
        if rising >= RISING_STEPS:
            diverged = True
            reason = (
                f"diverged: f rose at each of the last {RISING_STEPS} steps, so the rate "
                f"{gamma:g} overshoots — try a smaller one"
            )
            break
    if not diverged:
        norm = float(np.linalg.norm(gradients[-1]))
        done = len(iterates) - 1
        if norm < GRADIENT_TOLERANCE:
            converged = True
            arrived_at = _stationary_kind(expr, variables, iterates[-1])
            reason = _arrival(done, arrived_at)
        else:
            reason = f"stopped after {done} step{'s' if done != 1 else ''} with |∇f| = {norm:.3g}"
            reason += _why_not_arrived(iterates, values, gradients, gamma)
    return Descent(iterates, values, gradients, converged, diverged, reason, arrived_at)


def _stationary_kind(expr: sympy.Expr, variables: Sequence[sympy.Symbol], point: tuple[float, ...]) -> str:
    """What the stationary point descent stopped at is, by the Hessian's eigenvalues there."""
    at = dict(zip(variables, (sympy.Float(c) for c in point), strict=True))
    try:
        hessian = np.array(
            [[complex(sympy.diff(expr, a, b).xreplace(at).evalf()) for b in variables] for a in variables]
        )
    except (TypeError, ValueError):
        return ""
    if not np.all(np.isfinite(hessian)) or np.any(np.abs(hessian.imag) > 1e-9):
        return ""
    eigenvalues = np.linalg.eigvalsh(hessian.real)
    scale = 1e-9 * max(1.0, float(np.max(np.abs(eigenvalues))))
    if np.all(eigenvalues > scale):
        return "minimum"
    if np.any(eigenvalues > scale) and np.any(eigenvalues < -scale):
        return "saddle point"
    if np.all(eigenvalues < -scale):
        return "maximum"
    return ""


def _arrival(done: int, kind: str) -> str:
    steps = f"{done} step{'s' if done != 1 else ''}"
    when = "at the start, which is" if done == 0 else f"after {steps}, at"
    if kind == "saddle point":
        return (
            f"stopped {when} a saddle point, not a minimum: ∇f = 0 there, so descent cannot move, but f falls "
            "away in some directions (the Hessian has a negative eigenvalue) — start from a point off it"
        )
    if kind == "maximum":
        return (
            f"stopped {when} a local maximum, not a minimum: ∇f = 0 there, so descent cannot move, but f falls "
            "away in every direction — start from any other point"
        )
    if kind == "minimum":
        return f"converged to a local minimum after {steps}: |∇f| < {GRADIENT_TOLERANCE:g} and the Hessian is positive definite"
    return (
        f"converged after {steps}: |∇f| < {GRADIENT_TOLERANCE:g}, a stationary point "
        "(the Hessian here cannot tell a minimum from a saddle; look at the picture)"
    )


def _why_not_arrived(
    iterates: list[tuple[float, ...]], values: list[float], gradients: list[tuple[float, ...]], gamma: float
) -> str:
    """What the last steps show when descent ran out of steps: a learner needs to know whether to
    lower the rate, raise it, or stop looking for a minimum that is not there."""
    points = np.array(iterates)
    moves = np.diff(points, axis=0)
    if len(moves) < 3:
        return ""
    recent = moves[-min(8, len(moves)):]
    turns = [float(np.dot(a, b)) < 0 for a, b in zip(recent[:-1], recent[1:], strict=True)]
    if sum(turns) >= max(2, int(0.75 * len(turns))):
        return (
            f" — oscillating: each step overshoots the bottom and swings back, so the rate {gamma:g} "
            "is too large for this valley; try a smaller one"
        )
    norms = np.linalg.norm(np.array(gradients), axis=1)
    lengths = np.linalg.norm(moves, axis=1)
    falling = all(b < a for a, b in zip(values[-4:], values[-3:], strict=False))
    if falling and norms[-1] >= norms[-4] and lengths[-1] >= lengths[-3]:
        return (
            " — f keeps falling and the steps are not getting shorter: f looks unbounded below along this path, "
            "so there may be no minimum to find here"
        )
    if norms[-1] < norms[0]:
        return (
            f" — still descending, slowly (|∇f| fell from {norms[0]:.3g}): more steps or a larger rate "
            "would get closer"
        )
    return ""


def _point_text(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{c:g}" for c in x) + ")"
