"""The weekly digest of a cohort: its schedule, and the pushes it owes.

A digest goes out on one weekday at a local time (08:00 stays 08:00 across DST, like the daily
question) to the cohort's home channel (the aggregate view) or privately to the organiser who set it
(the full view). Each occurrence is one ``daily_pushes`` row of kind ``digest`` under the unique key
(digest, local date, kind): the scheduler claims and sends it exactly once across processes. After
downtime only the latest occurrence is owed, and only within a day of its time (then it is missed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.cohorts import clock
from bot.cohorts.groups import Cohort, user_key
from bot.cohorts.tables import cohort_digests, daily_pushes
from bot.core.message import ChannelRef, UserRef
from bot.errors import BadArgument, UsageError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DIGEST_WINDOW = timedelta(days=1)  # a digest more than a day late is missed, not sent
DEFAULT_TIME = "09:00"


@dataclass(frozen=True)
class DigestPlan:
    weekday: int
    local_time: str
    timezone: str
    private: bool

    def describe(self) -> str:
        where = "privately to you" if self.private else "to the cohort's home channel"
        return f"every {WEEKDAYS[self.weekday].title()} at {self.local_time} {self.timezone}, {where}"


def read_plan(words: list[str]) -> DigestPlan:
    """``[DAY] [HH:MM] [TIMEZONE] [private|channel]`` in any order; Monday 09:00 UTC in the channel by default."""
    weekday, local_time, zone, private = 0, DEFAULT_TIME, clock.read_zone("UTC"), False
    for word in words:
        low = word.lower()
        day = [n for n, name in enumerate(WEEKDAYS) if len(low) >= 3 and name.startswith(low.rstrip("s"))]
        if day:
            weekday = day[0]
        elif low in ("private", "privately", "dm", "me"):
            private = True
        elif low in ("channel", "here", "home"):
            private = False
        elif any(ch.isdigit() for ch in low) and ":" in low or low[:2].isdigit() and "h" in low:
            local_time = clock.read_time(word)
        elif clock.looks_like_zone(word):
            zone = clock.read_zone(word)
        else:
            raise BadArgument(f"'{word}' is not a weekday, a time, a time zone, or private/channel",
                              hint="e.g. `/cohort digest on friday 17:00 Europe/London private`")
    return DigestPlan(weekday, local_time, clock.zone_key(zone), private)


def latest_due(now: datetime, plan: DigestPlan) -> tuple[datetime, datetime] | None:
    """The local date and UTC instant of the most recent occurrence at or before ``now``."""
    zone = clock.read_zone(plan.timezone)
    day = clock.latest_occurrence(now, plan.local_time, zone)
    for _ in range(8):
        if day.weekday() == plan.weekday:
            return day, clock.due_instant(day, plan.local_time, zone)  # type: ignore[return-value]
        day -= timedelta(days=1)
    return None


def next_due(now: datetime, plan: DigestPlan) -> datetime:
    zone = clock.read_zone(plan.timezone)
    when = now
    for _ in range(8):
        when = clock.next_occurrence(when, plan.local_time, zone)
        if when.astimezone(zone).date().weekday() == plan.weekday:
            return when
    raise AssertionError("a weekday recurs within 8 days")


class Digests:
    def __init__(self, store: object):
        self.store = store

    async def turn_on(self, cohort: Cohort, channel: ChannelRef, user: UserRef, plan: DigestPlan,
                      now: datetime) -> datetime:
        home = cohort.home_channel.split(":", 2)  # platform:workspace:channel id
        target = f"@{user.id}" if plan.private else home[-1]
        first = next_due(now, plan)  # the next occurrence, today's if still to come
        values = dict(platform=channel.platform, workspace=channel.workspace, channel_id=target,
                      weekday=plan.weekday, local_time=plan.local_time, timezone=plan.timezone, private=plan.private,
                      paused=False, pause_reason=None, created_by=user_key(user), created_at=now,
                      first_date=first.astimezone(clock.read_zone(plan.timezone)).date())
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            old = (await db.execute(sa.select(cohort_digests.c.id).where(
                cohort_digests.c.cohort_id == cohort.id))).first()
            if old is None:
                await db.execute(sa.insert(cohort_digests).values(cohort_id=cohort.id, **values))
            else:
                await db.execute(sa.update(cohort_digests).where(cohort_digests.c.id == old[0]).values(**values))
        return first

    async def turn_off(self, cohort: Cohort) -> None:
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            gone = await db.execute(sa.delete(cohort_digests).where(cohort_digests.c.cohort_id == cohort.id))
        if not gone.rowcount:
            raise UsageError(f"{cohort.name} has no weekly digest to turn off")

    async def materialise(self, platform: str, now: datetime) -> None:
        """Every digest's latest occurrence gets its row (one statement for all; a second process's
        identical rows are dropped by the delivery key)."""
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            digests = (await db.execute(sa.select(cohort_digests).where(
                cohort_digests.c.platform == platform, cohort_digests.c.paused == sa.false()))).all()
        owed = []
        for digest in digests:
            plan = DigestPlan(digest.weekday, digest.local_time, digest.timezone, digest.private)
            found = latest_due(now, plan)
            if found is None or found[0] < digest.first_date:  # type: ignore[operator]
                continue
            day, due = found
            if now - due >= DIGEST_WINDOW:
                continue  # long past: not owed (a restart after a week does not send last week's)
            owed.append(dict(digest_id=digest.id, schedule_id=None, local_date=day, kind="digest",
                             platform=platform, due_at=due, closes_at=due + DIGEST_WINDOW, status="pending",
                             attempts=0, late=False))
        if not owed:
            return
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            known = {(r.digest_id, r.local_date) for r in await db.execute(
                sa.select(daily_pushes.c.digest_id, daily_pushes.c.local_date).where(
                    daily_pushes.c.kind == "digest", daily_pushes.c.local_date >= min(o["local_date"] for o in owed),
                    daily_pushes.c.digest_id.in_([o["digest_id"] for o in owed])))}
        missing = [o for o in owed if (o["digest_id"], o["local_date"]) not in known]
        for start in range(0, len(missing), 1000):
            async with self.store.transaction() as db:  # type: ignore[attr-defined]
                await db.execute(self.store.insert(daily_pushes).on_conflict_do_nothing(),  # type: ignore[attr-defined]
                                 missing[start:start + 1000])
