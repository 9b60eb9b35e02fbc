"""Huge numbers in a reply, shortened for reading: a 4,301-digit integer is not working anyone reads.

Applied once, to every answer a worker job returns and every error it raises (``bot/guard.py``):
``/slope x^2 at 10^400`` names the point as ``1000000000…0000 (401 digits)``. The machine-readable
``result`` keeps every digit; the text and the LaTeX show the first and last digits and the count.
"""

from __future__ import annotations

import dataclasses
import re

from bot.errors import CalcbotError
from bot.present.answer import Answer

LONGEST_SHOWN = 60  # digits; a longer run of digits is shortened
_RUN = re.compile(rf"\d{{{LONGEST_SHOWN + 1},}}")


def shorten_text(text: str) -> str:
    return _RUN.sub(lambda m: f"{m.group()[:10]}…{m.group()[-4:]} ({len(m.group()):,} digits)", text)


def shorten_latex(latex: str) -> str:
    return _RUN.sub(
        lambda m: rf"{m.group()[:10]}\ldots{m.group()[-4:]}\,(\text{{{len(m.group()):,} digits}})", latex
    )


def shorten_answer(answer: Answer) -> Answer:
    if not _RUN.search(answer.text) and not (answer.latex and _RUN.search(answer.latex)):
        return answer
    return dataclasses.replace(
        answer,
        text=shorten_text(answer.text),
        latex=shorten_latex(answer.latex) if answer.latex else answer.latex,
    )


def shorten_error(error: CalcbotError) -> CalcbotError:
    """The same error, its message and hint with huge numbers shortened (in place: it is re-raised)."""
    error.message = shorten_text(error.message)
    error.args = (error.message,)
    if error.hint:
        error.hint = shorten_text(error.hint)
    return error
