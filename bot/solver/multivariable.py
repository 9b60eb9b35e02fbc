"""Multivariable differentiation: partials, gradient, Jacobian, Hessian and the multivariate chain rule.

Everything here is pure SymPy: results are frozen dataclasses that the presentation layer turns into
working. Values at a point go through :func:`value_at`, which refuses (with a reason the learner can
act on) points where the formula divides by zero, leaves the reals, or sits on a corner or jump of
``|g|``, ``sign(g)`` or a step function, where SymPy's conventions (``sign(0) = 0``) would
otherwise report a derivative that does not exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy
import sympy

from bot.errors import BadArgument, Undefined
from bot.solver import numeric
from bot.solver.steps import simplify_derivative

Point = tuple[sympy.Expr, ...]

_MAX_KINK_COMBINATIONS = 64  # 2**6 one-sided choices; more kinks at one point is not a teaching case
_SIMPLIFY_OPS = 20  # sympy.simplify is tried only on expressions this small (it can take seconds)
_EXPAND_OPS = 200  # expanding is tried only up to this size (it can multiply the length)
_ZERO_TOLERANCE = 1e-25  # for signs of exact constants SymPy cannot decide, at 50 digits


def _text(expr: sympy.Basic) -> str:
    """Plain text with ``^`` powers for messages (the solver does not depend on the presenters)."""
    return sympy.sstr(expr).replace("**", "^")


def format_point(point: Sequence[sympy.Expr]) -> str:
    """``(1, 2)`` for several coordinates, ``3`` for one."""
    if len(point) == 1:
        return _text(point[0])
    return "(" + ", ".join(_text(c) for c in point) + ")"


def as_point(point: Sequence[sympy.Expr | int | float]) -> Point:
    """Coordinates as SymPy numbers (Python ints and floats are accepted for convenience)."""
    return tuple(_as_number(c) for c in point)


def _as_number(value: sympy.Expr | int | float) -> sympy.Expr:
    if isinstance(value, bool):
        raise BadArgument("a coordinate must be a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    return value


def point_map(
    variables: Sequence[sympy.Symbol], point: Sequence[sympy.Expr | int | float]
) -> dict[sympy.Symbol, sympy.Expr]:
    """Pair variables with coordinates; the point must have one coordinate per variable."""
    point = as_point(point)
    if len(point) != len(variables):
        names = ", ".join(v.name for v in variables)
        raise BadArgument(
            f"the point {format_point(point)} has {len(point)} coordinate(s) but the function has "
            f"{len(variables)} variable(s) ({names})",
            hint=f"give one number per variable, in the order {names}, or choose them with 'vars'",
        )
    for coordinate in point:
        if coordinate.free_symbols:
            raise BadArgument(
                f"the point must be numbers, not {_text(coordinate)}",
                hint="e.g. 'at (1, 2)' or 'at pi/2'",
            )
    return dict(zip(variables, point, strict=True))


# --- values at a point -----------------------------------------------------------------------------


def _vanishes(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    return is_zero(expr.xreplace(at))


def _kinks(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    """Non-smooth atoms whose argument is 0 at the point: (|g|, sign g, H(g)) and (δ(g))."""
    sided: list[sympy.Expr] = []
    deltas: list[sympy.Expr] = []
    for atom in expr.atoms(sympy.Abs, sympy.sign, sympy.Heaviside, sympy.DiracDelta):
        if not _vanishes(atom.args[0], at):
            continue
        (deltas if isinstance(atom, sympy.DiracDelta) else sided).append(atom)
    return sided, deltas


def _jump_reason(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str | None:
    """Step functions jump where their argument is an integer; unevaluated derivatives have no value."""
    for atom in expr.atoms(sympy.floor, sympy.ceiling, sympy.frac):
        value = atom.args[0].xreplace(at)
        if value.is_integer:
            return f"not differentiable: {_text(atom)} jumps at this point"
    if expr.has(sympy.Derivative):
        return "no derivative formula: a step function's derivative is undefined at its jumps"
    return None


def _at_point(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    return numeric.realise(expr).xreplace(at)  # odd roots of negatives are real


def _sign_at(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> int | None:
    value = _at_point(expr, at)
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I):
        return None
    return sign_of(value)


def _infinite_cause(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    if any(_sign_at(atom.args[0], at) == 0 for atom in expr.atoms(sympy.log)):
        return "log of 0"
    return "division by zero"


def _non_real_cause(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    for atom in expr.atoms(sympy.Pow):
        exponent = atom.exp
        if exponent.is_Rational and not exponent.is_integer and _sign_at(atom.base, at) == -1:
            root = "square root" if exponent.q == 2 else "fractional power"
            return f"not a real number: {root} of a negative number"
    if any(_sign_at(atom.args[0], at) == -1 for atom in expr.atoms(sympy.log)):
        return "not a real number: log of a negative number"
    for atom in expr.atoms(sympy.asin, sympy.acos):
        argument = _at_point(atom.args[0], at)
        if argument.is_number and not argument.has(sympy.I) and abs(sympy.N(argument)) > 1:
            return f"not a real number: {type(atom).__name__} of a number outside [-1, 1]"
    return "not a real number"


def _bad_value_reason(
    expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr], value: sympy.Expr
) -> str | None:
    """Why ``value`` (``expr`` at the point) is not a real number, or None if it is one."""
    if value.has(sympy.nan):
        cause = _infinite_cause(expr, at)
        return cause if cause == "log of 0" else "0/0 or another indeterminate form"
    if value.has(sympy.zoo, sympy.oo, -sympy.oo):
        return _infinite_cause(expr, at)
    if value.has(sympy.AccumBounds):
        return "no value: it oscillates without settling"
    if value.free_symbols:
        return _non_real_cause(expr, at) if value.is_real is False else None
    numeric = sympy.N(value, 30)
    if numeric.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return _infinite_cause(expr, at)
    if not numeric.is_number or abs(sympy.im(numeric)) > _ZERO_TOLERANCE:
        return _non_real_cause(expr, at)
    return None


def _plain_value(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr | None, str | None]:
    value = _at_point(expr, at)
    reason = _bad_value_reason(expr, at, value)
    if reason is not None:
        return None, reason
    return tidy(value), None


def evaluate(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr | None, str | None]:
    """``(value, None)`` with the exact value at the point, or ``(None, reason)`` when undefined there.

    At a kink (``|g|`` or ``sign g`` with ``g = 0``) the value must be the same from every side; a
    ``δ(g)`` term must have a vanishing coefficient there (so ``x|x|`` has ``f'(0) = 0`` but ``|x|``
    has no ``f'(0)``).
    """
    jump = _jump_reason(expr, at)
    if jump is not None:
        return None, jump
    sided, deltas = _kinks(expr, at)
    if not sided and not deltas:
        return _plain_value(expr, at)
    if 2 ** len(sided) > _MAX_KINK_COMBINATIONS:
        return None, "not differentiable: too many corners meet at this point"
    placeholders = {delta: sympy.Dummy("delta") for delta in deltas}
    with_placeholders = expr.xreplace(placeholders)
    not_differentiable = "not differentiable: " + _describe_kinks(sided, deltas)
    values: list[sympy.Expr] = []
    for signs in itertools.product((1, -1), repeat=len(sided)):
        one_side = {atom: _one_sided(atom, s) for atom, s in zip(sided, signs, strict=True)}
        candidate = with_placeholders.xreplace(one_side)
        for placeholder in placeholders.values():
            coefficient, reason = _plain_value(sympy.diff(candidate, placeholder), at)
            if coefficient is None or not is_zero(coefficient):
                return None, not_differentiable
        value, reason = _plain_value(candidate.xreplace({p: 0 for p in placeholders.values()}), at)
        if value is None:
            return None, reason
        values.append(value)
    first = values[0]
    if not all(is_zero(other - first) for other in values[1:]):
        return None, not_differentiable
    return first, None


def _describe_kinks(sided: Sequence[sympy.Expr], deltas: Sequence[sympy.Expr]) -> str:
    parts = [
        f"{_text(atom)} has a corner" if isinstance(atom, sympy.Abs) else f"{_text(atom)} jumps"
        for atom in sided
    ]
    if not parts:
        parts = [f"{_text(atom)} is the derivative of a jump" for atom in deltas]
    return ", ".join(parts) + " at this point"


def _one_sided(atom: sympy.Expr, side: int) -> sympy.Expr:
    """The smooth formula that ``|g|``, ``sign g`` or ``H(g)`` equals on the side where sign g = side."""
    arg = atom.args[0]
    if isinstance(atom, sympy.Abs):
        return side * arg
    if isinstance(atom, sympy.sign):
        return sympy.Integer(side)
    return sympy.Integer(1 if side > 0 else 0)


def value_at(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr], label: str) -> sympy.Expr:
    """The exact value of ``expr`` (named ``label`` in messages) at the point; Undefined if none."""
    value, reason = evaluate(expr, at)
    if value is None:
        where = format_point(tuple(at.values()))
        raise Undefined(
            f"{label} = {_text(expr)} is undefined at {where} ({reason})",
            hint="try a point where the function and its derivatives are defined",
        )
    return value


def matrix_at(
    matrix: sympy.MatrixBase, at: Mapping[sympy.Symbol, sympy.Expr], labels: Sequence[Sequence[str]]
) -> sympy.ImmutableMatrix:
    """Every entry at the point (each named by ``labels[i][j]`` in messages)."""
    rows, cols = matrix.shape
    return sympy.ImmutableMatrix(
        rows, cols, [value_at(matrix[i, j], at, labels[i][j]) for i in range(rows) for j in range(cols)]
    )


def is_zero(value: sympy.Expr) -> bool:
    """Exactly zero; decided numerically first, since simplify is slow and rarely needed."""
    if value.is_zero is not None:
        return bool(value.is_zero)
    if not value.free_symbols:
        numeric = sympy.N(value, 30)
        if numeric.is_number and abs(numeric) > _ZERO_TOLERANCE:
            return False
    return sympy.simplify(value) == 0


def sign_of(value: sympy.Expr) -> int | None:
    """-1, 0 or 1 for a real constant (exactly when SymPy can, else at 50 digits); None if symbolic."""
    if value.free_symbols:
        return None
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    numeric = sympy.re(sympy.N(value, 50))
    if abs(numeric) < _ZERO_TOLERANCE:
        return 0 if sympy.simplify(value) == 0 else (1 if numeric > 0 else -1)
    return 1 if numeric > 0 else -1


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


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of a few cheap rewritings; ``sympy.simplify`` only for small expressions.

    ``sympy.simplify`` can take seconds on a modest trigonometric polynomial, and a worker job
    should not spend its time budget on cosmetics.
    """
    if expr.is_Rational or expr.is_Atom:
        return expr
    size = sympy.count_ops(expr)
    if size <= 2:
        return expr  # nothing shorter exists
    candidates = [expr, sympy.factor_terms(expr)]
    if size <= _EXPAND_OPS:
        candidates.append(sympy.factor_terms(sympy.expand(expr)))
    if size <= _SIMPLIFY_OPS:
        candidates.append(sympy.simplify(expr))
    return min(candidates, key=sympy.count_ops)


def same_function(a: sympy.Expr, b: sympy.Expr) -> bool:
    """a ≡ b: structurally, after expanding, by simplify (when small), or at sample points."""
    difference = a - b
    if difference == 0 or sympy.expand(difference) == 0:
        return True
    if sympy.count_ops(difference) <= _EXPAND_OPS and sympy.simplify(difference) == 0:
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
                f"{var.name} = {_text(rhs)} uses {other}, which is itself being substituted",
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
