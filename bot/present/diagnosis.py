"""A diagnosed mistake in a teacher's words: what went wrong, where, the right step there, the fix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import sympy

from bot.errors import CalcbotError
from bot.present.answer import Diagnosed
from bot.present.format import fmt_expr, plain
from bot.solver.diagnosis import (
    TIMED_OUT_FINDING,
    Finding,
    Slip,
    constant_multiple,
    diagnose,
    diagnose_path,
    find_mistake,
)
from bot.solver.equivalence import equivalent
from bot.solver.malrules import BY_CODE
from bot.solver.parser import parse, parse_assignments
from bot.solver.terms import TermComparison, TypedTerm, compare_typed_terms, typed_order
from bot.solver.variables import symbol

TIMED_OUT = "🔎 The search for a known mistake took too long for an expression this size — compare with the derivative above."
NOT_EXPLAINED = (
    "🔎 No common mistake (a misapplied rule, or two) explains this answer exactly — "
    "compare it with the derivative at the point above."
)


def diagnosed(finding: Finding | None, line: int | None = None) -> Diagnosed | None:
    """The machine-readable part (the console's ``"diagnosis"``)."""
    if finding is None or finding is TIMED_OUT_FINDING:
        return None
    return Diagnosed(finding.code, sympy.sstr(finding.where), line)


def terms_line(found: TermComparison | None, reveal: bool = True) -> str:
    """Which of the learner's terms are right and which are not, in their words ("" when the terms
    do not line up). Before the retry (``reveal`` false) a wrong term is named, not corrected."""
    if found is None or not found.helpful:
        return ""
    parts = []
    if found.right:
        names = _and(f"`{term.text}`" for term in found.right)
        parts.append(f"your {names} {'is' if len(found.right) == 1 else 'are'} right")
    if reveal:
        parts += [f"your `{term.text}` should be `{plain(should)}`" for term, should in found.wrong]
    elif found.wrong:
        names = _and(f"`{term.text}`" for term, _ in found.wrong)
        parts.append(f"your {names} {'is' if len(found.wrong) == 1 else 'are'} not right")
    parts += [f"your `{term.text}` should not be there" for term in found.extra]
    if found.missing:
        count = len(found.missing)
        parts.append("a term is missing" if count == 1 else f"{count} terms are missing")
    return f"Term by term: {'; '.join(parts)}."


def typed_terms_line(answer: sympy.Expr, correct: sympy.Expr, reveal: bool = True) -> str:
    """``terms_line`` for an answer read earlier in this job: its terms in the order typed."""
    typed = typed_order(answer)
    if typed is None:
        return ""
    try:
        found = compare_typed_terms([TypedTerm(plain(term), term) for term in typed], correct)
    except (sympy.PolynomialError, TypeError, ValueError):
        return ""
    return terms_line(found, reveal)


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def diagnosis_lines(
    finding: Finding | None,
    var: sympy.Symbol,
    order: int = 1,
    *,
    answer: sympy.Expr | None = None,
    correct: sympy.Expr | None = None,
    reveal: bool = True,
    terms: bool = True,
) -> list[str]:
    """The teacher's explanation; when nothing explains the answer, say so (and whether it is a
    constant multiple of the derivative). It never states the whole right answer: the reply that
    carries it does (once). With ``reveal`` false (a quiz's first try) it names the mistake but not
    the right step; with ``terms`` it starts with the term-by-term line (the quiz writes its own)."""
    lead = [line for line in [typed_terms_line(answer, correct, reveal)] if line] if (
        terms and answer is not None and correct is not None) else []
    if finding is TIMED_OUT_FINDING:
        return [*lead, TIMED_OUT]
    if finding is None:
        lines = [*lead, NOT_EXPLAINED]
        if answer is not None and correct is not None:
            factor = constant_multiple(answer, correct, var)
            if factor is not None:
                lines.append(
                    f"Your answer is {fmt_expr(factor)} times the derivative: check the constant factors "
                    "(the power rule brings the exponent down: d/dx xⁿ = n xⁿ⁻¹)."
                )
        return lines
    if len(finding.slips) == 1:
        lines = [*lead, f"🔎 **The mistake:** {_slip_text(finding.slips[0], var, order, reveal)}"]
    else:
        lines = [*lead, "🔎 **Two mistakes** explain your answer exactly:"]
        lines += [f"{i}. {_slip_text(slip, var, order, reveal)}" for i, slip in enumerate(finding.slips, 1)]
    return lines


def _slip_text(slip: Slip, var: sympy.Symbol, order: int, reveal: bool = True) -> str:
    rule = BY_CODE[slip.code]
    operator = f"d/d{var.name}"
    words = f"{rule.words[0].upper()}{rule.words[1:]} (`{slip.code}`)"
    if slip.note:
        return f"{words}: {slip.note}. Remember {rule.rule}."
    if slip.wrong_step is None or slip.right_step is None:
        return f"{words}. Remember {rule.rule}."
    place = _which_term(slip, var)
    if place is not None:  # a whole sum's step would restate the answer: name the term instead
        return f"{words}: {place}. Remember {rule.rule}."
    missing = ""
    if slip.code == "chain_rule_inner_missing" and slip.wrong_step != 0:
        factor = fmt_expr(sympy.cancel(slip.right_step / slip.wrong_step))
        missing = f" The missing factor is the derivative of the inside, {factor}." if reveal else " Which factor does the chain rule still need?"
    step = f"Your step there: {operator}({plain(slip.node)}) = {fmt_expr(slip.wrong_step)}"
    if not reveal:
        return f"{words}, at `{plain(slip.node)}`.{missing} {step}. Remember {rule.rule}."
    return (
        f"{words}, at `{plain(slip.node)}`.{missing} {step}; "
        f"the right step: {operator}({plain(slip.node)}) = {fmt_expr(_tidy(slip.right_step))} — {rule.rule}."
    )


def _which_term(slip: Slip, var: sympy.Symbol) -> str | None:
    """For a mistake over a whole sum (a term copied, a term in another variable kept): which term."""
    if slip.code not in ("term_not_differentiated", "partial_other_variable_kept") or slip.wrong_step is None:
        return None
    assert slip.right_step is not None
    extra = sympy.expand(slip.wrong_step - slip.right_step)
    if slip.code == "partial_other_variable_kept":
        return f"`{plain(extra)}` was kept, but it has no {var.name} in it, so with the other variables held constant its derivative is 0"
    for term in sympy.Add.make_args(slip.node):
        if term.has(var) and sympy.expand(term - sympy.diff(term, var)) == extra:
            return f"`{plain(term)}` was copied into the answer as it was, not differentiated"
    return None


_DERIVE = re.compile(r"^/derive\s+(?P<expr>.+)$")
_PARTIAL = re.compile(r"^/partial\s+(?P<expr>.+?)\s+wrt\s+(?P<var>[A-Za-z]\w*)$")
_CHAIN = re.compile(r"^/chain\s+(?P<expr>.+?)\s+with\s+(?P<paths>.+?)\s+wrt\s+(?P<var>[A-Za-z]\w*)$")
_GRAD = re.compile(r"^/grad\s+(?P<expr>.+)$")


def quiz_diagnosis(
    solution_command: str, given: sympy.Expr, expected: sympy.Expr, seed: int, reveal: bool = True
) -> tuple[list[str], Diagnosed | None]:
    """For a wrong answer to a derivative question (its worked command is ``/derive F`` or
    ``/partial F wrt v`` and its answer is that derivative): the explanation and the code."""
    command = solution_command.strip()
    if (chain := _CHAIN.match(command)) is not None:
        return _path_diagnosis(chain, given, expected, seed, reveal)
    derive, partial = _DERIVE.match(command), _PARTIAL.match(command)
    match = partial or derive
    if match is None:
        return [], None
    try:
        expr = parse(match.group("expr"))
    except CalcbotError:
        return [], None
    if partial is not None:
        var = symbol(partial.group("var"))
    else:
        free = sorted((s for s in expr.free_symbols if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
        if len(free) != 1:
            return [], None
        var = free[0]
    if not equivalent(sympy.diff(expr, var), expected, seed=seed).equivalent:
        return [], None  # the question asks something else about F (a value, a tangent line)
    finding = find_mistake(diagnose, expr, var, given, seed=seed)
    return diagnosis_lines(finding, var, answer=given, correct=expected, reveal=reveal, terms=False), diagnosed(finding)


def _path_diagnosis(
    chain: re.Match[str], given: sympy.Expr, expected: sympy.Expr, seed: int, reveal: bool
) -> tuple[list[str], Diagnosed | None]:
    try:
        f, path = parse(chain.group("expr")), parse_assignments(chain.group("paths"))
    except CalcbotError:
        return [], None
    t = symbol(chain.group("var"))
    if not equivalent(sympy.diff(f.xreplace(path), t), expected, seed=seed).equivalent:
        return [], None
    finding = find_mistake(diagnose_path, f, path, t, given, seed=seed)
    return diagnosis_lines(finding, t, answer=given, correct=expected, reveal=reveal, terms=False), diagnosed(finding)


def gradient_diagnosis(
    solution_command: str, given: Sequence[sympy.Expr], expected: Sequence[sympy.Expr], seed: int,
    reveal: bool = True,
) -> tuple[list[str], Diagnosed | None]:
    """For a wrong gradient (``/grad F``): each wrong entry diagnosed as the partial it should be."""
    match = _GRAD.match(solution_command.strip())
    if match is None:
        return [], None
    try:
        f = parse(match.group("expr"))
    except CalcbotError:
        return [], None
    variables = sorted((s for s in f.free_symbols if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
    if len(variables) != len(given) or len(given) != len(expected):
        return [], None
    lines: list[str] = []
    first: Diagnosed | None = None
    for index, (var, mine, right) in enumerate(zip(variables, given, expected, strict=True), 1):
        if not equivalent(sympy.diff(f, var), right, seed=seed).equivalent:
            return [], None  # not the gradient in this variable order
        if equivalent(mine, right, seed=seed).equivalent:
            continue
        finding = find_mistake(diagnose, f, var, mine, seed=seed)
        lines.append(f"Entry {index} (∂f/∂{var.name}):")
        lines += diagnosis_lines(finding, var, answer=mine, correct=right, reveal=reveal, terms=False)
        first = first or diagnosed(finding)
    return lines, first


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """A short form of a step for display: cheap rewrites only (full simplification costs more
    than the whole search)."""
    candidates = [expr]
    for rewrite in (sympy.cancel, sympy.factor_terms):
        try:
            candidates.append(rewrite(expr))
        except (sympy.PolynomialError, TypeError, ValueError):
            continue
    return min(candidates, key=sympy.count_ops)
