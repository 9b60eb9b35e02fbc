"""f(x) at mpmath precision without ``lambdify``: a short run (a Newton–Raphson table) spends most
of its time printing the expression as Python source and compiling it, not evaluating it.

The course's expressions (sums, products, powers, the elementary functions) become nested closures
doing the operations lambdify's mpmath code does — integers stay Python ints, a fraction p/q is
``mpf(p)/mpf(q)`` at the caller's precision, ``x^(1/2)`` is ``sqrt``, sec is 1/cos — and in the order
its printer writes terms and factors — so values, undefined points and non-real results come out the
same. Anything else goes to ``lambdify``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import mul
from typing import Any

import mpmath
import sympy

Evaluate = Callable[[Any], Any]

_FUNCTIONS: dict[type, Callable[[Any], Any]] = {
    sympy.sin: mpmath.sin, sympy.cos: mpmath.cos, sympy.tan: mpmath.tan,
    sympy.asin: mpmath.asin, sympy.acos: mpmath.acos, sympy.atan: mpmath.atan,
    sympy.sinh: mpmath.sinh, sympy.cosh: mpmath.cosh, sympy.tanh: mpmath.tanh,
    sympy.asinh: mpmath.asinh, sympy.acosh: mpmath.acosh, sympy.atanh: mpmath.atanh,
    sympy.exp: mpmath.exp, sympy.sign: mpmath.sign, sympy.Abs: abs,
}
# as lambdify's printer writes them: sec x is (1/cos(x)), not mpmath.sec
_RECIPROCALS: dict[type, Callable[[Any], Any]] = {sympy.sec: mpmath.cos, sympy.csc: mpmath.sin, sympy.cot: mpmath.tan}
_CONSTANTS: dict[sympy.Basic, Any] = {sympy.pi: mpmath.pi, sympy.E: mpmath.e}


class _Unsupported(Exception):
    """A node the closures do not cover: lambdify evaluates the whole expression instead."""


def mpmath_function(var: sympy.Symbol, exprs: Sequence[sympy.Expr], modules: list[Any]) -> Callable[[Any], list[Any]]:
    """``x ↦ [e(x) for e in exprs]`` with mpmath numbers, as ``lambdify(var, exprs, modules)`` gives."""
    try:
        parts = [_closure(expr, var) for expr in exprs]
    except _Unsupported:
        return sympy.lambdify(var, list(exprs), modules, docstring_limit=0)  # type: ignore[no-any-return]

    fallback: list[Callable[[Any], list[Any]]] = []

    def evaluate(x: Any) -> list[Any]:
        try:
            return [part(x) for part in parts]
        except (ZeroDivisionError, ValueError, OverflowError):
            raise  # undefined here: the same errors lambdify's code raises
        except Exception:  # anything odder is reported as lambdify's code reports it
            if not fallback:
                fallback.append(sympy.lambdify(var, list(exprs), modules, docstring_limit=0))
            return fallback[0](x)

    return evaluate


def _closure(expr: sympy.Basic, var: sympy.Symbol) -> Evaluate:
    if expr is var or expr == var:
        return lambda x: x
    if expr.is_Integer:
        value = int(expr)  # type: ignore[call-overload]
        return lambda x: value
    if expr.is_Rational:
        p, q = int(expr.p), int(expr.q)  # type: ignore[attr-defined]
        return lambda x: mpmath.mpf(p) / mpmath.mpf(q)
    if expr.is_Float:
        raw = tuple(map(int, expr._mpf_))  # type: ignore[attr-defined]
        return lambda x: mpmath.mpf(raw)
    if expr in _CONSTANTS:
        constant = _CONSTANTS[expr]
        return lambda x: +constant  # the constant at the caller's precision
    if isinstance(expr, sympy.Add):  # summed in the order lambdify's printer writes the terms
        terms = [_closure(arg, var) for arg in _in_printed_order(expr, expr.as_ordered_terms)]
        return lambda x: sum((term(x) for term in terms[1:]), terms[0](x))
    if isinstance(expr, sympy.Mul):
        return _product(expr, var)
    if isinstance(expr, sympy.Pow):
        return _power(expr, var)
    if isinstance(expr, sympy.log) and len(expr.args) == 1:
        inner = _closure(expr.args[0], var)
        return lambda x: mpmath.log(inner(x))
    function = _FUNCTIONS.get(type(expr)) or _RECIPROCALS.get(type(expr))
    if function is not None and len(expr.args) == 1:
        inner = _closure(expr.args[0], var)
        if type(expr) in _RECIPROCALS:
            return lambda x: 1 / function(inner(x))
        return lambda x: function(inner(x))
    raise _Unsupported(type(expr).__name__)


def _in_printed_order(expr: sympy.Expr, ordered: Callable[[], list[sympy.Expr]]) -> Sequence[sympy.Expr]:
    """The arguments in the printer's order where it matters: a sum or product of two is the same
    number either way round (each operation is rounded once), so sorting is paid for three or more."""
    return expr.args if len(expr.args) <= 2 else ordered()


def _product(expr: sympy.Mul, var: sympy.Symbol) -> Evaluate:
    """As lambdify writes a product: the factors with a negative power divide the others (so a
    zero there is a ZeroDivisionError, not ``0**(-2/3) = inf``)."""
    top, bottom = [], []
    for factor in _in_printed_order(expr, expr.as_ordered_factors):
        if factor.is_Pow and factor.exp.is_Rational and factor.exp.is_negative:
            bottom.append(_closure(sympy.Pow(factor.base, -factor.exp, evaluate=factor.exp == -1), var))
        else:
            top.append(_closure(factor, var))
    numerator = (lambda x: reduce(mul, (f(x) for f in top[1:]), top[0](x))) if top else (lambda x: 1)
    if not bottom:
        return numerator
    return lambda x: numerator(x) / reduce(mul, (f(x) for f in bottom[1:]), bottom[0](x))


def _power(expr: sympy.Pow, var: sympy.Symbol) -> Evaluate:
    base = _closure(expr.base, var)
    exponent = expr.exp
    if exponent == sympy.S.Half:
        return lambda x: mpmath.sqrt(base(x))
    if exponent == -sympy.S.Half:
        return lambda x: 1 / mpmath.sqrt(base(x))
    if exponent == -1:
        return lambda x: 1 / base(x)
    if exponent.is_Integer:
        n = int(exponent)
        return lambda x: base(x) ** n
    raised = _closure(exponent, var)
    return lambda x: base(x) ** raised(x)
