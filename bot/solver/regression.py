"""Least-squares fitting of a model to the learner's data (course week 6).

Three routes to the minimum of chi^2 = sum (y_i - f(x_i))^2: the exact solution when the model is
linear in its parameters, Levenberg-Marquardt (scipy) for non-linear models, and plain steepest
descent on chi^2 as the course teaches it. Every route returns a ``FitResult`` holding the working
(design matrix, iterates) so that the presentation layer can show it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from bot.errors import BadArgument, InputTooLarge, NoConvergence, Undefined
from bot.solver.variables import symbol

MAX_POINTS = 10_000
MAX_PARAMETERS = 8
MAX_POLY_DEGREE = 10
MAX_DATA_CHARS = 1_000_000
METHODS = ("auto", "exact", "lm", "descent")

X = symbol("x")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_ROW_SEPARATOR = re.compile(r"\r\n|[;\n\r]")
# A residual the model cannot produce (log of a negative, overflow) is replaced by this, so that
# the optimiser rejects the step instead of being poisoned by NaN; its square still fits a float.
_PENALTY = 1e100

NumericModel = Callable[[np.ndarray, np.ndarray], np.ndarray]


# ---------------------------------------------------------------------------------------------
# Data


def parse_number(token: str, where: str) -> float:
    """A strict float literal: data are numbers, never expressions (no eval, no NaN/inf)."""
    text = token.strip().strip("\"'").strip().replace("\u2212", "-")
    if _NON_FINITE.fullmatch(text):
        raise BadArgument(
            f"{where}: '{text}' is not allowed: data must be finite numbers (no NaN or infinity)"
        )
    if not _NUMBER.fullmatch(text):
        raise BadArgument(
            f"{where}: '{text}' is not a number", hint="write numbers like 2, -0.5 or 1.2e3"
        )
    value = float(text)
    if not math.isfinite(value):
        raise InputTooLarge(f"{where}: '{text}' is too large to be a floating-point number")
    return value


def _split_row(row: str) -> list[str]:
    if "," in row:
        return [field.strip() for field in row.split(",")]
    if "\t" in row:
        return [field.strip() for field in row.split("\t")]
    return row.split()


_POINT = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_POINTS = re.compile(r"\s*(?:[(\[][^()\[\]]*[)\]]\s*,?\s*){2,}")


def _rows(text: str) -> list[str]:
    """The rows of the data: lines or ';'-separated parts, and bracketed points written side by
    side on one of them — ``(0,1) (1,3) (2,5)`` or ``(0, 1), (1, 3)`` — one row each."""
    rows: list[str] = []
    for part in _ROW_SEPARATOR.split(text):
        if _POINTS.fullmatch(part):
            rows += [match.group(1) for match in _POINT.finditer(part)]
        else:
            rows.append(part)
    return rows


def _is_number(field: str) -> bool:
    return bool(_NUMBER.fullmatch(field.strip().strip("\"'").strip().replace("\u2212", "-")))


def parse_data(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Points from "x, y; x, y", one pair per line, or a pasted CSV with an optional header row."""
    if len(text) > MAX_DATA_CHARS:
        raise InputTooLarge(
            f"the data are too long ({len(text):,} characters; at most {MAX_DATA_CHARS:,})"
        )
    xs: list[float] = []
    ys: list[float] = []
    seen_row = False
    for number, raw in enumerate(_rows(text), start=1):
        row = raw.strip()
        if len(row) > 1 and row[0] + row[-1] in ("()", "[]"):
            row = row[1:-1].strip()  # a point written as (x, y)
        if not row:
            continue
        fields = _split_row(row)
        first_row, seen_row = not seen_row, True
        if len(fields) != 2 or not all(fields):
            raise BadArgument(
                f"row {number}: '{row}' is not a pair of numbers",
                hint="write each point as 'x, y' (or 'x y') and separate points with ';' or new lines, "
                "or write them bracketed: (0, 1) (1, 3)",
            )
        if first_row and not any(_is_number(field) for field in fields):
            continue  # a CSV header such as "x,y" or "height,count"
        if len(xs) == MAX_POINTS:
            raise InputTooLarge(f"too many points: at most {MAX_POINTS:,} can be fitted")
        xs.append(parse_number(fields[0], f"row {number}"))
        ys.append(parse_number(fields[1], f"row {number}"))
    if not xs:
        raise BadArgument("no data points given", hint="e.g. /fit line data 0, 1; 1, 3; 2, 5.1")
    return np.array(xs), np.array(ys)


# ---------------------------------------------------------------------------------------------
# Models


@dataclass(frozen=True)
class Model:
    """y = expr(x; params). ``basis``/``offset`` are set when expr = sum p_i basis_i + offset."""

    expr: sympy.Expr
    params: tuple[sympy.Symbol, ...]
    name: str  # "line", "poly 2" or "expression"
    basis: tuple[sympy.Expr, ...] | None
    offset: sympy.Expr | None

    @property
    def linear(self) -> bool:
        return self.basis is not None

    def numeric(self) -> NumericModel:
        """f(x, p) on arrays (lambdify of our own SymPy object, not of user text)."""
        return _vectorised(self.expr, self.params)

    def numeric_jacobian(self) -> list[NumericModel]:
        """The columns of df/dp, one callable per parameter."""
        return [_vectorised(sympy.diff(self.expr, p), self.params) for p in self.params]


def _vectorised(expr: sympy.Expr, params: Sequence[sympy.Symbol]) -> NumericModel:
    compiled = sympy.lambdify((X, *params), expr, modules=["scipy", "numpy"])

    def evaluate(x: np.ndarray, p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            value = np.asarray(compiled(x, *p))
        if np.iscomplexobj(value):
            value = np.where(
                np.abs(value.imag) <= 1e-12 * (1 + np.abs(value.real)), value.real, np.nan
            )
        return np.broadcast_to(value.astype(float), x.shape).copy()

    return evaluate


def _linear_structure(
    expr: sympy.Expr, params: Sequence[sympy.Symbol]
) -> tuple[tuple[sympy.Expr, ...], sympy.Expr] | None:
    """(basis, offset) if expr is affine in the parameters, else None."""
    basis = tuple(sympy.expand(sympy.diff(expr, p)) for p in params)
    if any(b.free_symbols & set(params) for b in basis):
        return None
    offset = sympy.expand(
        expr - sum((p * b for p, b in zip(params, basis, strict=True)), sympy.S.Zero)
    )
    if offset.free_symbols & set(params):
        return None
    return basis, offset


def line_model() -> Model:
    m, c = symbol("m"), symbol("c")
    return Model(m * X + c, (c, m), "line", (sympy.S.One, X), sympy.S.Zero)


def poly_model(degree: int) -> Model:
    if not 1 <= degree <= MAX_POLY_DEGREE:
        raise BadArgument(
            f"poly needs a degree from 1 to {MAX_POLY_DEGREE}, not {degree}", hint="e.g. 'poly 2'"
        )
    params = tuple(symbol(f"a{k}") for k in range(degree + 1))
    basis = tuple(X**k for k in range(degree + 1))
    expr = sympy.Add(*(p * b for p, b in zip(params, basis, strict=True)))
    return Model(expr, params, f"poly {degree}", basis, sympy.S.Zero)


def expression_model(expr: sympy.Expr) -> Model:
    """Any expression in x; every other free symbol is a parameter to fit."""
    if not isinstance(expr, sympy.Expr):
        raise BadArgument("the model must be a single expression in x, e.g. a*exp(b*x) + c")
    # one x, whatever assumptions the symbol was built with
    expr = expr.xreplace(
        {s: X for s in expr.free_symbols if isinstance(s, sympy.Symbol) and s.name == "x"}
    )
    if X not in expr.free_symbols:
        raise BadArgument(
            f"the model {sympy.sstr(expr)} has no x in it",
            hint="write the model as an expression in x, e.g. a*exp(b*x) + c",
        )
    params = tuple(sorted((s for s in expr.free_symbols if s != X), key=lambda s: s.name))
    if not params:
        raise BadArgument(
            "the model has no parameters to fit",
            hint="every symbol other than x is a parameter, e.g. a*x^2 + b",
        )
    if len(params) > MAX_PARAMETERS:
        raise InputTooLarge(
            f"too many parameters ({len(params)}); at most {MAX_PARAMETERS} can be fitted"
        )
    if not all(isinstance(s, sympy.Symbol) for s in params):
        raise BadArgument("the model may only contain x, parameters, numbers and functions")
    structure = _linear_structure(expr, params)
    basis, offset = structure if structure else (None, None)
    return Model(expr, params, "expression", basis, offset)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class FitIterate:
    params: tuple[float, ...]
    chi2: float
    step_size: float | None = None  # gamma of a descent step; None for other methods


@dataclass(frozen=True, eq=False)
class LinearWorking:
    design: np.ndarray  # A, one column per basis function
    target: np.ndarray  # y minus the parameter-free part of the model
    normal_matrix: np.ndarray  # A^T A
    normal_rhs: np.ndarray  # A^T y


@dataclass(frozen=True, eq=False)
class FitResult:
    model: Model
    x: np.ndarray
    y: np.ndarray
    method: str  # "exact", "lm" or "descent"
    params: tuple[float, ...]
    std_errors: tuple[float, ...] | None  # None: no spare degrees of freedom, or singular J^T J
    chi2: float
    guess: tuple[float, ...] | None = None
    iterations: tuple[FitIterate, ...] = ()
    linear_working: LinearWorking | None = None

    @property
    def dof(self) -> int:
        return len(self.x) - len(self.params)

    @property
    def residuals(self) -> np.ndarray:
        return self.y - self.predict(self.x)

    @property
    def r_squared(self) -> float | None:
        """1 - RSS/TSS, reported for linear models; None when all y are equal."""
        total = float(np.sum((self.y - self.y.mean()) ** 2))
        if not self.model.linear or total == 0.0:
            return None
        return 1.0 - self.chi2 / total

    def predict(self, xs: np.ndarray) -> np.ndarray:
        return self.model.numeric()(np.asarray(xs, dtype=float), np.array(self.params))


# ---------------------------------------------------------------------------------------------
# Fitting


def fit_model(
    model: Model,
    x: np.ndarray,
    y: np.ndarray,
    guess: Sequence[float] | None = None,
    method: str = "auto",
) -> FitResult:
    """Fit by the requested method; "auto" is exact for linear models, else Levenberg-Marquardt."""
    if method not in METHODS:
        raise BadArgument(f"unknown method '{method}'", hint="use one of: " + ", ".join(METHODS))
    _check_data(model, x, y)
    start = tuple(float(v) for v in guess) if guess is not None else (1.0,) * len(model.params)
    if len(start) != len(model.params):
        raise BadArgument(f"the guess needs {len(model.params)} values, one per parameter")
    if method == "exact" and not model.linear:
        raise BadArgument(
            "this model is not linear in its parameters, so there is no exact solution",
            hint="use 'method lm' or 'method descent'",
        )
    if method in ("auto", "exact") and model.linear:
        return fit_linear(model, x, y)
    if method == "descent":
        return fit_descent(model, x, y, start)
    return fit_levenberg_marquardt(model, x, y, start)


def _check_data(model: Model, x: np.ndarray, y: np.ndarray) -> None:
    n, k = len(x), len(model.params)
    if n < k:
        raise BadArgument(
            f"fewer points than parameters: {n} point{'s' if n != 1 else ''} for {k} parameters",
            hint=f"give at least {k} points (more, to estimate the errors)",
        )
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise BadArgument("the data must be finite numbers (no NaN or infinity)")
    if k >= 2 and np.ptp(x) == 0.0:
        raise BadArgument(
            f"all x values are equal (x = {x[0]:g}), so {k} parameters can't be determined",
            hint="give points at several different x values",
        )


def _names(model: Model) -> str:
    return ", ".join(p.name for p in model.params)


def fit_linear(model: Model, x: np.ndarray, y: np.ndarray) -> FitResult:
    """Exact least squares: solve A p = y - offset in the least-squares sense (SVD, scaled columns)."""
    if model.basis is None or model.offset is None:
        raise BadArgument("this model is not linear in its parameters")
    design = np.column_stack([_vectorised(b, ())(x, np.array([])) for b in model.basis])
    target = y - _vectorised(model.offset, ())(x, np.array([]))
    if not (np.all(np.isfinite(design)) and np.all(np.isfinite(target))):
        bad = int(np.argmax(~np.all(np.isfinite(design), axis=1) | ~np.isfinite(target)))
        raise Undefined(
            f"the model is undefined at x = {x[bad]:g}",
            hint="remove that point or change the model",
        )
    norms = np.linalg.norm(design, axis=0)
    if np.any(norms == 0.0):
        zero = model.params[int(np.argmin(norms))]
        raise Undefined(
            f"the data say nothing about {zero.name}: its column of the design matrix is all zeros"
        )
    scaled = design / norms
    solution, _, rank, _ = np.linalg.lstsq(scaled, target, rcond=None)
    if rank < len(model.params):
        distinct = len(np.unique(x))
        why = (
            f"only {distinct} distinct x values for {len(model.params)} parameters"
            if distinct < len(model.params)
            else f"the parameters {_names(model)} can't all be told apart with these data"
        )
        raise Undefined(
            f"the design matrix is singular: {why}",
            hint="add points at more x values, or remove a redundant parameter",
        )
    params = solution / norms
    chi2 = float(np.sum((target - design @ params) ** 2))
    working = LinearWorking(design, target, design.T @ design, design.T @ target)
    return FitResult(
        model,
        x,
        y,
        "exact",
        tuple(float(v) for v in params),
        _standard_errors(design, chi2, len(x)),
        chi2,
        linear_working=working,
    )


def _standard_errors(jacobian: np.ndarray, chi2: float, n: int) -> tuple[float, ...] | None:
    """sqrt(diag(s^2 (J^T J)^-1)) with s^2 = chi^2/dof, via the SVD of column-scaled J."""
    k = jacobian.shape[1]
    if n <= k or not np.all(np.isfinite(jacobian)):
        return None
    norms = np.linalg.norm(jacobian, axis=0)
    if np.any(norms == 0.0):
        return None
    _, singular, vt = np.linalg.svd(jacobian / norms, full_matrices=False)
    if singular[-1] <= singular[0] * max(jacobian.shape) * np.finfo(float).eps:
        return None
    inverse = (vt.T / singular**2) @ vt
    covariance = chi2 / (n - k) * inverse / np.outer(norms, norms)
    return tuple(float(math.sqrt(max(v, 0.0))) for v in np.diag(covariance))


class _Objective:
    """Residuals, chi^2 and the analytic Jacobian of a model on fixed data."""

    def __init__(self, model: Model, x: np.ndarray, y: np.ndarray):
        self.x, self.y = x, y
        self._f = model.numeric()
        self._columns = model.numeric_jacobian()

    def residuals(self, p: np.ndarray) -> np.ndarray:
        r = self.y - self._f(self.x, p)
        return np.where(np.isfinite(r), r, _PENALTY)

    def chi2(self, p: np.ndarray) -> float:
        return float(np.sum(self.residuals(p) ** 2))

    def model_jacobian(self, p: np.ndarray) -> np.ndarray:
        """df/dp at every point (n x k); undefined entries become 0."""
        j = np.column_stack([column(self.x, p) for column in self._columns])
        return np.where(np.isfinite(j), j, 0.0)

    def gradient(self, p: np.ndarray) -> np.ndarray:
        """d chi^2 / dp = -2 sum_i r_i df/dp (x_i)."""
        return -2.0 * self.model_jacobian(p).T @ self.residuals(p)


def _check_start(model: Model, objective: _Objective, start: np.ndarray) -> None:
    undefined = np.abs(objective.residuals(start)) >= _PENALTY
    if np.any(undefined):
        bad = int(np.argmax(undefined))
        at = ", ".join(f"{p.name} = {v:g}" for p, v in zip(model.params, start, strict=True))
        raise Undefined(
            f"the model is undefined at x = {objective.x[bad]:g} with the starting guess {at}",
            hint="give a starting guess where the model is defined, e.g. 'guess "
            + ", ".join(f"{p.name}=0.5" for p in model.params)
            + "'",
        )


def _describe(model: Model, p: Sequence[float] | np.ndarray, chi2: float) -> str:
    at = ", ".join(
        f"{name.name} = {value:.6g}" for name, value in zip(model.params, p, strict=True)
    )
    return f"{at} (χ² = {chi2:.6g})"


def fit_levenberg_marquardt(
    model: Model,
    x: np.ndarray,
    y: np.ndarray,
    start: Sequence[float],
    max_evaluations: int | None = None,
) -> FitResult:
    """Levenberg-Marquardt (MINPACK via scipy) with the analytic Jacobian, recording each iterate."""
    objective = _Objective(model, x, y)
    # Imported here (≈0.7 s): paid by the first fit, not by every start of the workers.
    from scipy.optimize import least_squares

    p0 = np.array(start, dtype=float)
    _check_start(model, objective, p0)
    iterates: list[FitIterate] = []

    def jacobian(p: np.ndarray) -> np.ndarray:
        # MINPACK asks for the Jacobian once per accepted iterate: exactly the path worth showing.
        if not iterates or iterates[-1].params != tuple(p):
            iterates.append(FitIterate(tuple(float(v) for v in p), objective.chi2(p)))
        return -objective.model_jacobian(p)

    budget = max_evaluations or 200 * (len(p0) + 1)
    outcome = least_squares(
        objective.residuals,
        p0,
        jac=jacobian,
        method="lm",
        max_nfev=budget,
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
    )
    final = np.asarray(outcome.x, dtype=float)
    chi2 = objective.chi2(final)
    if outcome.status <= 0 or not np.all(np.isfinite(final)) or chi2 >= _PENALTY:
        raise NoConvergence(
            f"the fit did not converge after {outcome.nfev} evaluations; last iterate: {_describe(model, final, chi2)}",
            hint="try a starting guess closer to the data, e.g. 'guess "
            + ", ".join(f"{p.name}=2" for p in model.params)
            + "'",
        )
    if not iterates or iterates[-1].params != tuple(final):
        iterates.append(FitIterate(tuple(float(v) for v in final), chi2))
    errors = _standard_errors(objective.model_jacobian(final), chi2, len(x))
    return FitResult(
        model,
        x,
        y,
        "lm",
        tuple(float(v) for v in final),
        errors,
        chi2,
        tuple(start),
        tuple(iterates),
    )


def fit_descent(
    model: Model, x: np.ndarray, y: np.ndarray, start: Sequence[float], max_iterations: int = 20_000
) -> FitResult:
    """Steepest descent p <- p - gamma grad chi^2, with a Barzilai-Borwein trial step and Armijo backtracking.

    The trial step adapts gamma to the curvature seen along the path; halving it until chi^2 drops
    by a fixed fraction of the first-order prediction keeps every step downhill.
    """
    objective = _Objective(model, x, y)
    p = np.array(start, dtype=float)
    _check_start(model, objective, p)
    chi2, grad = objective.chi2(p), objective.gradient(p)
    first_norm = float(np.linalg.norm(grad))
    iterates = [FitIterate(tuple(float(v) for v in p), chi2)]
    gamma = 0.1 * (float(np.linalg.norm(p)) + 1.0) / max(first_norm, 1e-300)
    for _ in range(max_iterations):
        norm = float(np.linalg.norm(grad))
        if norm <= 1e-10 * first_norm or norm == 0.0:
            break
        for _halving in range(80):
            trial = p - gamma * grad
            trial_chi2 = objective.chi2(trial)
            if trial_chi2 <= chi2 - 1e-4 * gamma * norm**2:
                break
            gamma /= 2.0
        else:
            # chi^2 can fall no further in floating point: converged if the slope has all but gone.
            if norm <= 1e-6 * first_norm:
                break
            raise NoConvergence(
                f"steepest descent stalled; last iterate: {_describe(model, p, chi2)}",
                hint="try 'method lm', or a starting guess closer to the data",
            )
        new_grad = objective.gradient(trial)
        step, change = trial - p, new_grad - grad
        iterates.append(FitIterate(tuple(float(v) for v in trial), trial_chi2, gamma))
        curvature = float(step @ change)
        gamma = float(step @ step) / curvature if curvature > 0 else 2.0 * gamma
        p, chi2, grad = trial, trial_chi2, new_grad
        if np.linalg.norm(step) <= 1e-14 * (np.linalg.norm(p) + 1e-14):
            break
    else:
        raise NoConvergence(
            f"steepest descent did not converge in {max_iterations:,} steps; last iterate: {_describe(model, p, chi2)}",
            hint="try 'method lm', or a starting guess closer to the data",
        )
    errors = _standard_errors(objective.model_jacobian(p), chi2, len(x))
    return FitResult(
        model,
        x,
        y,
        "descent",
        tuple(float(v) for v in p),
        errors,
        chi2,
        tuple(start),
        tuple(iterates),
    )
