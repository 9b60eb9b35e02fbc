"""The /taylor job: a Taylor polynomial with its table of derivatives, remainder and actual error.

Run in worker processes. One variable: the general term f⁽ⁿ⁾(a)/n!·(x − a)ⁿ, tabulated. Several
variables: f(a) + J(a)·Δx + ½ΔxᵀH(a)Δx + …, built degree by degree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy

from bot.present.answer import Answer
from bot.present.format import fmt_number, fmt_table, plain
from bot.present.multivariable import (
    choose_variables,
    code,
    matrix_block,
    point_text,
    read_point,
    variables_text,
)
from bot.solver.parser import parse
from bot.solver.taylor import Taylor1D, TaylorND, check_order, taylor_multivariate, taylor_series
from bot.solver.variables import default_variable

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MAX_CELL = 40  # a derivative longer than this is left out of the table (it would wrap badly)


def taylor(expr_text: str, at_text: str | None = None, order: int = 3, vars_text: str | None = None) -> Answer:
    """Taylor polynomial of degree ``order`` about ``at`` (0 by default: the Maclaurin series)."""
    expr = parse(expr_text)
    check_order(order)
    point = read_point(at_text)
    variables = choose_variables(expr, vars_text)
    if len(variables) <= 1 and (point is None or len(point) == 1):
        var = variables[0] if variables else default_variable(expr)
        series = taylor_series(expr, var, point[0] if point else sympy.Integer(0), order)
        return _one_variable(series)
    if point is None:
        point = (sympy.Integer(0),) * len(variables)
    return _several_variables(taylor_multivariate(expr, variables, point, order))


def join_terms(terms: Sequence[sympy.Expr], show: Callable[[sympy.Expr], str] = plain) -> str:
    """Terms in the given (ascending-degree) order as `a + b - c`; SymPy's own order is by size."""
    shown = [term for term in terms if term != 0]
    if not shown:
        return "0"
    text = show(shown[0])
    for term in shown[1:]:
        if term.could_extract_minus_sign():
            text += f" - {show(-term)}"
        else:
            text += f" + {show(term)}"
    return text


def shift_symbol(var: sympy.Symbol, a: sympy.Expr, notation: str = "plain") -> sympy.Symbol:
    """A display-only symbol printed as ``(x - a)``, so ``2*(x - 1)`` is not expanded to ``2*x - 2``:
    in the learner's notation, in SymPy syntax (for ``result``) or in LaTeX."""
    if a == 0:
        return var
    if notation == "latex":
        return sympy.Symbol(rf"\left({sympy.latex(var - a)}\right)")
    return sympy.Symbol(f"({sympy.sstr(var - a) if notation == 'sympy' else plain(var - a)})")


def in_powers_of(polynomial: sympy.Expr, var: sympy.Symbol, a: sympy.Expr) -> str | None:
    """A polynomial in ``var`` written as a Taylor polynomial about ``a``: c₀ + c₁(x − a) + c₂(x − a)² + …,
    lowest power first (None when it is not a polynomial in ``var``)."""
    t = sympy.Dummy("t")
    try:
        poly = sympy.Poly(sympy.expand(polynomial.xreplace({var: t + a})), t)
    except sympy.PolynomialError:
        return None
    if any(c.has(var) for c in poly.all_coeffs()):
        return None
    shift = shift_symbol(var, a)
    return join_terms([c * shift**k for (k,), c in sorted(poly.terms())])


def _in_powers_of_the_shift(
    coefficients: Sequence[tuple[sympy.Expr, tuple[int, ...]]],
    variables: Sequence[sympy.Symbol],
    point: Sequence[sympy.Expr],
) -> tuple[str, str]:
    """The polynomial Σ c·Π(xᵢ − aᵢ)^kᵢ, lowest degree first, as (SymPy syntax, LaTeX): the
    form f(a) + f′(a)(x − a) + … that SymPy's own printing would expand or reorder."""
    written = []
    for notation, show in (("sympy", sympy.sstr), ("latex", sympy.latex)):
        shifts = [shift_symbol(v, c, notation) for v, c in zip(variables, point, strict=True)]
        ordered = sorted(coefficients, key=lambda item: sum(item[1]))
        terms = [c * sympy.Mul(*(u**k for u, k in zip(shifts, alpha, strict=True))) for c, alpha in ordered]
        written.append(join_terms(terms, show))
    return written[0], written[1]


def _p(order: int) -> str:
    return "P" + str(order).translate(_SUBSCRIPTS)


def _nth(n: int) -> str:
    return {0: "f", 1: "f'", 2: "f''", 3: "f'''"}.get(n, "f⁽" + str(n).translate(_SUPERSCRIPTS) + "⁾")


def _one_variable(series: Taylor1D) -> Answer:
    x = series.variable.name
    a = plain(series.point)
    n_max = series.order
    name = "Maclaurin" if series.point == 0 else "Taylor"
    lines = [
        f"I read this as: f({x}) = {code(series.expr)}, expanded about {x} = {a} up to degree {n_max}"
        + (" (a Taylor series about 0 is called a Maclaurin series)." if series.point == 0 else "."),
        "",
        f"General term: f⁽ⁿ⁾(a)/n! · ({x} − a)ⁿ, for n = 0 … {n_max}, with a = {a}.",
        "",
    ]
    shift = shift_symbol(series.variable, series.point)
    shown_terms = [term.coefficient * shift**term.n for term in series.terms]
    rows = []
    for term, shown in zip(series.terms, shown_terms, strict=True):
        derivative = plain(term.derivative)
        rows.append(
            (
                str(term.n),
                derivative if len(derivative) <= _MAX_CELL else "…",
                _exact_and_number(term.derivative_at),
                _exact_and_number(term.coefficient),
                plain(shown),
            )
        )
    lines.append(fmt_table(("n", f"f⁽ⁿ⁾({x})", f"f⁽ⁿ⁾({a})", "f⁽ⁿ⁾(a)/n!", "term"), rows))
    polynomial_text = join_terms(shown_terms)
    p = _p(n_max)
    lines += ["", f"{name} polynomial: {p}({x}) = `{polynomial_text}`", ""]
    next_n = n_max + 1
    lines.append(
        f"Remainder (Lagrange form): f({x}) − {p}({x}) = {_nth(next_n)}(ξ)/{next_n}! · ({x} − a)^{next_n} "
        f"= {code(series.remainder)} for some ξ between {a} and {x}: the error shrinks like |{x} − a|^{next_n} "
        f"near a."
    )
    lines += _error_lines(series, p)
    lines += ["", f"**Result**: {p}({x}) = `{polynomial_text}`"]
    result, latex = _in_powers_of_the_shift(
        [(term.coefficient, (term.n,)) for term in series.terms], [series.variable], [series.point]
    )
    return Answer(
        text="\n".join(lines),
        result=result,
        latex=f"{_p_latex(n_max)}({sympy.latex(series.variable)}) = {latex}",
    )


def _p_latex(order: int) -> str:
    return f"P_{{{order}}}"


def _exact_and_number(value: sympy.Expr) -> str:
    if value.is_Rational or value.free_symbols:
        return plain(value)
    return f"{plain(value)} ≈ {fmt_number(value)}"


def _error_lines(series: Taylor1D, p: str) -> list[str]:
    x = series.variable.name
    lines: list[str] = []
    if series.samples:
        rows = [
            (
                fmt_number(float(sample.at[0])),
                fmt_number(sample.exact),
                fmt_number(sample.approximation),
                fmt_number(sample.error, 3),
                "–" if sample.bound is None else f"≤ {fmt_number(sample.bound, 3)}",
            )
            for sample in series.samples
        ]
        lines += [
            "",
            "How good is it near a? The actual error, and the Lagrange bound max|f⁽ᴺ⁺¹⁾|·|x − a|^(N+1)/(N+1)! "
            "(the max estimated by sampling between a and x):",
            fmt_table((x, f"f({x})", f"{p}({x})", "|error|", "bound"), rows),
        ]
    for skipped in series.skipped_samples:
        lines.append(f"(f is not defined at {x} = {plain(skipped[0])}, so there is no error to show there.)")
    return lines


def _degree_label(degree: int) -> str:
    if degree == 0:
        return "f(a)"
    if degree == 1:
        return "J(a)·Δx"
    if degree == 2:
        return "½ Δxᵀ H(a) Δx"
    return f"Σ_|α|={degree} ∂^α f(a)/α! · Δx^α"


def _several_variables(series: TaylorND) -> Answer:
    names = variables_text(series.variables)
    where = point_text(series.point)
    deltas = ", ".join(plain(v - c) for v, c in zip(series.variables, series.point, strict=True))
    p = _p(series.order)
    lines = [
        f"I read this as: f({names}) = {code(series.expr)}, expanded about ({names}) = {where} "
        f"up to degree {series.order}.",
        "",
        f"Multivariate Taylor series: f(x) ≈ f(a) + J(a)·Δx + ½ Δxᵀ H(a) Δx + …, with Δx = ({deltas}).",
        "",
        f"f(a) = {_exact_and_number(series.value)}",
    ]
    if series.jacobian is not None:
        lines += ["The Jacobian (row of first partials) at the point:", matrix_block("J(a)", series.jacobian)]
    if series.hessian is not None:
        lines += ["The Hessian (second partials) at the point:", matrix_block("H(a)", series.hessian)]
    if series.order > 2:
        lines.append(
            "Beyond degree 2, each degree k adds Σ ∂^α f(a)/α! · Δx^α over the exponent patterns α "
            f"with |α| = k (α! = α₁!·α₂!·…), up to k = {series.order}."
        )
    shifts = [shift_symbol(v, c) for v, c in zip(series.variables, series.point, strict=True)]
    by_degree: list[list[sympy.Expr]] = [[] for _ in range(series.order + 1)]
    for alpha, coefficient in series.coefficients:
        monomial = sympy.Mul(*(u**k for u, k in zip(shifts, alpha, strict=True)))
        by_degree[sum(alpha)].append(coefficient * monomial)
    lines += ["", "Degree by degree:"]
    for degree, shown in enumerate(by_degree):
        lines.append(f"- degree {degree}: {_degree_label(degree)} = `{join_terms(shown)}`")
    polynomial_text = join_terms([term for shown in by_degree for term in shown])
    lines += ["", f"{p}({names}) = `{polynomial_text}`"]
    if series.samples:
        rows = [
            (
                "(" + ", ".join(fmt_number(float(c)) for c in sample.at) + ")",
                fmt_number(sample.exact),
                fmt_number(sample.approximation),
                fmt_number(sample.error, 3),
            )
            for sample in series.samples
        ]
        lines += [
            "",
            f"How good is it near a? The error is of order |Δx|^{series.order + 1}:",
            fmt_table((f"({names})", "f", p, "|error|"), rows),
        ]
    for skipped in series.skipped_samples:
        lines.append(f"(f is not defined at {point_text(skipped)}, so there is no error to show there.)")
    lines += ["", f"**Result**: {p}({names}) = `{polynomial_text}`"]
    result, latex = _in_powers_of_the_shift(
        [(coefficient, alpha) for alpha, coefficient in series.coefficients], series.variables, series.point
    )
    return Answer(
        text="\n".join(lines),
        result=result,
        latex=f"{_p_latex(series.order)}({', '.join(sympy.latex(v) for v in series.variables)}) = {latex}",
    )

