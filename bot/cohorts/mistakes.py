"""A group's common mistake, in words: what it is, how many made it, one example, the lesson for it.

The words and the lesson come from the learner model (``bot.learner``) when it is installed; the
mistake code is shown as it is otherwise.
"""

from __future__ import annotations

import importlib
from typing import Any


def _learner() -> Any:
    try:
        return importlib.import_module("bot.learner")
    except ImportError:  # the learner model is not part of this build yet
        return None


def describe(code: str, members: int, count: int, example: str | None) -> str:
    learner = _learner()
    words = learner.mistake_words(code) if learner is not None else code.replace("_", " ")
    lesson = learner.lesson_of_malrule(code) if learner is not None else None
    text = f"**{words}** (`{code}`) — {members} member{'s' if members != 1 else ''}, {count} time{'s' if count != 1 else ''}"
    if example:
        text += f"; e.g. `{example}`"
    if lesson:
        text += f" — the lesson that fixes it: `/lesson {lesson}`"
    return text
