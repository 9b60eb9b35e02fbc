"""``Once`` and ``LimitBook`` in the shared database (PostgreSQL, or one SQLite file).

Claims: ``INSERT … ON CONFLICT DO UPDATE … WHERE not done and the lease expired RETURNING``, so of
two instances claiming one key at once exactly one gets a row back. Limits: per user, the count of
marks in the last minute (the sliding window) and of marks still running, read and extended in one
transaction under a per-user advisory lock (PostgreSQL; SQLite has one writer at a time anyway).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

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
        async with self.store.transaction() as db:
            won = (await db.execute(statement)).first() is not None
            if self._claims % PURGE_EVERY == 0:
                await db.execute(sa.delete(inbound_claims).where(inbound_claims.c.claimed_at < now - KEEP_CLAIMS))
        return won

    async def done(self, key: str) -> None:
        async with self.store.transaction() as db:
            await db.execute(sa.update(inbound_claims).where(
                inbound_claims.c.key == key[:200], inbound_claims.c.claimed_by == self.me).values(done=True))


class DatabaseLimits:
    def __init__(self, store: Any, now: Callable[[], datetime] = utc_now):
        self.store = store
        self.now = now
        self._admitted = 0

    async def admit(self, who: str, *, per_minute: int, in_flight: int) -> Admission:
        now = self.now()
        marks = limit_marks.c
        stale = sa.and_(marks.started_at <= now - WINDOW,
                        sa.or_(marks.running_until.is_(None), marks.running_until < now))
        async with self.store.transaction() as db:
            if self.store.dialect == "postgresql":
                await db.execute(sa.select(sa.func.pg_advisory_xact_lock(LIMITS_LOCK_SPACE, sa.func.hashtext(who))))
            self._admitted += 1
            everyone = self._admitted % PURGE_EVERY == 0
            await db.execute(sa.delete(limit_marks).where(stale if everyone else sa.and_(marks.who == who, stale)))
            recent, running = (await db.execute(sa.select(
                sa.func.coalesce(sa.func.sum(sa.case((marks.started_at > now - WINDOW, 1), else_=0)), 0),
                sa.func.coalesce(sa.func.sum(sa.case((marks.running_until >= now, 1), else_=0)), 0),
            ).where(marks.who == who))).one()
            if recent >= per_minute:
                return Admission(refused="rate")
            if running >= in_flight:
                return Admission(refused="busy")
            ticket = (await db.execute(sa.insert(limit_marks).values(
                who=who, started_at=now, running_until=now + RUN_LEASE).returning(marks.id))).scalar_one()
        return Admission(ticket=str(ticket))

    async def release(self, who: str, ticket: str) -> None:
        async with self.store.transaction() as db:
            await db.execute(sa.update(limit_marks).where(limit_marks.c.id == int(ticket)).values(running_until=None))
