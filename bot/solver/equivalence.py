"""Are two expressions the same function? A symbolic proof first, then seeded numeric sampling.

Domain policy (what a learner means by an identity): two expressions are *equivalent* when they
agree at every point where BOTH are defined and real. When their domains differ, e.g. ``log(x^2)``
(all x != 0) and ``2*log(x)`` (x > 0 only), the result is still equivalent, but it carries the
common domain (``condition``, here ``x > 0``) and a point where only one side is defined, so the
reply can say "equal for x > 0" and show why not everywhere. ``sqrt(x^2)`` vs ``x`` differ at real
points both sides define (x = -1), so they are not equivalent.
"""

from __future__ import annotations

import random
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import sympy
from sympy.calculus.util import continuous_domain

from bot.solver.numeric import realise

T = TypeVar("T")

_DIGITS = 30  # working precision for numeric comparison
_RELATIVE_TOLERANCE = sympy.Float("1e-10", _DIGITS)
_IMAGINARY_TOLERANCE = sympy.Float("1e-20", _DIGITS)
_MIN_AGREEING_POINTS = 5  # fewer common points than this proves nothing
_SIMPLIFY_MAX_OPS = 400  # full simplify() only below this size: it can take minutes on big input
_SYMBOLIC_BUDGET_SECONDS = 3.0


class _BudgetExceeded(BaseException):
    """Raised by the timer; a BaseException so that SymPy's ``except Exception`` cannot swallow it."""


def run_with_budget(compute: Callable[[], T], seconds: float) -> T | None:
    """``compute()``, or None if it takes more than ``seconds`` of CPU time.

    Symbolic work (simplify, solve) has no size bound we can check in advance, so we give it a
    budget and fall back to numeric methods. The budget counts this process's own CPU time
    (ITIMER_VIRTUAL), not the wall clock, so a busy machine gets the same verdict — with the same
    domain statement — as a quiet one. It needs a main thread with no such timer already running
    (true in worker processes and tests); elsewhere the computation runs unbounded and the worker
    pool's hard wall-clock limit still applies.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_VIRTUAL)[0] == 0
    )
    if not usable:
        return compute()

    def on_alarm(signum: int, frame: object) -> None:
        raise _BudgetExceeded

    previous = signal.signal(signal.SIGVTALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
            result = compute()
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    except _BudgetExceeded:
        return None
    finally:
        signal.signal(signal.SIGVTALRM, previous)
    return result


@dataclass(frozen=True)
class Equivalence:
    """The verdict, how it was reached, and the evidence a learner needs to see."""

    equivalent: bool
    method: str  # "symbolic" or "numeric"
    counterexample: dict[sympy.Symbol, sympy.Expr] | None  # a point where they differ
    lhs_value: sympy.Basic | None  # values there (None: that side is undefined or not real)
    rhs_value: sympy.Basic | None
    points_checked: int = 0  # points where both sides were defined and compared
    condition: sympy.Basic | None = None  # the common domain, when the domains differ (x > 0)
    domain_point: dict[sympy.Symbol, sympy.Expr] | None = None  # only one side is defined here
    undefined_side: str | None = None  # "lhs" or "rhs": the side undefined at domain_point


_QUICK_POINTS = 6  # numeric probes tried before any symbolic work


def equivalent(
    a: sympy.Basic | sympy.MatrixBase, b: sympy.Basic | sympy.MatrixBase, *, seed: int = 0
) -> Equivalence:
    """Decide whether ``a`` and ``b`` are equal as real functions (matrices entry by entry)."""
    if not _same_shape(a, b):
        # a 2x1 against a 1x2, or a matrix against a scalar: no point can make them equal
        return Equivalence(False, "symbolic", None, None, None)
    if not isinstance(a, sympy.MatrixBase):
        a, b = _as_expr(a), _as_expr(b)
    a_entries, b_entries = _entries(a), _entries(b)

    if not any(e.free_symbols for e in a_entries + b_entries):
        return _constant_verdict(a, b, a_entries, b_entries)
    differences = [x - y for x, y in zip(a_entries, b_entries, strict=True)]
    if all(difference == 0 for difference in differences):
        return Equivalence(True, "symbolic", None, None, None)  # most right answers: no work at all
    disagreement = _quick_disagreement(a, b, a_entries, b_entries, seed)
    if disagreement is not None:
        return disagreement  # most wrong answers: decided in milliseconds, before any simplification
    if run_with_budget(lambda: all(_is_symbolically_zero(d) for d in differences), _SYMBOLIC_BUDGET_SECONDS):
        return Equivalence(True, "symbolic", None, None, None)
    return _numeric_verdict(a, b, a_entries, b_entries, seed)


_CONSTANT_DIGITS = 60  # a claim about numbers is decided to this many digits where algebra cannot


def _constant_verdict(
    a: sympy.Basic | sympy.MatrixBase, b: sympy.Basic | sympy.MatrixBase,
    a_entries: list[sympy.Expr], b_entries: list[sympy.Expr],
) -> Equivalence:
    """A claim with no variable (``10^400 = 10^400 + 1``, ``sqrt(3 + 2 sqrt 2) = 1 + sqrt 2``,
    ``ln 8 = 3 ln 2``): integers and fractions are compared exactly at any size; otherwise exact where
    SymPy can show the difference is 0, else by evaluating the difference itself to 60 significant
    digits (precision grows with the cancellation, so huge equal-looking sides are told apart)."""
    exact = True
    for x, y in zip(a_entries, b_entries, strict=True):
        difference = x - y
        if difference == 0:
            continue
        if difference.is_Rational or (x.is_Rational and y.is_Rational) or difference.is_zero is False:
            return Equivalence(False, "symbolic", {}, _readable(x), _readable(y), 1)
        if run_with_budget(partial(_constant_is_zero, difference), _SYMBOLIC_BUDGET_SECONDS):
            continue
        left, right = x.evalf(_CONSTANT_DIGITS), y.evalf(_CONSTANT_DIGITS)
        if not (left.is_number and right.is_number) or left.has(sympy.zoo, sympy.nan) or right.has(sympy.zoo, sympy.nan):
            return Equivalence(False, "numeric", {}, _readable(x), _readable(y), 0)
        gap = difference.evalf(_CONSTANT_DIGITS, maxn=_CONSTANT_MAX_PRECISION)
        if gap.is_number and gap != 0 and gap.is_comparable:
            return Equivalence(False, "numeric", {}, _readable(x), _readable(y), 1)
        exact = False
    return Equivalence(True, "symbolic" if exact else "numeric", None, None, None, 1)


_CONSTANT_MAX_PRECISION = 5000  # bits evalf may use to resolve a cancelling difference


def _constant_is_zero(difference: sympy.Expr) -> bool:
    for rewrite in (sympy.sqrtdenest, lambda d: sympy.expand_log(d, force=True), sympy.nsimplify, sympy.simplify):
        try:
            if sympy.simplify(rewrite(difference)) == 0:
                return True
        except (TypeError, ValueError, NotImplementedError, sympy.PolynomialError):
            continue
    return False


def _entries(value: sympy.Basic | sympy.MatrixBase) -> list[sympy.Expr]:
    if isinstance(value, sympy.MatrixBase):
        return [_as_expr(entry) for entry in value]
    return [_as_expr(value)]


def _as_expr(value: object) -> sympy.Expr:
    """Plain Python numbers (a quiz's expected ``0``) become SymPy numbers; text is never accepted."""
    if isinstance(value, bool) or not isinstance(value, int | float | sympy.Basic):
        raise TypeError(f"expected a SymPy expression, got {type(value).__name__}")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    return value  # type: ignore[return-value]


def _same_shape(a: sympy.Basic | sympy.MatrixBase, b: sympy.Basic | sympy.MatrixBase) -> bool:
    a_shape = a.shape if isinstance(a, sympy.MatrixBase) else None
    b_shape = b.shape if isinstance(b, sympy.MatrixBase) else None
    return a_shape == b_shape


def _is_symbolically_zero(difference: sympy.Expr) -> bool:
    """Cheap rewrites first; full ``simplify`` only for modest sizes."""
    if difference == 0:
        return True
    if not difference.free_symbols:
        # a number: decided exactly by the numeric stage, which also reports the two values
        return False
    rewrites: Sequence[Callable[[sympy.Expr], sympy.Expr]] = (
        sympy.expand,
        _exponential_form,
        lambda d: sympy.cancel(sympy.together(d)),
        sympy.trigsimp,
        lambda d: sympy.expand(sympy.expand_trig(d)),
        lambda d: sympy.powsimp(sympy.expand_power_base(d)),
    )
    for rewrite in rewrites:
        try:
            if rewrite(difference) == 0:
                return True
        except (sympy.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
    if sympy.count_ops(difference) > _SIMPLIFY_MAX_OPS:
        return False
    try:
        return bool(sympy.simplify(difference) == 0)
    except (sympy.PolynomialError, TypeError, ValueError, NotImplementedError):
        return False


_CIRCULAR_AND_HYPERBOLIC = (
    sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech, sympy.csch,
)
_EXPONENTIAL_MAX_OPS = 60
_EXPONENTIAL_MAX_POWER = 12  # (e^(ix) − e^(−ix))^n expands into n + 1 terms per factor


def _exponential_form(difference: sympy.Expr) -> sympy.Expr:
    """The difference with sin, cos, tan, sinh, … written as exponentials and expanded: an exact test
    that decides most trigonometric and hyperbolic identities (sin²x + cos²x = 1, sin 2x = 2 sin x cos x,
    cosh²x − sinh²x = 1) in a fraction of trigsimp's time. Small differences only, so that no
    expansion can explode; the difference comes back unchanged (not 0) otherwise."""
    if not difference.has(*_CIRCULAR_AND_HYPERBOLIC) or sympy.count_ops(difference) > _EXPONENTIAL_MAX_OPS:
        return difference
    if any(node.is_Pow and node.exp.is_Integer and abs(node.exp) > _EXPONENTIAL_MAX_POWER
           for node in sympy.preorder_traversal(difference)):
        return difference
    return sympy.expand(difference.rewrite(_CIRCULAR_AND_HYPERBOLIC, sympy.exp))


def sample_points(variables: Sequence[sympy.Symbol], seed: int) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Seeded test points: small exact fractions first (readable counterexamples), then decimals.

    Decimals guard against identities that hold only at rational points (``sin(pi*x)`` vs 0).
    """
    rng = random.Random(seed)
    points: list[dict[sympy.Symbol, sympy.Expr]] = []
    if not variables:
        return [{}]
    for index in range(48):
        point: dict[sympy.Symbol, sympy.Expr] = {}
        for var in variables:
            if index < 16:  # integers and halves/thirds in [-3, 3]
                q = rng.choice((1, 1, 2, 3))
                point[var] = sympy.Rational(rng.randint(-3 * q, 3 * q), q)
            elif index < 32:  # wider fractions in [-8, 8]
                q = rng.choice((1, 2, 3, 4, 5, 7))
                point[var] = sympy.Rational(rng.randint(-8 * q, 8 * q), q)
            else:  # decimals at two scales
                scale = 1.0 if index % 2 else 5.0
                point[var] = sympy.Float(round(rng.uniform(-scale, scale), 6), 15)
        points.append(point)
    return points


def _domain_nodes(entry: sympy.Expr) -> list[sympy.Expr]:
    """Sub-expressions that must themselves be real for the entry to be defined on the reals.

    ``asin(x) + acos(x)`` is real at x = 2 only through complex cancellation; we count it undefined.
    A node real wherever its argument is (sin, cos, exp, x², 2^x) is not evaluated on its own: its
    argument's parts are, so it would only repeat their verdict at the cost of an evaluation.
    """
    return [
        node
        for node in sympy.preorder_traversal(entry)
        if node is not entry and isinstance(node, sympy.Function | sympy.Pow) and node.free_symbols
        and not _real_where_its_argument_is(node)
    ]


_REAL_ON_REALS = (sympy.sin, sympy.cos, sympy.exp, sympy.sinh, sympy.cosh, sympy.tanh, sympy.atan, sympy.Abs)


def _real_where_its_argument_is(node: sympy.Expr) -> bool:
    if isinstance(node, _REAL_ON_REALS):
        return True
    if isinstance(node, sympy.Pow):
        return bool((node.exp.is_Integer and node.exp >= 0) or (node.base.is_number and node.base.is_positive))
    return False


def _real_number(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
    """``expr`` at ``point``: exact where it is rational there (so 10^400·x and 10^400·x + 1 never
    agree to 30 digits and pass for equal), else to 30 digits; None if undefined or not real there."""
    return _real_value(realise(expr), point)


def _real_value(realised: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
    """``_real_number`` of an expression already in its real reading (``realise``)."""
    try:
        exact = realised.xreplace(point)
        if exact.is_Rational:
            return exact
        value = exact.evalf(_DIGITS)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    real, imaginary = value.as_real_imag()
    if abs(imaginary) > _IMAGINARY_TOLERANCE * max(1, abs(real)) or not real.is_finite:
        return None
    return real


def _numeric_value(
    entries: list[tuple[sympy.Expr, list[sympy.Expr]]], point: dict[sympy.Symbol, sympy.Expr]
) -> list[sympy.Expr] | None:
    """Entries at ``point``, or None where any entry (or a part of one) is undefined or not real.
    The entries and their parts come realised (``_evaluated_parts``), once for all the points."""
    values = []
    for entry, nodes in entries:
        value = _real_value(entry, point)
        if value is None or any(_real_value(node, point) is None for node in nodes):
            return None
        values.append(value)
    return values


def _evaluated_parts(entries: list[sympy.Expr]) -> list[tuple[sympy.Expr, list[sympy.Expr]]]:
    """Each entry and the parts of it that must be real (``_domain_nodes``), in their real reading."""
    return [(realise(entry), [realise(node) for node in _domain_nodes(entry)]) for entry in entries]


def _agree(left: list[sympy.Expr], right: list[sympy.Expr]) -> bool:
    return all(
        x == y if x.is_Rational and y.is_Rational else abs(x - y) <= _RELATIVE_TOLERANCE * max(1, abs(x), abs(y))
        for x, y in zip(left, right, strict=True)
    )


def _exact_value(value: sympy.Basic | sympy.MatrixBase, point: dict[sympy.Symbol, sympy.Expr]) -> sympy.Basic:
    """The value at ``point``, exact when short (``log(4)``), else a 15-digit decimal."""
    exact = value.xreplace(point)
    if isinstance(exact, sympy.MatrixBase):
        return exact.applyfunc(lambda entry: _readable(entry))
    return _readable(exact)


def _readable(exact: sympy.Expr) -> sympy.Expr:
    if exact.has(sympy.Float) or sympy.count_ops(exact) > 20:
        real, imaginary = exact.evalf(15).as_real_imag()
        return real if imaginary == 0 else real + sympy.I * imaginary
    return exact


def _quick_disagreement(
    a: sympy.Basic | sympy.MatrixBase,
    b: sympy.Basic | sympy.MatrixBase,
    a_entries: list[sympy.Expr],
    b_entries: list[sympy.Expr],
    seed: int,
) -> Equivalence | None:
    """A point among the first few samples where both sides are real and differ, if there is one."""
    free = set().union(*(e.free_symbols for e in a_entries + b_entries))
    variables = sorted((s for s in free if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
    a_parts, b_parts = _evaluated_parts(a_entries), _evaluated_parts(b_entries)
    for checked, point in enumerate(sample_points(variables, seed)[:_QUICK_POINTS]):
        left, right = _numeric_value(a_parts, point), _numeric_value(b_parts, point)
        if left is not None and right is not None and not _agree(left, right):
            return Equivalence(False, "numeric", point, _exact_value(a, point), _exact_value(b, point), checked + 1)
    return None


def _numeric_verdict(
    a: sympy.Basic | sympy.MatrixBase,
    b: sympy.Basic | sympy.MatrixBase,
    a_entries: list[sympy.Expr],
    b_entries: list[sympy.Expr],
    seed: int,
) -> Equivalence:
    free = set().union(*(e.free_symbols for e in a_entries + b_entries))
    variables = sorted((s for s in free if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
    checked = 0
    domain_point: dict[sympy.Symbol, sympy.Expr] | None = None
    undefined_side: str | None = None
    a_parts, b_parts = _evaluated_parts(a_entries), _evaluated_parts(b_entries)
    for point in sample_points(variables, seed):
        left, right = _numeric_value(a_parts, point), _numeric_value(b_parts, point)
        if left is None or right is None:
            if domain_point is None and (left is None) != (right is None):
                domain_point, undefined_side = point, ("lhs" if left is None else "rhs")
            continue
        if not _agree(left, right):
            return Equivalence(
                False, "numeric", point, _exact_value(a, point), _exact_value(b, point), checked + 1
            )
        checked += 1
    if checked < _MIN_AGREEING_POINTS:
        # almost nowhere are both sides real: an identity cannot be confirmed
        values = (None, None)
        if domain_point is not None:
            values = (
                None if undefined_side == "lhs" else _exact_value(a, domain_point),
                None if undefined_side == "rhs" else _exact_value(b, domain_point),
            )
        return Equivalence(
            False, "numeric", domain_point, values[0], values[1], checked,
            domain_point=domain_point, undefined_side=undefined_side,
        )
    condition = _common_domain(a_entries, b_entries, variables) if domain_point is not None else None
    return Equivalence(
        True, "numeric", None, None, None, checked,
        condition=condition, domain_point=domain_point, undefined_side=undefined_side,
    )


def _common_domain(
    a_entries: list[sympy.Expr], b_entries: list[sympy.Expr], variables: list[sympy.Symbol]
) -> sympy.Basic | None:
    """Where both sides are defined, as a relation (``x > 0``); one variable only."""
    if len(variables) != 1:
        return None
    var = variables[0]

    def compute() -> sympy.Basic:
        domain: sympy.Set = sympy.S.Reals
        for entry in a_entries + b_entries:
            domain = domain.intersect(continuous_domain(entry, var, sympy.S.Reals))
        return domain.as_relational(var)

    try:
        return run_with_budget(compute, 2.0)
    except (NotImplementedError, TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# Diagnosing a wrong derivative


@dataclass(frozen=True)
class Mistake:
    """A typical slip that reproduces the learner's wrong derivative."""

    kind: str  # "chain_rule", "product_rule", "quotient_rule", "sign", "constant_factor", "integrated"
    wrong: sympy.Expr  # the derivative as that slip gives it (equivalent to the learner's answer)
    detail: sympy.Expr | None = None  # chain rule: the missing inner derivative; factor: the factor


def diagnose_derivative(expr: sympy.Expr, var: sympy.Symbol, answer: sympy.Expr, *, seed: int = 0) -> Mistake | None:
    """Which classic mistake, if any, turns d(expr)/d(var) into ``answer``."""
    correct = sympy.diff(expr, var)
    candidates: list[Mistake] = [Mistake("sign", -correct)]
    candidates += _chain_rule_slips(expr, var)
    candidates += _product_rule_slips(expr, var)
    for mistake in candidates[:12]:
        if mistake.wrong != correct and equivalent(answer, mistake.wrong, seed=seed).equivalent:
            return mistake
    factor = _constant_ratio(answer, correct, var, seed)
    if factor is not None and equivalent(answer, factor * correct, seed=seed).equivalent:
        return Mistake("constant_factor", factor * correct, factor)
    if answer.has(var) and equivalent(sympy.diff(answer, var), expr, seed=seed).equivalent:
        return Mistake("integrated", answer)
    return None


def _with_node_derivative(
    expr: sympy.Expr, var: sympy.Symbol, node: sympy.Expr, node_derivative: sympy.Expr
) -> sympy.Expr:
    """d(expr)/d(var) computed as if d(node)/d(var) were ``node_derivative``."""
    placeholder = sympy.Dummy("node", real=True)
    frozen = expr.xreplace({node: placeholder})
    total = sympy.diff(frozen, var) + sympy.diff(frozen, placeholder) * node_derivative
    return total.xreplace({placeholder: node})


def _chain_rule_slips(expr: sympy.Expr, var: sympy.Symbol) -> list[Mistake]:
    """For each composite f(u) with u not just x: the derivative with u' left out."""
    slips = []
    t = sympy.Dummy("t", real=True)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Function) and len(node.args) == 1:
            inner = node.args[0]
            outer = node.func(t)
        elif isinstance(node, sympy.Pow) and not node.exp.has(var):
            inner, outer = node.base, t**node.exp
        elif isinstance(node, sympy.Pow) and not node.base.has(var):
            inner, outer = node.exp, node.base**t
        else:
            continue
        if inner == var or not inner.has(var):
            continue
        outer_derivative = sympy.diff(outer, t).xreplace({t: inner})
        slips.append(Mistake("chain_rule", _with_node_derivative(expr, var, node, outer_derivative), sympy.diff(inner, var)))
    return slips


def _product_rule_slips(expr: sympy.Expr, var: sympy.Symbol) -> list[Mistake]:
    """(uv)' taken as u'v'; (u/v)' with the wrong sign, (u'v + uv')/v^2."""
    slips = []
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Mul):
            continue
        varying = [f for f in node.args if f.has(var)]
        if len(varying) < 2:
            continue
        constant = sympy.Mul(*(f for f in node.args if not f.has(var)))
        product_slip = constant * sympy.Mul(*(sympy.diff(f, var) for f in varying))
        slips.append(Mistake("product_rule", _with_node_derivative(expr, var, node, product_slip)))
        denominators = [f for f in varying if isinstance(f, sympy.Pow) and f.exp.is_negative]
        if len(denominators) == 1:
            v = 1 / denominators[0]
            u = sympy.Mul(*(f for f in varying if f is not denominators[0]))
            quotient_slip = constant * (sympy.diff(u, var) * v + u * sympy.diff(v, var)) / v**2
            slips.append(Mistake("quotient_rule", _with_node_derivative(expr, var, node, quotient_slip)))
    return slips


def _constant_ratio(answer: sympy.Expr, correct: sympy.Expr, var: sympy.Symbol, seed: int) -> sympy.Expr | None:
    """answer/correct if it is the same simple number at every test point (not 1 or -1)."""
    free = sorted(answer.free_symbols | correct.free_symbols | {var}, key=lambda s: s.name)
    ratios = []
    for point in sample_points(free, seed)[:12]:
        top, bottom = _real_number(answer, point), _real_number(correct, point)
        if top is None or bottom is None or abs(bottom) < 1e-12:
            continue
        ratios.append(top / bottom)
    if len(ratios) < 3 or any(abs(r - ratios[0]) > 1e-9 * max(1, abs(ratios[0])) for r in ratios):
        return None
    factor = sympy.nsimplify(sympy.Float(ratios[0], 15), [sympy.pi], tolerance=1e-10)
    if factor in (1, -1, 0) or sympy.count_ops(factor) > 6:
        return None
    return factor
