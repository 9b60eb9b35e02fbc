"""The logistic function σ(u) = 1/(1 + e^(−u)) recognised in a result, so it can be written as ML
courses write it: σ′(x) = σ(x)(1 − σ(x)), not e^x/(e^x + 1)².

SymPy rewrites σ away as soon as it differentiates it; this puts it back. With S = σ(u), e^u is
S/(1 − S), so every power e^(q·u) becomes a rational function of S; when the result then is
c·S·(1 − S)·(polynomial in S) with c free of e^u, that is the form offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

_S = sympy.Dummy("S")


@dataclass(frozen=True, slots=True)
class LogisticForm:
    argument: sympy.Expr  # u in σ(u)
    factor: sympy.Expr  # c, free of σ: the chain-rule factor u′, a constant …
    rest: sympy.Expr  # a polynomial in the placeholder; 1 for σ′ itself

    def text(self, show: Callable[[sympy.Expr], str]) -> str:
        """``σ(x)(1 − σ(x))``, ``2*x·σ(x^2)(1 − σ(x^2))``, ``(1 − 2*σ(x))·σ(x)(1 − σ(x))``, with
        ``show`` writing an expression in the learner's notation."""
        sigma = f"σ({show(self.argument)})"
        parts = [] if self.factor == 1 else [_bracketed(show(self.factor))]
        if self.rest != 1:
            rest = show(self.rest.subs(_S, sympy.Symbol("σ"))).replace("σ", sigma).replace(" - ", " − ")
            parts.append(_bracketed(rest))
        parts.append(f"{sigma}(1 − {sigma})")
        return "·".join(parts)


def _bracketed(text: str) -> str:
    return f"({text})" if any(c in text for c in "+-− ") else text


def logistic_arguments(expr: sympy.Expr) -> list[sympy.Expr]:
    """Every u for which 1/(1 + e^(−u)) appears in ``expr``."""
    found: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if (
            isinstance(node, sympy.Pow)
            and node.exp.is_Integer
            and node.exp < 0
            and isinstance(node.base, sympy.Add)
        ):
            terms = node.base.args
            if len(terms) == 2 and sympy.S.One in terms:
                other = terms[0] if terms[1] == 1 else terms[1]
                if isinstance(other, sympy.exp):
                    u = -other.args[0]
                    if u not in found:
                        found.append(u)
    return found


def logistic_form(expr: sympy.Expr, result: sympy.Expr) -> LogisticForm | None:
    """``result`` (a derivative of ``expr``) written with σ of the one logistic argument in
    ``expr``, when it is a multiple of σ(1 − σ); None otherwise."""
    arguments = logistic_arguments(expr)
    if len(arguments) != 1:
        return None
    (u,) = arguments
    replaced = _in_terms_of_sigma(result, u)
    if replaced is None or not replaced.has(_S):
        return None
    quotient = sympy.factor(sympy.cancel(replaced / (_S * (1 - _S))))
    factor, rest = quotient.as_independent(_S, as_Add=False)
    if rest.has(_S) and not rest.is_polynomial(_S):
        return None
    if rest.has(_S):
        if sympy.Poly(rest, _S).degree() > 2:
            return None  # no clearer than the exponentials
        rest = sympy.expand(rest)
    return LogisticForm(u, sympy.factor(factor), rest)


def _in_terms_of_sigma(result: sympy.Expr, u: sympy.Expr) -> sympy.Expr | None:
    """``result`` with every e^(q·u) (q rational) replaced by (S/(1 − S))^q; None if any other
    exponential of the same variables stays."""
    replacements = {}
    for power in result.atoms(sympy.exp):
        ratio = sympy.cancel(power.args[0] / u)
        if not ratio.is_Rational:
            if power.args[0].free_symbols & u.free_symbols:
                return None
            continue
        replacements[power] = (_S / (1 - _S)) ** ratio
    if not replacements:
        return None
    return sympy.cancel(result.xreplace(replacements))
