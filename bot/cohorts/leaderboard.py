"""Standings derived from the recorded attempts — the one source of truth; no counter can drift.

Points for each attempt (never negative; speed earns nothing):
* a correct answer: 10, plus 5 for each module of the course beyond the first (harder topics count
  more), less 3 for each hint used (at least 2 for a correct answer);
* +5 when it answered the channel's daily question correctly;
* +5 retention bonus when it was correct and the learner's previous attempt on that topic was at
  least 7 days earlier (remembering after a long interval is what spaced repetition is for).
Equal points share a rank (1, 1, 3); within it, more correct answers are listed first, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.cohorts.names import clean_name
from bot.cohorts.tables import daily_pushes, daily_schedules
from bot.store.models import UTCDateTime, attempts, users

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
RULE = __doc__.split("\n\n", 1)[1].strip()
RETENTION_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class Standing:
    rank: int
    user_key: str
    name: str
    points: int
    correct: int


def points_for(correct: bool, module: int, hints: int, daily: bool, previous_gap: timedelta | None) -> int:
    if not correct:
        return 0
    points = max(2, 10 + 5 * (module - 1) - 3 * hints)
    if daily:
        points += 5
    if previous_gap is not None and previous_gap >= RETENTION_INTERVAL:
        points += 5
    return points


async def standings(store: object, curriculum: object, members: dict[str, str] | None, channel_key: str,
                    period: str, now: datetime) -> list[Standing]:
    """Ranked standings of ``members`` (user key -> name), or of whoever answered in the channel."""
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        member_ids = None
        if members is not None:  # resolved first: a literal id list lets the planner use the index
            identities = [tuple(key.split(":", 1)) for key in members]
            found = await db.execute(sa.select(users.c.id).where(
                sa.tuple_(users.c.platform, users.c.platform_user_id).in_(identities)))
            member_ids = [row.id for row in found]
        scored = standings_query(curriculum, store.dialect, member_ids, channel_key, period, now)  # type: ignore[attr-defined]
        rows = (await db.execute(scored)).all()
    totals: dict[str, list] = {key: [name, 0, 0] for key, name in (members or {}).items()}
    for row in rows:  # one row per learner: the points are summed in the database
        key = f"{row.platform}:{row.platform_user_id}"
        if members is not None and key not in members:
            continue
        entry = totals.setdefault(key, [row.display_name, 0, 0])
        entry[1] += int(row.points or 0)
        entry[2] += int(row.correct or 0)
    order = sorted(totals.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[1][0].lower(), kv[0]))
    ranks = shared_ranks([points for _, (_, points, _) in order])
    return [Standing(rank, key, clean_name(name), points, correct)
            for rank, (key, (name, points, correct)) in zip(ranks, order, strict=True)]


def shared_ranks(points: list[int]) -> list[int]:
    """Equal points share a rank and the next rank skips (1, 1, 3); ``points`` is highest first."""
    ranks: list[int] = []
    for position, mine in enumerate(points):
        ranks.append(ranks[-1] if position and points[position - 1] == mine else position + 1)
    return ranks


def standings_query(curriculum: object, dialect: str, member_ids: list[int] | None, channel_key: str,
                    period: str, now: datetime) -> sa.Select:
    """The points per learner as one SQL statement (``standings`` ranks them): the members' attempts
    (by user id), or else everyone's in the channel."""
    previous = sa.func.lag(attempts.c.answered_at, type_=UTCDateTime).over(
        partition_by=(attempts.c.user_id, attempts.c.topic_id), order_by=attempts.c.answered_at)
    inner = sa.select(
        attempts.c.user_id, attempts.c.topic_id, attempts.c.correct, attempts.c.hints_used,
        attempts.c.channel_key, attempts.c.answered_at, previous.label("previous_at"),
    )
    if member_ids is not None:  # only the members' attempts are read (the (user_id, answered_at) index)
        inner = inner.where(attempts.c.user_id.in_(member_ids))
    ranked = inner.subquery()
    query = sa.select(ranked, users.c.platform, users.c.platform_user_id, users.c.display_name).join(
        users, users.c.id == ranked.c.user_id)
    span = PERIODS[period]
    if span is not None:
        query = query.where(ranked.c.answered_at >= now - span)
    daily_keys = (sa.select(sa.literal("daily:") + sa.cast(daily_pushes.c.id, sa.String))
                  .join(daily_schedules, daily_schedules.c.id == daily_pushes.c.schedule_id)
                  .where(daily_schedules.c.channel_key == channel_key))
    if member_ids is None:
        query = query.where(sa.or_(ranked.c.channel_key == channel_key, ranked.c.channel_key.in_(daily_keys)))
    return _scored(query.subquery(), curriculum, dialect)


def _scored(rows: sa.Subquery, curriculum: object, dialect: str) -> sa.Select:
    """``points_for`` in SQL, summed per learner (the same rule; a test holds the two together)."""
    modules = {t.id: t.module for t in curriculum.topics()}  # type: ignore[attr-defined]
    module = sa.case({topic: number for topic, number in modules.items()}, value=rows.c.topic_id, else_=1)
    base = 10 + 5 * (module - 1) - 3 * rows.c.hints_used
    floor = sa.func.greatest(base, 2) if dialect == "postgresql" else sa.func.max(base, 2)
    if dialect == "postgresql":
        long_gap = (rows.c.answered_at - rows.c.previous_at) >= RETENTION_INTERVAL
    else:
        long_gap = (sa.func.julianday(rows.c.answered_at) - sa.func.julianday(rows.c.previous_at)
                    >= RETENTION_INTERVAL.total_seconds() / 86400)
    points = sa.case(
        (rows.c.correct, floor
         + sa.case((rows.c.channel_key.like("daily:%"), 5), else_=0)
         + sa.case((sa.and_(rows.c.previous_at.is_not(None), long_gap), 5), else_=0)),
        else_=0,
    )
    return (sa.select(rows.c.platform, rows.c.platform_user_id, sa.func.min(rows.c.display_name).label("display_name"),
                      sa.func.sum(points).label("points"),
                      sa.func.sum(sa.case((rows.c.correct, 1), else_=0)).label("correct"))
            .group_by(rows.c.platform, rows.c.platform_user_id))


