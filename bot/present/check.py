"""The /check jobs: is the learner's claim (or derivative) right? Verdict, how we know, and why not."""

from __future__ import annotations

import sympy

from bot.present.answer import Answer
from bot.present.diagnosis import diagnosed, diagnosis_lines
from bot.present.domains import claim_domain, condition_text, typed_sides
from bot.present.format import fmt_expr, fmt_latex, fmt_number, plain
from bot.solver.diagnosis import diagnose, find_mistake
from bot.solver.equivalence import Equivalence, equivalent
from bot.solver.parser import parse, parse_equation, parse_variable
from bot.solver.prefixes import strip_answer_name
from bot.solver.steps import derive_with_steps, simplify_derivative
from bot.solver.variables import symbol

CORRECT = "✅ Correct"
WRONG = "❌ Not equivalent"


def check(claim_text: str) -> Answer:
    """Decide ``LHS = RHS`` as an identity over the reals, and say where it holds when not everywhere."""
    lhs, rhs = parse_equation(claim_text)
    verdict = equivalent(lhs, rhs)
    typed_lhs, typed_rhs = (f"`{side.strip()}`" for side in claim_text.split("=", 1))
    typed = typed_sides(claim_text)
    where = claim_domain(typed, verdict.equivalent, lhs, rhs)
    if verdict.equivalent and where is not None:
        headline = f"⚠️ True only for {where}: {typed_lhs} = {typed_rhs} there, but not for every real number"
        wider = _with_absolute_values(lhs, rhs)
        if wider is not None:
            headline += f"; where the left side is defined it is {fmt_expr(lhs)} = {fmt_expr(wider)}"
    elif verdict.equivalent:
        headline = f"{CORRECT}: {typed_lhs} = {typed_rhs}"
    elif where is not None:
        headline = f"{WRONG}: {typed_lhs} ≠ {typed_rhs} in general — they are equal only for {where}"
    else:
        headline = f"{WRONG}: {typed_lhs} ≠ {typed_rhs}"
    lines = [headline]
    read_lhs, read_rhs = _as_read(typed, lhs, rhs)
    if (read_lhs, read_rhs) != (typed_lhs, typed_rhs):
        lines.append(f"(I read this as {read_lhs} = {read_rhs}.)")
    lines += ["", *_evidence(verdict, "the left side", "the right side")]
    if not verdict.equivalent:
        lines += _agreement(verdict)
    relation = "=" if verdict.equivalent else r"\neq"
    return Answer(
        text="\n".join(lines),
        result=str(verdict.equivalent),
        latex=f"{fmt_latex(lhs)} {relation} {fmt_latex(rhs)}",
    )


def _with_absolute_values(lhs: sympy.Expr, rhs: sympy.Expr) -> sympy.Expr | None:
    """What holds beyond the claim's domain, when |x| for x makes it so: ``ln(x^2) = 2 ln x`` holds
    for x > 0, and ``ln(x^2) = 2 ln|x|`` wherever the left side is defined."""
    from bot.solver.equivalence import run_with_budget

    free = rhs.free_symbols
    if len(free) != 1:
        return None
    (var,) = free
    wider = rhs.xreplace({var: sympy.Abs(var)})
    if wider == rhs:
        return None
    try:
        verdict = run_with_budget(lambda: equivalent(lhs, wider), 1.0)
    except Exception:  # a refinement only: the verdict stands without it
        return None
    return wider if verdict is not None and verdict.equivalent and verdict.domain_point is None else None


def _as_read(typed: tuple[sympy.Expr, sympy.Expr] | None, lhs: sympy.Expr, rhs: sympy.Expr) -> tuple[str, str]:
    """The sides as read (``typed_sides``), before SymPy's automatic tidying (``e^(ln x)``, not ``x``):
    the learner's claim is the thing being checked, so it is never shown pre-simplified into ``x = x``."""
    try:
        if typed is not None:
            return fmt_expr(typed[0]), fmt_expr(typed[1])
    except Exception:  # an unevaluated tree the printer cannot show: the evaluated reading will do
        pass
    return fmt_expr(lhs), fmt_expr(rhs)


def derivative_operator(var: sympy.Symbol, order: int = 1) -> str:
    """``d/dx``, ``d²/dx²``: the operator as a textbook writes it."""
    if order == 1:
        return f"d/d{var.name}"
    raised = str(order).translate(_SUPERSCRIPT_DIGITS)
    return f"d{raised}/d{var.name}{raised}"


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def check_derivative(var: str, expr_text: str, answer_text: str, order: int = 1) -> Answer:
    """Compare the learner's derivative with ours; name the slip when a classic one fits.

    A right answer is confirmed by the cheap exact test first (``equivalent`` tries the difference
    against 0 before sampling); the worked derivative and the diagnosis are paid for only when the
    answer is wrong, or to offer a simpler form of a long right one.
    """
    x = parse_variable(var)
    expr = parse(expr_text)
    answer = parse(strip_answer_name(answer_text))
    raw = sympy.diff(expr, x, order)
    verdict = equivalent(answer, raw)
    operator = derivative_operator(x, order)
    typed_expr = _unbracketed(expr_text.strip())  # the claim echoed as typed: log_2 x stays log_2 x
    typed_answer = f"`{strip_answer_name(answer_text).strip()}`"
    latex = (f"\\frac{{d^{{{order}}}}}{{d{sympy.latex(x)}^{{{order}}}}}" if order > 1 else f"\\frac{{d}}{{d{sympy.latex(x)}}}")
    if verdict.equivalent:
        lines = [
            f"{CORRECT}: {operator}({typed_expr}) = {typed_answer}",
            "",
            *_evidence(verdict, "your answer", "the derivative"),
        ]
        simpler = _simpler_form(answer, raw)
        if simpler is not None:
            lines.append(f"A simpler form is {fmt_expr(simpler)}.")
        return Answer(
            text="\n".join(lines),
            result="True",
            latex=f"{latex}\\left({fmt_latex(expr)}\\right) = {fmt_latex(answer)}",
        )
    correct = derive_with_steps(expr, x, order).result
    lines = [f"❌ Not quite: {operator}({typed_expr}) is {fmt_expr(correct)}, not {typed_answer}."]
    constant = _integration_constant(expr, answer, raw)
    if constant is None:
        lines += ["", *_evidence(verdict, "your answer", "the derivative")]
    if constant is not None:
        finding = None
        lines += ["", f"Note: `+ {constant.name}` looks like a constant of integration — a derivative has "
                  f"none (that is for integrals). Without it your answer is right."]
    else:
        finding = find_mistake(diagnose, expr, x, answer, order=order)
        lines += ["", *diagnosis_lines(finding, x, order, answer=answer, correct=correct)]
    order_words = f" order {order}" if order > 1 else ""
    lines += ["", f"/derive {plain(expr)}{order_words} shows the working step by step."]
    return Answer(
        text="\n".join(lines),
        result="False",
        latex=f"{latex}\\left({fmt_latex(expr)}\\right) = {fmt_latex(correct)}",
        diagnosis=diagnosed(finding),
    )


def _unbracketed(text: str) -> str:
    """``(x^2 sin x)`` → ``x^2 sin x``: one pair of brackets around the whole text comes off."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return text
    return text[1:-1].strip()


def _simpler_form(answer: sympy.Expr, raw: sympy.Expr) -> sympy.Expr | None:
    """A tidier form of the derivative than the learner's right one, worth showing (long answers only:
    short ones are fine as they are, and tidying costs more than the check)."""
    ops = sympy.count_ops(answer)
    if ops <= 6 or sympy.count_ops(raw) >= ops:
        return None
    tidy = simplify_derivative(raw)
    return tidy if sympy.count_ops(tidy) < ops and tidy != answer else None


def _integration_constant(expr: sympy.Expr, answer: sympy.Expr, derivative: sympy.Expr) -> sympy.Symbol | None:
    """``C`` (or ``c``, ``K``) that the learner added to a right derivative, as if integrating."""
    for name in ("C", "c", "K", "k"):
        constant = symbol(name)
        if constant in answer.free_symbols and constant not in expr.free_symbols:
            without = answer.xreplace({constant: 0})
            if sympy.diff(answer, constant) == 1 and equivalent(without, derivative).equivalent:
                return constant
    return None


def _evidence(verdict: Equivalence, left: str, right: str) -> list[str]:
    """How the verdict was reached, in a learner's words."""
    if verdict.equivalent:
        if verdict.method == "symbolic":
            return ["Decided by algebra: the difference of the two sides simplifies to 0."]
        lines = [
            f"Decided numerically: the two sides agree at {verdict.points_checked} test points "
            "(to at least 10 significant figures), and algebra found no difference."
        ]
        lines += _domain_lines(verdict, left, right)
        return lines
    if verdict.counterexample is None:
        if verdict.lhs_value is None and verdict.rhs_value is None and verdict.points_checked == 0 and verdict.domain_point is None:
            return ["They cannot be equal: they are of different shapes (a matrix against a scalar, or sizes that differ)."]
        return ["They could not be compared: there are almost no real points where both sides are defined."]
    sentence = f"{_point_words(verdict.counterexample)}{left} is {_value_words(verdict.lhs_value)} but {right} is {_value_words(verdict.rhs_value)}."
    return [sentence[0].upper() + sentence[1:]]


def _agreement(verdict: Equivalence) -> list[str]:
    """How closely two different numbers agree: a learner who rounded needs to know that is why."""
    a, b = verdict.lhs_value, verdict.rhs_value
    if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number):
        return []
    if a.is_Rational and b.is_Rational and not verdict.counterexample:  # a claim about exact numbers
        return [f"Compared exactly: they differ by {plain(abs(a - b))}."]
    try:
        x, y = sympy.N(a, 40), sympy.N(b, 40)
        scale = max(abs(x), abs(y))
        if not (x.is_real and y.is_real) or scale == 0:
            return []
        relative = abs(x - y) / scale
    except (TypeError, ValueError):
        return []
    if relative == 0 or relative >= sympy.Float("1e-3"):
        return []
    digits = int(sympy.floor(-sympy.log(relative, 10)))
    return [f"They agree to {digits} significant figures, but they are not equal: decimals are exact "
            "(0.1 is 1/10), so a rounded decimal is not the number it rounds."]


def _domain_lines(verdict: Equivalence, left: str, right: str) -> list[str]:
    if verdict.domain_point is None:
        return []
    undefined, defined = (left, right) if verdict.undefined_side == "lhs" else (right, left)
    lines = ["Careful with domains: they are equal only where both sides are defined."]
    if verdict.condition is not None:
        lines[0] = f"Careful with domains: they are equal for {condition_text(verdict.condition)}, where both sides are defined."
    sentence = f"{_point_words(verdict.domain_point)}{undefined} is not a real number, while {defined} is."
    lines.append(sentence[0].upper() + sentence[1:])
    return lines


def _point_words(point: dict[sympy.Symbol, sympy.Expr]) -> str:
    if not point:
        return ""
    values = ", ".join(f"{name} = {plain(value)}" for name, value in sorted(((s.name, v) for s, v in point.items()), key=lambda item: item[0]))
    return f"at {values}, "


def _value_words(value: sympy.Basic | None) -> str:
    if value is None:
        return "undefined (not a real number)"
    if isinstance(value, sympy.MatrixBase):
        return f"`{plain(value)}`"
    if isinstance(value, sympy.Float) or value.is_Rational:
        return f"`{plain(value)}`"
    return f"`{plain(value)}` ≈ {fmt_number(value, 8)}"
