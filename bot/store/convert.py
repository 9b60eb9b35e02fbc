"""Database rows (mappings) to the store's row dataclasses (``bot.store.rows``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sqlalchemy import Row

from bot.store.rows import Attempt, CardRow, OpenQuestion, User


def user_from(values: Mapping[Any, Any], prefix: str = "") -> User:
    return User(**{name: values[prefix + name] for name in _USER_FIELDS})


def card_from(values: Mapping[Any, Any], prefix: str = "") -> CardRow:
    return CardRow(**{name: values[prefix + name] for name in _CARD_FIELDS})


def open_question_from(values: Mapping[Any, Any]) -> OpenQuestion:
    return OpenQuestion(**{name: values[name] for name in _OPEN_QUESTION_FIELDS})


_USER_FIELDS = tuple(field.name for field in fields(User))
_CARD_FIELDS = tuple(field.name for field in fields(CardRow))
_OPEN_QUESTION_FIELDS = tuple(field.name for field in fields(OpenQuestion))


def attempt_from(row: Row[Any]) -> Attempt:
    return Attempt(
        id=row.id,
        user_id=row.user_id,
        topic_id=row.topic_id,
        question_id=row.question_id,
        channel_key=row.channel_key,
        answer_text=row.answer_text,
        correct=bool(row.correct),
        skipped=bool(row.skipped),
        hints_used=row.hints_used,
        rating=row.rating,
        xp_gained=row.xp_gained,
        answered_at=row.answered_at,
        retry_answer=row.retry_answer,
        retry_correct=None if row.retry_correct is None else bool(row.retry_correct),
    )
