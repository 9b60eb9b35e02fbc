"""The picklable result of a worker job; the core turns it into a Reply."""

from __future__ import annotations

from dataclasses import dataclass

from bot.stages import Timings


@dataclass(frozen=True, slots=True)
class Figure:
    name: str  # file name, e.g. "tangent.png"
    png: bytes
    alt: str = ""  # a one-line description, for accessibility and the console
    stages: Timings = ()  # where drawing it took its time (bot.stages), logged at debug level


@dataclass(frozen=True, slots=True)
class Diagnosed:
    """The misapplied rule found in a learner's working (the core's ``Diagnosis``)."""

    code: str  # mal-rule code, bot.solver.malrules
    where: str  # the sub-expression, SymPy syntax
    line: int | None = None  # 1-based link of a chain, None for a single answer


@dataclass(frozen=True, slots=True)
class Answer:
    text: str  # Markdown: the working, then the answer
    result: str | None = None  # the main answer in SymPy syntax (str(expr)), machine-readable
    latex: str | None = None  # the main answer (or claim) in LaTeX
    images: tuple[Figure, ...] = ()
    diagnosis: Diagnosed | None = None
    check_working: str | None = None  # the /check a learner's own working of this answer goes to
    stages: Timings = ()  # where computing it took its time (bot.stages), logged at debug level
