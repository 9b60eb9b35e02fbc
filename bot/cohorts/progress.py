"""What an organiser sees of a cohort: mastery per member and topic, participation, who is inactive,
the group's common mistakes and weakest topics — read from the stored tries, summed in the database.

Mastery per topic is recall now from the topic's FSRS card times accuracy smoothed towards ½, over
every stored try (the learner model's per-skill mastery is not wired in here yet). The period (week, month, all) bounds what is counted as
activity: tries, daily participation, inactivity and mistakes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.cohorts.groups import Cohort
from bot.cohorts.tables import cohort_channels, daily_answers, daily_pushes, daily_schedules
from bot.quiz.srs import SpacedRepetition
from bot.store.models import attempts, cards, users


def topic_mastery(retrievability: float, correct: int, answered: int) -> float:
    """0..1 for one topic: the chance of recall now, times accuracy smoothed towards ½ ((right + 1) /
    (answered + 2)), so one lucky answer is not mastery (the per-topic figure /progress showed before
    the learner model's per-skill mastery)."""
    if answered <= 0:
        return 0.0
    return max(0.0, min(1.0, retrievability)) * (correct + 1) / (answered + 2)


PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
SPANS = {"week": "the last 7 days", "month": "the last 30 days", "all": "all time"}


@dataclass(frozen=True)
class Cell:
    """One member's record on one topic."""

    tries: int  # in the period
    right: int  # in the period
    last: datetime | None  # last practised, ever
    mastery: float | None  # now; None when never practised


@dataclass
class CohortProgress:
    cohort: str
    period: str
    members: list[tuple[str, str]]  # (user key, shown name), shown names unique
    topics: list[str]  # topic ids practised by anyone, in course order
    cells: dict[str, dict[str, Cell]]  # shown name -> topic -> cell
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

    def weakest(self, count: int = 3) -> list[str]:
        """Topics by the group's mean mastery among those who practised them, lowest first."""
        scores = []
        for topic in self.topics:
            values = [row[topic].mastery for row in self.cells.values()
                      if topic in row and row[topic].mastery is not None]
            if values:
                scores.append((sum(values) / len(values), topic))  # type: ignore[arg-type]
        return [topic for _, topic in sorted(scores)[:count]]


async def cohort_progress(store: object, curriculum: object, cohort: Cohort, period: str, now: datetime,
                          srs: SpacedRepetition) -> CohortProgress:
    since = None if PERIODS[period] is None else now - PERIODS[period]  # type: ignore[operator]
    shown = _unique_names(cohort.members)
    identities = [tuple(key.split(":", 1)) for key, _ in cohort.members]
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        ids = {f"{r.platform}:{r.platform_user_id}": r.id for r in await db.execute(
            sa.select(users.c.id, users.c.platform, users.c.platform_user_id).where(
                sa.tuple_(users.c.platform, users.c.platform_user_id).in_(identities)))} if identities else {}
    by_id = {user_id: shown[key] for key, user_id in ids.items()}
    # All-time totals come from the review cards, which the answer path keeps (reps: answers and
    # skips; lapses: those rated Again, i.e. not right at the first try), so no read scans every try;
    # only a bounded period reads its own tries, through the (user_id, answered_at) index.
    cards_query = sa.select(cards.c.user_id, cards.c.topic_id, cards.c.state_json, cards.c.reps, cards.c.lapses,
                            cards.c.last_review).where(cards.c.user_id.in_(list(by_id)))
    period_query = None if since is None else (
        sa.select(attempts.c.user_id, attempts.c.topic_id, sa.func.count().label("tries"),
                  sa.func.sum(sa.case((attempts.c.correct, 1), else_=0)).label("right"))
        .where(attempts.c.user_id.in_(list(by_id)), attempts.c.answered_at >= since)
        .group_by(attempts.c.user_id, attempts.c.topic_id))

    async def read(query: sa.Select | None) -> list:
        if not by_id or query is None:
            return []
        async with store.snapshot() as db:  # type: ignore[attr-defined]
            return list((await db.execute(query)).all())

    async def answered_daily() -> tuple[list[tuple[int, datetime]], set[tuple[int, str]]]:
        async with store.snapshot() as db:  # type: ignore[attr-defined]
            return await _daily_participation(db, cohort, since)

    # independent reads on separate connections at once
    card_rows, in_period, daily = await asyncio.gather(
        read(cards_query), read(period_query), answered_daily())
    counted = {(r.user_id, r.topic_id): (int(r.tries), int(r.right or 0)) for r in in_period}
    cells: dict[str, dict[str, Cell]] = {name: {} for name in shown.values()}
    active: set[str] = set()
    for row in card_rows:
        if not row.reps:
            continue
        name = by_id[row.user_id]
        right_ever = int(row.reps) - int(row.lapses)
        level = topic_mastery(srs.retrievability(row.state_json, now), right_ever, int(row.reps))
        tries, right = counted.get((row.user_id, row.topic_id), (0, 0)) if since is not None \
            else (int(row.reps), right_ever)
        cells[name][row.topic_id] = Cell(tries, right, row.last_review, level)
        if tries:
            active.add(name)
    order = [t.id for t in curriculum.topics()]  # type: ignore[attr-defined]
    practised = {topic for row in cells.values() for topic in row}
    pushed, answered = daily
    participation = {}
    joined = dict(cohort.joined)
    for key, name in shown.items():
        owed = [p for p, sent in pushed if key not in joined or sent >= joined[key]]
        participation[name] = (sum(1 for p in owed if (p, key) in answered), len(owed))
    return CohortProgress(
        cohort=cohort.name, period=period, members=[(key, shown[key]) for key, _ in cohort.members],
        topics=[t for t in order if t in practised], cells=cells, daily=participation,
        inactive=[shown[key] for key, _ in cohort.members if shown[key] not in active])


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
