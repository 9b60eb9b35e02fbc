"""The worker-side boundary between libraries and learners: every job runs inside ``guarded``.

Our own domain errors pass through. Two kinds of failure that input alone can cause become honest
errors here, once, instead of ``internal`` crash reports:

* a number too large for floating point (``OverflowError``: ``float(10**400)``, an exact integer in a
  lambdified function) — wherever in the job a number left SymPy for a float;
* a library's own failure (the innermost frame is in SymPy, mpmath, numpy, scipy or code lambdify
  generated): e.g. SymPy 1.14's ``AttributeError`` inside its cache, a ``NameError`` for a function
  numpy cannot evaluate (``DiracDelta``), a singular matrix in numpy.

Anything else is our bug and stays one (the core logs it with an incident id). Library failures are
logged too, at warning level with their traceback, so they can still be reported upstream.

Each job also runs in the parser's reading scope: the documented ambiguities it met come back as
notes in the job's Answer (``bot/solver/ambiguities.py``), and sums the learner typed print in their
order of terms (``bot/solver/terms.py``).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from bot.errors import CalcbotError, CannotEvaluate, NumberTooLarge
from bot.present.answer import Answer, Figure
from bot.present.notes import with_reading_notes
from bot.present.numbers import shorten_answer, shorten_error
from bot.solver.ambiguities import noting
from bot.solver.terms import keeping_typed_order
from bot.stages import timing

log = logging.getLogger("calcbot.guard")
T = TypeVar("T")

_LIBRARIES = tuple(
    os.sep + name + os.sep for name in ("sympy", "mpmath", "numpy", "scipy", "matplotlib")
)


# Python refuses to print integers over 4,300 digits (a guard against slow conversions); our input
# limits keep numbers far below this one, and the text of a reply shows huge numbers shortened.
MAX_INT_DIGITS = 100_000


def guarded(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` (a worker job), turning input-caused library failures into domain errors."""
    sys.set_int_max_str_digits(MAX_INT_DIGITS)
    try:
        with timing() as timed:
            with noting() as notes, keeping_typed_order():  # how the parser read the learner's text
                result = fn(*args)
            if isinstance(result, Answer):
                answer = with_reading_notes(shorten_answer(result), notes)
                return replace(answer, stages=timed.stages("presenting"))  # type: ignore[return-value]
            if isinstance(result, Figure):
                return replace(result, stages=timed.stages("picture"))  # type: ignore[return-value]
        return result
    except CalcbotError as error:
        raise shorten_error(error) from None
    except (MemoryError, RecursionError):
        raise  # the pool turns these into too_complex with its own wording
    except OverflowError:
        raise NumberTooLarge(
            "a number here is too large for floating-point arithmetic (beyond about 1.8×10³⁰⁸)",
            hint="Use smaller numbers, or ask for the exact answer (e.g. /derive) where there is one.",
        ) from None
    except Exception as exc:
        library = _failing_library(exc)
        if library is None:
            raise
        log.warning("%s failed inside %s on user input", type(exc).__name__, library, exc_info=exc)
        raise CannotEvaluate(
            f"{library} could not evaluate this ({_short_reason(exc)})",
            hint="Try writing it another way (simpler, or split into parts), or with other numbers.",
        ) from None


def _failing_library(exc: BaseException) -> str | None:
    """The library whose code raised ``exc`` (by its innermost frame), or None when it was ours."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    innermost = frames[-1].filename
    if innermost.startswith("<lambdifygenerated"):
        return "numeric evaluation"
    for marker in _LIBRARIES:
        if marker in innermost:
            name = marker.strip(os.sep)
            return {"sympy": "SymPy", "mpmath": "mpmath", "numpy": "numpy", "scipy": "SciPy"}.get(name, name)
    return None


def _short_reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, NameError):  # lambdify: a function numpy has no version of
        name = text.split("'")[1] if text.count("'") >= 2 else text
        return f"{name} has no numeric version here"
    return text if len(text) <= 120 else text[:117] + "…"
