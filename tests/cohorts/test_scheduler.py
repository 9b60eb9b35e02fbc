"""The scheduler on a real SQLite file and on PostgreSQL: exactly once, catch-up, DST, crashes, failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.cohorts.daily import Daily
from bot.cohorts.scheduler import LEASE, Scheduler
from bot.cohorts.tables import daily_pushes, daily_schedules
from bot.core.delivery import DeliveryFailed
from bot.core.message import ChannelRef, UserRef
from bot.core.reply import Reply
from content.catalog import curriculum

ADMIN = UserRef("console", "ana", "ana", admin=True)


class Recording:
    """A platform that records what it is sent (the delivery port's simplest real implementation)."""

    def __init__(self, fail: DeliveryFailed | None = None):
        self.sent: list[tuple[str, str, str]] = []
        self.fail = fail

    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        if self.fail is not None:
            raise self.fail
        self.sent.append((channel.id, kind, reply.text))


async def compose(row: dict, now: datetime) -> Reply:
    return Reply(text=f"{row['kind']} {row['local_date']}")


async def schedule(store, channel: str, words: str, now: datetime) -> None:
    daily = Daily(store, None, None, curriculum())
    await daily.turn_on(ChannelRef("console", "", channel), ADMIN, words.split(), now)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_many_schedulers_at_once_deliver_each_push_exactly_once(database):
    store = await database.open()
    others = [await database.open() for _ in range(2)]
    try:
        start = at("2027-01-04T06:00:00")
        for n in range(30):
            await schedule(store, f"c{n}", f"08:{n % 60:02d} UTC", start)
        platforms = [Recording() for _ in range(3)]
        schedulers = [Scheduler(s, lambda: start, compose) for s in (store, *others)]
        for day in range(3):
            now = at("2027-01-04T09:00:00") + timedelta(days=day)
            await asyncio.gather(*(s.run_due(p, "console", now) for s, p in zip(schedulers, platforms, strict=True)))
        everything = [item for p in platforms for item in p.sent]
        assert len(everything) == len(set(everything))  # nothing twice
        assert len([e for e in everything if e[1] == "daily"]) == 30 * 3  # each channel, each day, once
        assert len([e for e in everything if e[1] == "reveal"]) == 30 * 2  # the third day's is still open
        async with store.snapshot() as db:
            statuses = dict((await db.execute(sa.select(daily_pushes.c.status, sa.func.count())
                                              .group_by(daily_pushes.c.status))).all())
        assert statuses == {"sent": 150, "pending": 30}
    finally:
        for s in (store, *others):
            await s.close()


async def test_after_downtime_only_the_latest_occurrence_goes_out_late(database):
    store = await database.open()
    try:
        await schedule(store, "study", "08:00 UTC window 12", at("2027-01-04T06:00:00"))
        platform = Recording()
        scheduler = Scheduler(store, lambda: at("2027-01-04T06:00:00"), compose)
        sent = await scheduler.run_due(platform, "console", at("2027-01-08T09:30:00"))  # 4 days down
        assert [(s.kind, s.late) for s in sent] == [("daily", True)]
        assert platform.sent == [("study", "daily", "daily 2027-01-08")]
        async with store.snapshot() as db:
            rows = (await db.execute(sa.select(daily_pushes.c.local_date, daily_pushes.c.status).where(daily_pushes.c.kind == "daily")
                                     .order_by(daily_pushes.c.local_date))).all()
        assert [(str(d), s) for d, s in rows] == [
            ("2027-01-04", "missed"), ("2027-01-05", "missed"), ("2027-01-06", "missed"),
            ("2027-01-07", "missed"), ("2027-01-08", "sent")]
        closed = await scheduler.run_due(platform, "console", at("2027-01-10T21:00:00"))  # window shut
        assert [s.kind for s in closed] == ["reveal"]  # the 8th's reveal; the 10th's question was missed
    finally:
        await store.close()


async def test_eight_o_clock_london_is_eight_local_across_the_dst_change(database):
    store = await database.open()
    try:
        await schedule(store, "study", "08:00 Europe/London", at("2027-03-26T06:00:00"))
        await schedule(store, "night", "01:30 Europe/London", at("2027-03-26T06:00:00"))
        platform = Recording()
        scheduler = Scheduler(store, lambda: at("2027-03-26T06:00:00"), compose)
        fired: dict[str, datetime] = {}
        now = at("2027-03-26T06:00:00")
        while now < at("2027-03-30T00:00:00"):  # minute by minute would be exact; 15 min is enough here
            for s in await scheduler.run_due(platform, "console", now):
                if s.kind == "daily":
                    fired[f"{s.channel.id} {s.reply.text}"] = now
            now += timedelta(minutes=15)
        assert fired["study daily 2027-03-26"] == at("2027-03-26T08:00:00")  # GMT
        assert fired["study daily 2027-03-28"] == at("2027-03-28T07:00:00")  # BST: still 08:00 local
        assert fired["study daily 2027-03-29"] == at("2027-03-29T07:00:00")
        # 01:30 does not exist in London on 28 March 2027: it fires at the next valid instant, 02:00 BST
        assert fired["night daily 2027-03-28"] == at("2027-03-28T01:00:00")
        assert len([k for k in fired if k.startswith("study")]) == 4  # 26, 27, 28, 29: never twice
    finally:
        await store.close()


async def test_a_process_that_dies_between_claim_and_send_still_gets_its_push_sent_once(database):
    store = await database.open()
    try:
        await schedule(store, "study", "08:00 UTC", at("2027-01-04T06:00:00"))
        now = at("2027-01-04T08:00:00")
        crashed = Scheduler(store, lambda: now, compose)
        await crashed.materialise("console", now)
        assert len(await crashed.claim("console", now)) == 1  # …and then it dies without sending
        survivor, platform = Scheduler(store, lambda: now, compose), Recording()
        assert await survivor.run_due(platform, "console", now) == []  # the lease still holds
        later = now + LEASE + timedelta(seconds=1)
        sent = await survivor.run_due(platform, "console", later)
        assert [s.kind for s in sent] == ["daily"] and len(platform.sent) == 1
        assert await survivor.run_due(platform, "console", later + LEASE * 2) == []
    finally:
        await store.close()


async def test_a_channel_the_bot_cannot_post_to_pauses_its_schedule(database):
    store = await database.open()
    try:
        await schedule(store, "gone", "08:00 UTC", at("2027-01-04T06:00:00"))
        scheduler = Scheduler(store, lambda: at("2027-01-04T06:00:00"), compose)
        gone = Recording(DeliveryFailed("channel_not_found", permanent=True))
        await scheduler.run_due(gone, "console", at("2027-01-04T08:00:00"))
        async with store.snapshot() as db:
            paused = (await db.execute(sa.select(daily_schedules.c.paused, daily_schedules.c.pause_reason))).one()
            status = (await db.execute(sa.select(daily_pushes.c.status))).scalar()
        assert tuple(paused) == (True, "channel_not_found") and status == "failed"
        assert await scheduler.run_due(Recording(), "console", at("2027-01-05T08:00:00")) == []
    finally:
        await store.close()


async def test_a_transient_failure_is_retried_with_backoff_then_recorded(database):
    store = await database.open()
    try:
        await schedule(store, "busy", "08:00 UTC", at("2027-01-04T06:00:00"))
        scheduler = Scheduler(store, lambda: at("2027-01-04T06:00:00"), compose)
        busy = Recording(DeliveryFailed("ratelimited", retry_after=60))
        now = at("2027-01-04T08:00:00")
        await scheduler.run_due(busy, "console", now)
        assert await scheduler.run_due(Recording(), "console", now + timedelta(seconds=30)) == []  # backing off
        ok = Recording()
        sent = await scheduler.run_due(ok, "console", now + timedelta(seconds=61))
        assert [s.kind for s in sent] == ["daily"] and len(ok.sent) == 1
    finally:
        await store.close()


