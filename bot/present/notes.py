"""The parser's reading notes, placed in a reply where the learner looks for how their input was read."""

from __future__ import annotations

import dataclasses

from bot.present.answer import Answer
from bot.solver.ambiguities import ReadingNote

_READ_AS = "I read this as"


def with_reading_notes(answer: Answer, notes: list[ReadingNote]) -> Answer:
    """``answer`` with one line per note: right under its "I read this as" line (or block), else
    under the first line, so the note is seen before the working it affects."""
    if not notes:
        return answer
    return dataclasses.replace(answer, text=place_notes(answer.text, [note.text for note in notes]))


def place_notes(text: str, notes: list[str]) -> str:
    lines = text.split("\n")
    where = next((i for i, line in enumerate(lines) if _READ_AS in line), None)
    if where is None:
        where = 0
    elif lines[where].rstrip().endswith(":"):  # "I read this as:" then a block of lines
        while where + 1 < len(lines) and lines[where + 1].strip():
            where += 1
    return "\n".join([*lines[: where + 1], *notes, *lines[where + 1 :]])
