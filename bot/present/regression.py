"""The /fit job: read the model, the data and the guess, fit, and show the working and the figure."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import sympy
from sympy.printing.latex import LatexPrinter

from bot.errors import BadArgument, EmptyInput
from bot.present.answer import Answer, Figure
from bot.present.format import LearnerNotation, fmt_expr, fmt_table, plain
from bot.solver.parser import parse, parse_assignments
from bot.solver.regression import (
    FitIterate,
    FitResult,
    Model,
    expression_model,
    fit_model,
    line_model,
    parse_data,
    poly_model,
)
from plotting import style as figure_style
from plotting.fit import fit_plot_data, render_fit
from plotting.training import cost_curve_data, render_cost_curve

_MODEL_PREFIX = re.compile(r"^\s*(?:y|f\s*\(\s*x\s*\))\s*=(?!=)\s*")
_METHOD_ALIASES = {
    "": "auto",
    "auto": "auto",
    "exact": "exact",
    "linear": "exact",
    "normal equations": "exact",
    "lstsq": "exact",
    "lm": "lm",
    "levenberg-marquardt": "lm",
    "levenberg–marquardt": "lm",
    "marquardt": "lm",
    "descent": "descent",
    "steepest descent": "descent",
    "gradient descent": "descent",
    "gd": "descent",
}
_DESIGN_ROWS = 6
_HEAD_ITERATIONS, _TAIL_ITERATIONS = 8, 3
_MAX_NORMAL_SHOWN = 6
NOISE = 1e-12  # a parameter this small relative to the largest is floating-point noise


def _rounded(value: float) -> str:
    """6 significant figures, still visibly a float (1.0, not 1)."""
    text = f"{value:.6g}"
    return text if any(ch in text for ch in ".en") else text + ".0"


class _RoundedStrPrinter(LearnerNotation):
    """The fitted model for reading: floats to 6 significant figures, ``^`` for powers."""

    def _print_Float(self, expr: sympy.Float) -> str:
        return _rounded(float(expr))

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Mul(self, expr: sympy.Mul) -> str:
        return super()._print_Mul(expr).replace("**", "^")


class _RoundedLatexPrinter(LatexPrinter):
    def _print_Float(self, expr: sympy.Float) -> str:
        mantissa, _, exponent = _rounded(float(expr)).partition("e")
        return mantissa if not exponent else rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def read_model(text: str) -> Model:
    """ "line", "poly N", or an expression in x (optionally written "y = ...")."""
    stripped = text.strip()
    if not stripped:
        raise EmptyInput("which model? e.g. /fit line data 0, 1; 1, 3; 2, 5")
    keyword = stripped.lower()
    if keyword in ("line", "linear"):
        return line_model()
    poly = re.fullmatch(r"poly(?:nomial)?\s*(.*)", keyword)
    if poly:
        degree = poly.group(1).strip()
        if not degree.isdigit():
            raise BadArgument(
                f"'{stripped}' needs a whole-number degree", hint="e.g. 'poly 2' for a quadratic"
            )
        return poly_model(int(degree))
    if re.fullmatch(r"[A-Za-z_]{2,}", stripped):
        raise BadArgument(
            f"unknown model '{stripped}'",
            hint="use 'line', 'poly N' (N from 1 to 10) or an expression in x such as a*exp(b*x) + c",
        )
    return expression_model(parse(_MODEL_PREFIX.sub("", stripped, count=1)))


def read_method(text: str) -> str:
    method = _METHOD_ALIASES.get(" ".join(text.strip().lower().split()))
    if method is None:
        raise BadArgument(f"unknown method '{text.strip()}'", hint="use auto, exact, lm or descent")
    return method


def read_guess(text: str | None, model: Model) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Start values in parameter order, and the names the learner gave (the rest start at 1)."""
    if text is None or not text.strip():
        return (1.0,) * len(model.params), ()
    by_name = {p.name: p for p in model.params}
    values = {p.name: 1.0 for p in model.params}
    given: list[str] = []
    for name, value in parse_assignments(text).items():
        if name.name not in by_name:
            raise BadArgument(
                f"the guess names '{name.name}', which is not a parameter of this model",
                hint="the parameters are " + ", ".join(by_name),
            )
        number = complex(sympy.N(value)) if value.is_number else None
        if number is None or number.imag != 0 or not np.isfinite(number.real):
            raise BadArgument(
                f"the guess for {name.name} must be a finite real number, not {plain(value)}"
            )
        values[name.name] = number.real
        given.append(name.name)
    return tuple(values[p.name] for p in model.params), tuple(given)


def fit(
    model_text: str, data_text: str, guess_text: str | None = None, method: str = "auto"
) -> Answer:
    """Worker job for /fit."""
    model = read_model(model_text)
    x, y = parse_data(data_text)
    chosen = read_method(method)
    guess, named = read_guess(guess_text, model)
    result = fit_model(model, x, y, guess, chosen)

    fitted = model.expr.subs(
        {p: sympy.Float(v) for p, v in zip(model.params, _shown_params(result), strict=True)}
    )
    fitted_text = _RoundedStrPrinter({"order": None}).doprint(fitted)
    sections = [_heading(result)]
    if result.method == "exact":
        sections.append(_linear_working(result))
    else:
        sections.append(_start(result, named, bool(guess_text and guess_text.strip())))
        sections.append(
            _descent_working(result) if result.method == "descent" else _lm_working(result)
        )
    if result.method == "exact" and named:
        sections.append("_(The guess is not needed: a linear model is solved exactly.)_")
    sections.append(_summary(result))
    sections.append(f"**Answer:** y = `{fitted_text}`")

    data = fit_plot_data(x, y, result.predict)
    typeset = model.expr.subs(  # the title in the learner's notation: y = 0.9983 e^{1.001 x}
        {p: sympy.Float(v, 4) for p, v in zip(model.params, _shown_params(result), strict=True)}
    )
    png = render_fit(
        data, title=f"Least-squares fit: {figure_style.formula(typeset, 'y')}", curve_label="fitted model"
    )
    alt = f"{len(x)} data points with the fitted curve y = {fitted_text}, and the residuals below"
    values = {p: sympy.Float(repr(v)) for p, v in zip(model.params, result.params, strict=True)}
    return Answer(
        text="\n\n".join(sections),
        result=sympy.sstr(values),
        latex="y = " + _RoundedLatexPrinter().doprint(fitted),
        images=(Figure("fit.png", png, alt), *_chi2_path(result)),
    )


def _chi2_path(result: FitResult) -> tuple[Figure, ...]:
    """χ² after each iteration of an iterative fit: the picture of the descent the working describes."""
    if len(result.iterations) < 2:
        return ()
    name = "steepest descent" if result.method == "descent" else "Levenberg–Marquardt"
    png = render_cost_curve(
        cost_curve_data([it.chi2 for it in result.iterations]),
        title=f"χ² along the {name} iterations",
        xlabel="iteration",
        ylabel=r"$\chi^2 = \sum_i\,(y_i - f(x_i))^2$",
    )
    return (Figure("chi2.png", png, f"χ² after each of {len(result.iterations) - 1} {name} iterations"),)


def _num(value: float) -> str:
    return f"{value:.6g}"


def _shown_params(result: FitResult) -> list[float]:
    """The parameters for reading: rounding noise (1e-16 beside 1) shown as 0, not as 2.37e-16·x."""
    scale = max((abs(v) for v in result.params), default=0.0)
    return [0.0 if abs(v) <= NOISE * scale else float(v) for v in result.params]


def _heading(result: FitResult) -> str:
    model, n = result.model, len(result.x)
    names = ", ".join(p.name for p in model.params)
    kind = {"line": "a straight line,", "expression": "the model"}.get(
        model.name, f"a polynomial of degree {model.name[5:]},"
    )
    how = {
        "exact": "it is linear in its parameters, so the least-squares answer is exact",
        "lm": "it is not linear in its parameters, so we iterate (Levenberg–Marquardt)",
        "descent": "we follow the gradient of χ² downhill (steepest descent)",
    }[result.method]
    shown = "`m*x + c`" if model.name == "line" else fmt_expr(model.expr)
    return (
        f"**Least-squares fit** of {kind} y = {shown} to {n} points; parameters {names}: {how}.\n"
        "We choose the parameters that minimise χ² = Σᵢ (yᵢ − f(xᵢ))²."
    )


def _linear_working(result: FitResult) -> str:
    working, model = result.linear_working, result.model
    assert working is not None and model.basis is not None and model.offset is not None
    has_offset = model.offset != 0
    target = f"yᵢ − ({plain(model.offset)})" if has_offset else "yᵢ"
    lines = [
        "χ² is smallest where every ∂χ²/∂p = 0. For a model linear in its parameters that gives the "
        f"**normal equations** AᵀA p = Aᵀ{'y′' if has_offset else 'y'}, where column j of the design matrix A "
        "is ∂f/∂pⱼ at each data point"
        + (
            f", and y′ = y − {fmt_expr(model.offset)} (the part of the model without parameters)."
            if has_offset
            else "."
        ),
    ]
    headers = [
        "i",
        "xᵢ",
        *(f"∂f/∂{p.name} = {plain(b)}" for p, b in zip(model.params, model.basis, strict=True)),
        target,
    ]
    shown = min(len(result.x), _DESIGN_ROWS)
    rows = [
        [
            str(i + 1),
            _num(result.x[i]),
            *(_num(v) for v in working.design[i]),
            _num(working.target[i]),
        ]
        for i in range(shown)
    ]
    if len(result.x) > shown:
        rows.append(["⋮"] * len(headers))
    lines.append(
        f"Design matrix A (first {shown} of {len(result.x)} rows):\n\n" + fmt_table(headers, rows)
    )
    if len(model.params) <= _MAX_NORMAL_SHOWN:
        lines.append(
            "Normal equations AᵀA p = Aᵀy:\n"
            + _equation_block(working.normal_matrix, model.params, working.normal_rhs)
        )
    else:
        k = len(model.params)
        lines.append(f"The normal equations are a {k}×{k} system (not shown).")
    lines.append(
        "Solving them (by an SVD of A, which stays accurate when AᵀA is ill-conditioned) gives the parameters below."
    )
    return "\n\n".join(lines)


def _equation_block(matrix: np.ndarray, params: Sequence[sympy.Symbol], rhs: np.ndarray) -> str:
    cells = [[_num(v) for v in row] for row in matrix]
    width = max(len(cell) for row in cells for cell in row)
    name_width = max(len(p.name) for p in params)
    rhs_cells = [_num(v) for v in rhs]
    rhs_width = max(len(cell) for cell in rhs_cells)
    middle = len(params) // 2
    lines = []
    for i, row in enumerate(cells):
        left = "[ " + "  ".join(cell.rjust(width) for cell in row) + " ]"
        sign = " = " if i == middle else "   "
        lines.append(
            f"{left} [{params[i].name.ljust(name_width)}]{sign}[ {rhs_cells[i].rjust(rhs_width)} ]"
        )
    return "```\n" + "\n".join(lines) + "\n```"


def _start(result: FitResult, named: Sequence[str], guess_given: bool) -> str:
    assert result.guess is not None
    values = ", ".join(
        f"{p.name} = {_num(v)}" for p, v in zip(result.model.params, result.guess, strict=True)
    )
    if not guess_given:
        note = (
            "no guess given, so 1 for each parameter; give one with e.g. 'guess "
            + ", ".join(f"{p.name}=2" for p in result.model.params)
            + "'"
        )
    else:
        unnamed = [p.name for p in result.model.params if p.name not in named]
        note = "from your guess" + (f"; {', '.join(unnamed)} start at 1" if unnamed else "")
    return f"Start: {values} ({note})."


def _partials(result: FitResult) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    return [(p, sympy.diff(result.model.expr, p)) for p in result.model.params]


def _lm_working(result: FitResult) -> str:
    lines = [
        "Each step linearises f around the current p using the Jacobian J (Jᵢⱼ = ∂f/∂pⱼ at xᵢ) and solves "
        "(JᵀJ + λ diag JᵀJ) δ = Jᵀr for the residuals r = y − f: a Gauss–Newton step when λ is small, a short "
        "gradient step when it is large; λ shrinks while χ² keeps falling.",
        "The Jacobian, from the model:\n"
        + "\n".join(f"- ∂f/∂{p.name} = {fmt_expr(d)}" for p, d in _partials(result)),
        _iteration_table(result, with_step=False),
        f"Converged after {len(result.iterations) - 1} iterations.",
    ]
    return "\n\n".join(lines)


def _descent_working(result: FitResult) -> str:
    gradient = "\n".join(
        f"- ∂χ²/∂{p.name} = −2 Σᵢ (yᵢ − f(xᵢ)) · ∂f/∂{p.name}, with ∂f/∂{p.name} = {fmt_expr(d)}"
        for p, d in _partials(result)
    )
    lines = [
        "Steepest descent: p ← p − γ ∇χ², where by the chain rule\n" + gradient,
        "Step size γ: try the Barzilai–Borwein estimate (step length over change in gradient along the last step), "
        "and halve it until χ² falls by at least 10⁻⁴·γ|∇χ²|², so every step goes downhill.",
        _iteration_table(result, with_step=True),
        f"Converged after {len(result.iterations) - 1} steps (the slope of χ² had all but vanished).",
    ]
    return "\n\n".join(lines)


def _iteration_table(result: FitResult, *, with_step: bool) -> str:
    headers = ["k", *(["γ"] if with_step else []), *(p.name for p in result.model.params), "χ²"]

    def row(k: int, iterate: FitIterate) -> list[str]:
        step = (
            []
            if not with_step
            else ["—" if iterate.step_size is None else f"{iterate.step_size:.3g}"]
        )
        return [str(k), *step, *(_num(v) for v in iterate.params), _num(iterate.chi2)]

    iterates = list(enumerate(result.iterations))
    if len(iterates) > _HEAD_ITERATIONS + _TAIL_ITERATIONS + 1:
        rows = [row(k, it) for k, it in iterates[:_HEAD_ITERATIONS]]
        rows.append(["⋮"] * len(headers))
        rows += [row(k, it) for k, it in iterates[-_TAIL_ITERATIONS:]]
    else:
        rows = [row(k, it) for k, it in iterates]
    return fmt_table(headers, rows)


def _summary(result: FitResult) -> str:
    errors = result.std_errors
    rows = [
        [p.name, _num(v), "—" if errors is None else f"{errors[i]:.3g}"]
        for i, (p, v) in enumerate(zip(result.model.params, _shown_params(result), strict=True))
    ]
    lines = [fmt_table(["parameter", "value", "standard error"], rows)]
    n, k = len(result.x), len(result.model.params)
    if errors is not None:
        lines.append(
            f"Standard errors are √ of the diagonal of the covariance σ²(JᵀJ)⁻¹ (J = ∂f/∂p at the data), "
            f"σ² = χ²/(n − k) = {_num(result.chi2)}/{result.dof} = {_num(result.chi2 / result.dof)}."
        )
    elif result.dof == 0:
        lines.append(
            f"No standard errors: {n} points for {k} parameters leave no degrees of freedom to estimate the scatter."
        )
    else:
        lines.append(
            "No standard errors: JᵀJ is singular at the fit, so the parameters are not all determined by the data."
        )
    stats = []
    if result.r_squared is not None:
        stats.append(f"R² = {result.r_squared:.6f}")
    stats.append(f"χ² = {_num(result.chi2)}")
    if result.dof > 0:
        stats.append(f"χ²/dof = {_num(result.chi2 / result.dof)} (dof = n − k = {result.dof})")
    residuals = result.residuals
    lines.append(", ".join(stats) + ".")
    lines.append(
        f"Residuals yᵢ − f(xᵢ): max |r| = {_num(float(np.max(np.abs(residuals))))}, "
        f"RMS = {_num(float(np.sqrt(np.mean(residuals**2))))}."
    )
    return "\n\n".join(lines)
