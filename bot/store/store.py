"""The progress store: per-user XP, streaks, FSRS cards, answers, open questions, lessons read.

It persists and queries; it runs no quiz logic (ratings, intervals and XP amounts are decided in
``bot.quiz``). Every method is one short transaction. Writes that race with another process are
guarded by row conditions in SQL (a DELETE that must find the open question, an UPDATE that must
find the card version it was computed from), never by a read-then-check in Python.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import migrate
from bot.store.conflicts import CardChanged, QuestionGone
from bot.store.direct import DIRECT_POOL_SIZE, DirectPool, DirectStatement, compile_direct
from bot.store.engine import autocommit_reader, make_engine, writer
from bot.store.models import attempts, cards, learned_topics, open_questions, users
from bot.store.rows import (
    AnswerOutcome,
    AnswerRecord,
    Attempt,
    CardRow,
    CardUpdate,
    FirstTryOutcome,
    FirstTryRecord,
    OpenQuestion,
    ProgressRow,
    TryEvidence,
    TryRecord,
    User,
)
from bot.store.statements import TRY_COLUMNS, answer_statements, single_statement_answers


class Store:
    """Async access to the progress database; build with ``await Store.open(url)``."""

    def __init__(self, engine: AsyncEngine, direct: DirectPool | None = None):
        self._engine = engine
        self._direct = direct
        self._writer = writer(engine)
        self._single_reader = autocommit_reader(engine)
        self._dialect = engine.dialect.name
        self._answer_statements = answer_statements(self._dialect)
        # PostgreSQL only: the hot path's reads by name, and the answer by (new card, streak).
        self._direct_reads: dict[str, DirectStatement] = {}
        self._direct_answers: dict[tuple[str, bool], DirectStatement] = {}
        if direct is not None:
            self._direct_reads = {
                name: compile_direct(getattr(self._answer_statements, name), engine)
                for name in ("get_user", "get_open_question", "get_card", "evidence")
            }
            self._direct_answers = {
                case: compile_direct(statement, engine)
                for case, statement in single_statement_answers().items()
            }
        # SQLite has one writer at a time. Queue this process's writers here rather than on the
        # database lock, whose busy handler polls with sleeps (other processes still wait there).
        self._sqlite_write_lock = asyncio.Lock() if self._dialect == "sqlite" else None

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        connect_args: Mapping[str, Any] | None = None,
        pool_size: int | None = None,
        migrate_schema: bool = True,
    ) -> Store:
        """Connect and bring the schema to the latest migration (idempotent, lock-protected).

        ``url``: ``sqlite+aiosqlite:///path.db`` or ``postgresql+asyncpg://…``. ``connect_args``
        go to the driver, e.g. ``{"server_settings": {"search_path": "schema"}}`` for asyncpg.
        """
        engine = make_engine(url, connect_args=connect_args, pool_size=pool_size)
        direct = None
        try:
            if migrate_schema:
                await migrate.upgrade(engine)
            if engine.dialect.name == "postgresql":
                direct = await DirectPool.open(
                    engine, connect_args=connect_args or {}, size=pool_size or DIRECT_POOL_SIZE
                )
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, direct)

    async def close(self) -> None:
        if self._direct is not None:
            await self._direct.close()
        await self._engine.dispose()

    async def _fetch_one(self, name: str, parameters: Mapping[str, Any]) -> Mapping[Any, Any] | None:
        """One row of a hot-path statement: on asyncpg directly on PostgreSQL (see direct.py)."""
        if self._direct is not None:
            return await self._direct.fetchrow(self._direct_reads[name], parameters)
        statement = getattr(self._answer_statements, name)
        async with self._reading() as connection:
            row = (await connection.execute(statement, parameters)).first()
        return None if row is None else row._mapping

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    # -- transactions -----------------------------------------------------------------------

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one SELECT (statements together need ``_reading_consistently``)."""
        async with self._single_reader.connect() as connection:
            yield connection

    @asynccontextmanager
    async def _reading_consistently(self) -> AsyncIterator[AsyncConnection]:
        """A read transaction for several SELECTs that must see the same data."""
        async with self._engine.connect() as connection:
            if self._dialect == "postgresql":
                await connection.execution_options(isolation_level="REPEATABLE READ")
            yield connection

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed on success, rolled back on any exception."""
        if self._sqlite_write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._sqlite_write_lock, self._writer.begin() as connection:
            yield connection

    def transaction(self) -> Any:
        """A write transaction for other stores on the same database (cohorts, schedules)."""
        return self._writing()

    def snapshot(self) -> Any:
        """A consistent read transaction for other stores on the same database."""
        return self._reading_consistently()

    @property
    def dialect(self) -> str:
        return self._dialect

    def insert(self, table: Table) -> Any:
        return self._insert(table)

    def _insert(self, table: Table) -> Any:
        """INSERT with the dialect's ON CONFLICT support (both backends speak the same clauses)."""
        if self._dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    # -- users ------------------------------------------------------------------------------

    async def get_or_create_user(
        self, platform: str, platform_user_id: str, display_name: str, now: datetime
    ) -> User:
        """The user for this platform identity, created on first sight; keeps the name current."""
        identity = {"platform": platform, "platform_user_id": platform_user_id}
        row = await self._fetch_one("get_user", identity)
        if row is not None and row["display_name"] == display_name:
            return _user(row)
        statement = (
            self._insert(users)
            .values(
                platform=platform,
                platform_user_id=platform_user_id,
                display_name=display_name,
                xp=0,
                streak_days=0,
                created_at=now,
            )
            .returning(*users.c)
        )
        statement = statement.on_conflict_do_update(
            index_elements=[users.c.platform, users.c.platform_user_id],
            set_={"display_name": statement.excluded.display_name},
        )
        async with self._writing() as connection:
            return _user((await connection.execute(statement)).one()._mapping)

    async def find_user(self, platform: str, platform_user_id: str) -> User | None:
        """The user of this platform identity, without creating one."""
        row = await self._fetch_one("get_user", {"platform": platform, "platform_user_id": platform_user_id})
        return None if row is None else _user(row)

    async def get_user(self, user_id: int) -> User | None:
        async with self._reading() as connection:
            row = (await connection.execute(select(users).where(users.c.id == user_id))).first()
        return None if row is None else _user(row._mapping)

    # -- open questions ---------------------------------------------------------------------

    async def get_open_question(self, user_id: int, channel_key: str) -> OpenQuestion | None:
        """The question waiting for this user's answer in this channel (expired ones included)."""
        row = await self._fetch_one("get_open_question", {"user_id": user_id, "channel_key": channel_key})
        return None if row is None else _open_question(row)

    async def others_waiting_in(self, channel_key: str, user_id: int, now: datetime) -> list[str]:
        """Display names of other users with a live question in this channel (for a clear refusal)."""
        statement = (
            select(users.c.display_name)
            .join(open_questions, open_questions.c.user_id == users.c.id)
            .where(
                open_questions.c.channel_key == channel_key,
                open_questions.c.user_id != user_id,
                open_questions.c.expires_at > now,
            )
            .order_by(open_questions.c.asked_at.desc())
            .limit(3)
        )
        async with self._reading() as connection:
            return [row.display_name for row in await connection.execute(statement)]

    async def put_open_question(
        self,
        user_id: int,
        channel_key: str,
        *,
        topic_id: str,
        question_id: str,
        question_json: str,
        asked_at: datetime,
        expires_at: datetime,
    ) -> tuple[OpenQuestion, OpenQuestion | None]:
        """Open a question in this channel; returns it and the one it replaced, if any."""
        async with self._writing() as connection:
            replaced = (
                await connection.execute(
                    delete(open_questions)
                    .where(
                        open_questions.c.user_id == user_id,
                        open_questions.c.channel_key == channel_key,
                    )
                    .returning(*open_questions.c)
                )
            ).first()
            row = (
                await connection.execute(
                    open_questions.insert()
                    .values(
                        user_id=user_id,
                        channel_key=channel_key,
                        topic_id=topic_id,
                        question_id=question_id,
                        question_json=question_json,
                        hints_used=0,
                        asked_at=asked_at,
                        expires_at=expires_at,
                    )
                    .returning(*open_questions.c)
                )
            ).one()
        return _open_question(row._mapping), None if replaced is None else _open_question(replaced._mapping)

    async def add_hint_used(self, open_question_id: int, *, limit: int) -> int | None:
        """Count one more hint, up to ``limit``; the new count, or None if no hint is left or the
        question is gone."""
        statement = (
            update(open_questions)
            .where(open_questions.c.id == open_question_id, open_questions.c.hints_used < limit)
            .values(hints_used=open_questions.c.hints_used + 1)
            .returning(open_questions.c.hints_used)
        )
        async with self._writing() as connection:
            return (await connection.execute(statement)).scalar_one_or_none()

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
        self._insert_try(connection, record.user_id, given)
        today = given.answered_at.astimezone(UTC).date()
        user = connection.execute(
            self._answer_statements.add_xp_and_streak,
            {"b_user_id": record.user_id, "b_xp": 0, "b_today": today, "b_yesterday": today - timedelta(days=1)},
        ).one()
        return FirstTryOutcome(user=_user(user._mapping), card=card)

    async def delete_open_question(self, open_question_id: int) -> bool:
        """Close a question without an answer; False if it was already gone."""
        statement = (
            delete(open_questions)
            .where(open_questions.c.id == open_question_id)
            .returning(open_questions.c.id)
        )
        async with self._writing() as connection:
            return (await connection.execute(statement)).first() is not None

    async def delete_expired_questions(self, now: datetime) -> int:
        """Housekeeping: drop every question that expired before ``now``; how many went."""
        statement = delete(open_questions).where(open_questions.c.expires_at <= now)
        async with self._writing() as connection:
            return (await connection.execute(statement)).rowcount

    # -- cards ------------------------------------------------------------------------------

    async def get_card(self, user_id: int, topic_id: str) -> CardRow | None:
        row = await self._fetch_one("get_card", {"user_id": user_id, "topic_id": topic_id})
        return None if row is None else _card(row)

    async def get_cards(self, user_id: int) -> list[CardRow]:
        """All the user's cards, soonest due first."""
        statement = select(cards).where(cards.c.user_id == user_id).order_by(cards.c.due, cards.c.id)
        async with self._reading() as connection:
            return [_card(row._mapping) for row in await connection.execute(statement)]

    async def due_cards(self, user_id: int, now: datetime, *, limit: int | None = None) -> list[CardRow]:
        """Cards due at ``now``, most overdue first."""
        statement = (
            select(cards)
            .where(cards.c.user_id == user_id, cards.c.due <= now)
            .order_by(cards.c.due, cards.c.id)
            .limit(limit)
        )
        async with self._reading() as connection:
            return [_card(row._mapping) for row in await connection.execute(statement)]

    async def next_due_card(self, user_id: int, after: datetime) -> CardRow | None:
        """The first card that falls due strictly after ``after`` (for "next review at …")."""
        statement = (
            select(cards)
            .where(cards.c.user_id == user_id, cards.c.due > after)
            .order_by(cards.c.due, cards.c.id)
            .limit(1)
        )
        async with self._reading() as connection:
            row = (await connection.execute(statement)).first()
        return None if row is None else _card(row._mapping)

    # -- lessons ----------------------------------------------------------------------------

    async def mark_learned(self, user_id: int, topic_id: str, at: datetime) -> bool:
        """Record that the user read the topic's lesson; True the first time only."""
        statement = (
            self._insert(learned_topics)
            .values(user_id=user_id, topic_id=topic_id, learned_at=at)
            .on_conflict_do_nothing(index_elements=[learned_topics.c.user_id, learned_topics.c.topic_id])
            .returning(learned_topics.c.topic_id)
        )
        async with self._writing() as connection:
            return (await connection.execute(statement)).first() is not None

    async def learned_topics(self, user_id: int) -> set[str]:
        statement = select(learned_topics.c.topic_id).where(learned_topics.c.user_id == user_id)
        async with self._reading() as connection:
            return set((await connection.execute(statement)).scalars())

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
            **{f"t_{name}": value for name, value in _try_values(_given(record)).items()},
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
            attempt_id=row["attempt_id"], user=_user(row, "user_"), card=_card(row, "card_")
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
        self._insert_try(connection, user_id, _given(record))

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
        return AnswerOutcome(attempt_id=attempt_id, user=_user(user_result.one()._mapping), card=card_row)

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
        return _card(card_row._mapping)

    def _insert_try(self, connection: Connection, user_id: int, given: TryRecord) -> int:
        return int(
            connection.execute(
                self._answer_statements.insert_try, {"user_id": user_id, **_try_values(given)}
            ).scalar_one()
        )

    async def evidence(self, user_id: int) -> list[TryEvidence]:
        """The learner's tries as the learner model reads them, oldest first (on every /quiz and
        /progress: on PostgreSQL straight through asyncpg, see direct.py)."""
        if self._direct is not None:
            rows = await self._direct.fetch(self._direct_reads["evidence"], {"user_id": user_id})
        else:
            async with self._reading() as connection:
                rows = list(await connection.execute(self._answer_statements.evidence, {"user_id": user_id}))
        return [TryEvidence(*row) for row in rows]

    async def attempts(self, user_id: int, *, limit: int = 50) -> list[Attempt]:
        """The user's latest attempts, newest first."""
        statement = (
            select(attempts)
            .where(attempts.c.user_id == user_id)
            .order_by(attempts.c.answered_at.desc(), attempts.c.id.desc())
            .limit(limit)
        )
        async with self._reading() as connection:
            return [_attempt(row) for row in await connection.execute(statement)]

    async def progress_rows(self, user_id: int) -> list[ProgressRow]:
        """Per-topic attempt totals, lesson and card state; sorted by topic id."""
        totals_statement = (
            select(
                attempts.c.topic_id,
                func.count().label("attempts"),
                func.sum(case((attempts.c.correct, 1), else_=0)).label("correct"),
                func.sum(case((attempts.c.skipped, 1), else_=0)).label("skipped"),
                func.sum(attempts.c.hints_used).label("hints_used"),
                func.max(attempts.c.answered_at).label("last_answered_at"),
            )
            .where(attempts.c.user_id == user_id)
            .group_by(attempts.c.topic_id)
        )
        learned_statement = select(learned_topics.c.topic_id, learned_topics.c.learned_at).where(
            learned_topics.c.user_id == user_id
        )
        cards_statement = select(cards).where(cards.c.user_id == user_id)
        async with self._reading_consistently() as connection:
            totals = {row.topic_id: row for row in await connection.execute(totals_statement)}
            learned = {row.topic_id: row.learned_at for row in await connection.execute(learned_statement)}
            card_rows = {row.topic_id: _card(row._mapping) for row in await connection.execute(cards_statement)}
        rows = []
        for topic_id in sorted(totals.keys() | learned.keys() | card_rows.keys()):
            total = totals.get(topic_id)
            rows.append(
                ProgressRow(
                    topic_id=topic_id,
                    attempts=int(total.attempts) if total else 0,
                    correct=int(total.correct) if total else 0,
                    skipped=int(total.skipped) if total else 0,
                    hints_used=int(total.hints_used) if total else 0,
                    last_answered_at=total.last_answered_at if total else None,
                    learned_at=learned.get(topic_id),
                    card=card_rows.get(topic_id),
                )
            )
        return rows


def _user(values: Mapping[Any, Any], prefix: str = "") -> User:
    return User(**{name: values[prefix + name] for name in _USER_FIELDS})


def _card(values: Mapping[Any, Any], prefix: str = "") -> CardRow:
    return CardRow(**{name: values[prefix + name] for name in _CARD_FIELDS})


def _open_question(values: Mapping[Any, Any]) -> OpenQuestion:
    return OpenQuestion(**{name: values[name] for name in _OPEN_QUESTION_FIELDS})


_USER_FIELDS = tuple(field.name for field in fields(User))
_CARD_FIELDS = tuple(field.name for field in fields(CardRow))
_OPEN_QUESTION_FIELDS = tuple(field.name for field in fields(OpenQuestion))


def _attempt(row: Row[Any]) -> Attempt:
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

