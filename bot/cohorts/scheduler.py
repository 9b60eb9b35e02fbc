"""The daily-push scheduler: every push owed is a row; processes claim rows, deliver, mark them sent.

Exactly once, across any number of processes on one PostgreSQL:
1. *Materialise*: for each schedule, the most recent occurrence due by now gets its row under the
   unique delivery key (schedule, local date, kind) — ``INSERT … ON CONFLICT DO NOTHING``, so two
   processes create one row. Older occurrences never sent are recorded ``missed`` (catch-up sends
   only the latest, and only while its window is open).
2. *Claim*: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`` marks due rows ``claimed``
   by this process with a lease; a process that dies holding a lease loses it when it expires, and
   the row is claimed again (so a crash between claim and send still sends once).
3. *Deliver* through the adapter's ``Delivery`` port, then mark ``sent`` (only while still ours).
   A platform error is retried with backoff, then recorded ``failed``; a permanent one (the channel
   is gone, the bot may not post) pauses the schedule.
SQLite has one writer at a time, so the same statements (without SKIP LOCKED) are safe there too.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.cohorts import clock
from bot.cohorts.digest import Digests
from bot.cohorts.tables import cohort_digests, daily_pushes, daily_schedules
from bot.core.delivery import Delivery, DeliveryFailed
from bot.core.message import ChannelRef
from bot.core.reply import Reply

log = logging.getLogger("calcbot.scheduler")

LEASE = timedelta(minutes=2)
LATE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))
CATCH_UP_DAYS = 60  # older unsent occurrences are not even recorded as missed
CLAIM_BATCH = 200

Compose = Callable[[dict, datetime], Awaitable[Reply]]  # a claimed row -> the push's reply
# A claimed row carries "schedule": its daily_schedules row (daily, reveal) or cohort_digests row (digest);
# both have platform, workspace and channel_id, which say where the push goes.


@dataclass(frozen=True)
class Sent:
    channel: ChannelRef
    reply: Reply
    kind: str
    late: bool


class Scheduler:
    """Runs due pushes. ``compose`` builds each push's reply (question, reveal) from its row."""

    def __init__(self, store: object, clock_fn: Callable[[], datetime], compose: Compose,
                 digests: Digests | None = None):
        self.store = store
        self.clock = clock_fn
        self.compose = compose
        self.digests = digests
        self.me = secrets.token_hex(6)
        self._tasks: list[asyncio.Task[None]] = []

    # -- the background loop chat adapters start ---------------------------------------------

    async def start(self, delivery: Delivery, platform: str, *, every: float = 20.0) -> None:
        async def loop() -> None:
            from bot.core import metrics
            from bot.store.engine import is_outage

            while True:
                try:
                    for sent in await self.run_due(delivery, platform):
                        metrics.pushes.labels(platform, "late" if sent.late else "sent").inc()
                except Exception as exc:  # a bad round is logged; the next one tries again (and catches up)
                    if is_outage(exc):
                        metrics.outages.labels("pushes").inc()
                        log.warning("scheduler round skipped: the database is unreachable (%s)", exc)
                    else:
                        log.exception("scheduler round failed")
                await asyncio.sleep(every)

        self._tasks.append(asyncio.create_task(loop(), name=f"scheduler-{platform}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        # wait for a round cut short to unwind before the caller closes the store under it
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    # -- one round ---------------------------------------------------------------------------

    async def run_due(self, delivery: Delivery, platform: str, now: datetime | None = None) -> list[Sent]:
        """Materialise, claim and deliver everything due up to ``now`` for ``platform``."""
        now = now or self.clock()
        await self.materialise(platform, now)
        if self.digests is not None:
            await self.digests.materialise(platform, now)
        sent: list[Sent] = []
        while True:
            rows = await self.claim(platform, now)
            if not rows:
                return sent
            for row in rows:
                outcome = await self._deliver(row, delivery, now)
                if outcome is not None:
                    sent.append(outcome)

    async def materialise(self, platform: str, now: datetime) -> None:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            schedules = (await db.execute(sa.select(daily_schedules).where(
                daily_schedules.c.platform == platform, daily_schedules.c.paused == sa.false()))).all()
        for schedule in schedules:
            zone = clock.read_zone(schedule.timezone)
            latest = clock.latest_occurrence(now, schedule.local_time, zone)
            if latest < schedule.first_date:
                continue
            async with self.store.transaction() as db:  # type: ignore[attr-defined]
                known = (await db.execute(sa.select(sa.func.max(daily_pushes.c.local_date)).where(
                    daily_pushes.c.schedule_id == schedule.id, daily_pushes.c.kind == "daily"))).scalar()
                start = max(schedule.first_date, latest - timedelta(days=CATCH_UP_DAYS))
                if known is not None:
                    start = max(start, known + timedelta(days=1))
                day = start
                while day <= latest:
                    due = clock.due_instant(day, schedule.local_time, zone)
                    closes = due + timedelta(hours=schedule.window_hours)
                    owed = day == latest and now < closes
                    await db.execute(self.store.insert(daily_pushes).values(  # type: ignore[attr-defined]
                        schedule_id=schedule.id, local_date=day, kind="daily", platform=platform, due_at=due,
                        closes_at=closes, status="pending" if owed else "missed", attempts=0, late=False,
                    ).on_conflict_do_nothing())
                    day += timedelta(days=1)

    async def claim(self, platform: str, now: datetime) -> list[dict]:
        claimable = sa.select(daily_pushes.c.id).where(
            daily_pushes.c.platform == platform,
            daily_pushes.c.due_at <= now,
            sa.or_(daily_pushes.c.status == "pending",
                   sa.and_(daily_pushes.c.status == "claimed", daily_pushes.c.lease_until < now)),
        ).order_by(daily_pushes.c.due_at).limit(CLAIM_BATCH)
        if self.store.dialect == "postgresql":  # type: ignore[attr-defined]
            claimable = claimable.with_for_update(skip_locked=True)
        statement = (
            sa.update(daily_pushes)
            .where(daily_pushes.c.id.in_(claimable.scalar_subquery()))
            .values(status="claimed", claimed_by=self.me, lease_until=now + LEASE,
                    attempts=daily_pushes.c.attempts + 1)
            .returning(*daily_pushes.c)
        )
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            rows = (await db.execute(statement)).mappings().all()
            if not rows:
                return []
            ids = [r["schedule_id"] for r in rows if r["schedule_id"] is not None]
            schedules = {s.id: s for s in (await db.execute(
                sa.select(daily_schedules).where(daily_schedules.c.id.in_(ids)))).all()} if ids else {}
            digest_ids = [r["digest_id"] for r in rows if r["digest_id"] is not None]
            digests = {d.id: d for d in (await db.execute(
                sa.select(cohort_digests).where(cohort_digests.c.id.in_(digest_ids)))).all()} if digest_ids else {}
        return [dict(r, schedule=schedules.get(r["schedule_id"]) or digests[r["digest_id"]]) for r in rows]

    async def _deliver(self, row: dict, delivery: Delivery, now: datetime) -> Sent | None:
        schedule = row["schedule"]
        if row["kind"] in ("daily", "digest") and now >= row["closes_at"]:
            await self._finish(row, status="missed")
            return None
        channel = ChannelRef(schedule.platform, schedule.workspace, schedule.channel_id)
        try:
            reply = await self.compose(row, now)
            await delivery.deliver(channel, reply, kind=row["kind"])
        except DeliveryFailed as failure:
            await self._failed(row, failure, now)
            return None
        late = now - row["due_at"] > LATE_AFTER
        ours = await self._finish(row, status="sent", late=late, sent_at=now)
        if ours and row["kind"] == "daily":
            async with self.store.transaction() as db:  # type: ignore[attr-defined]
                await db.execute(self.store.insert(daily_pushes).values(  # type: ignore[attr-defined]
                    schedule_id=schedule.id, local_date=row["local_date"], kind="reveal",
                    platform=row["platform"], due_at=row["closes_at"], closes_at=row["closes_at"],
                    status="pending", attempts=0, late=False,
                ).on_conflict_do_nothing())
        return Sent(channel, reply, row["kind"], late)

    async def _finish(self, row: dict, *, status: str, late: bool = False, sent_at: datetime | None = None,
                      error: str | None = None) -> bool:
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            result = await db.execute(sa.update(daily_pushes).where(
                daily_pushes.c.id == row["id"], daily_pushes.c.claimed_by == self.me,
                daily_pushes.c.status == "claimed",
            ).values(status=status, late=late, sent_at=sent_at, error=error, lease_until=None))
        return bool(result.rowcount)

    async def _failed(self, row: dict, failure: DeliveryFailed, now: datetime) -> None:
        log.warning("push %s (%s, schedule %s) failed: %s", row["id"], row["kind"], row["schedule_id"],
                    failure.reason)
        from bot.core import metrics

        metrics.pushes.labels(row["platform"], "failed").inc()
        if failure.permanent or row["attempts"] >= MAX_ATTEMPTS:
            await self._finish(row, status="failed", error=failure.reason)
            if failure.permanent:
                table, key = ((cohort_digests, row["digest_id"]) if row["kind"] == "digest"
                              else (daily_schedules, row["schedule_id"]))
                async with self.store.transaction() as db:  # type: ignore[attr-defined]
                    await db.execute(sa.update(table).where(table.c.id == key)
                                     .values(paused=True, pause_reason=failure.reason))
            return
        wait = timedelta(seconds=failure.retry_after) if failure.retry_after else BACKOFF[
            min(row["attempts"] - 1, len(BACKOFF) - 1)]
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            await db.execute(sa.update(daily_pushes).where(
                daily_pushes.c.id == row["id"], daily_pushes.c.claimed_by == self.me,
            ).values(claimed_by=None, lease_until=now + wait, error=failure.reason))


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
