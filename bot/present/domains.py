"""Where a claim holds, in a learner's words: "x ≠ 1", "x ≠ π/2 + kπ", "x > 0", "-1 ≤ x ≤ 1".

Never SymPy's spellings (``Ne(x, 1)``, ``Complement(Reals, ImageSet(…))``). And only when it matters:
an identity whose two sides, as typed, have the same domain (``tan x = sin x / cos x``, ``1/x = x^-1``)
holds wherever it means anything, so it gets no domain at all; where the domains differ, the reply
says where both are defined (``x/x = 1``: for x ≠ 0).
"""

from __future__ import annotations

import sympy
from sympy.calculus.util import continuous_domain

from bot.present.format import plain
from bot.solver.equivalence import run_with_budget
from bot.solver.parser import parse_equation

_DOMAIN_SECONDS = 1.0


def typed_sides(claim_text: str) -> tuple[sympy.Expr, sympy.Expr] | None:
    """The two sides as typed, before SymPy tidies them (``x/x`` stays x/x), or None when the
    unevaluated parse cannot read them. Read once: the domain and the echo of the claim both use it."""
    try:
        with sympy.evaluate(False):
            return parse_equation(claim_text)
    except Exception:  # a reading the unevaluated parse cannot make: the verdict stands alone
        return None


def claim_domain(
    typed: tuple[sympy.Expr, sympy.Expr] | None, equivalent_: bool, lhs: sympy.Expr, rhs: sympy.Expr
) -> str | None:
    """Where a claim holds, when that is not wherever both sides mean something: for a true claim,
    the common domain of the sides as typed (``typed_sides``), when the two domains differ; for a
    false one-variable claim, the set where the sides agree (``sqrt(x^2) = x`` for x ≥ 0)."""
    if typed is None:
        return None
    sides = [_evaluated_derivatives(side) for side in typed]
    free = sides[0].free_symbols | sides[1].free_symbols
    if len(free) > 1:
        return _several_variables_domain(sides) if equivalent_ else None
    if len(free) != 1:
        return None
    if equivalent_ and all(_continuous_everywhere(side) for side in sides):
        return None  # both sides are defined for every real number: nothing to compute
    (var,) = free
    reals = sympy.S.Reals

    def typed_domain() -> sympy.Set | None:
        domains = [continuous_domain(_reciprocals(side), var, reals) for side in sides]
        if _same_set(domains[0], domains[1]):
            return None  # the same domain on both sides: true wherever it is defined
        common = domains[0].intersect(domains[1])
        return None if common == reals else common

    def agreement_set() -> sympy.Set | None:
        found = sympy.solveset(sympy.Eq(lhs, rhs), var, reals)
        return found if isinstance(found, sympy.Interval | sympy.Union) and found != reals else None

    try:
        found = run_with_budget(typed_domain if equivalent_ else agreement_set, _DOMAIN_SECONDS)
    except Exception:  # the domain is a refinement: when SymPy cannot find it, the verdict stands alone
        return None
    return None if found is None else set_words(found, var)


# Continuous on all of R, wherever their argument is: a side built only from these (and sums,
# products, powers to whole numbers, and powers of a positive number) has the domain R, so
# continuous_domain — milliseconds for sin²x + cos²x — has nothing to find.
_CONTINUOUS = (sympy.sin, sympy.cos, sympy.exp, sympy.sinh, sympy.cosh, sympy.tanh, sympy.atan, sympy.Abs)


def _continuous_everywhere(expr: sympy.Basic) -> bool:
    if not expr.free_symbols or expr.is_Symbol:
        return True
    if isinstance(expr, (sympy.Add, sympy.Mul, *_CONTINUOUS)):
        return all(_continuous_everywhere(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow):
        whole = expr.exp.is_Integer and expr.exp >= 0
        positive_base = expr.base.is_number and expr.base.is_positive
        return bool(whole or positive_base) and _continuous_everywhere(expr.base) and _continuous_everywhere(expr.exp)
    return False


def _evaluated_derivatives(expr: sympy.Expr) -> sympy.Expr:
    """``d/dx(…)`` read unevaluated (to echo it) is worked out before its domain is asked for."""
    if not expr.has(sympy.Derivative):
        return expr
    return expr.replace(lambda node: isinstance(node, sympy.Derivative), lambda node: node.doit())


def _reciprocals(expr: sympy.Expr) -> sympy.Expr:
    """sec, csc and cot as 1/cos, 1/sin and cos/sin, whose poles SymPy's domain finder sees."""
    with sympy.evaluate(False):  # sec x · cos x must not become 1 before its domain is found
        return expr.replace(sympy.sec, lambda u: 1 / sympy.cos(u)).replace(
            sympy.csc, lambda u: 1 / sympy.sin(u)).replace(sympy.cot, lambda u: sympy.cos(u) / sympy.sin(u))


def _same_set(a: sympy.Set, b: sympy.Set) -> bool:
    """Equal sets, including two that differ only in the dummy names of their ImageSets."""
    return a == b or sympy.sstr(a) == sympy.sstr(b)


def _several_variables_domain(sides: list[sympy.Expr]) -> str | None:
    """Where a true claim in several variables is defined, when the sides as typed need more than the
    reals (``log(xy) = log x + log y`` needs x > 0 and y > 0): the conditions each logarithm, even root
    and inverse sine asks for, without those the others imply (x·y > 0 when x > 0 and y > 0)."""
    per_side = [_conditions(side) for side in sides]
    if per_side[0] == per_side[1]:
        return None  # the same domain on both sides: true wherever it means anything
    conditions = per_side[0] | per_side[1]
    kept = [c for c in conditions if not _implied(c, conditions - {c})]
    return " and ".join(sorted(condition_text(c) for c in kept)) or None


def _conditions(expr: sympy.Basic) -> frozenset[sympy.Basic]:
    found: set[sympy.Basic] = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.log) and node.args[0].free_symbols:
            found.add(sympy.Gt(node.args[0], 0, evaluate=False))
        elif (isinstance(node, sympy.Pow) and node.exp.is_Rational and node.exp.q % 2 == 0
              and node.base.free_symbols):
            found.add(sympy.Ge(node.base, 0, evaluate=False))
        elif isinstance(node, sympy.asin | sympy.acos) and node.args[0].free_symbols:
            found.add(sympy.Le(sympy.Abs(node.args[0]), 1, evaluate=False))
    return frozenset(found)


def _implied(condition: sympy.Basic, others: frozenset[sympy.Basic]) -> bool:
    """``u·v > 0`` (or ≥) follows from ``u > 0`` and ``v > 0`` (or ≥) among ``others``."""
    if not isinstance(condition, sympy.Gt | sympy.Ge) or not isinstance(condition.lhs, sympy.Mul):
        return False
    strict = isinstance(condition, sympy.Gt)
    positive = {c.lhs for c in others if isinstance(c, sympy.Gt) or (not strict and isinstance(c, sympy.Ge))}
    factors = [f.base if isinstance(f, sympy.Pow) else f for f in condition.lhs.args
               if not (f.is_number and f.is_positive)]  # x^2 and 1/y are positive when x and y are
    return bool(factors) and all(f in positive for f in factors)


# --- sets of reals in words ---------------------------------------------------------------------


def number_text(value: sympy.Basic) -> str:
    """``pi/2`` → ``π/2``, ``sqrt(2)`` → ``√2``: a number as a learner writes it."""
    text = plain(value).replace("pi", "π").replace("*", "")
    return text.replace("sqrt(", "√(")


def set_text(found: sympy.Set, var: sympy.Symbol) -> str:
    """``x > 0``, ``-1 ≤ x ≤ 1``, ``x ≠ 0``, ``x ≠ π/2 + kπ``: a set of reals as a learner writes it;
    "where both sides are defined" for a set with no short description."""
    return set_words(found, var) or "where both sides are defined"


def set_words(found: sympy.Set, var: sympy.Symbol) -> str | None:
    """A set of reals in a learner's words, or None when it has no short description."""
    name = var.name
    reals = sympy.S.Reals
    if isinstance(found, sympy.Interval):
        return _interval_text(found, name)
    excluded: sympy.Set | None = None
    if isinstance(found, sympy.Complement) and found.args[0] == reals:
        excluded = found.args[1]
    else:
        try:
            excluded = run_with_budget(lambda: reals - found, _DOMAIN_SECONDS)
        except Exception:
            excluded = None
    if isinstance(excluded, sympy.FiniteSet) and all(v.is_real for v in excluded):
        return " and ".join(f"{name} ≠ {number_text(v)}" for v in sorted(excluded, key=float))
    periodic = _periodic_text(excluded, name) if excluded is not None else None
    if periodic is not None:
        return periodic
    if isinstance(found, sympy.Union) and all(isinstance(part, sympy.Interval) for part in found.args):
        return " or ".join(_interval_text(part, name) for part in found.args)
    return None


def _interval_text(interval: sympy.Interval, name: str) -> str:
    low, high = interval.start, interval.end
    below = "<" if interval.right_open else "≤"
    above = ">" if interval.left_open else "≥"
    if low == -sympy.oo and high == sympy.oo:
        return "every real " + name
    if low == -sympy.oo:
        return f"{name} {below} {number_text(high)}"
    if high == sympy.oo:
        return f"{name} {above} {number_text(low)}"
    left = "<" if interval.left_open else "≤"
    return f"{number_text(low)} {left} {name} {below} {number_text(high)}"


def _periodic_text(excluded: sympy.Set, name: str) -> str | None:
    """``{2nπ + π/2} ∪ {2nπ + 3π/2}`` → ``x ≠ π/2 + kπ``: excluded points that repeat with a period."""
    parts = excluded.args if isinstance(excluded, sympy.Union) else (excluded,)
    offsets: list[sympy.Expr] = []
    period: sympy.Expr | None = None
    for part in parts:
        if not (isinstance(part, sympy.ImageSet) and part.base_sets == (sympy.S.Integers,)):
            return None
        (n,) = part.lamda.variables
        image = sympy.expand(part.lamda.expr)
        step = image.coeff(n)
        offset = image - step * n
        if step == 0 or offset.has(n) or (period is not None and step != period):
            return None
        period = step
        offsets.append(offset)
    if period is None:
        return None
    period = abs(period)
    offsets = sorted({sympy.Mod(o, period) for o in offsets}, key=float)
    spacing = period / len(offsets)
    if all(sympy.simplify(offsets[i] - offsets[0] - i * spacing) == 0 for i in range(len(offsets))):
        period, offsets = spacing, [offsets[0]]
    shown = _multiple_text(period)
    return " and ".join(
        f"{name} ≠ {shown}" if offset == 0 else f"{name} ≠ {number_text(offset)} + {shown}" for offset in offsets
    ) + " (k any integer)"


def _multiple_text(period: sympy.Expr) -> str:
    """``pi`` → ``kπ``, ``2*pi`` → ``2kπ``, ``pi/2`` → ``kπ/2``, ``3`` → ``3k``."""
    coefficient = sympy.simplify(period / sympy.pi)
    if coefficient.is_Rational:
        top = "" if coefficient.p == 1 else str(coefficient.p)
        bottom = "" if coefficient.q == 1 else f"/{coefficient.q}"
        return f"{top}kπ{bottom}"
    return f"{number_text(period)}k"


def condition_text(condition: sympy.Basic) -> str:
    """``x > 0``, ``x ≠ 0``, ``-1 ≤ x ≤ 1``: a condition as a learner writes it, the variable first."""
    free = condition.free_symbols
    if len(free) == 1 and not condition.has(sympy.Abs):
        (var,) = free
        try:
            described = set_words(condition.as_set(), var)  # type: ignore[attr-defined]
        except Exception:  # a condition as_set cannot take: worded part by part below
            described = None
        if described is not None:
            return described
    parts = condition.args if isinstance(condition, sympy.And) else (condition,)
    words = []
    for part in parts:
        if isinstance(part, sympy.Rel) and part.lhs.is_number and not part.rhs.is_number:
            part = part.reversed
        if isinstance(part, sympy.Ne):
            words.append(f"{plain(part.lhs)} ≠ {plain(part.rhs)}")
            continue
        words.append(plain(part).replace(">=", "≥").replace("<=", "≤").replace("!=", "≠"))
    return " and ".join(words)
