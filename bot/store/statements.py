"""The hot-path statements, built once per dialect with bound parameters.

Building a Core statement per call costs more client CPU than the round trip it makes
(expression coercion, then a fresh cache key for the compiled-statement cache). A statement
object built once keeps its cache key memoised, so each execution is a cache hit with only the
parameters new. The same expressions compile on SQLite and PostgreSQL; only the INSERT with
ON CONFLICT comes from the dialect's own ``insert``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Executable, bindparam, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.models import attempts, cards, open_questions, users


@dataclass(frozen=True, slots=True)
class AnswerStatements:
    """What each answer executes: the engine's reads before it, then ``Store.record_answer``."""

    get_user: Executable  # platform, platform_user_id
    get_open_question: Executable  # user_id, channel_key
    get_card: Executable  # user_id, topic_id
    close_question: Executable  # question_id, user_id -> id
    insert_card: Executable  # the card's columns -> card
    update_card: Executable  # b_user_id, b_topic_id, b_version, b_state_json, b_due, ... -> card
    insert_attempt: Executable  # the attempt's columns -> id
    add_xp: Executable  # b_user_id, b_xp -> user (a skip: no streak change)
    add_xp_and_streak: Executable  # b_user_id, b_xp, b_today, b_yesterday -> user


def answer_statements(dialect: str) -> AnswerStatements:
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    last = users.c.last_active_day
    today = bindparam("b_today", type_=Date())
    yesterday = bindparam("b_yesterday", type_=Date())
    add_xp = update(users).where(users.c.id == bindparam("b_user_id")).values(
        xp=users.c.xp + bindparam("b_xp")
    )
    return AnswerStatements(
        get_user=select(users).where(
            users.c.platform == bindparam("platform"),
            users.c.platform_user_id == bindparam("platform_user_id"),
        ),
        get_open_question=select(open_questions).where(
            open_questions.c.user_id == bindparam("user_id"),
            open_questions.c.channel_key == bindparam("channel_key"),
        ),
        get_card=select(cards).where(
            cards.c.user_id == bindparam("user_id"), cards.c.topic_id == bindparam("topic_id")
        ),
        close_question=delete(open_questions)
        .where(
            open_questions.c.id == bindparam("question_id"),
            open_questions.c.user_id == bindparam("user_id"),
        )
        .returning(open_questions.c.id),
        # INSERTs take column-named parameters with each execution.
        insert_card=insert(cards)
        .on_conflict_do_nothing(index_elements=[cards.c.user_id, cards.c.topic_id])
        .returning(*cards.c),
        update_card=update(cards)
        .where(
            cards.c.user_id == bindparam("b_user_id"),
            cards.c.topic_id == bindparam("b_topic_id"),
            cards.c.version == bindparam("b_version"),
        )
        .values(
            state_json=bindparam("b_state_json"),
            due=bindparam("b_due", type_=cards.c.due.type),
            last_review=bindparam("b_last_review", type_=cards.c.last_review.type),
            reps=cards.c.reps + 1,
            lapses=cards.c.lapses + bindparam("b_lapse"),
            version=cards.c.version + 1,
        )
        .returning(*cards.c),
        insert_attempt=attempts.insert().returning(attempts.c.id),
        add_xp=add_xp.returning(*users.c),
        # SET expressions all read the old row, on both backends.
        add_xp_and_streak=add_xp.values(
            streak_days=case(
                (last.is_(None), 1),
                (last >= today, users.c.streak_days),
                (last == yesterday, users.c.streak_days + 1),
                else_=1,
            ),
            last_active_day=case((last >= today, last), else_=today),
        ).returning(*users.c),
    )
