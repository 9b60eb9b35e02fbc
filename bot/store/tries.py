"""A learner's own data: their tries read back (oldest first, for the learner model and the CSV
export), and everything stored about them deleted on request (``/forget me``).

Tries are written with the answers they are (``Store.record_answer``, ``Store.record_first_try``);
this module only reads and deletes, through the store's transactions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.store.models import (
    attempts,
    cards,
    learned_topics,
    learner_states,
    malrule_counts,
    open_questions,
    skill_states,
    tries,
    users,
)
from bot.store.rows import StoredTry, TryRecord
from bot.store.statements import TRY_COLUMNS
from bot.store.store import Store


async def tries_of(store: Store, user_id: int) -> list[StoredTry]:
    """Every try of the learner, in the order given (oldest first)."""
    statement = select(tries).where(tries.c.user_id == user_id).order_by(tries.c.id)
    async with store.snapshot() as connection:
        return [stored_try(row._mapping) for row in await connection.execute(statement)]


def stored_try(values: Mapping[Any, Any]) -> StoredTry:
    flags = ("skills", "correct", "retry", "skipped")
    return StoredTry(
        id=values["id"],
        user_id=values["user_id"],
        record=TryRecord(
            **{name: values[name] for name in TRY_COLUMNS if name not in flags},
            skills=tuple((values["skills"] or "").split()),
            correct=bool(values["correct"]),
            retry=bool(values["retry"]),
            skipped=bool(values["skipped"]),
        ),
    )


async def count_tries(store: Store, user_id: int) -> int:
    """How many tries the learner has (counted by the database, not read)."""
    async with store.snapshot() as connection:
        return int((await connection.execute(
            select(func.count()).select_from(tries).where(tries.c.user_id == user_id))).scalar_one())


# What /forget me reports, in this order, and the table each count comes from.
FORGOTTEN = (
    ("tries", "tries (every answer you gave, and skips)"),
    ("attempts", "answered questions"),
    ("cards", "review schedules"),
    ("open_questions", "open questions"),
    ("learned_topics", "lessons marked read"),
    ("skill_states", "skills with a mastery kept"),
    ("malrule_counts", "kinds of mistake counted"),
)


async def forget_user(store: Store, user_id: int, user_key: str) -> dict[str, int]:
    """Delete everything stored about the learner, all or nothing; how many rows of each kind went.

    The user row goes last and its foreign keys cascade (sandpit games, the stored mastery too); cohort memberships and
    daily answers, keyed by ``platform:id`` rather than the user row, are deleted by that key, and a
    cohort they created keeps running for its other members with its creator left blank.
    """
    from bot.cohorts.tables import cohort_members, cohorts, daily_answers
    from bot.store.game_models import sandpit_games, sandpit_results

    counted = {"tries": tries, "attempts": attempts, "cards": cards, "open_questions": open_questions,
               "learned_topics": learned_topics, "sandpit_games": sandpit_games,
               "sandpit_results": sandpit_results, "skill_states": skill_states,
               "malrule_counts": malrule_counts, "learner_states": learner_states}
    deleted: dict[str, int] = {}
    async with store.transaction() as connection:
        for name, table in counted.items():
            deleted[name] = int((await connection.execute(
                select(func.count()).select_from(table).where(table.c.user_id == user_id))).scalar_one())
        deleted["cohort_members"] = (await connection.execute(
            delete(cohort_members).where(cohort_members.c.user_key == user_key))).rowcount
        deleted["daily_answers"] = (await connection.execute(
            delete(daily_answers).where(daily_answers.c.user_key == user_key))).rowcount
        await connection.execute(update(cohorts).where(cohorts.c.creator == user_key).values(creator=""))
        deleted["users"] = (await connection.execute(delete(users).where(users.c.id == user_id))).rowcount
    return deleted
