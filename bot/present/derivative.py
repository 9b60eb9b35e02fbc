"""The /derive and /slope jobs: text in, worked answer out (run in worker processes)."""

from __future__ import annotations

from collections.abc import Callable

import sympy

from bot.errors import BadArgument, Undefined
from bot.present.answer import Answer
from bot.present.format import LearnerNotation, fmt_latex, fmt_number, fmt_table, result_str
from bot.present.taylor import join_terms, shift_symbol
from bot.solver.logistic import logistic_form
from bot.solver.numeric import realise
from bot.solver.parser import parse, parse_point, parse_variable
from bot.solver.steps import RULES, Derivation, Step, derive_with_steps
from bot.solver.terms import ordered_like, typed_terms
from bot.solver.variables import default_variable, ordered_variables

SLOPE_STEPS = (1, 10, 100, 1000, 10000)  # h = 1/n: the run shrinks tenfold each row
_INDENT = "\u2003"  # an em space: indents in every chat, and never turns a line into a code block
_DIGITS = 40  # working precision for the difference quotients (they cancel up to ~10 digits)
_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)


def derive(expr_text: str, wrt: str | None = None, order: int = 1, at_text: str | None = None) -> Answer:
    """Differentiate the learner's expression, showing each rule, then the simplified result — and,
    with ``at``, its value there (then the value is the machine-readable result)."""
    answer, derivation = _derive(expr_text, wrt, order)
    if at_text is None:
        return answer
    return _value_at(answer, derivation, at_text)


def _value_at(answer: Answer, derivation: Derivation, at_text: str) -> Answer:
    expr, var, order, result = derivation.expr, derivation.var, derivation.order, derivation.result
    coordinates = parse_point(at_text)
    names = ordered_variables(expr)
    if len(coordinates) == 1:
        values = {var: coordinates[0]}
    elif len(coordinates) == len(names):
        values = dict(zip(names, coordinates, strict=True))
    else:
        raise BadArgument(
            f"the point has {len(coordinates)} coordinates but the expression has {len(names)} variables "
            f"({', '.join(n.name for n in names)})",
            hint="give one number for the variable, or one per variable in that order",
        )
    writer = _MathWriter(var, partial=_is_partial(expr, var))
    where = ", ".join(f"{k} = {writer.text(v)}" for k, v in values.items())
    _refuse_outside_the_domain(expr, values, where, writer)
    value = sympy.simplify(realise(result).xreplace(values))
    leftover = sorted(s.name for s in value.free_symbols)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or (not leftover and value.is_real is False):
        raise Undefined(f"the derivative `{writer.text(result)}` is not defined (as a real number) at {where}")
    approx = "" if value.is_Rational or leftover else f" ≈ {_fmt(sympy.N(value, _DIGITS))}"
    held = f" (with {', '.join(leftover)} still a symbol)" if leftover else ""
    operator = _operator_text(var, order, writer.partial)
    text = answer.text + f"\n\n**At {where}**: {operator}({writer.text(expr)}) = `{writer.text(value)}`{approx}{held}"
    at_latex = ", ".join(f"{k} = {fmt_latex(v)}" for k, v in values.items())
    return Answer(text=text, result=result_str(value),
                  latex=f"\\left.{answer.latex}\\right|_{{{at_latex}}} = {fmt_latex(value)}")


def _refuse_outside_the_domain(
    expr: sympy.Expr, values: dict[sympy.Symbol, sympy.Expr], where: str, writer: _MathWriter
) -> None:
    """A derivative at a point where f itself is undefined (ln x at −1) does not exist, whatever
    its formula gives there: refused as /slope refuses it."""
    if not expr.free_symbols <= set(values):
        return  # other symbols left: nothing can be decided
    value = sympy.N(realise(expr).xreplace(values), 15)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        why = "is undefined there (it divides by zero or leaves its domain)"
    else:
        real, imaginary = value.as_real_imag()
        if real.is_Number and imaginary.is_Number and abs(imaginary) <= sympy.Float(10) ** -12 * (1 + abs(real)):
            return
        why = f"is not a real number there (it would be {_complex_text(value)})"
    raise Undefined(
        f"f = {writer.text(expr)} {why}, so it has no derivative at {where}",
        hint="choose a point where the function is defined",
    )


def _derive(expr_text: str, wrt: str | None, order: int) -> tuple[Answer, Derivation]:
    expr = parse(expr_text)
    var = _choose_variable(expr, wrt)
    derivation = derive_with_steps(expr, var, order)
    writer = _MathWriter(var, partial=_is_partial(expr, var))
    typed = [term.expr for term in typed_terms(expr_text) or []]
    writer.order_like(expr, typed, lambda: _term_derivatives(derivation, typed))
    read_as = f"I read this as: `{writer.text(expr)}`" + (" (call it f)" if order > 1 else "")
    lines = [read_as, _variable_remark(expr, var), ""]
    if order == 1:
        lines += _step_lines(derivation, 1, writer)
    else:
        lines += _successive_lines(derivation, writer)
    lines += [
        "",
        f"**Result**: {_operator_text(var, order, writer.partial)}({writer.text(expr)}) = `{writer.text(derivation.result)}`",
    ]
    sigmoid = logistic_form(expr, derivation.result)
    if sigmoid is not None:
        lines.append(
            f"With the logistic function σ(u) = 1/(1 + e^(−u)), this is `{sigmoid.text(writer.text)}`."
        )
    answer = Answer(
        text="\n".join(lines),
        result=result_str(derivation.result),
        latex=f"{_operator_latex(var, order, writer.partial)}\\left({fmt_latex(expr)}\\right) = {fmt_latex(derivation.result)}",
        check_working=f"/check d/d{var.name} {expr_text.strip()}" if order == 1 else None,
    )
    return answer, derivation


def _term_derivatives(derivation: Derivation, typed: list[sympy.Expr]) -> list[sympy.Expr]:
    """What each typed term became, to place the result's terms in the learner's order: taken from
    the one derivation (the rules' derivative of each term of the sum) — differentiating each term
    again, tidying included, doubled the cost of every answer. A term the sum merged with another,
    or a higher order, gets SymPy's derivative: microseconds."""
    found = dict(derivation.term_derivatives) if derivation.order == 1 else {}
    return [found[t] if t in found else sympy.diff(t, (derivation.var, derivation.order)) for t in typed]


def slope(expr_text: str, at_text: str, wrt: str | None = None) -> Answer:
    """The slope at a point as the limit of rise over run, tabulated, then exactly by the rules."""
    expr = parse(expr_text)
    var = _choose_variable(expr, wrt)
    point = _single_number(parse_point(at_text), at_text)
    others = sorted(s.name for s in expr.free_symbols if s != var)
    if others:
        raise BadArgument(
            f"a slope needs a function of {var} alone, but this one also has {', '.join(others)}",
            hint="give those variables values, or use /derive for the derivative as a formula",
        )
    writer = _MathWriter(var, partial=False)
    f_at = _real_value(expr, var, point)
    if f_at is None:
        raise Undefined(
            f"f({var}) = {writer.text(expr)} {_why_not_real(expr, var, point, writer.text(point))}",
            hint="choose a point where the function is defined",
        )
    derivation = derive_with_steps(expr, var)
    exact = _exact_slope(expr, var, point, derivation.result, writer)
    a = writer.text(point)
    rows = [_slope_row(expr, var, point, f_at, sympy.Rational(1, n)) for n in SLOPE_STEPS]
    table = fmt_table(
        ("h", f"f({a}+h)", f"(f({a}+h) − f({a}))/h", f"(f({a}+h) − f({a}−h))/(2h)"),
        rows,
    )
    approx = "" if exact.is_Integer else f" ≈ {_fmt(sympy.N(exact, _DIGITS))}"
    lines = [
        f"I read this as: f({var}) = `{writer.text(expr)}` at {var} = `{a}`, where f({a}) = {_fmt(f_at)}",
        "",
        "The slope of the tangent is the limit of rise over run as the run h shrinks to 0:",
        "f'(a) = lim_{h→0} (f(a+h) − f(a))/h",
        "",
        table,
        "",
        f"The forward quotient closes in on f'({a}) as h shrinks; the symmetric one usually gets there faster.",
        f"By the rules of differentiation, f'({var}) = `{writer.text(derivation.result)}` "
        "(/derive shows the steps).",
        f"The tangent line, the linearisation of f at a = {a}: L({var}) = f(a) + f'(a)({var} − a) = "
        f"`{join_terms([sympy.simplify(realise(expr).xreplace({var: point})), exact * shift_symbol(var, point)])}`",
        "",
        f"**Result**: f'({a}) = `{writer.text(exact)}`{approx}",
    ]
    latex = (
        f"\\left.{_operator_latex(var, 1, False)}\\left({fmt_latex(expr)}\\right)\\right|_{{{var} = {fmt_latex(point)}}}"
        f" = {fmt_latex(exact)}"
    )
    return Answer(text="\n".join(lines), result=result_str(exact), latex=latex)


def _choose_variable(expr: sympy.Expr, wrt: str | None) -> sympy.Symbol:
    """``wrt`` must be a variable name our parser accepts (not ``pi``, ``e`` or ``sin``)."""
    if wrt is not None:
        return default_variable(expr, parse_variable(wrt).name)
    return default_variable(expr)


# --- derive: layout ----------------------------------------------------------------------------


def _step_lines(derivation: Derivation, order: int, writer: _MathWriter) -> list[str]:
    steps = [step for step in derivation.steps if step.order == order]
    lines = []
    for number, step in enumerate(steps, start=1):
        indent = _INDENT * step.depth
        lines.append(f"{indent}**{number}. {RULES[step.rule]}**: {step.note}")
        lines.append(f"{indent}{_INDENT}`{writer.text(step.before)} = {writer.text(step.after)}`")
    omitted = derivation.omitted_steps[order - 1] if derivation.omitted_steps else 0
    if omitted:
        lines.append(f"… further steps omitted ({omitted} more); the result below includes them.")
    return lines


def _successive_lines(derivation: Derivation, writer: _MathWriter) -> list[str]:
    """Full steps for the first derivative, then one line per further derivative."""
    var = derivation.var
    lines = [f"**First derivative**, {_operator_text(var, 1, writer.partial)}(f):"]
    lines += _step_lines(derivation, 1, writer)
    lines.append(f"= `{writer.text(derivation.derivatives[0])}`")
    for k in range(2, derivation.order + 1):
        used = _rules_used(derivation.steps, k)
        lines += [
            "",
            f"**{_ORDINALS[k - 1].capitalize()} derivative**: differentiate the {_ORDINALS[k - 2]} again"
            + (f" ({', '.join(used)})" if used else ""),
            f"{_operator_text(var, k, writer.partial)}(f) = `{writer.text(derivation.derivatives[k - 1])}`",
        ]
    return lines


def _rules_used(steps: tuple[Step, ...], order: int) -> list[str]:
    names: list[str] = []
    for step in steps:
        if step.order == order and step.rule not in ("constant", "variable"):
            name = RULES[step.rule]
            if name not in names:
                names.append(name)
    return names


def _variable_remark(expr: sympy.Expr, var: sympy.Symbol) -> str:
    if var not in expr.free_symbols:
        return (
            f"{var} does not appear in this expression, so it is a constant with respect to {var} "
            "and every derivative is 0."
        )
    others = sorted(s.name for s in expr.free_symbols if s != var)
    if others:
        held = ", ".join(others)
        return f"A partial derivative with respect to {var}: {held} {'is' if len(others) == 1 else 'are'} held constant."
    return f"Differentiating with respect to {var}."


def _is_partial(expr: sympy.Expr, var: sympy.Symbol) -> bool:
    return any(s != var for s in expr.free_symbols)


def _operator_text(var: sympy.Symbol, order: int, partial: bool) -> str:
    d = "∂" if partial else "d"
    return f"{d}/{d}{var}" if order == 1 else f"{d}^{order}/{d}{var}^{order}"


def _operator_latex(var: sympy.Symbol, order: int, partial: bool) -> str:
    d = "\\partial" if partial else "d"
    name = sympy.latex(var)
    if order == 1:
        return f"\\frac{{{d}}}{{{d} {name}}}" if partial else f"\\frac{{d}}{{d{name}}}"
    return (
        f"\\frac{{{d}^{{{order}}}}}{{{d} {name}^{{{order}}}}}"
        if partial
        else f"\\frac{{d^{{{order}}}}}{{d{name}^{{{order}}}}}"
    )


class _MathWriter:
    """Readable inline maths: ``^`` powers as students type them, ``d/dx(u)`` for a derivative."""

    def __init__(self, var: sympy.Symbol, partial: bool):
        self.partial = partial
        self._printer = _StepPrinter({"order": None})
        self._printer.partial_in = var if partial else None
        self._orders: dict[sympy.Expr, list[sympy.Expr]] = {}
        self._references: list[sympy.Expr] = []

    def order_like(self, expr: sympy.Expr, typed: list[sympy.Expr],
                   derivatives: Callable[[], list[sympy.Expr]]) -> None:
        """Write ``expr`` (a sum the learner typed) with its terms in their order, and any sum
        later shown whose terms come from theirs (the derivative) in the same order."""
        if len(typed) < 2 or sympy.expand(sympy.Add(*typed) - expr) != 0:
            return
        self._orders[expr] = typed
        self._references = derivatives()

    def text(self, expr: sympy.Basic) -> str:
        if isinstance(expr, sympy.Add) and self._orders:
            terms = ordered_like(expr, self._orders.get(expr, self._references))
            return join_terms(terms, lambda term: self._printer.doprint(term).replace("**", "^"))
        return self._printer.doprint(expr).replace("**", "^")


class _StepPrinter(LearnerNotation):
    partial_in: sympy.Symbol | None = None  # the variable of a partial derivative, if it is one

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        ops = []
        for var, count in expr.variable_count:
            # The chain rule's placeholder u is a one-variable function: always an ordinary d/du.
            d = "∂" if var == self.partial_in else "d"
            ops.append(f"{d}/{d}{var}" if count == 1 else f"{d}^{count}/{d}{var}^{count}")
        return f"{' '.join(ops)}({self._print(expr.expr)})"


# --- slope: numbers ----------------------------------------------------------------------------


def _single_number(point: tuple[sympy.Expr, ...], at_text: str) -> sympy.Expr:
    if len(point) != 1:
        raise BadArgument(
            f"a slope is taken at one number, but '{at_text}' gives {len(point)}",
            hint="e.g. '/slope x^2 at 3'",
        )
    (a,) = point
    if a.free_symbols or not a.is_number:
        raise BadArgument(
            f"the point must be a number, not '{at_text}'", hint="e.g. 'at 3' or 'at pi/4'"
        )
    value = sympy.N(a, 30)
    if not value.is_real or not value.is_finite:
        raise BadArgument(
            f"the point must be a finite real number, not '{at_text}'", hint="e.g. 'at 3'"
        )
    return a


def _real_value(expr: sympy.Expr, var: sympy.Symbol, at: sympy.Expr) -> sympy.Float | None:
    """f(at) to working precision, or None where f is undefined or not a real number."""
    value = sympy.N(realise(expr).subs(var, at), _DIGITS)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    real, imaginary = value.as_real_imag()
    if (
        not real.is_Number
        or not imaginary.is_Number
        or abs(imaginary) > sympy.Float(10) ** (3 - _DIGITS)
    ):
        return None
    return sympy.Float(real, _DIGITS)


def _why_not_real(expr: sympy.Expr, var: sympy.Symbol, at: sympy.Expr, at_text: str) -> str:
    value = sympy.N(realise(expr).subs(var, at), 15)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return f"is undefined at {var} = {at_text} (it divides by zero or leaves its domain there)"
    return f"is not a real number at {var} = {at_text} (it would be {_complex_text(value)})"


def _complex_text(value: sympy.Expr) -> str:
    """A complex number as a learner writes it: 3.14159i, 1 + 2i (not SymPy's 3.14159*I)."""
    real, imaginary = (float(part) for part in sympy.N(value, 15).as_real_imag())
    imaginary_text = f"{abs(imaginary):.6g}i" if abs(imaginary) != 1 else "i"
    if abs(real) < 1e-12:
        return imaginary_text if imaginary > 0 else f"−{imaginary_text}"
    return f"{real:.6g} {'+' if imaginary > 0 else '−'} {imaginary_text}"


def _exact_slope(
    expr: sympy.Expr, var: sympy.Symbol, at: sympy.Expr, derivative: sympy.Expr, writer: _MathWriter
) -> sympy.Expr:
    """f'(at) from the derivative's formula, checked against the limit from each side."""
    a = writer.text(at)
    tiny = sympy.Rational(1, 10**30)
    # f(a + h) − f(a) cancels about log10|f(a)| digits before h's 30 show: at a = 10^400, x² needs 830.
    rough = sympy.N(realise(expr).subs(var, at), 15)
    precision = 90 + min(_decimal_exponent(rough) + _decimal_exponent(at), 3000)
    centre = sympy.N(realise(expr).subs(var, at), precision)
    right = _quotient(expr, var, at, tiny, centre, precision)
    left = _quotient(expr, var, at, -tiny, centre, precision)
    if right is None or left is None:
        side = "left" if left is None else "right"
        raise Undefined(
            f"f is not defined just to the {side} of {var} = {a}, so the two-sided limit "
            f"lim_{{h→0}} (f({a}+h) − f({a}))/h does not exist",
            hint="choose a point inside the function's domain",
        )
    exact = sympy.simplify(realise(derivative).subs(var, at))
    value = sympy.N(exact, 30)
    tolerance = sympy.Float(10) ** -12 * (1 + abs(right) + abs(left))
    if abs(right - left) > tolerance:
        if max(abs(right), abs(left)) > 10**12:
            raise Undefined(
                f"the tangent to f at {var} = {a} is vertical: the slope grows without bound, "
                f"so f'({a}) does not exist",
                hint="choose another point",
            )
        raise Undefined(
            f"f has a corner at {var} = {a}: the slope from the left is {_fmt(left)} but from the "
            f"right it is {_fmt(right)}, so f'({a}) does not exist",
            hint="choose another point",
        )
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_real:
        raise Undefined(f"f'({var}) is undefined at {var} = {a}", hint="choose another point")
    if abs(value - right) > tolerance:
        # The formula and the limit disagree, e.g. sign(0) = 0 for |x| at 0: trust the limit.
        raise Undefined(
            f"f is not differentiable at {var} = {a}: the difference quotients do not settle "
            "on the value the formula gives",
            hint="choose another point",
        )
    return exact


def _decimal_exponent(value: sympy.Expr) -> int:
    """About how many digits the integer part of |value| has (0 for small, undefined or complex values)."""
    size = sympy.N(abs(value), 15)
    if not size.is_Number or size.is_zero or size.has(sympy.zoo, sympy.nan, sympy.oo):
        return 0
    return max(0, int(sympy.floor(sympy.log(size, 10))))


def _quotient(
    expr: sympy.Expr,
    var: sympy.Symbol,
    at: sympy.Expr,
    h: sympy.Rational,
    f_at: sympy.Expr,
    precision: int,
) -> sympy.Float | None:
    value = sympy.N(realise(expr).subs(var, at + h), precision)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    real, imaginary = value.as_real_imag()
    if not real.is_Number or abs(imaginary) > sympy.Float(10) ** (5 - precision):
        return None
    return sympy.Float((real - f_at) / h, precision)


def _slope_row(
    expr: sympy.Expr, var: sympy.Symbol, at: sympy.Expr, f_at: sympy.Float, h: sympy.Rational
) -> tuple[str, str, str, str]:
    ahead = _real_value(expr, var, at + h)
    behind = _real_value(expr, var, at - h)
    forward = "undefined" if ahead is None else _fmt((ahead - f_at) / h)
    central = "undefined" if ahead is None or behind is None else _fmt((ahead - behind) / (2 * h))
    return (
        fmt_number(float(h)),
        "undefined" if ahead is None else _fmt(ahead),
        forward,
        central,
    )


def _fmt(value: sympy.Expr) -> str:
    """Eight significant figures, as a decimal even when the exact value is a fraction."""
    number = sympy.Float(value, _DIGITS)
    if abs(number) < 1e300:
        return fmt_number(float(number), digits=8)
    return sympy.sstr(sympy.Float(number, 8))
