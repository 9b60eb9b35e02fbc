"""Multivariable differentiation: partials, gradient, Jacobian, Hessian and the multivariate chain rule.

Everything here is pure SymPy: results are frozen dataclasses that the presentation layer turns into
working. Values at a point go through ``bot.solver.point_values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy
import sympy

from bot.errors import BadArgument
from bot.solver.point_values import (
    EXPAND_OPS,
    Point,
    as_point,
    learner_text,
    matrix_at,
    point_map,
    sign_of,
    tidy,
    value_at,
)
from bot.solver.steps import simplify_derivative

# --- partial derivatives ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartialDerivative:
    """∂ⁿf taken in ``variables`` order (first to last); ``stages[k]`` is after k+1 differentiations."""

    expr: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    stages: tuple[sympy.Expr, ...]

    @property
    def result(self) -> sympy.Expr:
        return self.stages[-1]


def partial_derivative(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> PartialDerivative:
    """Differentiate in turn by each variable, holding the others constant."""
    if not variables:
        raise BadArgument("say which variable to differentiate by", hint="e.g. 'wrt x' or 'wrt x,y'")
    stages: list[sympy.Expr] = []
    current = expr
    for var in variables:
        current = simplify_derivative(sympy.diff(current, var))
        stages.append(current)
    return PartialDerivative(expr, tuple(variables), tuple(stages))


# --- gradient, Jacobian, Hessian -------------------------------------------------------------------


def _require_variables(variables: Sequence[sympy.Symbol], what: str) -> None:
    if not variables:
        raise BadArgument(
            f"this expression has no variables, so its {what} is empty",
            hint="name the variables with 'vars x,y' to treat it as a function of them",
        )


@dataclass(frozen=True, slots=True)
class Gradient:
    expr: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    partials: tuple[sympy.Expr, ...]

    @property
    def vector(self) -> sympy.ImmutableMatrix:
        """∇f as a column vector, as the course writes it."""
        return sympy.ImmutableMatrix(len(self.partials), 1, list(self.partials))


def gradient(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> Gradient:
    _require_variables(variables, "gradient")
    partials = tuple(simplify_derivative(sympy.diff(expr, var)) for var in variables)
    return Gradient(expr, tuple(variables), partials)


@dataclass(frozen=True, slots=True)
class GradientAt:
    point: Point
    value: sympy.Expr  # f(a)
    vector: sympy.ImmutableMatrix  # ∇f(a), a column
    magnitude: sympy.Expr  # |∇f(a)|


def gradient_at(grad: Gradient, point: Sequence[sympy.Expr | int | float]) -> GradientAt:
    """∇f at a point where f itself is defined (a gradient of an undefined value means nothing)."""
    point = as_point(point)
    value, vector = _value_and_gradient(grad, point)
    magnitude = sympy.sqrt(sum((c**2 for c in vector), sympy.Integer(0)))
    return GradientAt(tuple(point), value, vector, tidy(magnitude))


def _value_and_gradient(grad: Gradient, point: Point) -> tuple[sympy.Expr, sympy.ImmutableMatrix]:
    """f(a) (which must exist) and ∇f(a): what both /grad and /hessian need at a point."""
    at = point_map(grad.variables, point)
    value = value_at(grad.expr, at, "f")
    return value, matrix_at(grad.vector, at, [[f"∂f/∂{v.name}"] for v in grad.variables])


@dataclass(frozen=True, slots=True)
class Jacobian:
    """Rows are the functions, columns the variables: ``matrix[i, j] = ∂fᵢ/∂xⱼ``."""

    functions: tuple[sympy.Expr, ...]
    variables: tuple[sympy.Symbol, ...]
    matrix: sympy.ImmutableMatrix


def jacobian(functions: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]) -> Jacobian:
    if not functions:
        raise BadArgument("give at least one function", hint="e.g. '[x^2 y, x + y]'")
    _require_variables(variables, "Jacobian")
    entries = [simplify_derivative(sympy.diff(f, var)) for f in functions for var in variables]
    matrix = sympy.ImmutableMatrix(len(functions), len(variables), entries)
    return Jacobian(tuple(functions), tuple(variables), matrix)


def jacobian_at(jac: Jacobian, point: Sequence[sympy.Expr | int | float]) -> sympy.ImmutableMatrix:
    point = as_point(point)
    at = point_map(jac.variables, point)
    for i, f in enumerate(jac.functions, start=1):
        value_at(f, at, f"f{i}" if len(jac.functions) > 1 else "f")
    labels = [
        [f"∂f{i}/∂{v.name}" if len(jac.functions) > 1 else f"∂f/∂{v.name}" for v in jac.variables]
        for i in range(1, len(jac.functions) + 1)
    ]
    return matrix_at(jac.matrix, at, labels)


@dataclass(frozen=True, slots=True)
class Hessian:
    expr: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    gradient: Gradient
    matrix: sympy.ImmutableMatrix  # matrix[i, j] = ∂/∂xⱼ (∂f/∂xᵢ)

    @property
    def symmetric(self) -> bool:
        """Mixed partials agree (Schwarz), as they do wherever f is smooth."""
        n = self.matrix.shape[0]
        return all(
            same_function(self.matrix[i, j], self.matrix[j, i]) for i in range(n) for j in range(i + 1, n)
        )


def hessian(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> Hessian:
    """Each mixed partial is computed in its own order, so the symmetry check is a real check."""
    grad = gradient(expr, variables)
    entries = [simplify_derivative(sympy.diff(first, var)) for first in grad.partials for var in variables]
    n = len(variables)
    return Hessian(expr, tuple(variables), grad, sympy.ImmutableMatrix(n, n, entries))


DEFINITENESS_MEANING = {
    "positive definite": "local minimum",
    "negative definite": "local maximum",
    "indefinite": "saddle point",
    "positive semidefinite": "inconclusive",
    "negative semidefinite": "inconclusive",
    "zero": "inconclusive",
}


@dataclass(frozen=True, slots=True)
class HessianAt:
    point: Point
    value: sympy.Expr  # f(a)
    gradient: sympy.ImmutableMatrix  # ∇f(a), a column
    matrix: sympy.ImmutableMatrix  # H(a)
    determinant: sympy.Expr
    eigenvalues: tuple[sympy.Expr, ...]  # exact when SymPy finds them in closed real form
    eigenvalues_exact: bool
    definiteness: str | None  # None when H(a) still has parameters in it
    stationary: bool | None  # ∇f(a) = 0; None when that depends on parameters

    @property
    def classification(self) -> str | None:
        """Second-derivative test: only meaningful at a stationary point."""
        if not self.stationary or self.definiteness is None:
            return None
        return DEFINITENESS_MEANING[self.definiteness]


def _eigenvalues(matrix: sympy.ImmutableMatrix) -> tuple[tuple[sympy.Expr, ...], bool]:
    """Exact eigenvalues when the characteristic polynomial has closed real roots; else decimals."""
    n = matrix.shape[0]
    # Cubic formulas over transcendental entries are slow and unreadable: decimals say more.
    closed_form = n <= 2 or all(entry.is_Rational for entry in matrix)
    found = sympy.roots(matrix.charpoly()) if closed_form else {}
    if sum(found.values()) == n and not any(root.has(sympy.I, sympy.CRootOf) for root in found):
        exact: list[sympy.Expr] = []
        for root, multiplicity in sorted(found.items(), key=lambda item: float(sympy.re(sympy.N(item[0])))):
            exact.extend([tidy(root)] * multiplicity)
        return tuple(exact), True
    numeric = numpy.array([[float(sympy.N(entry, 20)) for entry in row] for row in matrix.tolist()])
    if numpy.allclose(numeric, numeric.T):
        values = sorted(float(v) for v in numpy.linalg.eigvalsh(numeric))
    else:
        values = sorted(float(v.real) for v in numpy.linalg.eigvals(numeric))
    return tuple(sympy.Float(v, 15) for v in values), False


def _definiteness(eigenvalues: Sequence[sympy.Expr], determinant: sympy.Expr, exact: bool) -> str:
    signs = [sign_of(v) for v in eigenvalues]
    if not exact and sign_of(determinant) == 0:
        # A singular H has a zero eigenvalue: take the decimal closest to 0 to be it.
        closest = min(range(len(eigenvalues)), key=lambda i: abs(float(eigenvalues[i])))
        signs[closest] = 0
    if all(s == 0 for s in signs):
        return "zero"
    if any(s == 1 for s in signs) and any(s == -1 for s in signs):
        return "indefinite"
    positive = any(s == 1 for s in signs)
    kind = "positive" if positive else "negative"
    return f"{kind} definite" if all(s != 0 for s in signs) else f"{kind} semidefinite"


def hessian_at(hess: Hessian, point: Sequence[sympy.Expr | int | float]) -> HessianAt:
    """H(a) with its determinant, eigenvalues and definiteness, and ∇f(a) for the second-derivative test."""
    point = as_point(point)
    at = point_map(hess.variables, point)
    # f(a) and ∇f(a) only: |∇f(a)| (gradient_at) is not part of the Hessian's answer.
    value, gradient_vector = _value_and_gradient(hess.gradient, point)
    names = [v.name for v in hess.variables]
    labels = [[f"∂²f/∂{b}∂{a}" if a != b else f"∂²f/∂{a}²" for b in names] for a in names]
    matrix = matrix_at(hess.matrix, at, labels)
    determinant = tidy(matrix.det())
    grad_signs = [sign_of(c) for c in gradient_vector]
    stationary: bool | None
    if any(s is not None and s != 0 for s in grad_signs):
        stationary = False
    elif any(s is None for s in grad_signs):
        stationary = None
    else:
        stationary = True
    if matrix.free_symbols:
        return HessianAt(tuple(point), value, gradient_vector, matrix, determinant, (), False, None, stationary)
    eigenvalues, exact = _eigenvalues(matrix)
    definiteness = _definiteness(eigenvalues, determinant, exact)
    return HessianAt(
        tuple(point), value, gradient_vector, matrix, determinant, eigenvalues, exact, definiteness, stationary
    )


# --- multivariate chain rule -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainTerm:
    """One term ∂f/∂xᵢ · dxᵢ/dt; for f's own dependence on t, ``variable`` is t and ``inner`` is 1."""

    variable: sympy.Symbol
    outer: sympy.Expr  # ∂f/∂xᵢ, in the original variables
    inner: sympy.Expr  # dxᵢ/dt
    product: sympy.Expr  # the term with every xᵢ replaced by its formula in t, simplified


@dataclass(frozen=True, slots=True)
class ChainRule:
    expr: sympy.Expr
    parameter: sympy.Symbol
    substitutions: tuple[tuple[sympy.Symbol, sympy.Expr], ...]
    terms: tuple[ChainTerm, ...]
    result: sympy.Expr  # Σ of the terms, simplified
    composite: sympy.Expr  # f(x(t), y(t), …)
    direct: sympy.Expr  # d/dt of the composite, differentiated directly: the cross-check
    agrees: bool

    @property
    def total(self) -> bool:
        """True when every xᵢ depends on t alone (df/dt); else the result is a partial ∂f/∂t."""
        return all(rhs.free_symbols <= {self.parameter} for _, rhs in self.substitutions)


def same_function(a: sympy.Expr, b: sympy.Expr) -> bool:
    """a ≡ b: structurally, after expanding, by simplify (when small), or at sample points."""
    difference = a - b
    if difference == 0 or sympy.expand(difference) == 0:
        return True
    if sympy.count_ops(difference) <= EXPAND_OPS and sympy.simplify(difference) == 0:
        return True
    # simplify can miss identities; fall back to agreement at seeded sample points.
    symbols = sorted(difference.free_symbols, key=lambda s: s.name)
    samples = [sympy.Rational(k, 7) + sympy.Rational(1, 3) for k in (1, 3, 5, 9, 13)]
    checked = 0
    for sample in samples:
        value = sympy.N(difference.xreplace({s: sample + i for i, s in enumerate(symbols)}), 30)
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I):
            continue
        checked += 1
        if abs(value) > 1e-20:
            return False
    return checked > 0


def chain_rule(
    expr: sympy.Expr, substitutions: Mapping[sympy.Symbol, sympy.Expr], parameter: sympy.Symbol
) -> ChainRule:
    """d/dt f(x(t), y(t), …) = Σ ∂f/∂xᵢ · dxᵢ/dt (+ ∂f/∂t when f also has t in it directly)."""
    if not substitutions:
        raise BadArgument("give the inner functions", hint="e.g. 'with x = cos t, y = sin t wrt t'")
    if parameter in substitutions:
        raise BadArgument(
            f"{parameter.name} is both substituted and the variable to differentiate by",
            hint=f"write the other variables in terms of {parameter.name}, e.g. 'x = cos {parameter.name}'",
        )
    for var, rhs in substitutions.items():
        nested = rhs.free_symbols & set(substitutions)
        if nested:
            other = sorted(s.name for s in nested)[0]
            raise BadArgument(
                f"{var.name} = {learner_text(rhs)} uses {other}, which is itself being substituted",
                hint=f"write each variable directly in terms of {parameter.name}",
            )
    unused = [var for var in substitutions if var not in expr.free_symbols]
    if len(unused) == len(substitutions) and parameter not in expr.free_symbols:
        names = ", ".join(v.name for v in unused)
        raise BadArgument(
            f"f does not contain {names}, so the substitution changes nothing",
            hint="substitute the variables that appear in f",
        )
    replace = dict(substitutions)
    # The summed terms and the direct derivative of the composite are often the very same
    # expression; tidying (simplify) is the dominant cost, so each distinct one is tidied once.
    tidied: dict[sympy.Expr, sympy.Expr] = {}

    def tidy_once(value: sympy.Expr) -> sympy.Expr:
        if value not in tidied:
            tidied[value] = tidy(value)
        return tidied[value]

    terms: list[ChainTerm] = []
    for var, rhs in substitutions.items():
        outer = simplify_derivative(sympy.diff(expr, var))
        inner = simplify_derivative(sympy.diff(rhs, parameter))
        product = tidy_once((outer * inner).xreplace(replace))
        terms.append(ChainTerm(var, outer, inner, product))
    if parameter in expr.free_symbols:
        outer = simplify_derivative(sympy.diff(expr, parameter))
        product = tidy_once(outer.xreplace(replace))
        terms.append(ChainTerm(parameter, outer, sympy.Integer(1), product))
    result = tidy_once(sum((term.product for term in terms), sympy.Integer(0)))
    composite = tidy_once(expr.xreplace(replace))
    direct = tidy_once(sympy.diff(composite, parameter))
    return ChainRule(
        expr,
        parameter,
        tuple(substitutions.items()),
        tuple(terms),
        result,
        composite,
        direct,
        same_function(result, direct),
    )
