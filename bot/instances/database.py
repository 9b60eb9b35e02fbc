"""``Once`` and ``LimitBook`` in the shared database (PostgreSQL, or one SQLite file).

Claims: ``INSERT … ON CONFLICT DO UPDATE … WHERE not done and the lease expired RETURNING``, so of
two instances claiming one key at once exactly one gets a row back. Limits: per user, the count of
marks in the last minute (the sliding window) and of marks still running, read and extended in one
transaction under a per-user advisory lock (PostgreSQL; SQLite has one writer at a time anyway).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.once import Admission
from bot.instances.tables import inbound_claims, limit_marks

CLAIM_LEASE = timedelta(minutes=2)  # longer than any answer takes (job limit, platform calls)
KEEP_CLAIMS = timedelta(hours=6)  # Slack retries for about an hour; Discord tokens last 15 minutes
WINDOW = timedelta(minutes=1)
RUN_LEASE = timedelta(minutes=5)  # an instance that died mid-answer stops counting against its user
PURGE_EVERY = 1000
LIMITS_LOCK_SPACE = 0x6C696D  # pg_advisory_xact_lock(space, hashtext(who))


def utc_now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def one_statement(store: Any) -> AsyncIterator[AsyncConnection]:
    """For a single write statement: on PostgreSQL in autocommit (no BEGIN/COMMIT round trips —
    these run on every message); on SQLite a write transaction (its one-writer lock)."""
    if store.dialect != "postgresql":
        async with store.transaction() as db:
            yield db
        return
    async with store.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as db:
        yield db


class DatabaseOnce:
    def __init__(self, store: Any, now: Callable[[], datetime] = utc_now):
        self.store = store  # bot.store.Store: its transactions and dialect-aware INSERT
        self.now = now
        self.me = secrets.token_hex(6)
        self._claims = 0

    async def claim(self, key: str) -> bool:
        now = self.now()
        statement = self.store.insert(inbound_claims).values(
            key=key[:200], claimed_by=self.me, claimed_at=now, lease_until=now + CLAIM_LEASE, done=False)
        statement = statement.on_conflict_do_update(
            index_elements=[inbound_claims.c.key],
            set_={"claimed_by": self.me, "lease_until": now + CLAIM_LEASE},
            where=sa.and_(inbound_claims.c.done == sa.false(), inbound_claims.c.lease_until < now),
        ).returning(inbound_claims.c.key)
        self._claims += 1
        async with one_statement(self.store) as db:
            won = (await db.execute(statement)).first() is not None
        if self._claims % PURGE_EVERY == 0:
            async with one_statement(self.store) as db:
                await db.execute(sa.delete(inbound_claims).where(inbound_claims.c.claimed_at < now - KEEP_CLAIMS))
        return won

    async def done(self, key: str) -> None:
        async with one_statement(self.store) as db:
            await db.execute(sa.update(inbound_claims).where(
                inbound_claims.c.key == key[:200], inbound_claims.c.claimed_by == self.me).values(done=True))


class DatabaseLimits:
    def __init__(self, store: Any, now: Callable[[], datetime] = utc_now):
        self.store = store
        self.now = now
        self._admitted = 0

    async def admit(self, who: str, *, per_minute: int, in_flight: int) -> Admission:
        """One conditional INSERT under the user's lock: the mark is added only while both counts are
        under their limits; only a refusal reads the counts again, to say which limit it was."""
        now = self.now()
        marks = limit_marks.c
        mine = sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((marks.started_at > now - WINDOW, 1), else_=0)), 0).label("recent"),
            sa.func.coalesce(sa.func.sum(sa.case((marks.running_until >= now, 1), else_=0)), 0).label("running"),
        ).where(marks.who == who).subquery()
        admitted = sa.insert(limit_marks).from_select(
            ["who", "started_at", "running_until"],
            sa.select(sa.literal(who), sa.literal(now, limit_marks.c.started_at.type),
                      sa.literal(now + RUN_LEASE, limit_marks.c.running_until.type))
            .where(sa.select(mine.c.recent).scalar_subquery() < per_minute,
                   sa.select(mine.c.running).scalar_subquery() < in_flight),
        ).returning(marks.id)
        async with self.store.transaction() as db:
            if self.store.dialect == "postgresql":
                await db.execute(sa.select(sa.func.pg_advisory_xact_lock(LIMITS_LOCK_SPACE, sa.func.hashtext(who))))
            self._admitted += 1
            if self._admitted % PURGE_EVERY == 0:  # everyone's marks past the window and not running
                await db.execute(sa.delete(limit_marks).where(
                    marks.started_at <= now - WINDOW,
                    sa.or_(marks.running_until.is_(None), marks.running_until < now)))
            ticket = (await db.execute(admitted)).scalar()
            if ticket is not None:
                return Admission(ticket=str(ticket))
            recent = (await db.execute(sa.select(mine.c.recent))).scalar_one()
        return Admission(refused="rate" if recent >= per_minute else "busy")

    async def release(self, who: str, ticket: str) -> None:
        async with one_statement(self.store) as db:
            await db.execute(sa.update(limit_marks).where(limit_marks.c.id == int(ticket)).values(running_until=None))
