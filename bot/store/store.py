"""The progress store: per-user XP, streaks, FSRS cards, answers, open questions, lessons read.

It persists and queries; it runs no quiz logic (ratings, intervals and XP amounts are decided in
``bot.quiz``). Every method is one short transaction. Writes that race with another process are
guarded by row conditions in SQL (a DELETE that must find the open question, an UPDATE that must
find the card version it was computed from), never by a read-then-check in Python.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, select, update

from bot.store.answers import AnswerWrites
from bot.store.convert import attempt_from, card_from, open_question_from, user_from
from bot.store.models import attempts, cards, learned_topics, open_questions, users
from bot.store.rows import Attempt, CardRow, OpenQuestion, ProgressRow, TryEvidence, User


class Store(AnswerWrites):
    """Async access to the progress database; build with ``await Store.open(url)``.

    Built in layers: ``StoreConnection`` (connection.py: opening, transactions), ``AnswerWrites``
    (answers.py: recording answers), and here users, open questions, cards, lessons and reads.
    """

    # -- users ------------------------------------------------------------------------------

    async def get_or_create_user(
        self, platform: str, platform_user_id: str, display_name: str, now: datetime
    ) -> User:
        """The user for this platform identity, created on first sight; keeps the name current."""
        identity = {"platform": platform, "platform_user_id": platform_user_id}
        row = await self._fetch_one("get_user", identity)
        if row is not None and row["display_name"] == display_name:
            return user_from(row)
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
            return user_from((await connection.execute(statement)).one()._mapping)

    async def find_user(self, platform: str, platform_user_id: str) -> User | None:
        """The user of this platform identity, without creating one."""
        row = await self._fetch_one("get_user", {"platform": platform, "platform_user_id": platform_user_id})
        return None if row is None else user_from(row)

    async def get_user(self, user_id: int) -> User | None:
        async with self._reading() as connection:
            row = (await connection.execute(select(users).where(users.c.id == user_id))).first()
        return None if row is None else user_from(row._mapping)

    # -- open questions ---------------------------------------------------------------------

    async def get_open_question(self, user_id: int, channel_key: str) -> OpenQuestion | None:
        """The question waiting for this user's answer in this channel (expired ones included)."""
        row = await self._fetch_one("get_open_question", {"user_id": user_id, "channel_key": channel_key})
        return None if row is None else open_question_from(row)

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
        return open_question_from(row._mapping), None if replaced is None else open_question_from(replaced._mapping)

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
        return None if row is None else card_from(row)

    async def get_cards(self, user_id: int) -> list[CardRow]:
        """All the user's cards, soonest due first."""
        statement = select(cards).where(cards.c.user_id == user_id).order_by(cards.c.due, cards.c.id)
        async with self._reading() as connection:
            return [card_from(row._mapping) for row in await connection.execute(statement)]

    async def due_cards(self, user_id: int, now: datetime, *, limit: int | None = None) -> list[CardRow]:
        """Cards due at ``now``, most overdue first."""
        statement = (
            select(cards)
            .where(cards.c.user_id == user_id, cards.c.due <= now)
            .order_by(cards.c.due, cards.c.id)
            .limit(limit)
        )
        async with self._reading() as connection:
            return [card_from(row._mapping) for row in await connection.execute(statement)]

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
        return None if row is None else card_from(row._mapping)

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

    # -- answers read back ------------------------------------------------------------------

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
            return [attempt_from(row) for row in await connection.execute(statement)]

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
            card_rows = {row.topic_id: card_from(row._mapping) for row in await connection.execute(cards_statement)}
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
