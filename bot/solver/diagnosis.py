"""Which mistake explains a wrong derivative? Re-derive with one mal-rule at a time and compare.

For each node of the expression tree and each mal-rule that applies there, the derivative of the
whole expression is recomputed with that node differentiated the wrong way (``_with_slip``); each
result is compared with the learner's answer at a few probe points first (cheap), and only a result
that agrees there is confirmed by the same equivalence checker as ``/check``. Whole-answer mistakes
(sign, order, variable, an antiderivative) are tried in their place in the table. When no single
mistake explains a short expression's answer, pairs of mistakes are tried.

Ranking: one mistake before two; the mal-rule table's order (``MAL_RULES``); then the outermost
node first. A mal-rule is named only when its result is equivalent to the learner's answer and
the answer is not the right derivative.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from bot.solver.equivalence import equivalent, sample_points
from bot.solver.malrules import MAL_RULES, Derive, MalRule, Task

_PROBES = 4  # points where the answer is real, for the quick comparison
_MIN_PROBES = 3
_TOLERANCE = 1e-9
SEARCH_SECONDS = 2.0  # the search gives up after this long (the worker's limit covers the whole reply)
_PAIR_MAX_OPS = 30  # pairs of mistakes only for expressions this short
_PAIR_MAX_SLIPS = 40
_PAIR_MAX_NESTED = 60  # pairs with one place inside the other are re-derived symbolically


@dataclass(frozen=True)
class Slip:
    """One misapplied rule at one place."""

    code: str
    node: sympy.Expr  # where it happened (the whole expression for a whole-answer mistake)
    wrong_step: sympy.Expr | None  # the node's derivative as the mistake gives it (local mistakes)
    right_step: sympy.Expr | None  # the node's derivative done right
    note: str = ""  # what exactly is missing, for mistakes the table's words do not pin down


@dataclass(frozen=True)
class Finding:
    """The mistakes (one or two, in table order) that turn the right derivative into the answer."""

    slips: tuple[Slip, ...]
    wrong: sympy.Expr  # the derivative as those mistakes give it (equivalent to the learner's)
    correct: sympy.Expr

    @property
    def code(self) -> str:
        return self.slips[0].code

    @property
    def where(self) -> sympy.Expr:
        return self.slips[0].node


Probe = dict[sympy.Symbol, sympy.Expr]


class SearchTimedOut(Exception):
    """The search ran past its time: nothing can be said about the mistake (not even 'none')."""


TIMED_OUT_FINDING = Finding((), sympy.Integer(0), sympy.Integer(0))  # the search ran out of time


def find_mistake(search: Callable[..., Finding | None], *args: Any, **kwargs: Any) -> Finding | None:
    """``search(*args, **kwargs)``; past its time, ``TIMED_OUT_FINDING`` (the reply says so, the JSON has null)."""
    try:
        return search(*args, **kwargs)
    except SearchTimedOut:
        return TIMED_OUT_FINDING




def _value(expr: sympy.Expr, point: Probe) -> complex | None:
    try:
        value = complex(expr.xreplace(point).evalf(15))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if value != value or abs(value.imag) > 1e-9 * max(1.0, abs(value.real)) or abs(value.real) == float("inf"):
        return None
    return value


def _close(a: complex | None, b: complex | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= _TOLERANCE * max(1.0, abs(a), abs(b))


class _Search:
    """One diagnosis: the task, the learner's answer, its values at the probe points."""

    def __init__(self, task: Task, answer: sympy.Expr, seed: int, seconds: float = SEARCH_SECONDS):
        self.deadline = time.monotonic() + seconds
        self.task, self.answer, self.seed = task, answer, seed
        self.var = task.var
        self.base = sympy.diff(task.expr, task.var, task.order - 1) if task.order > 1 else task.expr
        self.correct = sympy.diff(self.base, self.var)
        free = task.expr.free_symbols | answer.free_symbols | {task.var}
        variables = sorted((s for s in free if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
        self.probes: list[Probe] = []
        self.answer_values: list[complex] = []
        self.correct_values: list[complex | None] = []
        for point in sample_points(variables, seed):
            value = _value(answer, point)
            if value is None:
                continue
            self.probes.append(point)
            self.answer_values.append(value)
            self.correct_values.append(_value(self.correct, point))
            if len(self.probes) == _PROBES:
                break
        self.nodes = dependent_nodes(self.base, self.var)
        self._parts: dict[sympy.Expr, tuple[list[complex | None], list[complex | None]]] = {}

    # --- comparing -----------------------------------------------------------------------------

    def matches_values(self, values: Sequence[complex | None]) -> bool:
        if time.monotonic() > self.deadline:
            raise SearchTimedOut
        if not all(_close(v, a) for v, a in zip(values, self.answer_values, strict=True)):
            return False
        return not all(_close(v, c) for v, c in zip(values, self.correct_values, strict=True))

    def matches(self, candidate: sympy.Expr) -> bool:
        return self.matches_values([_value(candidate, p) for p in self.probes])

    def confirmed(self, candidate: sympy.Expr) -> bool:
        return equivalent(self.answer, candidate, seed=self.seed).equivalent

    # --- one node differentiated the wrong way ----------------------------------------------------

    def _node_parts(self, node: sympy.Expr) -> tuple[list[complex | None], list[complex | None]]:
        """At each probe: d(base)/dx with ``node`` frozen, and d(base)/d(node)."""
        if node not in self._parts:
            placeholder = sympy.Dummy("node")
            frozen = self.base.xreplace({node: placeholder})
            rest = sympy.diff(frozen, self.var).xreplace({placeholder: node})
            through = sympy.diff(frozen, placeholder).xreplace({placeholder: node})
            self._parts[node] = (
                [_value(rest, p) for p in self.probes],
                [_value(through, p) for p in self.probes],
            )
        return self._parts[node]

    def local_values(self, node: sympy.Expr, wrong_step: sympy.Expr) -> list[complex | None]:
        """The whole derivative, with ``node`` differentiated as ``wrong_step``, at each probe."""
        rest, through = self._node_parts(node)
        values: list[complex | None] = []
        for point, r, t in zip(self.probes, rest, through, strict=True):
            w = _value(wrong_step, point) if t not in (None, 0) else 0
            values.append(None if r is None or t is None or w is None else r + t * w)
        return values


def dependent_nodes(expr: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr]:
    """The distinct sub-expressions that depend on ``var``, outermost first: where a mal-rule can slip."""
    seen: dict[sympy.Expr, None] = {}
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Expr) and node.has(var) and node != var and node not in seen:
            seen[node] = None
    return list(seen)


def with_slip(expr: sympy.Expr, var: sympy.Symbol, node: sympy.Expr, wrong_step: sympy.Expr) -> sympy.Expr:
    """d(expr)/d(var) computed as if d(node)/d(var) were ``wrong_step``."""
    placeholder = sympy.Dummy("node")
    frozen = expr.xreplace({node: placeholder})
    total = sympy.diff(frozen, var) + sympy.diff(frozen, placeholder) * wrong_step
    return total.xreplace({placeholder: node})


def _with_two_slips(
    expr: sympy.Expr, var: sympy.Symbol, first: tuple[sympy.Expr, sympy.Expr], second: tuple[sympy.Expr, sympy.Expr]
) -> sympy.Expr:
    """Two slips at nodes neither of which holds the other."""
    p, q = sympy.Dummy("p"), sympy.Dummy("q")
    frozen = expr.xreplace({first[0]: p, second[0]: q})
    total = sympy.diff(frozen, var) + sympy.diff(frozen, p) * first[1] + sympy.diff(frozen, q) * second[1]
    return total.xreplace({p: first[0], q: second[0]})


def _derive_with(var: sympy.Symbol, node: sympy.Expr, wrong_step: sympy.Expr) -> Derive:
    def d(part: sympy.Expr) -> sympy.Expr:
        return with_slip(part, var, node, wrong_step) if part.has(node) else sympy.diff(part, var)

    return d


@dataclass(frozen=True)
class _Local:
    rank: int  # index of the mal-rule in the table
    rule: MalRule
    node_index: int
    node: sympy.Expr
    choice: int  # which of the rule's wrong derivatives of the node
    wrong_step: sympy.Expr
    values: tuple[complex | None, ...]  # the whole derivative with this slip, at the probes


def diagnose(
    expr: sympy.Expr, var: sympy.Symbol, answer: sympy.Expr, *, order: int = 1, seed: int = 0,
    seconds: float = SEARCH_SECONDS,
) -> Finding | None:
    """The simplest mal-rule (or pair) whose result is the learner's ``answer``, or None.

    Raises ``SearchTimedOut`` past ``seconds``.
    """
    task = Task(expr, var, order)
    search = _Search(task, answer, seed, seconds)
    if len(search.probes) < _MIN_PROBES:
        return None
    if all(_close(a, c) for a, c in zip(search.answer_values, search.correct_values, strict=True)):
        if equivalent(answer, search.correct, seed=seed).equivalent:
            return None  # a right answer is never diagnosed
    locals_: list[_Local] = []
    d = _derive_with(var, sympy.Dummy("none"), sympy.Integer(0))
    for rank, rule in enumerate(MAL_RULES):
        if rule.local is not None:
            for index, node in enumerate(search.nodes):
                for choice, wrong_step in enumerate(rule.local(node, var, d)):
                    values = search.local_values(node, wrong_step)
                    slip = _Local(rank, rule, index, node, choice, wrong_step, tuple(values))
                    locals_.append(slip)
                    if search.matches_values(values):
                        total = with_slip(search.base, var, node, wrong_step)
                        if search.confirmed(total):
                            return _finding(search, (_slip_of(slip, var),), total)
        if rule.whole is not None:
            found = _whole(search, rule)
            if found is not None:
                return found
    return _pairs(search, locals_)


def _slip_of(slip: _Local, var: sympy.Symbol) -> Slip:
    return Slip(slip.rule.code, slip.node, slip.wrong_step, sympy.diff(slip.node, var))


def _finding(search: _Search, slips: tuple[Slip, ...], wrong: sympy.Expr) -> Finding:
    return Finding(slips, wrong, search.task.correct)


def _whole(search: _Search, rule: MalRule) -> Finding | None:
    task = search.task
    slip = Slip(rule.code, task.expr, None, None)
    if rule.code == "integrated_instead":
        answer = search.answer
        if task.order == 1 and answer.has(task.var):
            derivative = sympy.diff(answer, task.var)
            values = [_value(derivative, p) for p in search.probes]
            if all(_close(v, _value(task.expr, p)) for v, p in zip(values, search.probes, strict=True)):
                if equivalent(derivative, task.expr, seed=search.seed).equivalent:
                    return _finding(search, (slip,), answer)
        return None
    assert rule.whole is not None
    for candidate in rule.whole(task):
        if search.matches(candidate) and search.confirmed(candidate):
            return _finding(search, (slip,), candidate)
    return None


def _inside(part: sympy.Expr, whole: sympy.Expr) -> bool:
    return part != whole and whole.has(part)


def _pairs(search: _Search, locals_: list[_Local]) -> Finding | None:
    """Two local mistakes, or one local mistake and the sign of the whole, for short expressions."""
    if sympy.count_ops(search.base) > _PAIR_MAX_OPS or not locals_:
        return None
    var = search.var
    slips = locals_[:_PAIR_MAX_SLIPS]
    sign_rank = next(i for i, rule in enumerate(MAL_RULES) if rule.code == "sign_error")
    options: list[tuple[tuple[int, int, int, int], _Local, _Local | None]] = []
    for a, b in itertools.combinations(slips, 2):
        if a.node == b.node:
            continue
        one, two = (a, b) if (a.rank, a.node_index) <= (b.rank, b.node_index) else (b, a)
        options.append(((one.rank, two.rank, one.node_index, two.node_index), one, two))
    for a in slips:
        options.append(((a.rank, sign_rank, a.node_index, -1), a, None))
    options.sort(key=lambda option: option[0])
    nested_tries = 0
    for _, first, second in options:
        if second is not None and not _inside(first.node, second.node) and not _inside(second.node, first.node):
            # disjoint places: the derivative is linear in the two, so the values just add up
            if not search.matches_values(_combined(first.values, second.values, search.correct_values)):
                continue
        elif second is None:
            if not search.matches_values([None if v is None else -v for v in first.values]):
                continue
        else:
            nested_tries += 1
            if nested_tries > _PAIR_MAX_NESTED:
                continue
        total = _pair_total(search, first, second)
        if total is None or not search.matches(total) or not search.confirmed(total):
            continue
        sign_slip = Slip("sign_error", search.task.expr, None, None)
        pair = (_slip_of(first, var), _slip_of(second, var) if second is not None else sign_slip)
        return _finding(search, pair, total)
    return None


def _combined(
    first: Sequence[complex | None], second: Sequence[complex | None], correct: Sequence[complex | None]
) -> list[complex | None]:
    return [
        None if a is None or b is None or c is None else a + b - c
        for a, b, c in zip(first, second, correct, strict=True)
    ]


def _pair_total(search: _Search, first: _Local, second: _Local | None) -> sympy.Expr | None:
    var, base = search.var, search.base
    if second is None:
        return -with_slip(base, var, first.node, first.wrong_step)
    if _inside(second.node, first.node):
        outer, inner = first, second
    elif _inside(first.node, second.node):
        outer, inner = second, first
    else:
        return _with_two_slips(base, var, (first.node, first.wrong_step), (second.node, second.wrong_step))
    assert outer.rule.local is not None
    steps = outer.rule.local(outer.node, var, _derive_with(var, inner.node, inner.wrong_step))
    if outer.choice >= len(steps):
        return None
    return with_slip(base, var, outer.node, steps[outer.choice])


def constant_multiple(answer: sympy.Expr, correct: sympy.Expr, var: sympy.Symbol, *, seed: int = 0) -> sympy.Expr | None:
    """answer/correct when it is one simple number (not 0 or ±1) at every probe point and provably so."""
    free = sorted((s for s in answer.free_symbols | correct.free_symbols | {var} if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
    ratios = []
    for point in sample_points(free, seed)[:12]:
        top, bottom = _value(answer, point), _value(correct, point)
        if top is not None and bottom is not None and abs(bottom) > 1e-12:
            ratios.append(top / bottom)
    if len(ratios) < 3 or any(not _close(r, ratios[0]) for r in ratios):
        return None
    factor = sympy.nsimplify(sympy.Float(ratios[0].real, 15), [sympy.pi], tolerance=1e-10)
    if factor in (0, 1, -1) or sympy.count_ops(factor) > 6:
        return None
    return factor if equivalent(answer, factor * correct, seed=seed).equivalent else None


def diagnose_path(
    f: sympy.Expr, path: dict[sympy.Symbol, sympy.Expr], t: sympy.Symbol, answer: sympy.Expr, *, seed: int = 0
) -> Finding | None:
    """The multivariate chain rule: df/dt for f(x(t), y(t), …) = Σ ∂f/∂v · dv/dt.

    Its own mistakes first (the dv/dt factors left out; one path's term left out, both named
    ``chain_rule_inner_missing``), then any mal-rule in f with the paths substituted.
    """
    correct = sympy.diff(f.xreplace(path), t)
    terms = {v: sympy.diff(f, v).xreplace(path) for v in path}
    rates = {v: sympy.diff(value, t) for v, value in path.items()}
    candidates: list[tuple[sympy.Expr, Slip]] = []
    code = "chain_rule_inner_missing"
    no_rates = sympy.Add(*terms.values())
    names = ", ".join(f"d{v.name}/d{t.name}" for v in path)
    candidates.append((no_rates, Slip(code, f, None, None, f"the factors {names} were left out")))
    for v in path:
        rest = sympy.Add(*(terms[w] * rates[w] for w in path if w != v))
        candidates.append((rest, Slip(code, v, None, None, f"the term ∂f/∂{v.name}·d{v.name}/d{t.name} (the path through {v.name}) is missing")))
    search = _Search(Task(f.xreplace(path), t), answer, seed)
    if len(search.probes) < _MIN_PROBES:
        return None
    for candidate, slip in candidates:
        if search.matches(candidate) and search.confirmed(candidate):
            return Finding((slip,), candidate, correct)
    return diagnose(f.xreplace(path), t, answer, seed=seed)
