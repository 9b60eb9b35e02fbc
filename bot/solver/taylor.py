"""Taylor polynomials in one and several variables, with the checks that make them honest.

A Taylor polynomial of degree N needs f and its first N derivatives at the point; where one of them
is undefined (1/x at 0, sqrt(x) at 0, |x| at 0) we refuse and name which one, and suggest a nearby
point that works. The 1-D result carries the Lagrange remainder and the actual error at two nearby
points, so the learner sees how the approximation degrades away from a.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from bot.errors import BadArgument, TooComplex, Undefined
from bot.solver.point_values import Point, as_point, evaluate, format_point, point_map, tidy

MAX_ORDER = 12
MAX_MULTIVARIATE_TERMS = 100  # derivatives for an n-D polynomial, C(N + n, n): 2 vars to order 12
SAMPLE_OFFSETS = (sympy.Rational(1, 10), sympy.Rational(1, 2))
_BOUND_SAMPLES = 21  # points per interval for the sampled max |f^(N+1)| in the Lagrange bound
_TIDY_OPS_LIMIT = 150  # tidy a displayed derivative only when it is this small
_EXPAND_OPS_LIMIT = 200  # past this, expanding a derivative costs more than it saves
_BOUND_OPS_LIMIT = 400  # past this, sampling f^(N+1) for the bound costs more than it teaches
_SUGGESTION_OFFSETS = (1, -1, 2, sympy.Rational(1, 2), -2, 3)


def _text(expr: sympy.Basic) -> str:
    return sympy.sstr(expr).replace("**", "^")


def check_order(order: int) -> None:
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        raise BadArgument(
            f"the order must be a whole number from 0 to {MAX_ORDER}, not {order}",
            hint="e.g. 'order 3' for terms up to (x - a)^3",
        )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """Tidy a derivative for display when it is small and smooth (simplify turns |x| into cases)."""
    if expr.has(sympy.Abs, sympy.sign, sympy.DiracDelta, sympy.Heaviside):
        return expr
    return tidy(expr) if sympy.count_ops(expr) <= _TIDY_OPS_LIMIT else expr


def differentiate(expr: sympy.Expr, var: sympy.Symbol) -> sympy.Expr:
    """d/dvar, expanded when that is smaller: repeated derivatives (of tan x, say) otherwise swell."""
    derivative = sympy.diff(expr, var)
    size = sympy.count_ops(derivative)
    if size > _EXPAND_OPS_LIMIT:
        return derivative
    expanded = sympy.expand(derivative)
    return expanded if sympy.count_ops(expanded) <= size else derivative


@dataclass(frozen=True, slots=True)
class TaylorTerm:
    n: int
    derivative: sympy.Expr  # f⁽ⁿ⁾(x), as differentiated (expanded when that is shorter)
    derivative_at: sympy.Expr  # f⁽ⁿ⁾(a)
    coefficient: sympy.Expr  # f⁽ⁿ⁾(a)/n!
    term: sympy.Expr  # coefficient·(x − a)ⁿ


@dataclass(frozen=True, slots=True)
class ErrorSample:
    """f and its Taylor polynomial compared at one point near a (decimals)."""

    at: Point
    exact: sympy.Float
    approximation: sympy.Float
    error: sympy.Float  # |f − P|
    bound: sympy.Float | None = None  # sampled Lagrange bound M·|x − a|^(N+1)/(N+1)!, 1-D only


@dataclass(frozen=True, slots=True)
class Taylor1D:
    expr: sympy.Expr
    variable: sympy.Symbol
    point: sympy.Expr
    order: int
    terms: tuple[TaylorTerm, ...]
    next_derivative: sympy.Expr  # f⁽ᴺ⁺¹⁾(x), for the Lagrange remainder
    samples: tuple[ErrorSample, ...]
    skipped_samples: tuple[Point, ...]  # nearby points where f is undefined

    @property
    def polynomial(self) -> sympy.Expr:
        return sympy.Add(*(term.term for term in self.terms))

    @property
    def remainder(self) -> sympy.Expr:
        """R_N(x) = f⁽ᴺ⁺¹⁾(ξ)/(N+1)!·(x − a)^(N+1) for some ξ between a and x."""
        xi = sympy.Symbol("ξ", real=True)
        n = self.order + 1
        return self.next_derivative.xreplace({self.variable: xi}) / sympy.factorial(n) * (self.variable - self.point) ** n


def _no_series(expr: sympy.Expr, where: Point, problem: str, suggestion: Point | None) -> Undefined:
    message = f"{_text(expr)} has no Taylor series at {format_point(where)}: {problem}"
    if suggestion is not None:
        message += f"; try at {format_point(suggestion)}"
    return Undefined(message, hint="a Taylor series needs f and its derivatives to be defined at the point")


def _all_defined(derivatives: Sequence[sympy.Expr], at: dict[sympy.Symbol, sympy.Expr]) -> bool:
    return all(evaluate(d, at)[0] is not None for d in derivatives)


def _suggest(
    derivatives: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol], point: Point
) -> Point | None:
    for offset in _SUGGESTION_OFFSETS:
        candidate = tuple(c + offset for c in point)
        if _all_defined(derivatives, dict(zip(variables, candidate, strict=True))):
            return candidate
    return None


def _numeric(expr: sympy.Expr, at: dict[sympy.Symbol, sympy.Expr]) -> sympy.Float | None:
    """A real decimal value, or None where the formula is undefined or not real."""
    value = sympy.N(expr.xreplace(at), 20)
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.AccumBounds) or not value.is_number:
        return None
    if abs(sympy.im(value)) > 1e-15:
        return None
    return sympy.Float(sympy.re(value), 15)


def _sampled_max(expr: sympy.Expr, var: sympy.Symbol, start: sympy.Expr, end: sympy.Expr) -> sympy.Float | None:
    largest = sympy.Float(0)
    for k in range(_BOUND_SAMPLES):
        value = _numeric(expr, {var: start + (end - start) * sympy.Rational(k, _BOUND_SAMPLES - 1)})
        if value is None:
            return None
        largest = max(largest, abs(value))
    return largest


def taylor_series(
    expr: sympy.Expr, variable: sympy.Symbol, point: sympy.Expr | int | float = 0, order: int = 3
) -> Taylor1D:
    """Σₙ f⁽ⁿ⁾(a)/n!·(x − a)ⁿ for n = 0…N, refusing points where a needed derivative is undefined."""
    check_order(order)
    (a,) = as_point((point,))
    at = point_map((variable,), (a,))
    derivatives = [expr]
    for _ in range(order + 1):
        derivatives.append(differentiate(derivatives[-1], variable))
    terms: list[TaylorTerm] = []
    for n in range(order + 1):
        value, reason = evaluate(derivatives[n], at)
        if value is None:
            problem = (
                f"f is undefined there ({reason})"
                if n == 0
                else f"its {ordinal(n)} derivative {_text(_tidy(derivatives[n]))} is undefined there ({reason})"
            )
            suggestion = _suggest(derivatives[: order + 1], (variable,), (a,))
            raise _no_series(expr, (a,), problem, suggestion)
        coefficient = value / sympy.factorial(n)
        terms.append(TaylorTerm(n, derivatives[n], value, coefficient, coefficient * (variable - a) ** n))
    polynomial = sympy.Add(*(term.term for term in terms))
    next_derivative = _tidy(derivatives[order + 1])
    samples: list[ErrorSample] = []
    skipped: list[Point] = []
    for offset in SAMPLE_OFFSETS:
        x = a + offset
        exact = _numeric(expr, {variable: x})
        approximation = _numeric(polynomial, {variable: x})
        if exact is None or approximation is None:
            skipped.append((x,))
            continue
        bound = None
        largest = None
        if sympy.count_ops(next_derivative) <= _BOUND_OPS_LIMIT:
            largest = _sampled_max(next_derivative, variable, a, x)
        if largest is not None:
            bound = sympy.Float(largest * offset ** (order + 1) / sympy.factorial(order + 1), 15)
        samples.append(ErrorSample((x,), exact, approximation, sympy.Float(abs(exact - approximation), 15), bound))
    return Taylor1D(
        expr, variable, a, order, tuple(terms), next_derivative, tuple(samples), tuple(skipped)
    )


@dataclass(frozen=True, slots=True)
class TaylorND:
    expr: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    point: Point
    order: int
    value: sympy.Expr  # f(a)
    jacobian: sympy.ImmutableMatrix | None  # J(a), a row; None for order 0
    hessian: sympy.ImmutableMatrix | None  # H(a); None below order 2
    degree_terms: tuple[sympy.Expr, ...]  # the homogeneous part of each degree 0…N, in (x − a)
    coefficients: tuple[tuple[tuple[int, ...], sympy.Expr], ...]  # (α, ∂^α f(a)/α!), by degree
    samples: tuple[ErrorSample, ...]
    skipped_samples: tuple[Point, ...]

    @property
    def polynomial(self) -> sympy.Expr:
        return sympy.Add(*self.degree_terms)


def _multi_indices(n: int, degree: int) -> list[tuple[int, ...]]:
    """Exponent tuples of length n summing to ``degree``, x-major (x², xy, y², …)."""
    if n == 1:
        return [(degree,)]
    return [(first, *rest) for first in range(degree, -1, -1) for rest in _multi_indices(n - 1, degree - first)]


def _partial_name(alpha: tuple[int, ...], variables: Sequence[sympy.Symbol]) -> str:
    degree = sum(alpha)
    if degree == 0:
        return "f"
    parts = "".join(
        f"∂{v.name}" + (f"^{k}" if k > 1 else "") for v, k in zip(variables, alpha, strict=True) if k
    )
    return f"∂{'^' + str(degree) if degree > 1 else ''}f/{parts}"


def taylor_multivariate(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    point: Sequence[sympy.Expr | int | float],
    order: int = 2,
) -> TaylorND:
    """Σ_{|α|≤N} ∂^α f(a)/α!·(x − a)^α: f(a) + J(a)·Δx + ½ΔxᵀH(a)Δx + …"""
    check_order(order)
    if not variables:
        raise BadArgument("this expression has no variables", hint="name them with 'vars x,y'")
    a = as_point(point)
    at = point_map(variables, a)
    n = len(variables)
    if math.comb(order + n, n) > MAX_MULTIVARIATE_TERMS:
        raise TooComplex(
            f"a {n}-variable Taylor polynomial of order {order} needs {math.comb(order + n, n)} derivatives",
            hint="try a lower order",
        )
    deltas = [var - c for var, c in zip(variables, a, strict=True)]
    derivatives: dict[tuple[int, ...], sympy.Expr] = {(0,) * n: expr}
    values: dict[tuple[int, ...], sympy.Expr] = {}
    degree_terms: list[sympy.Expr] = []
    coefficients: list[tuple[tuple[int, ...], sympy.Expr]] = []
    for degree in range(order + 1):
        part: list[sympy.Expr] = []
        for alpha in _multi_indices(n, degree):
            if degree:
                i = max(k for k, power in enumerate(alpha) if power)
                parent = alpha[:i] + (alpha[i] - 1,) + alpha[i + 1 :]
                derivatives[alpha] = differentiate(derivatives[parent], variables[i])
            value, reason = evaluate(derivatives[alpha], at)
            if value is None:
                problem = (
                    f"f is undefined there ({reason})"
                    if degree == 0
                    else f"{_partial_name(alpha, variables)} is undefined there ({reason})"
                )
                raise _no_series(expr, a, problem, _suggest(list(derivatives.values()), variables, a))
            values[alpha] = value
            weight = sympy.Integer(math.prod(math.factorial(k) for k in alpha))
            monomial = sympy.Mul(*(d**k for d, k in zip(deltas, alpha, strict=True)))
            coefficients.append((alpha, value / weight))
            part.append(value / weight * monomial)
        degree_terms.append(sympy.Add(*part))

    def unit(*indices: int) -> tuple[int, ...]:
        return tuple(sum(1 for i in indices if i == k) for k in range(n))

    jac = sympy.ImmutableMatrix(1, n, [values[unit(j)] for j in range(n)]) if order >= 1 else None
    hess = (
        sympy.ImmutableMatrix(n, n, [values[unit(i, j)] for i in range(n) for j in range(n)])
        if order >= 2
        else None
    )
    polynomial = sympy.Add(*degree_terms)
    samples: list[ErrorSample] = []
    skipped: list[Point] = []
    for offset in SAMPLE_OFFSETS:
        near = tuple(c + offset for c in a)
        near_at = dict(zip(variables, near, strict=True))
        exact = _numeric(expr, near_at)
        approximation = _numeric(polynomial, near_at)
        if exact is None or approximation is None:
            skipped.append(near)
            continue
        samples.append(ErrorSample(near, exact, approximation, sympy.Float(abs(exact - approximation), 15)))
    return TaylorND(
        expr,
        tuple(variables),
        a,
        order,
        values[(0,) * n],
        jac,
        hess,
        tuple(degree_terms),
        tuple(coefficients),
        tuple(samples),
        tuple(skipped),
    )
