"""What ``lambdify`` needs besides numpy/mpmath to evaluate every function our derivatives produce.

Differentiating |x| or sign(x) gives DiracDelta terms, and the derivatives of gamma give polygamma;
numpy and mpmath know neither by those names, and the generated code would fail with a NameError.
DiracDelta is 0 wherever it can be evaluated numerically (away from a single point), which is what a
sampled curve, a Newton step or a numeric root search needs.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _dirac_delta(x: Any, *order: Any) -> Any:
    return np.zeros_like(np.asarray(x, dtype=float))


def _polygamma(n: Any, x: Any) -> Any:
    from scipy.special import polygamma

    return polygamma(n, x)


NUMPY = [{"DiracDelta": _dirac_delta, "polygamma": _polygamma}, "scipy", "numpy"]
MPMATH = [{"DiracDelta": lambda x, *order: 0}, "mpmath"]


def realise(expr: Any) -> Any:
    """The real reading of odd roots, for evaluation at points: x^(p/q) with q odd becomes
    sign(x)^p·|x|^(p/q), so ∛(−8) = −2 and (−8)^(2/3) = 4, as the course (and every learner) means.

    Only values change: the expression a learner sees and the rules applied to it keep x^(1/3), whose
    power-rule derivative (1/3)·x^(−2/3) is also right for x < 0 under this reading. Even roots of
    negatives stay non-real.
    """
    import sympy

    if isinstance(expr, list | tuple):
        return type(expr)(realise(e) for e in expr)
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Pow):
        return expr

    def odd_root(node: sympy.Basic) -> bool:
        return (
            isinstance(node, sympy.Pow)
            and node.exp.is_Rational
            and not node.exp.is_Integer
            and node.exp.q % 2 == 1
            and node.base.is_positive is not True
        )

    def real_form(node: sympy.Pow) -> sympy.Expr:
        p = node.exp.p
        base = node.base
        return sympy.sign(base) ** (p % 2) * sympy.Abs(base) ** node.exp

    return expr.replace(odd_root, real_form)
