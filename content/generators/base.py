"""Building blocks shared by the question generators.

A generator is a pure function ``seed -> Draft``. Parameters come from :func:`pick`, which walks the
whole parameter grid in a scrambled order, so seeds 0, 1, 2, … give distinct questions until the grid
is exhausted (the grids hold thousands of items); ``random.Random(seed)`` is used for the rest
(shuffling choices). Answers are always computed with SymPy from the parameters, never typed in.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from bot.learner.skills import SKILLS, skill_of_malrule
from bot.present.format import plain
from bot.solver.diagnosis import dependent_nodes
from bot.solver.malrules import MAL_RULES
from bot.solver.variables import symbol
from content.questions import choice_labels

x, y, z, t, h = (symbol(name) for name in ("x", "y", "z", "t", "h"))

# Significant figures asked for when an answer is not a whole number: a rounded answer must agree
# with the exact one to exactly that many (the prompt says so); other numbers must be exact.
SIG_FIGS = 4
EXACT_TOLERANCE = 1e-9

# Real points (all positive, so logs and roots are defined) used to tell choice texts apart.
_PROBE_POINTS = (
    {x: sympy.Rational(37, 100), y: sympy.Rational(129, 100), z: sympy.Rational(83, 100), t: sympy.Rational(61, 100)},
    {x: sympy.Rational(171, 100), y: sympy.Rational(53, 100), z: sympy.Rational(211, 100), t: sympy.Rational(147, 100)},
)


@dataclass(frozen=True)
class Draft:
    """Everything in a Question except its identity (id and topic), which the catalog adds."""

    prompt: str
    kind: str
    answer: str
    choices: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    solution: str = ""
    solution_command: str = ""
    tolerance: float = 1e-6
    significant_figures: int = 0  # see Question.significant_figures
    skills: tuple[str, ...] = ()  # the skills the question exercises, main one first (bot.learner)
    choice_malrules: tuple[str | None, ...] = ()  # per choice: the mistake that gives it (None: the answer, or no known one)
    choice_notes: tuple[str, ...] = ()  # see Question.choice_notes
    figure: str = ""  # see Question.figure

    def __post_init__(self) -> None:
        unknown = [skill for skill in self.skills if skill not in SKILLS]
        if unknown:
            raise ValueError(f"unknown skills {unknown}")
        if self.choice_malrules and len(self.choice_malrules) != len(self.choices):
            raise ValueError("choice_malrules needs one entry per choice")


Generator = Callable[[int], Draft]


def declares(*skills: str) -> Callable[[Generator], Generator]:
    """Declare the skills a generator's questions exercise (when its drafts do not say themselves)."""
    unknown = [skill for skill in skills if skill not in SKILLS]
    if unknown or not skills:
        raise ValueError(f"a generator declares known skills, not {list(skills)}")

    def declare(generator: Generator) -> Generator:
        @functools.wraps(generator)
        def generate(seed: int) -> Draft:
            draft = generator(seed)
            return draft if draft.skills else dataclasses.replace(draft, skills=skills)

        return generate

    return declare


def pick(seed: int, *options: Sequence[Any]) -> tuple[Any, ...]:
    """One value from each option list; distinct seeds give distinct combinations (until exhausted).

    The seed is mapped through ``i -> (i * stride + offset) mod N`` with ``stride`` coprime to the grid
    size ``N`` — a bijection on the grid — so neighbouring seeds land far apart in parameter space.
    """
    sizes = [len(option) for option in options]
    if any(size == 0 for size in sizes):
        raise ValueError("every option list needs at least one value")
    total = math.prod(sizes)
    stride = max(1, int(total * 0.6180339887)) | 1
    while math.gcd(stride, total) != 1:
        stride += 1
    index = (seed * stride + total // 3) % total
    chosen = []
    for option, size in zip(options, sizes, strict=True):
        index, digit = divmod(index, size)
        chosen.append(option[digit])
    return tuple(chosen)


def nonzero(low: int, high: int) -> tuple[int, ...]:
    """The integers low..high without 0."""
    return tuple(n for n in range(low, high + 1) if n != 0)


def code(expr: sympy.Basic) -> str:
    """An expression as inline Markdown code in the students' notation."""
    return f"`{plain(expr)}`"


def decimal(value: sympy.Rational | int) -> str:
    """A short rational as a decimal (0.5, -1.25); other values in plain notation."""
    value = sympy.Rational(value)
    if value.q == 1:
        return str(value.p)
    q = value.q
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q != 1:
        return plain(value)
    text = f"{float(value):.10f}".rstrip("0")
    return text.rstrip(".")


def point_text(values: Sequence[sympy.Basic | int]) -> str:
    return "(" + ", ".join(decimal(v) if isinstance(v, int | sympy.Rational) else plain(v) for v in values) + ")"


def fmt_pairs(points: Sequence[tuple[int, int]]) -> str:
    """Data points as the learner reads them: (1, 2), (2, 4.1), …"""
    return ", ".join(f"({decimal(px)}, {decimal(py)})" for px, py in points)


def vector_answer(values: Sequence[sympy.Basic]) -> str:
    return "(" + ", ".join(sympy.sstr(v) for v in values) + ")"


def matrix_answer(matrix: sympy.Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(sympy.sstr(entry) for entry in matrix.row(i)) + "]" for i in range(matrix.rows)) + "]"


def matrix_text(matrix: sympy.Matrix) -> str:
    """A matrix as the learner would type it: rows in brackets, ``^`` for powers."""
    return "[" + ", ".join("[" + ", ".join(plain(entry) for entry in matrix.row(i)) + "]" for i in range(matrix.rows)) + "]"


def rounded(value: sympy.Expr, digits: int = 12) -> sympy.Float:
    """A numeric value as a Float with ``digits`` significant figures (for answers with no tidy exact form)."""
    return sympy.Float(float(f"{float(value):.{digits}g}"))


def signed(value: sympy.Rational | int) -> str:
    """A decimal, bracketed when negative, for writing sums like 0.5·(−2) + (−1)."""
    text = decimal(value)
    return f"({text})" if text.startswith("-") else text


def is_whole(value: sympy.Basic) -> bool:
    return bool(isinstance(value, sympy.Integer))


def number_prompt_suffix(value: sympy.Basic) -> str:
    return "" if is_whole(value) else f" Give it exactly or to {SIG_FIGS} significant figures."


def number_draft(
    prompt: str, value: sympy.Expr, *, hints: tuple[str, ...], solution: str, command: str = "", skills: tuple[str, ...] = ()
) -> Draft:
    """A number question; a non-integer answer may be typed rounded to SIG_FIGS figures."""
    if isinstance(value, sympy.Float):
        value = rounded(value)
    return Draft(
        prompt=prompt + number_prompt_suffix(value),
        kind="number",
        answer=sympy.sstr(value),
        hints=hints,
        solution=solution,
        solution_command=command,
        tolerance=EXACT_TOLERANCE,
        significant_figures=0 if is_whole(value) else SIG_FIGS,
        skills=skills,
    )


def vector_draft(
    prompt: str,
    values: Sequence[sympy.Expr],
    *,
    hints: tuple[str, ...],
    solution: str,
    command: str = "",
    skills: tuple[str, ...] = (),
) -> Draft:
    """A vector question; entries that are not whole numbers may be typed rounded."""
    rounded = any(not is_whole(v) and not v.free_symbols for v in values)
    suffix = f" Give each entry exactly or to {SIG_FIGS} significant figures." if rounded else ""
    return Draft(
        prompt=prompt + suffix,
        kind="vector",
        answer=vector_answer(values),
        hints=hints,
        solution=solution,
        solution_command=command,
        tolerance=EXACT_TOLERANCE,
        significant_figures=SIG_FIGS if rounded else 0,
        skills=skills,
    )


def matrix_draft(
    prompt: str, matrix: sympy.Matrix, *, hints: tuple[str, ...], solution: str, command: str = "", skills: tuple[str, ...] = ()
) -> Draft:
    rounded = any(not is_whole(v) and not v.free_symbols for v in matrix)
    suffix = f" Give each entry exactly or to {SIG_FIGS} significant figures." if rounded else ""
    return Draft(
        prompt=prompt + suffix + " Type it row by row, e.g. `[[a, b], [c, d]]`.",
        kind="matrix",
        answer=matrix_answer(matrix),
        hints=hints,
        solution=solution,
        solution_command=command,
        tolerance=EXACT_TOLERANCE,
        significant_figures=SIG_FIGS if rounded else 0,
        skills=skills,
    )


def expression_draft(
    prompt: str, expr: sympy.Expr, *, hints: tuple[str, ...], solution: str, command: str = "", skills: tuple[str, ...] = ()
) -> Draft:
    return Draft(
        prompt=prompt,
        kind="expression",
        answer=sympy.sstr(expr),
        hints=hints,
        solution=solution,
        solution_command=command,
        skills=skills,
    )


def _probe(candidate: sympy.Basic) -> tuple[complex, ...]:
    """Numeric fingerprint of an expression or matrix at fixed real points."""
    entries = list(candidate) if isinstance(candidate, sympy.MatrixBase) else [candidate]
    values: list[complex] = []
    for point in _PROBE_POINTS:
        for entry in entries:
            values.append(complex(entry.evalf(15, subs=point)))
    return tuple(values)


def _same(a: tuple[complex, ...], b: tuple[complex, ...]) -> bool:
    return len(a) == len(b) and all(abs(p - q) <= 1e-9 * max(1.0, abs(p), abs(q)) for p, q in zip(a, b, strict=True))


def choice_draft(
    seed: int,
    prompt: str,
    correct: sympy.Basic,
    mistakes: Sequence[sympy.Basic],
    *,
    hints: tuple[str, ...],
    solution: str,
    command: str = "",
    render: Callable[[sympy.Basic], str] = plain,
    count: int = 4,
    codes: Sequence[str | None] = (),
    skills: tuple[str, ...] = (),
) -> Draft:
    """A multiple-choice question whose wrong options are the results of typical mistakes.

    Mistakes that coincide (numerically) with the right answer or with each other are dropped, and
    the list is topped up with scaled or sign-flipped versions of the answer, so the options are
    always ``count`` mathematically distinct values. The order is shuffled by the seed. ``codes``
    (one per mistake) name the mistake behind each option, so a wrong pick can be diagnosed.
    """
    if codes and len(codes) != len(mistakes):
        raise ValueError("codes needs one entry per mistake")
    kept: list[sympy.Basic] = [correct]
    kept_codes: list[str | None] = [None]
    fingerprints = [_probe(correct)]
    shift = sympy.ones(*correct.shape) if isinstance(correct, sympy.MatrixBase) else sympy.Integer(1)
    fallbacks = [2 * correct, -correct, correct / 2, 3 * correct, correct + shift, correct - shift]
    fallback_codes: list[str | None] = [None, "sign_error", None, None, None, None]
    mistake_codes = list(codes) if codes else [None] * len(mistakes)
    for candidate, mistake in zip([*mistakes, *fallbacks], [*mistake_codes, *fallback_codes], strict=True):
        if len(kept) == count:
            break
        fingerprint = _probe(candidate)
        if any(_same(fingerprint, seen) for seen in fingerprints):
            continue
        texts = {render(option) for option in kept}
        if render(candidate) in texts:
            continue
        kept.append(candidate)
        kept_codes.append(mistake)
        fingerprints.append(fingerprint)
    order = list(range(len(kept)))
    random.Random(seed).shuffle(order)
    labels = choice_labels(len(kept))
    return Draft(
        prompt=prompt,
        kind="choice",
        answer=labels[order.index(0)],
        choices=tuple(render(kept[i]) for i in order),
        hints=hints,
        solution=solution,
        solution_command=command,
        skills=skills,
        choice_malrules=tuple(kept_codes[i] for i in order),
    )


def text_choice_draft(
    seed: int,
    prompt: str,
    correct: str,
    others: Sequence[str],
    *,
    hints: tuple[str, ...],
    solution: str,
    command: str = "",
    mistake: str | None = None,
    skills: tuple[str, ...] = (),
) -> Draft:
    """A multiple-choice question over fixed wordings (e.g. minimum / maximum / saddle); ``mistake``
    is the code of picking any wrong one."""
    options = [correct, *[o for o in dict.fromkeys(others) if o != correct]]
    order = list(range(len(options)))
    random.Random(seed).shuffle(order)
    labels = choice_labels(len(options))
    return Draft(
        prompt=prompt,
        kind="choice",
        answer=labels[order.index(0)],
        choices=tuple(options[i] for i in order),
        hints=hints,
        solution=solution,
        solution_command=command,
        skills=skills,
        choice_malrules=tuple(None if i == 0 else mistake for i in order),
    )


def derivative_skills(expr: sympy.Expr, var: sympy.Symbol, *first: str) -> tuple[str, ...]:
    """The skills differentiating ``expr`` exercises: those whose mal-rules could happen somewhere in
    it (a product somewhere → the product rule, …), after the ``first`` ones given."""
    found: dict[str, None] = dict.fromkeys(first)
    nodes = dependent_nodes(expr, var)

    def d(part: sympy.Expr) -> sympy.Expr:
        return sympy.diff(part, var)

    for rule in MAL_RULES:
        if rule.local is None:
            continue
        skill = skill_of_malrule(rule.code)
        if skill is None or skill in found or skill == "derivative_basics":
            continue  # sums and constants are part of every derivative: named only when asked for
        if any(rule.local(node, var, d) for node in nodes):
            found[skill] = None
    return tuple(found)
