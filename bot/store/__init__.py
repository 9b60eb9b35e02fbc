"""Per-user progress: users, FSRS cards, answers, open questions, lessons read.

``await Store.open(url)`` connects and migrates; no connection is made at import.
"""

from bot.store.conflicts import CardChanged, QuestionGone, StoreConflict
from bot.store.rows import (
    AnswerOutcome,
    AnswerRecord,
    Attempt,
    CardRow,
    CardUpdate,
    OpenQuestion,
    ProgressRow,
    User,
)
from bot.store.store import Store

__all__ = [
    "AnswerOutcome",
    "AnswerRecord",
    "Attempt",
    "CardChanged",
    "CardRow",
    "CardUpdate",
    "OpenQuestion",
    "ProgressRow",
    "QuestionGone",
    "Store",
    "StoreConflict",
    "User",
]
