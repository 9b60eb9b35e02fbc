"""The store's answer writes: everything an answer, a skip or a wrong first try changes, all or
nothing — the open question closed (or marked), the card written at its expected version, the
attempt and the try inserted, XP and the streak — guarded by row conditions in SQL.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Connection

from bot.store.conflicts import CardChanged, QuestionGone
from bot.store.connection import StoreConnection
from bot.store.convert import card_from, user_from
from bot.store.learner_states import fold_parameters, fold_try, lock_learner
from bot.store.models import open_questions, tries
from bot.store.rows import (
    AnswerOutcome,
    AnswerRecord,
    CardRow,
    CardUpdate,
    FirstTryOutcome,
    FirstTryRecord,
    TryRecord,
)
from bot.store.statements import TRY_COLUMNS

_INSERT_TRY = tries.insert().returning(tries.c.id)


class AnswerWrites(StoreConnection):
    """Recording answers and first tries (``Store`` is built on this)."""

    # -- answers ----------------------------------------------------------------------------

    async def record_answer(self, record: AnswerRecord) -> AnswerOutcome:
        """Everything an answer changes, all or nothing.

        Closes the open question (it must still exist: a second, concurrent answer raises
        ``QuestionGone``), writes the card if it is still at ``record.card.expected_version``
        (else ``CardChanged``), inserts the attempt and adds XP; a real answer (not a skip) also
        extends or restarts the streak for ``answered_at``'s UTC day.
        """
        if self._direct is not None:
            return await self._record_answer_in_one_statement(record)
        async with self._writing() as connection:
            # One greenlet for the whole transaction instead of one per statement.
            return await connection.run_sync(self._record_answer, record)

    async def _record_answer_in_one_statement(self, record: AnswerRecord) -> AnswerOutcome:
        """PostgreSQL: the same steps as ``_record_answer``, as one atomic statement."""
        new = record.card
        mode = "keep" if new is None else "new" if new.expected_version == 0 else "update"
        statement = self._direct_answers[(mode, not record.skipped)]
        given = _given(record)
        today = record.answered_at.astimezone(UTC).date()
        card_parameters = {} if new is None else {
            "b_version": new.expected_version,
            "b_state_json": new.state_json,
            "b_due": new.due,
            "b_last_review": new.last_review,
            "b_lapse": 1 if record.rating == 1 else 0,
        }
        parameters = {
            **card_parameters,
            **{f"t_{name}": value for name, value in _try_values(given).items()},
            **fold_parameters(given),
            "b_open_question_id": record.open_question_id,
            "b_user_id": record.user_id,
            "b_topic_id": record.topic_id,
            "b_question_id": record.question_id,
            "b_channel_key": record.channel_key,
            "b_answer_text": record.answer_text,
            "b_correct": record.correct,
            "b_skipped": record.skipped,
            "b_hints_used": record.hints_used,
            "b_rating": record.rating,
            "b_xp_gained": record.xp_gained,
            "b_answered_at": record.answered_at,
            "b_retry_answer": record.retry_answer,
            "b_retry_correct": record.retry_correct,
            "b_today": today,
            "b_yesterday": today - timedelta(days=1),
        }
        assert self._direct is not None
        # Autocommit: the statement is its own transaction.
        row = await self._direct.fetchrow(statement, parameters)
        if row is None:
            raise QuestionGone(f"open question {record.open_question_id} is no longer open")
        if row["card_id"] is None:
            raise CardChanged(
                f"card {record.topic_id!r} of user {record.user_id} is no longer at version "
                f"{'(any)' if new is None else new.expected_version}"
            )
        return AnswerOutcome(
            attempt_id=row["attempt_id"], user=user_from(row, "user_"), card=card_from(row, "card_")
        )

    def _record_answer(self, connection: Connection, record: AnswerRecord) -> AnswerOutcome:
        statements = self._answer_statements
        user_id = record.user_id
        closed = connection.execute(
            statements.close_question, {"question_id": record.open_question_id, "user_id": user_id}
        ).first()
        if closed is None:
            raise QuestionGone(f"open question {record.open_question_id} is no longer open")

        card_row = self._write_card(
            connection, user_id, record.topic_id, record.card, lapse=1 if record.rating == 1 else 0
        )
        attempt_id = connection.execute(
            statements.insert_attempt,
            {
                "user_id": user_id,
                "topic_id": record.topic_id,
                "question_id": record.question_id,
                "channel_key": record.channel_key,
                "answer_text": record.answer_text,
                "correct": record.correct,
                "skipped": record.skipped,
                "hints_used": record.hints_used,
                "rating": record.rating,
                "xp_gained": record.xp_gained,
                "answered_at": record.answered_at,
                "retry_answer": record.retry_answer,
                "retry_correct": record.retry_correct,
            },
        ).scalar_one()
        insert_try(connection, user_id, _given(record))

        if record.skipped:
            user_result = connection.execute(
                statements.add_xp, {"b_user_id": user_id, "b_xp": record.xp_gained}
            )
        else:
            today = record.answered_at.astimezone(UTC).date()
            user_result = connection.execute(
                statements.add_xp_and_streak,
                {
                    "b_user_id": user_id,
                    "b_xp": record.xp_gained,
                    "b_today": today,
                    "b_yesterday": today - timedelta(days=1),
                },
            )
        return AnswerOutcome(attempt_id=attempt_id, user=user_from(user_result.one()._mapping), card=card_row)

    def _write_card(
        self, connection: Connection, user_id: int, topic_id: str, new: CardUpdate | None, *, lapse: int
    ) -> CardRow:
        """Insert or update the card at its expected version; with no update, the card as it is."""
        statements = self._answer_statements
        if new is None:
            card_result = connection.execute(statements.get_card, {"user_id": user_id, "topic_id": topic_id})
        elif new.expected_version == 0:
            card_result = connection.execute(
                statements.insert_card,
                {
                    "user_id": user_id,
                    "topic_id": topic_id,
                    "state_json": new.state_json,
                    "due": new.due,
                    "last_review": new.last_review,
                    "reps": 1,
                    "lapses": lapse,
                    "version": 1,
                },
            )
        else:
            card_result = connection.execute(
                statements.update_card,
                {
                    "b_user_id": user_id,
                    "b_topic_id": topic_id,
                    "b_version": new.expected_version,
                    "b_state_json": new.state_json,
                    "b_due": new.due,
                    "b_last_review": new.last_review,
                    "b_lapse": lapse,
                },
            )
        card_row = card_result.first()
        if card_row is None:
            version = "(any)" if new is None else new.expected_version
            raise CardChanged(f"card {topic_id!r} of user {user_id} is no longer at version {version}")
        return card_from(card_row._mapping)

    # -- wrong first tries ------------------------------------------------------------------

    async def record_first_try(self, record: FirstTryRecord) -> FirstTryOutcome | None:
        """A wrong first try, all or nothing: keeps it on the open question (now waiting for its
        retry) and as a try, rates the card (``CardChanged`` if it moved) and extends the streak.
        None if the question is gone or already had its first answer (a concurrent one won)."""
        async with self._writing() as connection:
            return await connection.run_sync(self._record_first_try, record)

    def _record_first_try(self, connection: Connection, record: FirstTryRecord) -> FirstTryOutcome | None:
        given = record.given
        marked = connection.execute(
            update(open_questions)
            .where(
                open_questions.c.id == record.open_question_id,
                open_questions.c.user_id == record.user_id,
                open_questions.c.first_answer.is_(None),
            )
            .values(first_answer=given.answer_text)
            .returning(open_questions.c.id)
        ).first()
        if marked is None:
            return None
        card = self._write_card(connection, record.user_id, given.topic_id, record.card, lapse=1)
        insert_try(connection, record.user_id, given)
        today = given.answered_at.astimezone(UTC).date()
        user = connection.execute(
            self._answer_statements.add_xp_and_streak,
            {"b_user_id": record.user_id, "b_xp": 0, "b_today": today, "b_yesterday": today - timedelta(days=1)},
        ).one()
        return FirstTryOutcome(user=user_from(user._mapping), card=card)


def insert_try(connection: Connection, user_id: int, given: TryRecord) -> int:
    """Insert the try and fold it into the learner's stored state, in this transaction."""
    lock_learner(connection, user_id)  # before the try's id is drawn: states follow tries in id order
    try_id = int(connection.execute(_INSERT_TRY, {"user_id": user_id, **_try_values(given)}).scalar_one())
    fold_try(connection, user_id, try_id, given)
    return try_id


def _given(record: AnswerRecord) -> TryRecord:
    """The try an answer record is; built from the attempt's columns when the caller gave none."""
    if record.given is not None:
        return record.given
    retry = record.retry_answer is not None
    return TryRecord(
        topic_id=record.topic_id,
        question_id=record.question_id,
        channel_key=record.channel_key,
        answer_text="" if record.skipped else record.retry_answer or "" if retry else record.answer_text,
        correct=bool(record.retry_correct) if retry else record.correct and not record.skipped,
        answered_at=record.answered_at,
        retry=retry and not record.skipped,
        skipped=record.skipped,
        hints_used=record.hints_used,
    )


def _try_values(given: TryRecord) -> dict[str, Any]:
    values = {name: getattr(given, name) for name in TRY_COLUMNS}
    values["skills"] = " ".join(given.skills)
    return values
