"""Pictures that accompany calculus answers (tangent lines, gradient fields, Taylor fans, optima).

A picture is a bonus: when a function cannot be drawn (three variables, no real values in range) the
figure is simply left out and the worked answer stands on its own.  The text jobs here run in worker
processes beside the answer job; the ``*_from`` builders take a solver result, so an answer that has
already done the expensive solving draws from it instead of solving twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import sympy

from bot.errors import CalcbotError
from bot.present.answer import Figure
from bot.solver.newton import NewtonResult
from bot.solver.optimise import LagrangeResult, StationaryPoint, StationaryResult
from bot.solver.parser import parse, parse_point
from bot.solver.variables import default_variable, ordered_variables
from plotting import curves, fields, newton_curve, optima

MAX_STATIONARY_MARKERS = 40
TANGENT_POINTS = (0, 1, -1, 0.5, 2, -2)  # where /derive … plot draws its tangent, in order of preference


def _drawn(name: str, alt: str, render: Callable[[], bytes]) -> Figure | None:
    try:
        return Figure(name=name, png=render(), alt=alt)
    except (CalcbotError, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None  # not drawable: the answer goes without a picture


def _variables(expr: sympy.Expr, vars_text: str | None) -> list[sympy.Symbol]:
    given = [v.strip() for v in vars_text.split(",") if v.strip()] if vars_text else None
    return ordered_variables(expr, given)


def derivative_figure(expr_text: str, wrt: str | None, order: int = 1) -> Figure | None:
    """/derive … plot: f with a tangent, above its derivative of the asked order."""
    expr = parse(expr_text)
    var = default_variable(expr, wrt)
    if expr.free_symbols - {var}:
        return None
    for at in TANGENT_POINTS:  # the first point where f and its derivatives are defined (sin(x)/x: not 0)
        figure = _drawn("derivative.png", f"graph of {expr} and its derivative",
                        partial(curves.render_tangent, expr, at, var, derivative=True,
                                order=order))
        if figure is not None:
            return figure
    return None


def tangent_figure(expr_text: str, at_text: str, wrt: str | None) -> Figure | None:
    """/slope: f with its tangent line at a."""
    expr = parse(expr_text)
    var = default_variable(expr, wrt)
    point = parse_point(at_text)
    if len(point) != 1 or expr.free_symbols - {var}:
        return None
    return _drawn("tangent.png", f"graph of {expr} with its tangent at {point[0]}",
                  lambda: curves.render_tangent(expr, point[0], var))


def gradient_figure(expr_text: str, at_text: str | None, vars_text: str | None) -> Figure | None:
    """/grad of a function of two variables: contour map with the gradient field as arrows."""
    expr = parse(expr_text)
    variables = _variables(expr, vars_text)
    if len(variables) != 2:
        return None
    point = parse_point(at_text) if at_text else None
    if point is not None and len(point) != 2:
        return None
    return _drawn("gradient.png", f"contours of {expr} with gradient arrows",
                  lambda: fields.render_gradient_field(expr, variables, point=point))


def taylor_figure(expr_text: str, at_text: str | None, order: int, vars_text: str | None) -> Figure | None:
    """/taylor: 1-D, f and its polynomials of orders 1…N; 2-D, f beside its approximation."""
    expr = parse(expr_text)
    variables = _variables(expr, vars_text)
    point = parse_point(at_text) if at_text else (0,) * max(1, len(variables))
    if len(variables) <= 1 and len(point) == 1:
        var = variables[0] if variables else None
        return _drawn("taylor.png", f"{expr} and its Taylor polynomials up to order {order}",
                      lambda: curves.render_taylor(expr, point[0], max(order, 1), var))
    if len(variables) == 2 and len(point) == 2:
        return _drawn("taylor.png", f"{expr} beside its order-{order} Taylor approximation",
                      lambda: fields.render_taylor_2d(expr, point, max(order, 1), variables))
    return None


def newton_figure_from(result: NewtonResult) -> Figure | None:
    """Each iterate's tangent line, meeting the x axis at the next iterate."""
    iterates = [it.x for it in result.iterates]
    return _drawn("newton.png", f"Newton–Raphson iterates on {result.function}",
                  lambda: newton_curve.render_newton(result.function, iterates, result.var))


def stationary_figure_from(result: StationaryResult) -> Figure | None:
    """The stationary points, marked by kind, on the curve (1-D) or the contour map (2-D)."""
    if len(result.variables) > 2 or not result.points:
        return None
    shown, bounds = _complete_view(result)
    marked: Sequence[tuple[object, str]] = [(p.point if len(p.point) > 1 else p.point[0], p.kind) for p in shown]
    return _drawn("stationary.png", f"stationary points of {result.function}",
                  lambda: optima.render_stationary(result.function, marked, result.variables, bounds))


def _complete_view(result: StationaryResult) -> tuple[Sequence[StationaryPoint], tuple[float, ...] | None]:
    """A view in which every stationary point drawn is marked: when there are more points than
    markers (or they repeat periodically beyond those found), the view closes in on the nearest
    complete ring of points around the origin, stopping short of the next ring."""
    points = sorted(result.points, key=_reach)
    if len(points) <= MAX_STATIONARY_MARKERS and not result.periodic:
        return points, None
    count = min(len(points), MAX_STATIONARY_MARKERS)
    while count < len(points) and count > 1 and _reach(points[count]) - _reach(points[count - 1]) < 1e-9:
        count -= 1  # never split a ring of points at the same distance
    inner = _reach(points[count - 1])
    outer = _reach(points[count]) if count < len(points) else inner * 1.15 + 0.5
    half = max(0.5 * (inner + outer), 0.25)
    return points[:count], (-half, half) if len(result.variables) == 1 else (-half, half, -half, half)


def _reach(point: StationaryPoint) -> float:
    """How far out a point lies: its largest |coordinate| (views are squares about the origin)."""
    return max(abs(float(c)) for c in point.point)


def lagrange_figure_from(result: LagrangeResult) -> Figure | None:
    """Contours of f, the constraint curve, and the candidate optima."""
    if len(result.variables) != 2:
        return None
    points = [c.point for c in result.candidates]
    return _drawn("lagrange.png", f"contours of {result.function} with the constraint",
                  lambda: optima.render_lagrange(result.function, result.constraint, points, result.variables,
                                                 level=result.level))
