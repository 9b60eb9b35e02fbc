"""A learner's working: a chain of equalities (one line, or one step per line), checked link by link.

Layout accepted: ``d/dx F = A = B`` on one line; or several lines, the first holding ``d/dx F`` (or
``F``, or ``d/dx F = A``) and each later line one step, ``= B`` or ``A = B`` (then ``A`` must also
equal the line before). Links are numbered from 1 in reading order, so with one step per line link
n is the n-th line after the first.

Each link is checked against the one before by the same equivalence checker as ``/check``; in a
derivative chain the first link is the differentiation step (``A`` against dF/dx), diagnosed by
``bot.solver.diagnosis`` when wrong. A link that holds only where both sides are defined (x > 0) is
right, with the condition kept so the reply can flag it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from bot.errors import UsageError
from bot.solver.diagnosis import Finding, diagnose, find_mistake
from bot.solver.equivalence import Equivalence, equivalent
from bot.solver.parser import parse, parse_variable
from bot.solver.prefixes import (
    derivative_name,
    leading_derivative,
    split_equals,
    strip_function_name,
)
from bot.solver.variables import default_variable

MAX_LINKS = 12


@dataclass(frozen=True)
class Link:
    number: int  # 1-based, in reading order
    before: sympy.Expr
    after: sympy.Expr
    verdict: Equivalence  # ``after`` against ``before`` (or against dF/dx, for the differentiation step)
    differentiation: bool  # the step from F to its derivative
    restated: sympy.Expr | None = None  # ``A`` of an ``A = B`` line, when it is not the line before
    restated_ok: bool = True
    typed_before: str = ""  # both sides as the learner typed them (echoed so, never pre-simplified)
    typed_after: str = ""
    order: int = 0  # how many times this step differentiates (0: an equality step)
    expected: sympy.Expr | None = None  # what the step must equal: ``before``, or its derivative

    @property
    def right(self) -> bool:
        return self.verdict.equivalent and self.restated_ok


@dataclass(frozen=True)
class Working:
    var: sympy.Symbol | None  # None: a chain of identities, no derivative asked
    function: sympy.Expr  # the first expression (F, for a derivative chain)
    links: tuple[Link, ...]
    correct: sympy.Expr | None  # dF/dx (or dⁿF/dxⁿ), for a derivative chain
    final_right: bool  # the last line is the right answer (dF/dx, or equal to the first expression)
    finding: Finding | None  # the diagnosed first wrong step, when it is the differentiation step
    order: int = 1

    @property
    def first_wrong(self) -> Link | None:
        return next((link for link in self.links if not link.right), None)


def derivative_prefix(text: str) -> tuple[str, str, int] | None:
    """``d/dx(F) = A`` → ``("x", "(F) = A", 1)``, ``d²/dx² F`` → ``("x", "F", 2)``: the operator
    starting the working (one variable; a mixed ∂²/∂x∂y stays in the expression)."""
    found = leading_derivative(text)
    if found is None or len(set(found.variables)) != 1:
        return None
    return found.variables[0], found.rest, found.order


def _rows(text: str) -> list[list[str]]:
    rows = [split_equals(line) for line in text.splitlines() if line.strip()]
    if not rows:
        raise UsageError("there is no working to check.", hint="e.g. `/check d/dx x^2 sin x = 2x sin x + x^2 cos x`")
    if not rows[0][0].strip():
        raise UsageError("the first line needs the expression you start from.", hint="e.g. `d/dx x^3 cos x`")
    for number, row in enumerate(rows, 1):
        if number > 1 and len(row) == 1:
            row[:] = ["", row[0]]  # a line with no '=' is the next step (a form's lines need not start with it)
        if any(not part.strip() for part in row[1:]) or (number > 1 and len(row) < 2):
            raise UsageError(
                f"line {number} of the working needs the form `= EXPR` or `LHS = RHS`.",
                hint="one step per line, each starting with `=`",
            )
    return rows


def _named_rows(rows: list[list[str]], var_text: str | None, order: int) -> tuple[str | None, int, dict[int, int]]:
    """Names learners write on their lines: ``f(x) = F`` or ``y = F`` on the first, and ``dy/dx = A``,
    ``f'(x) = A``, ``∂f/∂x = A`` on a later one (which makes the working a derivative chain, when no
    d/dx was written); then ``f''(x) = B`` differentiates again. Each name is taken off its line.

    Returns the variable, the order of the first differentiation, and for each later row that names
    a higher derivative, how many more times its first step differentiates.
    """
    further: dict[int, int] = {}
    if len(rows[0]) > 1 and strip_function_name(rows[0][0] + "=" + rows[0][1]) != rows[0][0] + "=" + rows[0][1]:
        rows[0][:] = rows[0][1:]
    on_the_page = order if var_text is not None else 0  # the order of the derivative written so far
    for index, row in enumerate(rows[1:], 1):
        if len(row) < 2 or not row[0].strip():
            continue
        named = derivative_name(row[0] + "=" + row[1])
        if named is None:
            continue
        if var_text is None and index == 1 and len(rows[0]) == 1:
            variables = named.variables
            if variables is not None and len(set(variables)) == 1:
                var_text, order = variables[0], named.order
            elif variables is None:
                var_text, order = default_variable(parse(rows[0][0])).name, named.order
            on_the_page = order
        elif var_text is not None and named.order > on_the_page:
            further[index] = named.order - on_the_page
            on_the_page = named.order
        if var_text is not None:
            row[0] = ""
    return var_text, order, further


def check_working(var_text: str | None, text: str, order: int = 1) -> Working:
    """Parse and check every link of the working."""
    rows = _rows(text)
    first = rows[0][0]
    if var_text is None and (found := derivative_prefix(first)) is not None:
        var_text, rows[0][0], order = found
    var_text, order, further = _named_rows(rows, var_text, order)
    var = parse_variable(var_text) if var_text else None
    function = parse(rows[0][0])
    total = order + sum(further.values())
    correct = sympy.diff(function, var, total) if var is not None else None
    links: list[Link] = []
    current, current_text = function, rows[0][0].strip()
    for row_index, row in enumerate(rows):
        restated: sympy.Expr | None = None
        restated_text = ""
        steps = row[1:]
        if row_index > 0 and row[0].strip():
            restated, restated_text = parse(row[0]), row[0].strip()
        for step_number, step_text in enumerate(steps):
            if len(links) >= MAX_LINKS:
                raise UsageError(f"working is limited to {MAX_LINKS} steps.", hint="check it in parts")
            after = parse(step_text)
            times = order if not links else (further.get(row_index, 0) if step_number == 0 else 0)
            times = times if var is not None else 0
            restated_ok = True
            if restated is not None:
                restated_ok = equivalent(restated, current).equivalent
                before = restated
            else:
                before = current
            target = sympy.diff(before, var, times) if times and var is not None else before
            verdict = equivalent(after, target)
            links.append(Link(len(links) + 1, before, after, verdict, times > 0, restated, restated_ok,
                              typed_before=restated_text or current_text, typed_after=step_text.strip(),
                              order=times, expected=target))
            current, current_text, restated, restated_text = after, step_text.strip(), None, ""
    if not links:
        raise UsageError("there is no step to check: add `= …` after the expression.", hint="e.g. `d/dx x^2 = 2x`")
    final = links[-1].after
    final_right = equivalent(final, correct if correct is not None else function).equivalent
    finding = None
    wrong = next((link for link in links if not link.right), None)
    if wrong is not None and wrong.differentiation and var is not None:
        finding = find_mistake(diagnose, wrong.before, var, wrong.after, order=wrong.order)
    return Working(var, function, tuple(links), correct, final_right, finding, total)
