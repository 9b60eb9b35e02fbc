"""Module 4 generators: power series, Maclaurin and Taylor polynomials, linearisation, 2-D Taylor.

Coefficients come from repeated differentiation (f⁽ᵏ⁾(a)/k!), which is cheap for these functions;
``sympy.series`` is slower and not needed.
"""

from __future__ import annotations

import sympy

from bot.present.format import plain
from bot.present.taylor import in_powers_of
from content.generators.base import (
    Draft,
    Generator,
    code,
    decimal,
    declares,
    expression_draft,
    nonzero,
    number_draft,
    pick,
    x,
    y,
)

_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def taylor_polynomial(f: sympy.Expr, point: sympy.Expr, order: int) -> sympy.Expr:
    """Σ f⁽ᵏ⁾(a)/k!·(x − a)ᵏ for k ≤ order, left in powers of (x − a) as the course writes it."""
    terms = []
    derivative = f
    for k in range(order + 1):
        terms.append(derivative.subs(x, point) / sympy.factorial(k) * (x - point) ** k)
        derivative = sympy.diff(derivative, x)
    return sympy.Add(*terms)


_PRIMES = ("f", "f′", "f″", "f‴")


def _shift_text(point: sympy.Expr) -> str:
    """(x − a) as written: x for a = 0, (x + 1) for a = −1 (never "x − -1")."""
    a = plain(point)
    return "x" if point == 0 else f"(x + {a[1:]})" if a.startswith("-") else f"(x − {a})"


def _taylor_working(f: sympy.Expr, point: sympy.Expr, order: int, name: str = "p") -> str:
    """The worked solution in the course's form: each f⁽ᵏ⁾(a), then p(x) = f(a) + f′(a)(x − a) +
    f″(a)/2!·(x − a)² + …, then the polynomial in powers of (x − a), lowest first."""
    a = plain(point)
    values = [sympy.simplify(sympy.diff(f, x, k).subs(x, point)) for k in range(order + 1)]
    derivative_name = [_PRIMES[k] if k < len(_PRIMES) else f"f⁽{k}⁾" for k in range(order + 1)]
    listed = ", ".join(f"{derivative_name[k]}({a}) = {plain(v)}" for k, v in enumerate(values))
    shift = _shift_text(point)
    general = " + ".join(
        f"{derivative_name[k]}({a})" + ("" if k == 0 else shift if k == 1 else f"/{k}!·{shift}^{k}")
        for k in range(order + 1)
    )
    result = in_powers_of(taylor_polynomial(f, point, order), x, point)
    return f"With a = {a}: {listed}. So {name}(x) = {general} = **{result}**."


def _series_function(kind: str, a: int) -> sympy.Expr:
    return {
        "exp": sympy.exp(a * x),
        "sin": sympy.sin(a * x),
        "cos": sympy.cos(a * x),
        "geometric": 1 / (1 - a * x),
        "log": sympy.log(1 + a * x),
        "sqrt": sympy.sqrt(1 + a * x),
    }[kind]


@declares("taylor_series")
def maclaurin_coefficient(seed: int) -> Draft:
    kind, a, n, c = pick(seed, ("exp", "sin", "cos", "geometric", "log"), (1, 2, 3, 4), (2, 3, 4, 5), (1, 2, 3, -1, -2))
    f = c * _series_function(kind, a)
    coefficient = sympy.diff(f, x, n).subs(x, 0) / sympy.factorial(n)
    return number_draft(
        f"What is the coefficient of x^{n} in the Maclaurin series of {code(f)}?",
        coefficient,
        hints=(
            f"The coefficient of xⁿ is f⁽ⁿ⁾(0)/n!; here n = {n}.",
            "Or start from a series you know (e^u, sin u, cos u, 1/(1 − u), ln(1 + u)) and substitute u = " + f"{a}x.",
        ),
        solution=f"f⁽{n}⁾(x) = {code(sympy.diff(f, x, n))}, so f⁽{n}⁾(0)/{n}! = **{coefficient}**.",
        command=f"/taylor {plain(f)} at 0 order {n}",
    )


_NAMED_SERIES = {"exp": sympy.exp(x), "sin": sympy.sin(x), "cos": sympy.cos(x), "geometric": 1 / (1 - x)}
_SMALL_X = tuple(sympy.Rational(n, 10) for n in (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))


@declares("taylor_series")
def truncated_series_value(seed: int) -> Draft:
    kind, order, x0 = pick(seed, tuple(_NAMED_SERIES), (2, 3, 4, 5), _SMALL_X)
    f = _NAMED_SERIES[kind]
    polynomial = taylor_polynomial(f, sympy.Integer(0), order)
    value = polynomial.subs(x, x0)
    return number_draft(
        f"Estimate {code(f)} at x = {decimal(x0)} with its Maclaurin series up to and including the x^{order} term "
        f"(give the estimate, not the true value).",
        value,
        hints=("Write the Maclaurin polynomial first, then substitute.", f"Up to x^{order}: {code(sympy.expand(polynomial))}."),
        solution=f"p(x) = {code(sympy.expand(polynomial))}; p({decimal(x0)}) = **{value}** ≈ {sympy.N(value, 8)} "
        f"(the true value is {sympy.N(f.subs(x, x0), 8)}).",
        command=f"/taylor {plain(f)} at 0 order {order}",
    )


@declares("taylor_series")
def maclaurin_polynomial(seed: int) -> Draft:
    kind, a, order, c = pick(seed, ("exp", "sin", "cos", "geometric", "log", "sqrt"), (1, 2, 3), (2, 3, 4), (1, 2, 3, -1))
    f = c * _series_function(kind, a)
    polynomial = sympy.expand(taylor_polynomial(f, sympy.Integer(0), order))
    return expression_draft(
        f"Write the Maclaurin polynomial of {code(f)} up to and including the x^{order} term.",
        polynomial,
        hints=("p(x) = f(0) + f'(0)x + f''(0)x²/2! + f'''(0)x³/3! + …", "Differentiate repeatedly, evaluate each derivative at 0, divide by k!."),
        solution=_taylor_working(f, sympy.Integer(0), order),
        command=f"/taylor {plain(f)} at 0 order {order}",
    )


# (f, expansion point) pairs where f is smooth at the point and the values are exact.
_EXPANSIONS: tuple[tuple[sympy.Expr, sympy.Expr], ...] = (
    *((sympy.log(x), sympy.Integer(p)) for p in (1, 2, 3, 4, 5)),
    *((sympy.sqrt(x), sympy.Integer(p)) for p in (1, 4, 9, 16, 25)),
    *((1 / x, sympy.Integer(p)) for p in (-3, -2, -1, 1, 2, 3)),
    *((sympy.exp(x), sympy.Integer(p)) for p in (-2, -1, 1, 2)),
    *((sympy.sin(x), p) for p in (sympy.pi / 6, sympy.pi / 4, sympy.pi / 3, sympy.pi / 2, sympy.pi)),
    *((sympy.cos(x), p) for p in (sympy.pi / 6, sympy.pi / 3, sympy.pi / 2)),
    *((x**3, sympy.Integer(p)) for p in (-2, -1, 1, 2, 3)),
)


@declares("taylor_series")
def taylor_around_point(seed: int) -> Draft:
    (f, point), order, c = pick(seed, _EXPANSIONS, (2, 3), (1, 2, 3, -2))
    g = c * f
    polynomial = taylor_polynomial(g, point, order)
    return expression_draft(
        f"Write the Taylor polynomial of f(x) = {code(g)} about x = {plain(point)} up to the {_shift_text(point)}^{order} term.",
        polynomial,
        hints=(
            "p(x) = f(a) + f'(a)(x − a) + f''(a)(x − a)²/2! + …",
            f"You need f and its first {order} derivatives at a = {plain(point)}.",
        ),
        solution=_taylor_working(g, point, order),
        command=f"/taylor {plain(g)} at {plain(point)} order {order}",
    )


@declares("taylor_series", "derivative_definition")
def linearisation(seed: int) -> Draft:
    (f, point), c, d = pick(seed, _EXPANSIONS, (1, 2, 3, -1), (0, 1, -2))
    g = c * f + d * x**2
    value, slope = g.subs(x, point), sympy.diff(g, x).subs(x, point)
    linear = value + slope * (x - point)
    return expression_draft(
        f"Find the linearisation L(x) of f(x) = {code(g)} at x = {plain(point)} (the first-order Taylor approximation).",
        linear,
        hints=("L(x) = f(a) + f'(a)(x − a): the tangent line at a.", f"f(a) = {plain(value)}; now find f'(a)."),
        solution=_taylor_working(g, point, 1, name="L"),
        command=f"/taylor {plain(g)} at {plain(point)} order 1",
    )


_ESTIMATES: tuple[tuple[sympy.Expr, int], ...] = (
    *((sympy.sqrt(x), p) for p in (4, 9, 16, 25, 36, 49, 64, 81, 100)),
    *((sympy.cbrt(x), p) for p in (8, 27, 64, 125)),
    *((1 / x, p) for p in (1, 2, 4, 5, 10)),
    *((x**4, p) for p in (1, 2, 3)),
)
_STEPS = tuple(sympy.Rational(n, 100) for n in (-30, -20, -10, -5, 5, 10, 20, 30))


@declares("taylor_series", "derivative_definition")
def linear_estimate(seed: int) -> Draft:
    (f, point), step = pick(seed, _ESTIMATES, _STEPS)
    target = point + step
    slope = sympy.diff(f, x).subs(x, point)
    estimate = f.subs(x, point) + slope * step
    return number_draft(
        f"Use the linearisation of f(x) = {code(f)} at x = {point} to estimate f({decimal(target)}).",
        estimate,
        hints=("f(a + δ) ≈ f(a) + f'(a)·δ.", f"a = {point}, δ = {decimal(step)}, f'(x) = {code(sympy.diff(f, x))}."),
        solution=f"f({point}) = {f.subs(x, point)}, f'({point}) = {slope}, so f({decimal(target)}) ≈ {f.subs(x, point)} + "
        f"{slope}·({decimal(step)}) = **{estimate}** ≈ {sympy.N(estimate, 8)} (true value {sympy.N(f.subs(x, target), 8)}).",
        command=f"/taylor {plain(f)} at {point} order 1",
    )


def _surface(kind: str, a: int, b: int) -> sympy.Expr:
    return {
        "exp": sympy.exp(a * x + b * y),
        "product": a * x**2 * y**b,
        "sin": sympy.sin(a * x + b * y),
        "mixed": sympy.exp(a * x) * sympy.cos(b * y),
    }[kind]


def _surface_point(kind: str, p: int, q: int) -> tuple[int, int]:
    return (p, q) if kind == "product" else (0, 0)


def _taylor_2d(f: sympy.Expr, point: tuple[int, int], order: int) -> sympy.Expr:
    """f(a) + J·Δ (+ ½ Δᵀ H Δ) with Δ = (x − p, y − q)."""
    p, q = point
    at = {x: p, y: q}
    dx, dy = x - p, y - q
    grad = [sympy.diff(f, v).subs(at) for v in (x, y)]
    result = f.subs(at) + grad[0] * dx + grad[1] * dy
    if order >= 2:
        fxx, fxy, fyy = (sympy.diff(f, *pair).subs(at) for pair in ((x, x), (x, y), (y, y)))
        result += (fxx * dx**2 + 2 * fxy * dx * dy + fyy * dy**2) / 2
    return result


@declares("taylor_series", "gradient")
def taylor_2d_linear(seed: int) -> Draft:
    kind, a, b, p, q = pick(seed, ("exp", "product", "sin", "mixed"), nonzero(-3, 3), (1, 2, 3), (1, 2, -1), (1, 2, -1))
    f = _surface(kind, a, b)
    point = _surface_point(kind, p, q)
    approximation = _taylor_2d(f, point, 1)
    return expression_draft(
        f"Find the first-order (linear) Taylor approximation of f(x, y) = {code(f)} about ({point[0]}, {point[1]}).",
        approximation,
        hints=("f(x, y) ≈ f(a, b) + J·(x − a, y − b), where J = (∂f/∂x, ∂f/∂y) at (a, b).", "Evaluate f and both partial derivatives at the point."),
        solution=f"At ({point[0]}, {point[1]}): f = {plain(f.subs({x: point[0], y: point[1]}))}, "
        f"J = ({plain(sympy.diff(f, x).subs({x: point[0], y: point[1]}))}, {plain(sympy.diff(f, y).subs({x: point[0], y: point[1]}))}). "
        f"So f ≈ **{code(approximation)}**.",
        command=f"/taylor {plain(f)} at ({point[0]}, {point[1]}) order 1",
    )


_NUDGES = tuple(sympy.Rational(n, 10) for n in (-2, -1, 1, 2))


@declares("taylor_series", "gradient", "hessian")
def taylor_2d_quadratic_value(seed: int) -> Draft:
    kind, a, b, p, q, dx, dy = pick(seed, ("exp", "product", "mixed"), (1, 2, -1), (1, 2, 3), (1, 2), (1, 2), _NUDGES, _NUDGES)
    f = _surface(kind, a, b)
    point = _surface_point(kind, p, q)
    target = {x: point[0] + dx, y: point[1] + dy}
    approximation = _taylor_2d(f, point, 2)
    value = approximation.subs(target)
    at = {x: point[0], y: point[1]}
    hess = sympy.Matrix([[sympy.diff(f, i, j).subs(at) for j in (x, y)] for i in (x, y)])
    return number_draft(
        f"Use the second-order Taylor approximation of f(x, y) = {code(f)} about ({point[0]}, {point[1]}) to estimate "
        f"f({decimal(point[0] + dx)}, {decimal(point[1] + dy)}).",
        value,
        hints=(
            "f(a + Δ) ≈ f(a) + J·Δ + ½ Δᵀ H Δ, with the Jacobian J and the Hessian H at a.",
            f"Δ = ({decimal(dx)}, {decimal(dy)}); H at the point is {[list(r) for r in hess.tolist()]}.",
        ),
        solution=f"J = ({plain(sympy.diff(f, x).subs(at))}, {plain(sympy.diff(f, y).subs(at))}), H = {[list(r) for r in hess.tolist()]}; "
        f"with Δ = ({decimal(dx)}, {decimal(dy)}) the approximation gives **{plain(value)}** ≈ {sympy.N(value, 8)} "
        f"(true value {sympy.N(f.subs(target), 8)}).",
        command=f"/taylor {plain(f)} at ({point[0]}, {point[1]}) order 2",
    )


GENERATORS: dict[str, Generator] = {
    "maclaurin_coefficient": maclaurin_coefficient,
    "truncated_series_value": truncated_series_value,
    "maclaurin_polynomial": maclaurin_polynomial,
    "taylor_around_point": taylor_around_point,
    "linearisation": linearisation,
    "linear_estimate": linear_estimate,
    "taylor_2d_linear": taylor_2d_linear,
    "taylor_2d_quadratic_value": taylor_2d_quadratic_value,
}
