"""The /newton, /stationary and /lagrange jobs: text in, worked answer out (run in worker processes)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import sympy

from bot.errors import BadArgument
from bot.present import figures
from bot.present.answer import Answer, Figure
from bot.present.format import fmt_expr, fmt_latex, fmt_number, fmt_table, plain, result_str
from bot.solver.newton import NewtonResult, newton_raphson
from bot.solver.optimise import (
    LagrangeResult,
    StationaryPoint,
    StationaryResult,
    lagrange_multipliers,
    stationary_points,
)
from bot.solver.parser import parse, parse_equation, parse_point, parse_variable
from bot.solver.systems import shown
from bot.solver.variables import default_variable, ordered_variables

_MAX_TABLE_ROWS = 24  # longer iteration tables keep their head and tail
_MAX_POINTS_SHOWN = 30
_KIND_WORDS = {
    "minimum": "local minimum",
    "maximum": "local maximum",
    "saddle": "saddle point",
    "inflection": "point of inflection",
    "inconclusive": "test inconclusive",
}


def _pictures(figure: Figure | None) -> tuple[Figure, ...]:
    return (figure,) if figure else ()


# ---------------------------------------------------------------------------------------------
# /newton


def newton(
    expr_text: str, start_text: str, wrt: str | None = None, max_steps: int = 50, tol: float = 1e-12,
    picture: bool = True,
) -> Answer:
    """Newton–Raphson from the learner's starting point, with the table of iterates."""
    expr = parse(expr_text)
    var = default_variable(expr, wrt)
    start = _single_number(parse_point(start_text), start_text)
    result = newton_raphson(expr, var, start, max_steps, tol)
    x = var.name
    lines = [
        f"Newton–Raphson for f({x}) = {fmt_expr(expr)}, starting from {x}₀ = {fmt_number(start)}.",
        f"f'({x}) = {fmt_expr(result.derivative)}",
        f"Each step follows the tangent down to the {x}-axis: "
        f"{x}ₙ₊₁ = {x}ₙ − f({x}ₙ)/f'({x}ₙ)",
        "",
        _newton_table(result),
        "",
        _convergence_note(result),
        "",
        f"**Root**: {x} ≈ {fmt_number(result.root, 8)}",
    ]
    return Answer(
        text="\n".join(lines),
        result=str(result.root),
        latex=f"{sympy.latex(var)} \\approx {result.root}",
        images=_pictures(figures.newton_figure_from(result) if picture else None),
    )


def _newton_table(result: NewtonResult) -> str:
    root = float(result.root)
    rows = [
        (str(row.n), _iterate(row.x), fmt_number(row.fx, 6), fmt_number(row.dfx, 6), fmt_number(abs(row.x - root), 3))
        for row in result.iterates
    ]
    if len(rows) > _MAX_TABLE_ROWS:
        head = _MAX_TABLE_ROWS // 2
        rows = [*rows[:head], ("…", "…", "…", "…", "…"), *rows[-(_MAX_TABLE_ROWS - head - 1):]]
    x = result.var.name
    return fmt_table(("n", f"{x}ₙ", f"f({x}ₙ)", f"f'({x}ₙ)", "error"), rows)


def _iterate(value: sympy.Expr | float) -> str:
    """An iterate as a decimal a learner can compare with the last (8 figures, enough to watch the
    digits settle), with the exact fraction beside it while that is short."""
    decimal = fmt_number(float(value), 8)
    if isinstance(value, sympy.Rational) and not isinstance(value, sympy.Integer) and len(str(value)) <= 12:
        return f"{value} ≈ {decimal}"
    return decimal


def _convergence_note(result: NewtonResult) -> str:
    steps = "step" if result.steps == 1 else "steps"
    if result.steps == 0:
        return f"f is exactly 0 at the starting point: {result.var} = {result.root} is already a root."
    if result.linear:
        return (
            f"Converged in {result.steps} {steps}, but only linearly: the error shrinks by about the "
            "same factor each step. f' is also 0 at this root (a repeated root), which slows Newton–Raphson down."
        )
    return (
        f"Converged in {result.steps} {steps}. Near the root the error roughly squares at each step "
        f"(quadratic convergence): the number of correct digits about doubles, as the error column "
        f"|{result.var}ₙ − root| shows."
    )


def _single_number(point: tuple[sympy.Expr, ...], text: str) -> sympy.Expr:
    if len(point) != 1:
        raise BadArgument(f"'{text}' has {len(point)} numbers; Newton–Raphson starts from one, e.g. 'from 1.5'")
    return point[0]


# ---------------------------------------------------------------------------------------------
# /stationary


def stationary(expr_text: str, vars_text: str | None = None, picture: bool = True) -> Answer:
    """Solve ∇f = 0 and classify each stationary point by the Hessian (or f'' in 1-D)."""
    expr = parse(expr_text)
    variables = _variables(expr, vars_text)
    result = _in_reading_order(stationary_points(expr, variables))
    one = len(variables) == 1
    lines = [f"f({_names(variables)}) = {fmt_expr(expr)}", ""]
    lines += _stationary_setup(result)
    lines.append("")
    if not result.points and not result.families:
        lines.append(f"{'f′' if one else '∇f'} is never 0, so f has **no stationary points**.")
        return Answer(text="\n".join(lines), result="[]", latex=r"\nabla f \neq 0")
    if result.points:
        lines += _points_table(result)
        lines.append("")
        lines += _classification_rule(one)
    if result.families:
        lines += [""] + _family_lines(result)
    if result.search_box is not None:
        lines += ["", _search_note(result)]
    points = [p.point for p in result.points] + list(result.families)
    summary = ", ".join(f"{_point_text(p.point)} ({_KIND_WORDS[p.kind]})" for p in result.points[:_MAX_POINTS_SHOWN])
    if result.families:
        summary = ", ".join(filter(None, [summary, *(f"every point {_point_text(f)}" for f in result.families)]))
    lines += ["", f"**Stationary points**: {summary}"]
    shown_points = [tuple(shown(v) for v in p) for p in points]
    return Answer(
        text="\n".join(lines),
        result=result_str(shown_points),
        latex=", ".join(fmt_latex(sympy.Tuple(*p)) for p in shown_points),
        images=_pictures(figures.stationary_figure_from(result) if picture else None),
    )


def _in_reading_order(result: StationaryResult) -> StationaryResult:
    """The points shown (the ones closest to the origin) from left to right, then bottom to top:
    (−1, −1), (−1, 1), (1, −1), (1, 1) — the order a learner lists them in."""
    shown_points, rest = result.points[:_MAX_POINTS_SHOWN], result.points[_MAX_POINTS_SHOWN:]

    def place(point: StationaryPoint) -> tuple[float, ...]:
        try:
            return tuple(float(sympy.re(sympy.N(c))) for c in point.point)
        except (TypeError, ValueError):
            return ()

    ordered = sorted(shown_points, key=place)
    return dataclasses.replace(result, points=type(result.points)([*ordered, *rest]))


def _stationary_setup(result: StationaryResult) -> list[str]:
    if len(result.variables) == 1:
        x = result.variables[0].name
        second = result.hessian[0, 0]
        return [
            f"f'({x}) = {fmt_expr(result.gradient[0])}",
            f"f''({x}) = {fmt_expr(second)}",
            f"Stationary points are where f'({x}) = 0.",
        ]
    gradient = ", ".join(plain(g) for g in result.gradient)
    rows = "; ".join("[" + ", ".join(plain(e) for e in result.hessian.row(i)) + "]" for i in range(result.hessian.rows))
    return [
        f"∇f = `({gradient})`",
        f"Hessian H = `[{rows}]`",
        "Stationary points are where every partial derivative is 0: ∇f = 0.",
    ]


def _points_table(result: StationaryResult) -> list[str]:
    points = result.points[:_MAX_POINTS_SHOWN]
    rows: list[tuple[str, ...]]
    if len(result.variables) == 1:
        x = result.variables[0].name
        rows = [(_point_text(p.point), _value_text(p.value), _value_text(p.determinant), _kind_text(p)) for p in points]
        table = fmt_table((x, f"f({x})", f"f''({x})", "type"), rows)
    else:
        rows = [
            (
                _point_text(p.point),
                _value_text(p.value),
                _value_text(p.determinant),
                ", ".join(_value_text(e) for e in p.eigenvalues),
                _kind_text(p),
            )
            for p in points
        ]
        table = fmt_table(("point", "f", "det H", "eigenvalues of H", "type"), rows)
    lines = [table]
    if len(result.points) > _MAX_POINTS_SHOWN:
        lines.append(f"(showing the {_MAX_POINTS_SHOWN} closest to the origin of {len(result.points)} found)")
    return lines


def _kind_text(point: StationaryPoint) -> str:
    words = _KIND_WORDS[point.kind]
    if point.test_order > 2:
        words += f" (f'' = 0; the first non-zero derivative has order {point.test_order})"
    return words


def _classification_rule(one: bool) -> list[str]:
    if one:
        return [
            "f'' > 0: a local minimum; f'' < 0: a local maximum. Where f'' = 0 the first non-zero higher "
            "derivative decides: even order, a minimum or maximum by its sign; odd order, a point of inflection."
        ]
    return [
        "H positive definite (all eigenvalues > 0): a local minimum; negative definite (all < 0): a local "
        "maximum; eigenvalues of both signs: a saddle point; a zero eigenvalue (det H = 0) with no sign change: "
        "the second-derivative test is inconclusive."
    ]


def _family_lines(result: StationaryResult) -> list[str]:
    lines = []
    for family in result.families:
        parameters = sorted({s.name for v in family for s in v.free_symbols})
        at = dict(zip(result.variables, family, strict=True))
        value = sympy.simplify(result.function.xreplace(at))
        lines.append(
            f"There are infinitely many stationary points: every point {_point_text(family)} "
            f"(for any {', '.join(parameters)}) is one, and f = {fmt_expr(value)} there. "
            "Along such a line or curve the Hessian is singular (det H = 0), so the second-derivative test "
            "cannot classify these points."
        )
    return lines


def _search_note(result: StationaryResult) -> str:
    box = f"[−{result.search_box:g}, {result.search_box:g}]"
    note = (
        f"The equations could not be solved completely by algebra, so these were found numerically: every "
        f"stationary point with all coordinates in {box} (decimals are rounded to 15 digits)."
    )
    if result.periodic:
        note += " The derivatives are periodic, so the pattern repeats outside that box."
    return note


# ---------------------------------------------------------------------------------------------
# /lagrange


def lagrange(expr_text: str, constraint_text: str, vars_text: str | None = None, picture: bool = True) -> Answer:
    """Extremes of f subject to g = c by Lagrange multipliers, with the candidates compared."""
    expr = parse(expr_text)
    if "=" in constraint_text:
        constraint, level = parse_equation(constraint_text)
    else:
        constraint, level = parse(constraint_text), sympy.Integer(0)
    variables = _variables(sympy.Tuple(expr, constraint - level), vars_text)
    result = lagrange_multipliers(expr, constraint, level, variables)
    lam = result.multiplier.name
    lines = [
        f"Extremes of f = {fmt_expr(expr)} subject to `{plain(constraint)} = {plain(level)}`.",
        "",
        f"On the constraint, f can only be largest or smallest where ∇f is parallel to ∇g: ∇f = {lam}∇g. "
        "With the constraint itself, that is the system",
    ]
    lines += [f"  `{plain(eq.lhs)} = {plain(eq.rhs)}`" for eq in result.equations]
    lines += ["", _lagrange_table(result), ""]
    lines += _lagrange_conclusion(result)
    if result.search_box is not None:
        lines += [
            "",
            f"The system could not be solved completely by algebra, so these candidates were found numerically "
            f"(all coordinates in [−{result.search_box:g}, {result.search_box:g}]).",
        ]
    points = [tuple(shown(v) for v in c.point) for c in result.candidates]
    return Answer(
        text="\n".join(lines),
        result=result_str(points),
        latex=", ".join(fmt_latex(sympy.Tuple(*p)) for p in points),
        images=_pictures(figures.lagrange_figure_from(result) if picture else None),
    )


def _lagrange_table(result: LagrangeResult) -> str:
    rows = [
        (
            _point_text(c.point),
            "—" if c.multiplier is None else _value_text(c.multiplier),
            _value_text(c.value),
            "∇g = 0 here: check it directly" if c.kind == "singular" else c.kind,
        )
        for c in result.candidates
    ]
    return fmt_table(("candidate", result.multiplier.name, "f", "second-order test on the constraint"), rows)


def _lagrange_conclusion(result: LagrangeResult) -> list[str]:
    def at(indices: Sequence[int]) -> str:
        return " and ".join(_point_text(result.candidates[i].point) for i in indices)

    top = result.candidates[result.maximum[0]].value
    bottom = result.candidates[result.minimum[0]].value
    if result.bounded:
        return [
            "The constraint is a closed, bounded set, so f has a largest and a smallest value on it, "
            "and they occur at candidates:",
            f"**Constrained maximum**: f = {_value_text(top)} at {at(result.maximum)}",
            f"**Constrained minimum**: f = {_value_text(bottom)} at {at(result.minimum)}",
        ]
    lines = [
        "The constraint set is unbounded, so f need not have a largest or smallest value on it; "
        "the second-order test says what each candidate is locally."
    ]
    local_max = [i for i, c in enumerate(result.candidates) if c.kind == "local maximum"]
    local_min = [i for i, c in enumerate(result.candidates) if c.kind == "local minimum"]
    if local_max:
        best = max(local_max, key=lambda i: float(sympy.N(result.candidates[i].value)))
        lines.append(f"**Constrained maximum** (local): f = {_value_text(result.candidates[best].value)} at {at([best])}")
    if local_min:
        best = min(local_min, key=lambda i: float(sympy.N(result.candidates[i].value)))
        lines.append(f"**Constrained minimum** (local): f = {_value_text(result.candidates[best].value)} at {at([best])}")
    if not local_max and not local_min:
        lines.append(
            f"No candidate is a local maximum or minimum; the largest value among them is f = {_value_text(top)} "
            f"at {at(result.maximum)}."
        )
    return lines


# ---------------------------------------------------------------------------------------------
# shared


def _variables(expr: sympy.Basic, vars_text: str | None) -> list[sympy.Symbol]:
    """The learner's ``vars x,y`` in their order, else the expression's variables alphabetically."""
    if vars_text is None or not vars_text.strip():
        variables = ordered_variables(expr)
        if not variables:
            raise BadArgument("this expression has no variables", hint="e.g. /stationary x^2 + y^2")
        return variables
    names = [name for name in re.split(r"[\s,]+", vars_text.strip()) if name]
    variables = [parse_variable(name) for name in names]
    if len(set(variables)) != len(variables):
        raise BadArgument(f"a variable is listed twice in '{vars_text}'")
    return variables


def _names(variables: Sequence[sympy.Symbol]) -> str:
    return ", ".join(v.name for v in variables)


def _point_text(point: Sequence[sympy.Expr]) -> str:
    values = [plain(shown(v)) for v in point]
    return f"`{values[0]}`" if len(values) == 1 else "`(" + ", ".join(values) + ")`"


def _value_text(value: sympy.Expr) -> str:
    """Exact and short, with a decimal when it is not a plain number."""
    displayed = shown(value)
    if isinstance(displayed, sympy.Float) or displayed.is_Rational:
        return plain(displayed)
    decimal = fmt_number(displayed, 6)
    return plain(displayed) if decimal == plain(displayed) else f"{plain(displayed)} ≈ {decimal}"
