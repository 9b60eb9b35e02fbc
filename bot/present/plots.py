"""The /plot, /surface, /descent and /latex jobs: text in, an Answer with a picture out.

These run in worker processes: plain str/int/float arguments, a picklable ``Answer`` back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import sympy

import plotting
from bot.errors import BadArgument, CalcbotError
from bot.present.answer import Answer, Figure
from bot.present.format import fmt_expr, fmt_latex, fmt_number, fmt_table, plain, result_str
from bot.solver.descent import descend
from bot.solver.parser import parse, parse_list, parse_point
from bot.solver.variables import ordered_variables, symbol
from plotting import sampling
from plotting.curves import CurvesData
from plotting.descent_curve import render_descent_1d

TABLE_HEAD, TABLE_TAIL = 10, 5  # long descents show the first and last rows only
_RANGE = re.compile(r"^\s*(?P<lo>.+?)\s+to\s+(?P<hi>.+?)\s*$", re.IGNORECASE)


def _number(text: str, what: str) -> float:
    """A constant such as ``-2``, ``pi/2`` or ``2e3``, through our parser (never eval)."""
    expr = parse(text)
    if expr.free_symbols:
        raise BadArgument(
            f"{what} must be a number, not {plain(expr)}",
            hint="e.g. 'from -2*pi to 2*pi'",
        )
    return sampling.as_real(expr, what)


def parse_range(range_text: str) -> tuple[float, float]:
    """``"A to B"`` as two checked numbers with A < B."""
    match = _RANGE.match(range_text)
    if match is None:
        raise BadArgument(
            f"can't read the range '{range_text.strip()}'",
            hint="write it as 'from A to B', e.g. 'from -5 to 5'",
        )
    lo = _number(match["lo"], "the start of the range")
    hi = _number(match["hi"], "the end of the range")
    return sampling.validate_range(lo, hi)


def plot(exprs_text: str, range_text: str | None = None) -> Answer:
    """Graphs of one or more functions of one variable, overlaid."""
    exprs = parse_list(exprs_text)
    bounds = parse_range(range_text) if range_text is not None else None
    data = plotting.functions_data(exprs, None, bounds)
    png = plotting.render_functions(exprs, data.var, data.xlim)
    name = data.var.name
    listed = ", ".join(fmt_expr(e) for e in exprs)
    lo, hi = (fmt_number(v, 4) for v in data.xlim)
    lines = [f"Graph of {listed} for {name} from {lo} to {hi}."]
    lines += _curve_notes(exprs, data)
    return Answer(
        text="\n".join(lines),
        result=", ".join(result_str(e) for e in exprs),
        latex=", ".join(fmt_latex(e) for e in exprs),
        images=(Figure("plot.png", png, f"Graph of {', '.join(plain(e) for e in exprs)}"),),
    )


def _curve_notes(exprs: Sequence[sympy.Expr], data: CurvesData) -> list[str]:
    """Say why parts of a curve are missing, so a gap is not mistaken for a bug."""
    notes = []
    if data.log_y:
        notes.append("Its values span many powers of ten, so the y-axis is logarithmic: "
                     "equal steps up mean multiplying by 10.")
    for expr, shown, over in zip(exprs, data.ys, data.overflow or [None] * len(exprs), strict=True):
        raw = sampling.numeric_function(expr, [data.var])(data.x)
        if over is not None:
            notes.append(
                f"{fmt_expr(expr)} is too large for floating-point numbers (beyond about 1.8×10³⁰⁸) for "
                f"{data.var.name} from about {over[0]:.4g} to {over[1]:.4g}; the graph stops there."
            )
        elif np.isnan(raw).any():
            notes.append(
                f"{fmt_expr(expr)} has no real value for part of this range; that part is left blank."
            )
        elif ((raw < data.ylim[0]) | (raw > data.ylim[1])).any():
            notes.append(
                f"{fmt_expr(expr)} shoots off towards infinity here; the curve is cut at the edge of the view."
            )
        elif np.isnan(shown).any():
            notes.append(f"{fmt_expr(expr)} jumps; no line is drawn across a jump.")
    return notes


def surface(expr_text: str) -> Answer:
    """The graph z = f(x, y) as a 3-D surface."""
    expr = parse(expr_text)
    pair = sampling.two_variables(expr)
    data = plotting.surface_data(expr, pair)
    png = plotting.render_surface(expr, pair)
    a, b = (v.name for v in pair)
    x0, y0 = fmt_number(float(data.x.min()), 4), fmt_number(float(data.y.min()), 4)
    x1, y1 = fmt_number(float(data.x.max()), 4), fmt_number(float(data.y.max()), 4)
    return Answer(
        text=f"Surface z = {fmt_expr(expr)} for {a} from {x0} to {x1} and {b} from {y0} to {y1}.",
        result=result_str(expr),
        latex=f"z = {fmt_latex(expr)}",
        images=(Figure("surface.png", png, f"Surface z = {plain(expr)}"),),
    )


def _descent_variables(expr: sympy.Expr, dimension: int) -> list[sympy.Symbol]:
    """The expression's variables, padded with x, y, z when the start has more coordinates."""
    variables = ordered_variables(expr)
    if dimension > len(variables):
        names = {v.name for v in variables}
        for name in ("x", "y", "z"):
            if len(names) == dimension:
                break
            names.add(name)
        variables = sorted((symbol(n) for n in names), key=lambda s: s.name)
    return variables


def descent(expr_text: str, start_text: str, rate: float = 0.1, steps: int = 30) -> Answer:
    """Steepest descent from a start point: the table of iterates and the path on the contours."""
    expr = parse(expr_text)
    start_exprs = parse_point(start_text)
    start = [_number_of(c) for c in start_exprs]
    variables = _descent_variables(expr, len(start))
    if len(variables) != len(start):
        raise BadArgument(
            f"{fmt_expr(expr)} has {len(variables)} variables "
            f"({', '.join(v.name for v in variables)}) but the start has {len(start)} coordinates",
            hint=f"start from a point with {len(variables)} coordinates",
        )
    run = descend(expr, variables, start, rate, steps)
    names = ", ".join(v.name for v in variables)
    gradient = ", ".join(plain(sympy.diff(expr, v)) for v in variables)
    if len(variables) == 1:  # one variable: the gradient is just f′, and no tuple brackets
        rule = f"Each step: {names} ← {names} − γ f′({names}), with f′({names}) = `{gradient}`."
    else:
        rule = f"Each step: ({names}) ← ({names}) − γ ∇f, with ∇f = `({gradient})`."
    lines = [
        f"Gradient descent on {fmt_expr(expr)} from {_tuple_text(run.iterates[0])}, rate γ = {rate:g}.",
        rule,
        "",
        _iterate_table(run.iterates, run.values, run.gradients),
        "",
    ]
    final = run.iterates[-1]
    if run.diverged:
        detail = run.reason.removeprefix("diverged")  # the reason starts with the word we put in bold
        lines.append(f"**Diverged**{detail if detail[:1] in (':', ' ') else ': ' + detail}.")
    else:
        lines.append(f"**{run.reason[0].upper()}{run.reason[1:]}**.")
        lines.append(f"Final point: {_tuple_text(final)}, f = {fmt_number(run.values[-1] + 0.0)}.")  # no "-0"
    images: tuple[Figure, ...] = ()
    if len(variables) in (1, 2):
        try:
            if len(variables) == 2:
                png = plotting.render_descent(expr, run.iterates, variables)
                alt = f"Descent path on the contours of {plain(expr)}"
            else:
                png = render_descent_1d(expr, run.iterates, variables[0])
                alt = f"Descent iterates on the curve of {plain(expr)}"
            images = (Figure("descent.png", png, alt),)
        except CalcbotError as error:
            lines.append(f"(No picture: {error.message}.)")
    return Answer(
        text="\n".join(lines),
        result=None if run.diverged else _result_point(final),
        latex=None,
        images=images,
    )


def _number_of(expr: sympy.Expr) -> float:
    if expr.free_symbols:
        raise BadArgument(
            f"the start must be numbers, not {plain(expr)}",
            hint="e.g. 'from (1, 2)'",
        )
    return sampling.as_real(expr, "each coordinate of the start")


def _tuple_text(point: Sequence[float]) -> str:
    inner = ", ".join(fmt_number(float(c), 6) for c in point)
    return inner if len(point) == 1 else f"({inner})"


def _result_point(point: Sequence[float]) -> str:
    """SymPy syntax: a number for one variable, a tuple for several."""
    parts = [repr(float(c)) for c in point]
    return parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"


def _iterate_table(
    iterates: Sequence[Sequence[float]],
    values: Sequence[float],
    gradients: Sequence[Sequence[float]],
) -> str:
    def row(k: int) -> list[str]:
        norm = float(np.linalg.norm(gradients[k]))
        return [str(k), _tuple_text(iterates[k]), fmt_number(values[k], 6), fmt_number(norm, 3)]

    count = len(iterates)
    if count <= TABLE_HEAD + TABLE_TAIL + 1:
        rows = [row(k) for k in range(count)]
    else:
        skipped = count - TABLE_HEAD - TABLE_TAIL
        rows = [row(k) for k in range(TABLE_HEAD)]
        rows.append(["…", f"({skipped} steps not shown)", "…", "…"])
        rows += [row(k) for k in range(count - TABLE_TAIL, count)]
    return fmt_table(["k", "point", "f", "‖∇f‖"], rows)


def latex(expr_text: str) -> Answer:
    """The expression's LaTeX source, and the typeset formula as a picture."""
    expr = parse(expr_text)
    source = fmt_latex(expr)
    lines = [f"LaTeX for {fmt_expr(expr)}:", "```latex", source, "```"]
    images: tuple[Figure, ...] = ()
    try:
        images = (Figure("formula.png", plotting.render_latex(source), plain(expr)),)
    except CalcbotError as error:
        lines.append(f"(No picture: {error.message}.)")
    return Answer(text="\n".join(lines), result=result_str(expr), latex=source, images=images)
