"""Mal-rules: the known wrong versions of the differentiation rules, each with a stable code.

A *local* mal-rule differentiates one node of the expression tree the wrong way: given the node,
the variable and a derivative function for the node's parts (``d``, normally ``sympy.diff``), it
returns the wrong derivatives of that node a learner could have written. The diagnosis engine puts
each one back into the correct derivative of the whole expression (``bot.solver.diagnosis``).
A *whole* mal-rule gets the whole answer wrong at once (its sign, the order, the variable).

The codes and their order are a public contract (the console's ``"diagnosis"``): the order is the
order of preference when several explain the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

Derive = Callable[[sympy.Expr], sympy.Expr]  # the derivative of a part of the node
Local = Callable[[sympy.Expr, sympy.Symbol, Derive], list[sympy.Expr]]


@dataclass(frozen=True)
class Task:
    """What was asked: the ``order``-th derivative of ``expr`` with respect to ``var``."""

    expr: sympy.Expr
    var: sympy.Symbol
    order: int = 1

    @property
    def correct(self) -> sympy.Expr:
        return sympy.diff(self.expr, self.var, self.order)


Whole = Callable[[Task], list[sympy.Expr]]


@dataclass(frozen=True)
class MalRule:
    code: str  # stable, public
    words: str  # what went wrong, in a teacher's words
    rule: str  # the right rule, as a teacher states it
    local: Local | None = None
    whole: Whole | None = None


# --- shapes of a node ------------------------------------------------------------------------------

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def _varying(factors: tuple[sympy.Expr, ...], var: sympy.Symbol) -> list[sympy.Expr]:
    return [f for f in factors if f.has(var)]


def _quotient(node: sympy.Expr, var: sympy.Symbol, *, exponentials: bool = True) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(u, v)`` when the node is a product with a varying denominator: u/v (e^(-g) counts as 1/e^g)."""
    if not isinstance(node, sympy.Mul):
        return None
    top, bottom = [], []
    for factor in node.args:
        if isinstance(factor, sympy.Pow) and factor.exp.is_number and factor.exp.is_negative and factor.base.has(var):
            bottom.append(factor.base ** (-factor.exp))
        elif exponentials and isinstance(factor, sympy.exp) and factor.has(var) and factor.args[0].could_extract_minus_sign():
            bottom.append(sympy.exp(-factor.args[0], evaluate=False))  # u/e^(cx) is stored as u·e^(-cx)
        else:
            top.append(factor)
    if not bottom or not any(f.has(var) for f in top):
        return None  # c/v is a power, c·v⁻¹, as a learner differentiates it
    return sympy.Mul(*top), sympy.Mul(*bottom)


def _product(node: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, list[sympy.Expr]] | None:
    """``(constant, varying factors)`` for a product of at least two varying factors, no denominator."""
    if not isinstance(node, sympy.Mul) or _quotient(node, var, exponentials=False) is not None:
        return None
    varying = _varying(node.args, var)
    if len(varying) < 2:
        return None
    return sympy.Mul(*(f for f in node.args if not f.has(var))), varying


def _power(node: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(base, n)`` for base**n with a varying base and a constant exponent."""
    if isinstance(node, sympy.Pow) and node.base.has(var) and not node.exp.has(var):
        return node.base, node.exp
    return None


def _exponential(node: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(a, g)`` for a**g (or e**g) with a constant base and a varying exponent."""
    if isinstance(node, sympy.exp) and node.args[0].has(var):
        return sympy.E, node.args[0]
    if isinstance(node, sympy.Pow) and not node.base.has(var) and node.exp.has(var):
        return node.base, node.exp
    return None


def _outer(node: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(f'(g), g)`` for a composite f(g) whose inside g is not just the variable."""
    t = sympy.Dummy("t")
    if isinstance(node, sympy.Function) and len(node.args) == 1:
        inner, outer = node.args[0], node.func(t)
    elif (found := _power(node, var)) is not None:
        inner, outer = found[0], t ** found[1]
    elif (found := _exponential(node, var)) is not None:
        inner, outer = found[1], found[0] ** t
    else:
        return None
    if inner == var or not inner.has(var):
        return None
    return sympy.diff(outer, t).xreplace({t: inner}), inner


# --- the local mal-rules ---------------------------------------------------------------------------


def _product_as_product(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _product(node, var)
    if found is None:
        return []
    constant, factors = found
    return [constant * sympy.Mul(*(d(f) for f in factors))]


def _product_term_missing(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _product(node, var)
    if found is None:
        return []
    constant, factors = found
    terms = [
        d(f) * sympy.Mul(*(g for j, g in enumerate(factors) if j != i)) for i, f in enumerate(factors)
    ]
    wrong = [constant * term for term in terms]  # one term alone
    if len(terms) > 2:
        wrong += [constant * (sympy.Add(*terms) - term) for term in terms]  # one term left out
    return wrong


def _quotient_sign(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _quotient(node, var)
    if found is None:
        return []
    u, v = found
    return [(d(u) * v + u * d(v)) / v**2, (u * d(v) - d(u) * v) / v**2]


def _quotient_as_ratio(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _quotient(node, var)
    if found is None:
        return []
    u, v = found
    dv = d(v)
    return [] if dv == 0 else [d(u) / dv]


def _quotient_denominator(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _quotient(node, var)
    if found is None:
        return []
    u, v = found
    return [(d(u) * v - u * d(v)) / v]


def _chain_inner_missing(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _outer(node, var)
    return [] if found is None else [found[0]]


def _exponent_kept(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _power(node, var)
    if found is None or found[1] in (0, 1):
        return []
    base, n = found
    return [n * base**n * d(base)]


def _coefficient_missing(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _power(node, var)
    if found is None or found[1] in (0, 1):
        return []
    base, n = found
    return [base ** (n - 1) * d(base)]


def _exponential_as_power(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    found = _exponential(node, var)
    if found is None:
        return []
    a, g = found
    return [g * a ** (g - 1) * d(g), g * a ** (g - 1)]  # with and without the inner derivative


def _log_factor_missing(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """(aˣ)′ written as aˣ: the factor ln a left out (for e it is 1, so only other bases)."""
    found = _exponential(node, var)
    if found is None or found[0] == sympy.E:
        return []
    a, g = found
    return [a**g * d(g), a**g]  # with and without the inner derivative


def _exponent_miscounted(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """A negative or fractional power lowered the wrong way: (x⁻²)′ = −2x⁻¹, (x^(1/2))′ = ½x⁰."""
    found = _power(node, var)
    if found is None or not found[1].is_Rational or (found[1].is_Integer and found[1] >= 0):
        return []
    base, n = found
    wrong = [n * base ** (n + 1) * d(base)]
    if not n.is_Integer:  # 1 taken from the numerator only: 3/2 − 1 read as 2/2
        wrong.append(n * base ** sympy.Rational(n.p - 1, n.q) * d(base))
    return wrong


def _trig_sign(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    if not isinstance(node, _TRIG) or not node.args[0].has(var):
        return []
    t = sympy.Dummy("t")
    inner = node.args[0]
    return [-sympy.diff(node.func(t), t).xreplace({t: inner}) * d(inner)]


def _log_rule(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    if not isinstance(node, sympy.log) or not node.args[0].has(var):
        return []
    du = d(node.args[0])
    if du == 0:
        return []
    return [1 / du, sympy.log(du)]


def _other_variable_kept(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """A partial derivative that keeps a term in another variable (∂/∂x (x² + y³) = 2x + y³)."""
    if not isinstance(node, sympy.Add):
        return []
    held = [term for term in node.args if not term.has(var) and term.free_symbols]
    numbers = [term for term in node.args if not term.free_symbols]
    if not held:
        return []
    derivative = d(node)
    wrong = [derivative + sympy.Add(*held)]
    if len(held) > 1:
        wrong += [derivative + term for term in held]
    if numbers:
        wrong.append(derivative + sympy.Add(*held, *numbers))
    return wrong


def _term_left(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """One varying term of a sum copied unchanged into the derivative."""
    if not isinstance(node, sympy.Add):
        return []
    derivative = d(node)
    return [derivative - d(term) + term for term in node.args if term.has(var)]


def _constant_kept(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """A constant term kept in a sum, or a constant factor dropped from a product."""
    if isinstance(node, sympy.Add):
        constants = [term for term in node.args if not term.free_symbols]  # another variable's term: its own rule
        if not constants or len(constants) == len(node.args):
            return []
        derivative = d(node)
        wrong = [derivative + sympy.Add(*constants)]
        if len(constants) > 1:
            wrong += [derivative + c for c in constants]
        return wrong
    if isinstance(node, sympy.Mul):
        factors = [f for f in node.args if not f.has(var) and f not in (1, -1)]
        constant = sympy.Mul(*factors)
        if not factors or constant == node:
            return []
        dropped = [constant] + (factors if len(factors) > 1 else [])
        return [d(node / c) for c in dropped]
    return []


_ANTIDERIVATIVES: dict[type, Callable[[sympy.Expr], sympy.Expr]] = {
    sympy.sin: lambda g: -sympy.cos(g),
    sympy.cos: sympy.sin,
}


def _integrated_part(node: sympy.Expr, var: sympy.Symbol, d: Derive) -> list[sympy.Expr]:
    """One part integrated: sin x → −cos x, cos x → sin x, xⁿ → xⁿ⁺¹/(n+1)."""
    if isinstance(node, sympy.Function) and node.args == (var,) and type(node) in _ANTIDERIVATIVES:
        return [_ANTIDERIVATIVES[type(node)](var)]
    found = _power(node, var)
    if found is not None and found[0] == var and found[1] != -1:
        return [var ** (found[1] + 1) / (found[1] + 1)]
    return []


# --- the whole-answer mal-rules --------------------------------------------------------------------


def _integrated_whole(task: Task) -> list[sympy.Expr]:
    # matched by differentiating the learner's answer (see diagnosis): any constant of integration
    return []


def _other_variables(task: Task) -> list[sympy.Symbol]:
    return sorted((s for s in task.expr.free_symbols if isinstance(s, sympy.Symbol) and s != task.var), key=lambda s: s.name)


def _wrong_variable(task: Task) -> list[sympy.Expr]:
    others = _other_variables(task)
    wrong = [sympy.diff(task.expr, other, task.order) for other in others]
    if others and task.order == 1:
        # the other variables not held constant: differentiated as if each moved with the variable
        wrong.append(sympy.diff(task.expr, task.var) + sympy.Add(*(sympy.diff(task.expr, o) for o in others)))
    return wrong


def _constant_whole(task: Task) -> list[sympy.Expr]:
    """A constant (no ``var`` in it at all) given back as its own derivative: d/dx 5 = 5."""
    return [] if task.expr.has(task.var) or task.order != 1 else [task.expr]


def _wrong_order(task: Task) -> list[sympy.Expr]:
    orders = [task.order - 1, task.order + 1]
    return [sympy.diff(task.expr, task.var, k) if k else task.expr for k in orders if k >= 0]


def _sign_flipped(task: Task) -> list[sympy.Expr]:
    return [-task.correct]


MAL_RULES: tuple[MalRule, ...] = (
    MalRule(
        "product_rule_as_product",
        "the product was differentiated factor by factor, (uv)′ = u′v′",
        "the product rule: (uv)′ = u′v + uv′",
        local=_product_as_product,
    ),
    MalRule(
        "product_rule_term_missing",
        "one of the product-rule terms is missing",
        "the product rule has a term for each factor: (uv)′ = u′v + uv′",
        local=_product_term_missing,
    ),
    MalRule(
        "quotient_rule_sign",
        "the quotient rule's numerator has the wrong sign (u′v + uv′, or uv′ − u′v)",
        "the quotient rule: (u/v)′ = (u′v − uv′)/v²",
        local=_quotient_sign,
    ),
    MalRule(
        "quotient_rule_as_ratio",
        "the quotient was differentiated as top over bottom, (u/v)′ = u′/v′",
        "the quotient rule: (u/v)′ = (u′v − uv′)/v²",
        local=_quotient_as_ratio,
    ),
    MalRule(
        "quotient_rule_denominator",
        "the quotient rule's denominator is v, not v²",
        "the quotient rule: (u/v)′ = (u′v − uv′)/v²",
        local=_quotient_denominator,
    ),
    MalRule(
        "chain_rule_inner_missing",
        "the chain rule was used without the derivative of the inside",
        "the chain rule: f(g(x))′ = f′(g(x))·g′(x)",
        local=_chain_inner_missing,
    ),
    MalRule(
        "power_rule_exponent_kept",
        "the power rule brought the exponent down but did not lower it (n·xⁿ)",
        "the power rule: (xⁿ)′ = n·xⁿ⁻¹",
        local=_exponent_kept,
    ),
    MalRule(
        "power_rule_coefficient_missing",
        "the power rule lowered the exponent but left out the factor n (xⁿ⁻¹)",
        "the power rule: (xⁿ)′ = n·xⁿ⁻¹",
        local=_coefficient_missing,
    ),
    MalRule(
        "power_rule_exponent_miscounted",
        "a negative or fractional exponent was lowered the wrong way (as if x⁻² gave −2x⁻¹, not −2x⁻³)",
        "the power rule for any n: (xⁿ)′ = n·xⁿ⁻¹, and n − 1 is one less, also for n < 0 or a fraction",
        local=_exponent_miscounted,
    ),
    MalRule(
        "exponential_as_power",
        "an exponential was differentiated as if it were a power of x (x·aˣ⁻¹)",
        "exponentials: (eˣ)′ = eˣ and (aˣ)′ = aˣ·ln a",
        local=_exponential_as_power,
    ),
    MalRule(
        "exponential_log_factor_missing",
        "the derivative of aˣ was written as aˣ: the factor ln a is missing",
        "(aˣ)′ = aˣ·ln a (only for a = e is ln a = 1)",
        local=_log_factor_missing,
    ),
    MalRule(
        "trig_sign",
        "a trig derivative has the wrong sign",
        "(sin x)′ = cos x, (cos x)′ = −sin x, (tan x)′ = sec² x",
        local=_trig_sign,
    ),
    MalRule(
        "log_rule",
        "the log rule was misapplied (1/u′ or ln(u′))",
        "the log rule: (ln u)′ = u′/u",
        local=_log_rule,
    ),
    MalRule(
        "partial_other_variable_kept",
        "a term in another variable was kept in the partial derivative",
        "in a partial derivative the other variables are constants, so a term in them alone differentiates to 0",
        local=_other_variable_kept,
    ),
    MalRule(
        "constant_not_zero",
        "a constant was mishandled: a constant term kept, or a constant factor dropped",
        "a constant term differentiates to 0; a constant factor stays: (c·f)′ = c·f′",
        local=_constant_kept,
        whole=_constant_whole,
    ),
    MalRule(
        "term_not_differentiated",
        "one term of the sum was copied as it was, not differentiated",
        "differentiate every term of a sum: (u + v)′ = u′ + v′",
        local=_term_left,
    ),
    MalRule(
        "integrated_instead",
        "this is an antiderivative (integral), not the derivative",
        "differentiate, don't integrate: (sin x)′ = cos x, (xⁿ)′ = n·xⁿ⁻¹",
        local=_integrated_part,
        whole=_integrated_whole,
    ),
    MalRule(
        "wrong_variable",
        "this is the derivative with respect to another variable (or one not held constant)",
        "in a partial derivative every other variable is held constant",
        whole=_wrong_variable,
    ),
    MalRule(
        "wrong_order",
        "this is a derivative of another order",
        "differentiate exactly as many times as asked",
        whole=_wrong_order,
    ),
    MalRule(
        "sign_error",
        "the whole answer has the opposite sign",
        "check each sign as you go",
        whole=_sign_flipped,
    ),
)

CODES: tuple[str, ...] = tuple(rule.code for rule in MAL_RULES)
BY_CODE: dict[str, MalRule] = {rule.code: rule for rule in MAL_RULES}
