"""Module 1 generators: functions, rise over run, the definition, and the rules of differentiation."""

from __future__ import annotations

from collections.abc import Callable

import sympy

from bot.present.format import plain
from bot.solver.variables import symbol
from content.generators.base import (
    Draft,
    Generator,
    choice_draft,
    code,
    declares,
    derivative_skills,
    expression_draft,
    h,
    nonzero,
    number_draft,
    pick,
    x,
)

u = symbol("u")  # the placeholder argument of an outer function

# Outer functions for composition and the chain rule: name -> g(u).
_OUTER: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "square": lambda e: e**2,
    "cube": lambda e: e**3,
    "fourth": lambda e: e**4,
    "reciprocal": lambda e: 1 / e,
}


def _cubic(a: int, b: int, c: int, d: int) -> sympy.Expr:
    return a * x**3 + b * x**2 + c * x + d


def _minus(value: int | sympy.Expr) -> str:
    """A number as written in working: a true minus sign, and brackets when it is negative."""
    text = str(value)
    return f"(−{text[1:]})" if text.startswith("-") else text


def _x_to(power: int | sympy.Expr) -> str:
    return "1" if power == 0 else "x" if power == 1 else f"x^{_minus(power)}"


def _substituted(terms: tuple[tuple[int, int], ...], k: int) -> str:
    """c·k^p summed as a learner writes it: 2·3^3 − 3^2 + 4·3 − 5 (no "(1)·", no "^1", no "+ (−5)")."""
    pieces: list[str] = []
    for coefficient, power in terms:
        if coefficient == 0:
            continue
        size = abs(coefficient)
        base = "" if power == 0 else _minus(k) if power == 1 else f"{_minus(k)}^{power}"
        body = str(size) if not base else base if size == 1 else f"{size}·{base}"
        sign = "−" if coefficient < 0 else "+"
        pieces.append(f"−{body}" if not pieces and sign == "−" else body if not pieces else f"{sign} {body}")
    return " ".join(pieces) or "0"


@declares("functions")
def evaluate_function(seed: int) -> Draft:
    a, b, c, d, k = pick(seed, nonzero(-3, 3), range(-4, 5), range(-5, 6), range(-5, 6), range(-3, 4))
    f = _cubic(a, b, c, d)
    value = f.subs(x, k)
    terms = _substituted(((a, 3), (b, 2), (c, 1), (d, 0)), k)
    return number_draft(
        f"For f(x) = {code(f)}, what is f({k})?",
        value,
        hints=("Replace every x with the number, in brackets.", f"f({k}) = {terms}"),
        solution=f"Substitute x = {k}: f({k}) = {terms} = **{value}**.",
    )


@declares("functions")
def compose_functions(seed: int) -> Draft:
    outer, inner_kind, a, b, inside_out = pick(
        seed, ("sin", "exp", "square", "cube", "reciprocal"), ("linear", "quadratic"), nonzero(-4, 4), range(-5, 6), (True, False)
    )
    g = a * x + b if inner_kind == "linear" else a * x**2 + b
    f = _OUTER[outer](x)
    first, second, first_name, second_name = (g, f, "g", "f") if inside_out else (f, g, "f", "g")
    composed = second.subs(x, first)
    return expression_draft(
        f"Let f(x) = {code(f)} and g(x) = {code(g)}. Write {second_name}({first_name}(x)) in terms of x.",
        composed,
        hints=(
            f"{second_name}({first_name}(x)) means: work out {first_name}(x) first, then feed it into {second_name}.",
            f"Replace every x in {second_name}(x) = {code(second)} by ({plain(first)}).",
        ),
        solution=f"Feed {first_name}(x) = {code(first)} into {second_name}: {second_name}({first_name}(x)) = **{code(composed)}**.",
    )


@declares("derivative_definition")
def secant_gradient(seed: int) -> Draft:
    a, b, c, x1, gap = pick(seed, nonzero(-3, 3), range(-4, 5), range(-3, 4), range(-3, 3), range(1, 5))
    x2 = x1 + gap
    f = a * x**2 + b * x + c
    y1, y2 = f.subs(x, x1), f.subs(x, x2)
    slope = sympy.Rational(y2 - y1, gap)
    return number_draft(
        f"What is the gradient (rise over run) of the straight line joining the points of y = {code(f)} at x = {x1} and x = {x2}?",
        slope,
        hints=("Gradient = rise / run = (change in y) / (change in x).", f"The points are ({x1}, {y1}) and ({x2}, {y2})."),
        solution=f"The points are ({x1}, {y1}) and ({x2}, {y2}). Rise = {y2} − ({y1}) = {y2 - y1}; run = {gap}. "
        f"Gradient = {y2 - y1}/{gap} = **{slope}**.",
        command=f"/slope {plain(f)} at {x1}",
    )


@declares("derivative_definition", "power_rule")
def tangent_gradient(seed: int) -> Draft:
    a, b, c, d, k = pick(seed, nonzero(-3, 3), range(-4, 5), range(-5, 6), range(-5, 6), range(-3, 4))
    f = _cubic(a, b, c, d)
    df = sympy.diff(f, x)
    value = df.subs(x, k)
    return number_draft(
        f"What is the gradient of the curve y = {code(f)} at x = {k}?",
        value,
        hints=("The gradient of a curve at a point is the derivative there.", f"dy/dx = {code(df)}; now put x = {k}."),
        solution=f"dy/dx = {code(df)}, so at x = {k} the gradient is **{value}**.",
        command=f"/slope {plain(f)} at {k}",
    )


@declares("derivative_definition")
def difference_quotient(seed: int) -> Draft:
    kind, a, b, c = pick(seed, ("quadratic", "cubic"), nonzero(-5, 5), range(-6, 7), range(-6, 7))
    f = a * x**2 + b * x + c if kind == "quadratic" else a * x**3 + b * x + c
    quotient = sympy.expand(sympy.cancel((f.subs(x, x + h) - f) / h))
    return expression_draft(
        f"For f(x) = {code(f)}, simplify the difference quotient (f(x + h) − f(x)) / h.",
        quotient,
        hints=(
            "Expand f(x + h) first; the terms without h cancel with f(x).",
            "Every remaining term in the numerator has a factor h: divide it out.",
        ),
        solution=f"f(x + h) − f(x) = {code(sympy.expand(f.subs(x, x + h) - f))}; dividing by h gives **{code(quotient)}**. "
        f"Letting h → 0 leaves f'(x) = {code(quotient.subs(h, 0))}.",
        command=f"/derive {plain(f)}",
    )


@declares("derivative_definition")
def derivative_from_definition(seed: int) -> Draft:
    kind, a, b, k = pick(seed, ("quadratic", "reciprocal", "cubic"), nonzero(-5, 5), range(-5, 6), nonzero(-4, 4))
    f = {"quadratic": a * x**2 + b * x, "reciprocal": a / x + b, "cubic": a * x**3 + b}[kind]
    quotient = sympy.cancel((f.subs(x, k + h) - f.subs(x, k)) / h)
    value = quotient.subs(h, 0)
    return number_draft(
        f"Use f'({k}) = lim (f({k} + h) − f({k}))/h as h → 0 to find the gradient of f(x) = {code(f)} at x = {k}.",
        value,
        hints=(
            f"Work out f({k} + h) − f({k}) and simplify before taking the limit.",
            f"(f({k} + h) − f({k}))/h simplifies to {code(quotient)}; now let h → 0.",
        ),
        solution=f"(f({k} + h) − f({k}))/h = {code(quotient)}, which tends to **{value}** as h → 0.",
        command=f"/slope {plain(f)} at {k}",
    )


_POWERS = (2, 3, 4, 5, 6, 7, -1, -2, -3, sympy.Rational(1, 2), sympy.Rational(3, 2), sympy.Rational(-1, 2))


def power_rule(seed: int) -> Draft:
    a, n, b, m, c = pick(seed, nonzero(-5, 5), (2, 3, 4, 5, 6), nonzero(-4, 4), (-1, -2, -3, sympy.Rational(1, 2), sympy.Rational(3, 2)), range(-9, 10))
    f = a * x**n + b * x**m + c
    df = sympy.diff(f, x)
    return expression_draft(
        f"Differentiate {code(f)} with respect to x.",
        df,
        hints=(
            "Differentiate term by term (sum rule); a constant's derivative is 0.",
            "Power rule: d/dx (x^n) = n·x^(n−1), for any n — negative and fractional too.",
        ),
        solution=f"Term by term with the power rule: d/dx {code(a * x**n)} = {code(sympy.diff(a * x**n, x))}, "
        f"d/dx {code(b * x**m)} = {code(sympy.diff(b * x**m, x))}, and the constant gives 0. "
        f"So f'(x) = **{code(df)}**.",
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "power_rule", "derivative_basics"),
    )


def power_rule_choice(seed: int) -> Draft:
    a, n, b = pick(seed, nonzero(-6, 6), _POWERS, nonzero(-9, 9))
    f = a * x**n + b
    df = sympy.diff(f, x)
    return choice_draft(
        seed,
        f"Which is the derivative of {code(f)} with respect to x?",
        df,
        [df + b, a * x ** (n - 1), a * n * x**n, a * x ** (n + 1) / (n + 1)],
        hints=("Power rule: bring the power down, then lower it by one.", "The derivative of a constant is 0."),
        solution=f"d/dx {code(a * x**n)} = {_minus(a)}·{_minus(n)}·{_x_to(n - 1)} = {code(df)}, and the constant {str(b).replace('-', '−')} "
        f"differentiates to 0: **{plain(df)}**.",
        command=f"/derive {plain(f)}",
        codes=("constant_not_zero", "power_rule_coefficient_missing", "power_rule_exponent_kept", "integrated_instead"),
        skills=("power_rule", "derivative_basics"),
    )


def _product_parts(seed: int) -> tuple[sympy.Expr, sympy.Expr]:
    ukind, a, n, vkind, b = pick(seed, ("scaled", "shifted"), (1, 2, 3, 5, -1, -2, -3), (1, 2, 3, 4), ("sin", "cos", "exp", "log"), (1, 2, 3, 4, 5))
    first = a * x**n if ukind == "scaled" else x**n + a
    second = {"sin": sympy.sin(b * x), "cos": sympy.cos(b * x), "exp": sympy.exp(b * x), "log": sympy.log(b * x)}[vkind]
    return first, second


def _product_solution(first: sympy.Expr, second: sympy.Expr) -> str:
    du, dv = sympy.diff(first, x), sympy.diff(second, x)
    return (
        f"Product rule: (uv)' = u'v + uv', with u = {code(first)}, v = {code(second)}, u' = {code(du)}, v' = {code(dv)}. "
        f"So f'(x) = ({plain(du)})·{plain(second)} + ({plain(first)})·{plain(dv)} = **{code(sympy.diff(first * second, x))}**."
    )


def product_rule(seed: int) -> Draft:
    first, second = _product_parts(seed)
    f = first * second
    return expression_draft(
        f"Differentiate f(x) = {code(f)} with respect to x.",
        sympy.diff(f, x),
        hints=("This is a product u·v: use the product rule (uv)' = u'v + uv'.", f"Take u = {code(first)} and v = {code(second)}."),
        solution=_product_solution(first, second),
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "product_rule"),
    )


def product_rule_choice(seed: int) -> Draft:
    first, second = _product_parts(seed)
    f = first * second
    du, dv = sympy.diff(first, x), sympy.diff(second, x)
    return choice_draft(
        seed,
        f"Which is the derivative of {code(f)}?",
        sympy.diff(f, x),
        [du * dv, du * second - first * dv, du * second, first * dv],
        hints=("Product rule: (uv)' = u'v + uv'. The derivative of a product is not the product of the derivatives.",),
        solution=_product_solution(first, second),
        command=f"/derive {plain(f)}",
        codes=("product_rule_as_product", None, "product_rule_term_missing", "product_rule_term_missing"),
        skills=derivative_skills(f, x, "product_rule"),
    )


# Inner functions a·xⁿ + b, leaving out x + b, whose derivative 1 would hide the chain rule.
_INNER = tuple((a, n) for a in range(1, 7) for n in (1, 2, 3) if (a, n) != (1, 1))


def _chain_parts(seed: int) -> tuple[str, sympy.Expr, int]:
    outer, (a, n), b, k = pick(seed, ("sin", "cos", "exp", "log", "sqrt", "cube", "fourth"), _INNER, range(1, 7), (1, 2, 3, -1, -2))
    return outer, a * x**n + b, k


def _chain_solution(outer: str, inner: sympy.Expr, k: int) -> str:
    g = k * _OUTER[outer](u)
    dg = sympy.diff(g, u)
    dinner = sympy.diff(inner, x)
    answer = sympy.diff(g.subs(u, inner), x)
    return (
        f"Chain rule: d/dx g(h(x)) = g'(h(x))·h'(x), with inner h = {code(inner)} and outer g(u) = {code(g)}. "
        f"g'(u) = {code(dg)} and h'(x) = {code(dinner)}, so f'(x) = **{code(answer)}**."
    )


def chain_rule(seed: int) -> Draft:
    outer, inner, k = _chain_parts(seed)
    f = k * _OUTER[outer](inner)
    return expression_draft(
        f"Differentiate f(x) = {code(f)} with respect to x.",
        sympy.diff(f, x),
        hints=(
            "A function of a function: use the chain rule, outer derivative times inner derivative.",
            f"The inner function is {code(inner)}; its derivative is {code(sympy.diff(inner, x))}.",
        ),
        solution=_chain_solution(outer, inner, k),
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "chain_rule"),
    )


def chain_rule_choice(seed: int) -> Draft:
    outer, inner, k = _chain_parts(seed)
    g = k * _OUTER[outer](u)
    dg = sympy.diff(g, u)
    dinner = sympy.diff(inner, x)
    correct = dg.subs(u, inner) * dinner
    return choice_draft(
        seed,
        f"Which is the derivative of {code(g.subs(u, inner))}?",
        correct,
        [dg.subs(u, inner), dg.subs(u, x) * dinner, -correct, dg.subs(u, dinner)],
        hints=("Differentiate the outer function, keep the inside as it is, then multiply by the derivative of the inside.",),
        solution=_chain_solution(outer, inner, k),
        command=f"/derive {plain(g.subs(u, inner))}",
        codes=("chain_rule_inner_missing", None, "sign_error", None),
        skills=derivative_skills(g.subs(u, inner), x, "chain_rule"),
    )


def special_derivative(seed: int) -> Draft:
    a, b, c, trig, d = pick(seed, nonzero(-4, 4), nonzero(-3, 3), nonzero(-4, 4), ("sin", "cos", "tan"), nonzero(-3, 3))
    trig_term = {"sin": sympy.sin(x), "cos": sympy.cos(x), "tan": sympy.tan(x)}[trig]
    f = a * sympy.exp(b * x) + c * trig_term + d * sympy.log(x)
    df = sympy.diff(f, x)
    return expression_draft(
        f"Differentiate f(x) = {code(f)} with respect to x.",
        df,
        hints=(
            "Term by term. d/dx e^(kx) = k·e^(kx); d/dx ln x = 1/x.",
            "d/dx sin x = cos x, d/dx cos x = −sin x, d/dx tan x = 1/cos²x = 1 + tan²x.",
        ),
        solution=f"Term by term: {code(sympy.diff(a * sympy.exp(b * x), x))}, {code(sympy.diff(c * trig_term, x))} and "
        f"{code(sympy.diff(d * sympy.log(x), x))}; together f'(x) = **{code(df)}**.",
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "trig_derivatives", "exp_log_derivatives"),
    )


def quotient_rule(seed: int) -> Draft:
    a, m, b, vkind, c = pick(seed, nonzero(-4, 4), (1, 2, 3), range(-3, 4), ("square", "linear", "exp"), range(1, 6))
    top = a * x**m + b
    bottom = {"square": x**2 + c, "linear": x + c, "exp": sympy.exp(c * x)}[vkind]
    f = top / bottom
    dtop, dbottom = sympy.diff(top, x), sympy.diff(bottom, x)
    df = sympy.diff(f, x)
    return expression_draft(
        f"Differentiate f(x) = `({plain(top)})/({plain(bottom)})` with respect to x.",
        df,
        hints=(
            "Quotient rule: (u/v)' = (u'v − uv')/v² — or write it as u·v⁻¹ and use the product and chain rules.",
            f"u = {code(top)}, u' = {code(dtop)}; v = {code(bottom)}, v' = {code(dbottom)}.",
        ),
        solution=f"With u = {code(top)} and v = {code(bottom)}: u' = {code(dtop)}, v' = {code(dbottom)}, and "
        f"(u'v − uv')/v² = **{code(sympy.cancel(df))}**.",
        command=f"/derive ({plain(top)})/({plain(bottom)})",
        skills=derivative_skills(f, x, "quotient_rule"),
    )


def all_rules(seed: int) -> Draft:
    a, m, outer, b, n = pick(seed, (1, 2, 3, -1, -2), (1, 2, 3), ("sin", "cos", "exp"), (1, 2, 3, 4), (2, 3))
    inner = b * x**n
    g = _OUTER[outer](inner)
    first = a * x**m
    f = first * g
    df = sympy.diff(f, x)
    return expression_draft(
        f"Differentiate f(x) = {code(f)} with respect to x.",
        df,
        hints=(
            "It is a product, and the second factor is a function of a function: product rule, then chain rule.",
            f"u = {code(first)}, v = {code(g)}; v' needs the chain rule with inner {code(inner)}.",
        ),
        solution=f"u = {code(first)}, u' = {code(sympy.diff(first, x))}; v = {code(g)}, and by the chain rule v' = {code(sympy.diff(g, x))}. "
        f"Product rule: f'(x) = u'v + uv' = **{code(df)}**.",
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "product_rule", "chain_rule"),
    )


_BASES = (2, 3, 5, 10)


def exponential_log_derivative(seed: int) -> Draft:
    """aˣ-type and ln-of-a-function terms: the rules (aᵏˣ)′ = k·ln a·aᵏˣ and (ln u)′ = u′/u."""
    a, k, c, d, p, q = pick(seed, _BASES, nonzero(-3, 3), nonzero(-4, 4), nonzero(-3, 3), (1, 2, 3), range(1, 6))
    exponential = c * sympy.Integer(a) ** (k * x)
    logarithm = d * sympy.log(p * x**2 + q)
    f = exponential + logarithm
    df = sympy.diff(f, x)
    return expression_draft(
        f"Differentiate f(x) = {code(f)} with respect to x.",
        df,
        hints=(
            "d/dx a^(kx) = k·ln(a)·a^(kx): an exponential keeps its form and gains the factor ln a.",
            "d/dx ln(u) = u′/u, here with u a function of x.",
        ),
        solution=f"Term by term: d/dx {code(exponential)} = {code(sympy.diff(exponential, x))} and "
        f"d/dx {code(logarithm)} = {code(sympy.diff(logarithm, x))}; together f'(x) = **{code(df)}**.",
        command=f"/derive {plain(f)}",
        skills=derivative_skills(f, x, "exp_log_derivatives"),
    )


GENERATORS: dict[str, Generator] = {
    "evaluate_function": evaluate_function,
    "compose_functions": compose_functions,
    "secant_gradient": secant_gradient,
    "tangent_gradient": tangent_gradient,
    "difference_quotient": difference_quotient,
    "derivative_from_definition": derivative_from_definition,
    "power_rule": power_rule,
    "power_rule_choice": power_rule_choice,
    "product_rule": product_rule,
    "product_rule_choice": product_rule_choice,
    "chain_rule": chain_rule,
    "chain_rule_choice": chain_rule_choice,
    "special_derivative": special_derivative,
    "quotient_rule": quotient_rule,
    "all_rules": all_rules,
    "exponential_log_derivative": exponential_log_derivative,
}
