"""What an organiser sees of a cohort: mastery per member and skill, participation, who is inactive,
the group's common mistakes and weakest skills.

Mastery per skill is the learner model's (``bot.learner.mastery``, BKT over each member's tries in
order, as /progress shows it), read from the states stored as tries are written: it is "now". The
period (week, month, all) bounds what is counted as activity: daily participation, inactivity and the
mistakes (all time: the stored counts; a week or a month: the period's diagnosed tries).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.cohorts.groups import Cohort
from bot.cohorts.skill_mastery import SkillTally, learner_states_of
from bot.cohorts.tables import cohort_channels, daily_answers, daily_pushes, daily_schedules
from bot.learner import SKILLS
from bot.store.models import malrule_counts, tries, users

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
SPANS = {"week": "the last 7 days", "month": "the last 30 days", "all": "all time"}


@dataclass(frozen=True)
class Cell:
    """One member's record on one skill."""

    tries: int  # all time, answered (not skipped)
    right: int  # all time, right at the first try
    last: datetime | None  # last practised, ever
    mastery: float | None  # now; None when never practised


@dataclass
class CohortProgress:
    cohort: str
    period: str
    members: list[tuple[str, str]]  # (user key, shown name), shown names unique
    topics: list[str]  # skill ids practised by anyone, in course order (named "topics": columns)
    cells: dict[str, dict[str, Cell]]  # shown name -> skill -> cell
    daily: dict[str, tuple[int, int]]  # shown name -> (answered, pushed) in the period
    inactive: list[str]  # no try in the period
    mistakes: list[tuple[str, int, int, str]] = field(default_factory=list)  # (code, members, count, example)

    def mastery(self) -> dict[str, dict[str, float]]:
        return {name: {t: round(c.mastery, 3) for t, c in row.items() if c.mastery is not None}
                for name, row in self.cells.items()}

    def struggling_first(self) -> list[str]:
        """Members by mean mastery over the topics they practised, lowest first (none practised: first)."""
        def mean(name: str) -> float:
            values = [c.mastery for c in self.cells.get(name, {}).values() if c.mastery is not None]
            return sum(values) / len(values) if values else -1.0
        return sorted((name for _, name in self.members), key=lambda n: (mean(n), n.lower()))

    def mean(self, topic: str) -> float | None:
        """The group's mean mastery of ``topic`` among the members who practised it."""
        values = [row[topic].mastery for row in self.cells.values() if topic in row and row[topic].mastery is not None]
        return sum(values) / len(values) if values else None  # type: ignore[arg-type]

    def weakest(self, count: int = 3) -> list[str]:
        """Skills by the group's mean mastery among those who practised them, lowest first."""
        scores = [(level, topic) for topic in self.topics if (level := self.mean(topic)) is not None]
        return [topic for _, topic in sorted(scores)[:count]]


async def cohort_progress(store: object, cohort: Cohort, period: str, now: datetime) -> CohortProgress:
    since = None if PERIODS[period] is None else now - PERIODS[period]  # type: ignore[operator]
    shown = _unique_names(cohort.members)
    identities = [tuple(key.split(":", 1)) for key, _ in cohort.members]
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        found = list(await db.execute(
            sa.select(users.c.id, users.c.platform, users.c.platform_user_id, users.c.created_at).where(
                sa.tuple_(users.c.platform, users.c.platform_user_id).in_(identities)))) if identities else []
    by_id = {r.id: shown[f"{r.platform}:{r.platform_user_id}"] for r in found}

    async def answered_daily() -> tuple[list[tuple[int, datetime]], set[tuple[int, str]]]:
        async with store.snapshot() as db:  # type: ignore[attr-defined]
            return await _daily_participation(db, cohort, since)

    # independent reads on separate connections at once
    states, mistake_rows, daily = await asyncio.gather(
        learner_states_of(store, [r.id for r in found]),
        _mistakes(store, list(by_id), since), answered_daily())
    cells: dict[str, dict[str, Cell]] = {name: {} for name in shown.values()}
    active: set[str] = set()
    for user_id, state in states.items():
        name = by_id[user_id]
        for skill, level in state.mastery.items():
            tally = state.tallies.get(skill, SkillTally())
            cells[name][skill] = Cell(tally.tries, tally.right, tally.last, level)
        if state.last_try is not None and (since is None or state.last_try >= since):
            active.add(name)
    practised = {skill for row in cells.values() for skill in row}
    order = {skill: i for i, skill in enumerate(SKILLS)}
    pushed, answered = daily
    participation = {}
    joined = dict(cohort.joined)
    for key, name in shown.items():
        owed = [p for p, sent in pushed if key not in joined or sent >= joined[key]]
        participation[name] = (sum(1 for p in owed if (p, key) in answered), len(owed))
    return CohortProgress(
        cohort=cohort.name, period=period, members=[(key, shown[key]) for key, _ in cohort.members],
        topics=sorted(practised, key=lambda s: (order.get(s, len(order)), s)), cells=cells, daily=participation,
        inactive=[shown[key] for key, _ in cohort.members if shown[key] not in active],
        mistakes=_group_mistakes(mistake_rows))


async def _mistakes(store: object, user_ids: list[int], since: datetime | None) -> list:
    """Per member and mal-rule in the period: count and one example (where, else the answer given).
    All time: the stored counts (migration 0010); a period: one query, through the partial index of
    diagnosed tries by (user_id, answered_at) (migration 0009)."""
    if not user_ids:
        return []
    if since is None:
        counted = sa.select(malrule_counts.c.user_id, malrule_counts.c.malrule, malrule_counts.c.count,
                            malrule_counts.c.example).where(malrule_counts.c.user_id.in_(user_ids))
        async with store.snapshot() as db:  # type: ignore[attr-defined]
            return list((await db.execute(counted)).all())
    query = (sa.select(tries.c.user_id, tries.c.malrule, sa.func.count().label("count"),
                       sa.func.max(sa.func.coalesce(tries.c.malrule_where, tries.c.answer_text)).label("example"))
             .where(tries.c.user_id.in_(user_ids), tries.c.malrule.is_not(None))
             .where(tries.c.answered_at >= since).group_by(tries.c.user_id, tries.c.malrule))
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        return list((await db.execute(query)).all())


def _group_mistakes(rows: list) -> list[tuple[str, int, int, str]]:
    """(code, members who made it, times, one example), most common first (times, then members, code)."""
    members: Counter[str] = Counter()
    times: Counter[str] = Counter()
    example: dict[str, str] = {}
    for row in rows:
        members[row.malrule] += 1
        times[row.malrule] += int(row.count)
        if row.example and row.malrule not in example:
            example[row.malrule] = str(row.example)
    return [(code, members[code], times[code], example.get(code, ""))
            for code in sorted(times, key=lambda c: (-times[c], -members[c], c))]


def _unique_names(members: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Shown names, made unique ("Bo", "Bo (2)") so a dict keyed by name loses nobody."""
    seen: Counter[str] = Counter()
    names = {}
    for key, name in members:
        seen[name] += 1
        names[key] = name if seen[name] == 1 else f"{name} ({seen[name]})"
    return names


async def _daily_participation(db: object, cohort: Cohort, since: datetime | None
                               ) -> tuple[list[tuple[int, datetime]], set[tuple[int, str]]]:
    """The daily questions sent to the cohort's channels in the period, and who answered which."""
    query = (sa.select(daily_pushes.c.id, daily_pushes.c.sent_at)
             .join(daily_schedules, daily_schedules.c.id == daily_pushes.c.schedule_id)
             .join(cohort_channels, cohort_channels.c.channel_key == daily_schedules.c.channel_key)
             .where(cohort_channels.c.cohort_id == cohort.id, daily_pushes.c.kind == "daily",
                    daily_pushes.c.status == "sent"))
    if since is not None:
        query = query.where(daily_pushes.c.sent_at >= since)
    pushes = [(r.id, r.sent_at) for r in await db.execute(query)]  # type: ignore[attr-defined]
    if not pushes:
        return [], set()
    rows = await db.execute(sa.select(daily_answers.c.push_id, daily_answers.c.user_key).where(  # type: ignore[attr-defined]
        daily_answers.c.push_id.in_([p for p, _ in pushes])))
    return pushes, {(r.push_id, r.user_key) for r in rows}
