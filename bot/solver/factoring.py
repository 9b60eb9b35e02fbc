"""The common factor of a vector's or matrix's entries, so a long gradient or Hessian reads as
6(x² + y²)²·(x, y) or e^(x² + y²)·[[4x² + 2, 4xy], [4xy, 4y² + 2]]."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

import sympy

_MAX_OPS = 400  # factoring bigger entries costs more than it could save the reader


def common_factor(entries: Sequence[sympy.Expr]) -> tuple[sympy.Expr, list[sympy.Expr]] | None:
    """(c, [e / c, …]) for the largest c every non-zero entry has as a factor — a positive number
    times powers of shared factors — or None when c would be 1 (or there is nothing to share)."""
    nonzero = [e for e in entries if e != 0]
    if len(nonzero) < 2 or any(sympy.count_ops(e) > _MAX_OPS for e in nonzero):
        return None
    coefficients, powers = [], []
    for entry in nonzero:
        coefficient, rest = sympy.factor(entry).as_coeff_Mul()
        rest = sympy.powsimp(rest)  # e^(x²)·e^(y²) back to e^(x² + y²); the number kept apart
        if not coefficient.is_Rational:
            return None
        coefficients.append(abs(coefficient))
        found: dict[sympy.Expr, sympy.Expr] = {}
        for part in sympy.Mul.make_args(rest):
            base, exponent = part.as_base_exp()
            if not exponent.is_Rational:
                base, exponent = part, sympy.S.One
            found[base] = found.get(base, sympy.S.Zero) + exponent
        powers.append(found)
    common = reduce(sympy.gcd, coefficients)
    for base in set(powers[0]).intersection(*powers[1:]):
        exponents = [found[base] for found in powers]
        if all(e > 0 for e in exponents):
            common *= base ** min(exponents)
        elif all(e < 0 for e in exponents):
            common *= base ** max(exponents)
    if common == 1:
        return None
    return common, [_tidy(e / common) if e != 0 else e for e in entries]


def _tidy(entry: sympy.Expr) -> sympy.Expr:
    coefficient, rest = sympy.factor(entry).as_coeff_Mul()
    return coefficient * sympy.powsimp(rest)
