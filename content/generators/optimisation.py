"""Module 5 generators: Newton–Raphson, gradient descent, Lagrange multipliers."""

from __future__ import annotations

import sympy

from bot.present.format import plain
from bot.solver.variables import symbol
from content.generators.base import (
    Draft,
    Generator,
    code,
    decimal,
    declares,
    nonzero,
    number_draft,
    pick,
    point_text,
    signed,
    vector_draft,
    x,
    y,
)

lam = symbol("lambda")
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"

# Cubics x³ + ax² + bx + c with a start x₀ where f'(x₀) ≠ 0, so the first step is defined.
_NEWTON_CASES = tuple(
    (a, b, c, x0)
    for a in range(-3, 4)
    for b in range(-5, 6)
    for c in nonzero(-6, 6)
    for x0 in range(-3, 4)
    if 3 * x0 * x0 + 2 * a * x0 + b != 0
)


def _newton_solution(f: sympy.Expr, x0: sympy.Expr, steps: int) -> tuple[sympy.Expr, str]:
    df = sympy.diff(f, x)
    current = sympy.Integer(x0)
    lines = [f"f'(x) = {code(df)} and xₙ₊₁ = xₙ − f(xₙ)/f'(xₙ):"]
    for n in range(steps):
        value, slope = f.subs(x, current), df.subs(x, current)
        following = current - value / slope
        lines.append(f"- x{_SUBSCRIPTS[n + 1]} = {plain(current)} − ({plain(value)})/({plain(slope)}) = {plain(following)}")
        current = following
    return current, "\n".join(lines) + "\n\n"


@declares("newton_raphson")
def newton_step(seed: int) -> Draft:
    a, b, c, x0 = pick(seed, _NEWTON_CASES)[0]
    f = x**3 + a * x**2 + b * x + c
    result, working = _newton_solution(f, x0, 1)
    return number_draft(
        f"Take one Newton–Raphson step for f(x) = {code(f)} starting from x₀ = {x0}. What is x₁?",
        result,
        hints=("x₁ = x₀ − f(x₀)/f'(x₀): follow the tangent at x₀ down to the x-axis.", f"f({x0}) = {f.subs(x, x0)}, f'({x0}) = {sympy.diff(f, x).subs(x, x0)}."),
        solution=f"{working}So x₁ = **{plain(result)}**.",
        command=f"/newton {plain(f)} from {x0}",
    )


@declares("newton_raphson")
def newton_two_steps(seed: int) -> Draft:
    power, c, x0 = pick(seed, (2, 3), range(2, 40), (1, 2, 3, 4, 5))
    f = x**power - c
    result, working = _newton_solution(f, x0, 2)
    root = "√" if power == 2 else "∛"
    return number_draft(
        f"Newton–Raphson finds {root}{c} as the root of f(x) = {code(f)}. Starting from x₀ = {x0}, what is x₂ (after two steps)?",
        result,
        hints=("xₙ₊₁ = xₙ − f(xₙ)/f'(xₙ); do it twice.", f"f'(x) = {code(sympy.diff(f, x))}."),
        solution=f"{working}So x₂ = **{plain(result)}** ≈ {sympy.N(result, 8)} (the root is {sympy.N(sympy.root(c, power), 8)}).",
        command=f"/newton {plain(f)} from {x0}",
    )


_RATES = tuple(sympy.Rational(n, 100) for n in (1, 5, 10, 20, 25))


@declares("gradient_descent", "gradient")
def descent_step(seed: int) -> Draft:
    a, b, c, d, x0, y0, rate = pick(seed, (1, 2, 3), (1, 2, 3), range(-2, 3), range(-3, 4), nonzero(-3, 3), nonzero(-3, 3), _RATES)
    f = a * x**2 + b * y**2 + c * x * y + d * x
    grad = [sympy.diff(f, v) for v in (x, y)]
    at = {x: x0, y: y0}
    grad_value = [g.subs(at) for g in grad]
    following = [x0 - rate * grad_value[0], y0 - rate * grad_value[1]]
    return vector_draft(
        f"Take one gradient-descent step on f(x, y) = {code(f)} from ({x0}, {y0}) with step size γ = {decimal(rate)}. Where do you land?",
        following,
        hints=("Steepest descent: xₙ₊₁ = xₙ − γ∇f(xₙ).", f"∇f = ({plain(grad[0])}, {plain(grad[1])})."),
        solution=f"∇f({x0}, {y0}) = {point_text(grad_value)}; ({x0}, {y0}) − {decimal(rate)}·{point_text(grad_value)} = **{point_text(following)}**.",
        command=f"/descent {plain(f)} from ({x0}, {y0}) rate {decimal(rate)}",
    )


@declares("gradient_descent")
def descent_step_1d(seed: int) -> Draft:
    a, b, x0, rate = pick(seed, range(1, 7), range(-4, 5), nonzero(-3, 3), _RATES)
    f = x**4 / 4 - a * x**2 + b * x
    slope = sympy.diff(f, x).subs(x, x0)
    following = x0 - rate * slope
    return number_draft(
        f"Gradient descent on f(x) = {code(f)} with step size γ = {decimal(rate)}, starting at x₀ = {x0}. What is x₁?",
        following,
        hints=("x₁ = x₀ − γ·f'(x₀).", f"f'(x) = {code(sympy.diff(f, x))}."),
        solution=f"f'({x0}) = {slope}, so x₁ = {x0} − {decimal(rate)}·{signed(slope)} = **{decimal(following)}**.",
        command=f"/descent {plain(f)} from {x0} rate {decimal(rate)}",
    )


def _lagrange_case(seed: int) -> tuple[sympy.Expr, sympy.Expr, int, dict[sympy.Symbol, sympy.Expr], str]:
    """Objective, constraint g = k, and the solution of ∇f = λ∇g, g = k (a linear system here)."""
    kind, a, b, k = pick(seed, ("product", "distance"), (1, 2, 3, 4, 5), nonzero(-5, 5), range(2, 25))
    if kind == "product":
        # Along the line, xy is a parabola in x with leading coefficient −a/b: a maximum when ab > 0.
        f, g, goal = x * y, a * x + b * y, "maximises" if a * b > 0 else "minimises"
    else:
        f, g, goal = x**2 + y**2, a * x + b * y, "minimises"
    equations = [sympy.diff(f, v) - lam * sympy.diff(g, v) for v in (x, y)] + [g - k]
    solution = sympy.solve(equations, [x, y, lam], dict=True)[0]
    return f, g, k, solution, goal


def _lagrange_working(f: sympy.Expr, g: sympy.Expr, k: int, solution: dict[sympy.Symbol, sympy.Expr]) -> str:
    return (
        f"Solve ∇f = λ∇g with g = {k}: {plain(sympy.diff(f, x))} = λ·{plain(sympy.diff(g, x))}, "
        f"{plain(sympy.diff(f, y))} = λ·{plain(sympy.diff(g, y))}, {plain(g)} = {k}. "
        f"This gives x = {plain(solution[x])}, y = {plain(solution[y])}, λ = {plain(solution[lam])}."
    )


@declares("lagrange_multipliers", "gradient")
def lagrange_point(seed: int) -> Draft:
    f, g, k, solution, goal = _lagrange_case(seed)
    point = [solution[x], solution[y]]
    return vector_draft(
        f"Find the point (x, y) that {goal} f(x, y) = {code(f)} subject to {code(g)} = {k}.",
        point,
        hints=("At a constrained optimum the gradients are parallel: ∇f = λ∇g.", "Write out the two components of ∇f = λ∇g and the constraint: three equations, three unknowns."),
        solution=f"{_lagrange_working(f, g, k, solution)} The point is **{point_text(point)}**.",
        command=f"/lagrange {plain(f)} subject to {plain(g)} = {k}",
    )


@declares("lagrange_multipliers", "gradient")
def lagrange_multiplier(seed: int) -> Draft:
    f, g, k, solution, goal = _lagrange_case(seed)
    return number_draft(
        f"For the point that {goal} f(x, y) = {code(f)} subject to {code(g)} = {k}, find the Lagrange multiplier λ in ∇f = λ∇g.",
        solution[lam],
        hints=("Solve ∇f = λ∇g together with the constraint.", "Express x and y in terms of λ, then put them into the constraint."),
        solution=f"{_lagrange_working(f, g, k, solution)} So λ = **{plain(solution[lam])}**.",
        command=f"/lagrange {plain(f)} subject to {plain(g)} = {k}",
    )


_DIRECTIONS = tuple((p, q) for p in nonzero(-5, 5) for q in nonzero(-5, 5))


@declares("lagrange_multipliers", "gradient")
def lagrange_circle_maximum(seed: int) -> Draft:
    (a, b), radius = pick(seed, _DIRECTIONS, (1, 2, 3, 4, 5))
    f, g = a * x + b * y, x**2 + y**2
    # ∇f = λ∇g gives x = a/(2λ), y = b/(2λ); the constraint then fixes λ (two roots, ±).
    on_line = {x: a / (2 * lam), y: b / (2 * lam)}
    numerator = sympy.together(g.subs(on_line) - radius**2).as_numer_denom()[0]
    multipliers = sympy.Poly(numerator, lam).all_roots()
    candidates = [{x: on_line[x].subs(lam, m), y: on_line[y].subs(lam, m)} for m in multipliers]
    best = max(candidates, key=lambda s: f.subs(s))
    value = f.subs(best)
    return number_draft(
        f"What is the largest value of f(x, y) = {code(f)} on the circle {code(g)} = {radius**2}?",
        value,
        hints=("Lagrange: ∇f = λ∇g, i.e. (a, b) = 2λ(x, y); the best point is along (a, b).", "Two candidate points solve the system; compare f at both."),
        solution=f"∇f = λ∇g gives ({a}, {b}) = 2λ(x, y), so (x, y) = ±{radius}·({a}, {b})/√{a * a + b * b}. The larger value is at "
        f"({plain(best[x])}, {plain(best[y])}): **{plain(value)}** ≈ {sympy.N(value, 8)}.",
        command=f"/lagrange {plain(f)} subject to {plain(g)} = {radius**2}",
    )


GENERATORS: dict[str, Generator] = {
    "newton_step": newton_step,
    "newton_two_steps": newton_two_steps,
    "descent_step": descent_step,
    "descent_step_1d": descent_step_1d,
    "lagrange_point": lagrange_point,
    "lagrange_multiplier": lagrange_multiplier,
    "lagrange_circle_maximum": lagrange_circle_maximum,
}
