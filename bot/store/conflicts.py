"""Refusals from the store when a concurrent writer got there first.

Internal to the store/quiz boundary (the quiz engine turns them into user-facing errors or
retries), so they are not ``bot.errors`` classes.
"""

from __future__ import annotations


class StoreConflict(Exception):
    """A conditional write found the row changed or gone; the transaction was rolled back."""


class QuestionGone(StoreConflict):
    """The open question was already answered, skipped or replaced."""


class CardChanged(StoreConflict):
    """The card moved on since it was read; re-read it and compute the new state again."""
