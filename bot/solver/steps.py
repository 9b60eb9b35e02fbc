"""The derivative step engine: differentiate by the rules a student uses, recording each one.

Like ``sympy/integrals/manualintegrate.py`` the rules are data: each node of the expression tree
becomes a ``Step`` saying which rule applies, the derivative before (an unevaluated
``Derivative``) and what the rule turns it into (which may still hold unevaluated ``Derivative``
parts, differentiated by the steps that follow at ``depth + 1``). The derivative itself is built
from the rules' formulas, so the steps and the result can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from bot.errors import BadArgument, TooComplex
from bot.solver.learner_notation import learner_text
from bot.solver.variables import symbol
from bot.stages import stage

RULES: dict[str, str] = {
    "constant": "constant rule",
    "variable": "variable rule",
    "power": "power rule",
    "sum": "sum rule",
    "constant_multiple": "constant multiple rule",
    "product": "product rule",
    "quotient": "quotient rule",
    "chain": "chain rule",
    "exponential": "exponential rule",
    "logarithm": "logarithm rule",
    "trig": "trigonometric derivative",
    "inverse_trig": "inverse trigonometric derivative",
    "hyperbolic": "hyperbolic derivative",
    "inverse_hyperbolic": "inverse hyperbolic derivative",
    "absolute_value": "absolute value rule",
    "general_power": "general power rule (logarithmic differentiation)",
    "other": "known derivative",
}

MAX_ORDER = 10
MAX_STEPS_PER_ORDER = 60  # past this the steps are not listed, but the result is still computed
MAX_RESULT_NODES = 20_000  # a derivative bigger than this is refused rather than shown
_SIMPLIFY_MAX_OPS = 80  # sympy.simplify is only tried on expressions at most this big
# ... and at most this deeply nested: simplify's trigonometric search grows exponentially with the
# nesting (a 10-deep sin(sin(…)) took 11 s, where sympy.diff takes 4 ms) and finds nothing there.
_SIMPLIFY_MAX_NESTING = 5
_PLACEHOLDER_NAMES = ("u", "w", "v", "t", "s", "z")


@dataclass(frozen=True)
class Step:
    rule: str  # a key of RULES
    before: sympy.Expr  # the derivative being taken, unevaluated: Derivative(u, x)
    after: sympy.Expr  # what the rule turns it into (may hold unevaluated Derivative parts)
    note: str  # one short sentence naming the formula and its parts
    depth: int  # nesting level, for indentation
    order: int = 1  # which successive derivative (1..order) this step belongs to


@dataclass(frozen=True)
class Derivation:
    expr: sympy.Expr
    var: sympy.Symbol
    order: int
    steps: tuple[Step, ...]  # for order > 1: the steps of each successive derivative, in order
    unsimplified: sympy.Expr  # the result as the rules produce it
    result: sympy.Expr  # simplified
    derivatives: tuple[sympy.Expr, ...] = ()  # the simplified 1st, 2nd, … derivatives
    omitted_steps: tuple[int, ...] = ()  # per order: steps computed but not listed (too many)
    # For a sum: each top-level term and what the rules made of it (first order, untidied), so the
    # answer can list its terms in the learner's order without differentiating each term again.
    term_derivatives: tuple[tuple[sympy.Expr, sympy.Expr], ...] = ()


@stage("rules")
def derive_with_steps(expr: sympy.Expr, var: sympy.Symbol, order: int = 1) -> Derivation:
    """Differentiate ``expr`` ``order`` times by the teaching rules, keeping every step."""
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise BadArgument(
            f"the order must be a whole number from 1 to {MAX_ORDER}, not {order}",
            hint="e.g. 'order 2' for the second derivative",
        )
    builder = _StepBuilder(var, avoid={s.name for s in expr.free_symbols} | {var.name})
    current = expr
    raw: sympy.Expr = expr
    derivatives: list[sympy.Expr] = []
    for k in range(1, order + 1):
        builder.start_order(k)
        raw = builder.derivative(current, 0)
        if _node_count(raw) > MAX_RESULT_NODES:
            raise TooComplex(
                f"the derivative of order {k} is too large to show",
                hint="try a lower order or a simpler expression",
            )
        current = simplify_derivative(raw)
        derivatives.append(current)
    return Derivation(
        expr=expr,
        var=var,
        order=order,
        steps=tuple(builder.steps),
        unsimplified=raw,
        result=current,
        derivatives=tuple(derivatives),
        omitted_steps=tuple(builder.omitted),
        term_derivatives=tuple(builder.term_derivatives),
    )


@stage("tidying")
def simplify_derivative(expr: sympy.Expr) -> sympy.Expr:
    """A readable form: the rules' own output unless a tidier form is clearly better.

    ``sympy.simplify`` alone is not enough: it rewrites a sigmoid's derivative with ``cosh`` and
    ``sign`` with ``Piecewise``. So no candidate may introduce functions the learner has not seen;
    cancelling a fraction is taken whenever it does not lengthen the answer, but regrouping
    (factoring, ``simplify``) only when it saves at least two operations, so that
    ``x**2*cos(x) + 2*x*sin(x)`` stays as the product rule wrote it.
    """
    ops = sympy.count_ops(expr)
    if ops <= 2:
        return expr  # `2*x*y`, `x**2`: nothing shorter exists
    allowed = _applications(expr)
    candidates = [(sympy.cancel(expr), 0), (sympy.together(expr), 2), (sympy.factor_terms(expr), 2)]
    if expr.has(sympy.Abs):
        candidates.append((_abs_out_of_denominators(candidates[0][0]), 0))
    if ops <= _SIMPLIFY_MAX_OPS and _nesting(expr) <= _SIMPLIFY_MAX_NESTING:
        candidates.append((sympy.factor(expr), 2))
        if not expr.is_polynomial():  # for a polynomial, simplify finds nothing factor did not
            candidates.append((sympy.simplify(expr), 2))
    best, best_key = expr, _size(expr)
    for candidate, required_saving in candidates:
        if candidate.has(sympy.nan, sympy.zoo) or not _applications(candidate) <= allowed:
            continue
        key = _size(candidate)
        if key[0] <= ops - required_saving and key < best_key:
            best, best_key = candidate, key
    return best


def _abs_out_of_denominators(expr: sympy.Expr) -> sympy.Expr:
    """1/|u| = |u|/u² (u real), so x³/|x| reads 3x|x|-like, not as a power over an absolute value."""
    return sympy.cancel(expr.replace(
        lambda e: isinstance(e, sympy.Pow) and isinstance(e.base, sympy.Abs) and e.exp.is_Integer and e.exp < 0,
        lambda e: e.base ** (-e.exp) / e.base.args[0] ** (-2 * e.exp),
    ))


def _nesting(expr: sympy.Basic) -> int:
    """How deeply functions are applied inside one another: sin(cos(x)) is 2."""
    inner = max((_nesting(arg) for arg in expr.args), default=0)
    return inner + 1 if isinstance(expr, sympy.Function) else inner


def _size(expr: sympy.Expr) -> tuple[int, int]:
    return sympy.count_ops(expr), len(sympy.sstr(expr))


def _applications(expr: sympy.Basic) -> set[tuple[type, tuple[sympy.Basic, ...]]]:
    """The functions applied and to what: sin(2*x) is new next to sin(x), but exp(-x) and
    exp(4*x) are not new next to exp(x) (they are powers of it)."""
    found: set[tuple[type, tuple[sympy.Basic, ...]]] = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.exp):
            found.add((sympy.exp, (node.args[0].as_coeff_Mul()[1],)))
        elif isinstance(node, sympy.Function):
            args = tuple(-arg if arg.could_extract_minus_sign() else arg for arg in node.args)
            found.add((type(node), args))
    return found


def _node_count(expr: sympy.Basic) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


def _text(expr: sympy.Basic) -> str:
    """Plain text for notes, in the learner's notation (the present layer formats whole steps)."""
    return learner_text(expr)


# --- the tables of known derivatives, in the form a student learns them -------------------------

Formula = Callable[[sympy.Expr], sympy.Expr]

_FUNCTION_RULES: dict[type, tuple[str, Formula]] = {
    sympy.sin: ("trig", sympy.cos),
    sympy.cos: ("trig", lambda u: -sympy.sin(u)),
    sympy.tan: ("trig", lambda u: sympy.sec(u) ** 2),
    sympy.cot: ("trig", lambda u: -(sympy.csc(u) ** 2)),
    sympy.sec: ("trig", lambda u: sympy.sec(u) * sympy.tan(u)),
    sympy.csc: ("trig", lambda u: -sympy.csc(u) * sympy.cot(u)),
    sympy.asin: ("inverse_trig", lambda u: 1 / sympy.sqrt(1 - u**2)),
    sympy.acos: ("inverse_trig", lambda u: -1 / sympy.sqrt(1 - u**2)),
    sympy.atan: ("inverse_trig", lambda u: 1 / (1 + u**2)),
    sympy.acot: ("inverse_trig", lambda u: -1 / (1 + u**2)),
    sympy.asec: ("inverse_trig", lambda u: 1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.acsc: ("inverse_trig", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.sinh: ("hyperbolic", sympy.cosh),
    sympy.cosh: ("hyperbolic", sympy.sinh),
    sympy.tanh: ("hyperbolic", lambda u: sympy.sech(u) ** 2),
    sympy.coth: ("hyperbolic", lambda u: -(sympy.csch(u) ** 2)),
    sympy.sech: ("hyperbolic", lambda u: -sympy.sech(u) * sympy.tanh(u)),
    sympy.csch: ("hyperbolic", lambda u: -sympy.csch(u) * sympy.coth(u)),
    sympy.asinh: ("inverse_hyperbolic", lambda u: 1 / sympy.sqrt(u**2 + 1)),
    sympy.acosh: ("inverse_hyperbolic", lambda u: 1 / sympy.sqrt(u**2 - 1)),
    sympy.atanh: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    sympy.acoth: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    sympy.asech: ("inverse_hyperbolic", lambda u: -1 / (u * sympy.sqrt(1 - u**2))),
    sympy.acsch: ("inverse_hyperbolic", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(1 + u**2))),
    sympy.exp: ("exponential", sympy.exp),
    sympy.log: ("logarithm", lambda u: 1 / u),
    sympy.Abs: ("absolute_value", lambda u: u / sympy.Abs(u)),  # sign(u), as a learner writes it
    # SymPy leaves these unevaluated; between the jumps a step function is flat.
    sympy.floor: ("other", lambda u: sympy.S.Zero),
    sympy.ceiling: ("other", lambda u: sympy.S.Zero),
}


class _StepBuilder:
    """Walks an expression tree top-down, recording a Step per rule and returning the derivative."""

    def __init__(self, var: sympy.Symbol, avoid: set[str]):
        self.var = var
        self.steps: list[Step] = []
        self.omitted: list[int] = []
        self.term_derivatives: list[tuple[sympy.Expr, sympy.Expr]] = []
        self._order = 1
        self._listed_this_order = 0
        self._placeholder = symbol(_free_name(avoid))

    def start_order(self, order: int) -> None:
        self._order = order
        self._listed_this_order = 0
        self.omitted.append(0)

    def _record(
        self, rule: str, before: sympy.Expr, after: sympy.Expr, note: str, depth: int
    ) -> None:
        if self._listed_this_order >= MAX_STEPS_PER_ORDER:
            self.omitted[-1] += 1
            return
        self._listed_this_order += 1
        self.steps.append(Step(rule, before, after, note, depth, self._order))

    def _d(self, expr: sympy.Expr) -> sympy.Expr:
        return sympy.Derivative(expr, self.var)

    def derivative(self, expr: sympy.Expr, depth: int) -> sympy.Expr:
        """d(expr)/d(var), recording the steps taken at ``depth`` and below."""
        x = self.var
        if x not in expr.free_symbols:
            note = "the derivative of a constant is 0"
            if expr.free_symbols:
                names = ", ".join(sorted(s.name for s in expr.free_symbols))
                note = f"{_text(expr)} does not depend on {x} ({names} held constant), so its derivative is 0"
            self._record("constant", self._d(expr), sympy.S.Zero, note, depth)
            return sympy.S.Zero
        if expr == x:
            self._record("variable", self._d(expr), sympy.S.One, f"d/d{x} {x} = 1", depth)
            return sympy.S.One
        if isinstance(expr, sympy.Add):
            return self._sum(expr, depth)
        if isinstance(expr, sympy.Mul):
            return self._mul(expr, depth)
        if isinstance(expr, sympy.Pow):
            return self._pow(expr, depth)
        if isinstance(expr, sympy.Function) and len(expr.args) == 1:
            return self._function(expr, depth)
        return self._other(expr, depth)

    # --- sums and products -----------------------------------------------------------------------

    def _sum(self, expr: sympy.Add, depth: int) -> sympy.Expr:
        terms = expr.args
        has_difference = any(term.could_extract_minus_sign() for term in terms)
        note = "differentiate term by term: (u + v)' = u' + v'"
        if has_difference:
            note = "differentiate term by term: (u ± v)' = u' ± v'"
        signed = [_split_sign(term) for term in terms]
        after = sympy.Add(*(sign * self._d(part) for sign, part in signed))
        self._record("sum", self._d(expr), after, note, depth)
        derivatives = [sign * self.derivative(part, depth + 1) for sign, part in signed]
        if depth == 0 and self._order == 1:
            self.term_derivatives = list(zip(terms, derivatives, strict=True))
        return sympy.Add(*derivatives)

    def _mul(self, expr: sympy.Mul, depth: int) -> sympy.Expr:
        x = self.var
        constant, rest = expr.as_independent(x, as_Add=False)
        if constant != 1:
            note = f"(c·u)' = c·u' with c = {_text(constant)}"
            if isinstance(rest, sympy.log) and _is_reciprocal_log(constant):
                base = constant.base.args[0]
                note = (
                    f"log_{_text(base)}(u) = ln(u)/ln({_text(base)}), a constant multiple of ln(u)"
                )
            self._record("constant_multiple", self._d(expr), constant * self._d(rest), note, depth)
            return constant * self.derivative(rest, depth + 1)
        factors = sympy.Mul.make_args(rest)
        numerator = [f for f in factors if not _is_denominator(f)]
        denominator = [1 / f for f in factors if _is_denominator(f)]
        if numerator and denominator:
            return self._quotient(expr, sympy.Mul(*numerator), sympy.Mul(*denominator), depth)
        return self._product(expr, factors, depth)

    def _quotient(self, expr: sympy.Expr, u: sympy.Expr, v: sympy.Expr, depth: int) -> sympy.Expr:
        def formula(du: sympy.Expr, dv: sympy.Expr) -> sympy.Expr:
            return (du * v - u * dv) / v**2

        note = f"(u/v)' = (u'v − uv')/v^2 with u = {_text(u)}, v = {_text(v)}"
        self._record("quotient", self._d(expr), formula(self._d(u), self._d(v)), note, depth)
        du = self.derivative(u, depth + 1)
        dv = self.derivative(v, depth + 1)
        return formula(du, dv)

    def _product(self, expr: sympy.Expr, factors: tuple[sympy.Expr, ...], depth: int) -> sympy.Expr:
        def formula(derivatives: list[sympy.Expr]) -> sympy.Expr:
            return sympy.Add(
                *(
                    sympy.Mul(*(derivatives[i] if j == i else f for j, f in enumerate(factors)))
                    for i in range(len(factors))
                )
            )

        if len(factors) == 2:
            note = f"(uv)' = u'v + uv' with u = {_text(factors[0])}, v = {_text(factors[1])}"
        else:
            names = ", ".join(_text(f) for f in factors)
            note = (
                f"(uvw)' = u'vw + uv'w + uvw': differentiate one factor at a time and add, "
                f"with the {len(factors)} factors {names}"
            )
        self._record("product", self._d(expr), formula([self._d(f) for f in factors]), note, depth)
        return formula([self.derivative(f, depth + 1) for f in factors])

    # --- powers and functions --------------------------------------------------------------------

    def _pow(self, expr: sympy.Pow, depth: int) -> sympy.Expr:
        x = self.var
        base, exponent = expr.args
        base_varies = x in base.free_symbols
        exponent_varies = x in exponent.free_symbols
        if base_varies and not exponent_varies:
            return self._outer(
                expr,
                base,
                lambda u: u**exponent,
                lambda u: exponent * u ** (exponent - 1),
                "power",
                lambda s: _power_note(s, exponent),
                depth,
            )
        if exponent_varies and not base_varies:
            return self._outer(
                expr,
                exponent,
                lambda u: base**u,
                lambda u: base**u * sympy.log(base),
                "exponential",
                lambda s: f"d/d{s} a^{s} = a^{s}·ln(a) with a = {_text(base)}",
                depth,
            )
        return self._general_power(expr, base, exponent, depth)

    def _general_power(
        self, expr: sympy.Expr, base: sympy.Expr, exponent: sympy.Expr, depth: int
    ) -> sympy.Expr:
        # Logarithmic differentiation: y = u^v, ln y = v·ln u, so y' = y·(v·ln u)'.
        log_form = exponent * sympy.log(base)
        note = (
            f"both base u = {_text(base)} and exponent v = {_text(exponent)} vary: "
            "u^v = e^(v·ln u), so (u^v)' = u^v·(v·ln u)'"
        )
        self._record("general_power", self._d(expr), expr * self._d(log_form), note, depth)
        return expr * self.derivative(log_form, depth + 1)

    def _function(self, expr: sympy.Function, depth: int) -> sympy.Expr:
        (inner,) = expr.args
        func = expr.func
        known = _FUNCTION_RULES.get(func)
        if known is None:
            u = self._placeholder
            outer = sympy.diff(func(u), u)
            rule, formula = "other", _substituter(outer, u)
        else:
            rule, formula = known
        return self._outer(
            expr,
            inner,
            func,
            formula,
            rule,
            lambda s: _function_note(func, rule, formula, s),
            depth,
        )

    def _outer(
        self,
        expr: sympy.Expr,
        inner: sympy.Expr,
        build: Callable[[sympy.Expr], sympy.Expr],
        formula: Formula,
        rule: str,
        note: Callable[[sympy.Symbol], str],
        depth: int,
    ) -> sympy.Expr:
        """Apply an outer rule f'(u); when u is not the variable itself, through the chain rule."""
        x = self.var
        if inner == x:
            self._record(rule, self._d(expr), formula(x), note(x), depth)
            return formula(x)
        u = self._placeholder
        outer_derivative = formula(inner)
        chain_note = (
            f"d/d{x} f(u) = f'(u)·du/d{x} with outer f(u) = {_text(build(u))} "
            f"and inner u = {_text(inner)}"
        )
        self._record("chain", self._d(expr), outer_derivative * self._d(inner), chain_note, depth)
        self._record(rule, sympy.Derivative(build(u), u), formula(u), note(u), depth + 1)
        return outer_derivative * self.derivative(inner, depth + 1)

    def _other(self, expr: sympy.Expr, depth: int) -> sympy.Expr:
        result = sympy.diff(expr, self.var)
        name = learner_text(expr).split("(")[0] or type(expr).__name__
        note = f"no rule of the course covers {name}; SymPy's derivative is used for this part"
        if result.has(sympy.Heaviside):
            note += " (H is the unit step: 0 left of 0, 1 right of it)"
        self._record("other", self._d(expr), result, note, depth)
        return result


def _function_note(func: type, rule: str, formula: Formula, s: sympy.Symbol) -> str:
    if rule == "exponential":
        return f"d/d{s} e^{s} = e^{s}"
    if rule == "logarithm":
        return f"d/d{s} ln({s}) = 1/{s}"
    if rule == "absolute_value":
        return f"d/d{s} |{s}| = {s}/|{s}|: slope −1 left of 0 and 1 right of it, undefined at 0"
    if func in (sympy.floor, sympy.ceiling):
        return (
            f"{_text(func(s))} is a step function: flat, so slope 0, between the integers, "
            f"and undefined where {s} is an integer"
        )
    return f"d/d{s} {_text(func(s))} = {_text(formula(s))}"


def _power_note(s: sympy.Symbol, n: sympy.Expr) -> str:
    rule = f"d/d{s} {s}^n = n·{s}^(n−1)"
    if n == sympy.S.Half:
        return f"√{s} = {s}^(1/2), and {rule} with n = 1/2"
    if n.is_Rational and n.p == 1 and n.q != 1:
        return f"a root is a power: {s}^(1/{n.q}), and {rule} with n = 1/{n.q}"
    if n == -1:
        return f"1/{s} = {s}^(−1), and {rule} with n = −1"
    if n.is_Rational and n.is_negative:
        return f"1/{s}^{_text(-n)} = {s}^({_text(n)}), and {rule} with n = {_text(n)}"
    return f"{rule} with n = {_text(n)}"


def _substituter(expr: sympy.Expr, u: sympy.Symbol) -> Formula:
    return lambda inner: expr.xreplace({u: inner})


def _split_sign(term: sympy.Expr) -> tuple[int, sympy.Expr]:
    """(−1, u) for a term −u, so a difference reads as one: d/dx(a − u) = d/dx a − d/dx u."""
    if isinstance(term, sympy.Mul) and term.could_extract_minus_sign():
        return -1, -term
    return 1, term


def _is_denominator(factor: sympy.Expr) -> bool:
    return (
        isinstance(factor, sympy.Pow)
        and factor.exp.is_number
        and bool(factor.exp.is_extended_negative)
    )


def _is_reciprocal_log(constant: sympy.Expr) -> bool:
    return (
        isinstance(constant, sympy.Pow)
        and constant.exp == -1
        and isinstance(constant.base, sympy.log)
    )


def _free_name(avoid: set[str]) -> str:
    for name in _PLACEHOLDER_NAMES:
        if name not in avoid:
            return name
    index = 1
    while f"u{index}" in avoid:
        index += 1
    return f"u{index}"
