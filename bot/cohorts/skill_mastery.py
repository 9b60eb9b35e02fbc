"""Mastery per skill of a cohort's members, from their stored tries (the learner model's BKT).

One query reads the members' tries, oldest first, through the (user_id, id) index; each member's
mastery is ``bot.learner.mastery`` over their tries in order, computed once per member per view.
BKT is a forward filter, so a member's state after their *settled* tries (answered more than
``SETTLED`` before now, surely committed) is kept in a per-process cache and the next view reads
only the tries after it: a 200-member cohort over 1M tries is read in full once per process, then
in tens of rows. The cache is keyed by the user row (id and creation time), so ``/forget me`` and a
re-created user never meet an old state.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.learner import mastery
from bot.quiz.choosing import model_try
from bot.store.models import tries
from bot.store.rows import TryEvidence

SETTLED = timedelta(minutes=10)  # tries older than this are committed: their effect is cached
CACHED_USERS = 100_000  # learners whose settled state a process keeps (least recently used dropped)


@dataclass(frozen=True)
class SkillTally:
    """One member's record on one skill, all time."""

    tries: int = 0  # answered tries (not skips) on questions exercising the skill
    right: int = 0  # of those, right at the first try
    last: datetime | None = None  # last practised


@dataclass(frozen=True)
class LearnerState:
    """A member's mastery and tallies after their tries up to ``through`` (a try id)."""

    through: int = 0
    mastery: dict[str, float] = field(default_factory=dict)
    tallies: dict[str, SkillTally] = field(default_factory=dict)
    last_try: datetime | None = None  # any try, skips included

    def after(self, rows: Sequence[tuple]) -> LearnerState:
        """This state continued over ``rows`` (id, answered_at, then TryEvidence's fields), oldest first."""
        if not rows:
            return self
        given = [model_try(TryEvidence(*row[2:])) for row in rows]
        counts: dict[str, list[Any]] = {skill: [t.tries, t.right, t.last] for skill, t in self.tallies.items()}
        for row, one in zip(rows, given, strict=True):
            if one.skipped:
                continue
            first_right = one.correct and not one.retry
            for skill in one.skills:
                count = counts.get(skill)
                if count is None:
                    count = counts[skill] = [0, 0, None]
                count[0] += 1
                count[1] += first_right
                count[2] = row[1]
        tallies = {skill: SkillTally(*count) for skill, count in counts.items()}
        last = rows[-1][1] if self.last_try is None else max(self.last_try, rows[-1][1])
        return LearnerState(rows[-1][0], mastery(given, known=self.mastery), tallies, last)


_COLUMNS = (tries.c.user_id, tries.c.id, tries.c.answered_at, tries.c.topic_id, tries.c.kind, tries.c.skills,
            tries.c.aimed_at, tries.c.correct, tries.c.retry, tries.c.skipped, tries.c.malrule)


class SkillMastery:
    """Reads members' mastery per skill; keeps each member's settled state between views."""

    def __init__(self) -> None:
        self._settled: OrderedDict[tuple[int, object], LearnerState] = OrderedDict()

    async def of(self, store: object, members: dict[int, object], now: datetime) -> dict[int, LearnerState]:
        """``members``: user id -> the user row's creation time. One query for all of them."""
        if not members:
            return {}
        start = {uid: self._settled.get((uid, created), LearnerState()) for uid, created in members.items()}
        fresh = [uid for uid, state in start.items() if state.through == 0]
        known = [sa.and_(tries.c.user_id == uid, tries.c.id > state.through)
                 for uid, state in start.items() if state.through]
        conditions = ([tries.c.user_id.in_(fresh)] if fresh else []) + known
        columns: list[Any] = list(_COLUMNS)
        if store.dialect == "postgresql":  # type: ignore[attr-defined]
            # asyncpg already gives aware UTC datetimes: skip the column type's per-row conversion
            columns[2] = sa.type_coerce(tries.c.answered_at, sa.DateTime(timezone=True))
        query = sa.select(*columns).where(sa.or_(*conditions)).order_by(tries.c.user_id, tries.c.id)
        async with store.snapshot() as db:  # type: ignore[attr-defined]
            rows = (await db.execute(query)).all()
        # Tracing a cohort's tries is CPU work (seconds, cold, for 200 heavy learners): off the event
        # loop, so every other message is still acknowledged meanwhile; the cache is updated back here.
        result, settled = await asyncio.to_thread(_trace, rows, members, start, now - SETTLED)
        for key, state in settled.items():
            self._remember(key, state)
        return result

    def _remember(self, key: tuple[int, object], state: LearnerState) -> None:
        self._settled[key] = state
        self._settled.move_to_end(key)
        while len(self._settled) > CACHED_USERS:
            self._settled.popitem(last=False)


def _trace(rows: Sequence[Any], members: dict[int, object], start: dict[int, LearnerState],
           cut: datetime) -> tuple[dict[int, LearnerState], dict[tuple[int, object], LearnerState]]:
    """Each member's state after their new tries, and the settled states worth keeping (pure)."""
    found: dict[int, list[tuple]] = {uid: [] for uid in members}
    for row in rows:
        found[row[0]].append(tuple(row[1:]))
    result, settled = {}, {}
    for uid, created in members.items():
        new = found[uid]
        # settled tries come first unless clocks disagree: cache only a prefix of settled tries
        prefix = _settled_prefix(new, cut)
        state = start[uid].after(new[:prefix])
        if prefix:
            settled[(uid, created)] = state
        result[uid] = state.after(new[prefix:])
    return result, settled


def _settled_prefix(rows: Iterable[tuple], cut: datetime) -> int:
    """How many of the rows, from the first, were answered before ``cut``."""
    count = 0
    for row in rows:
        if row[1] > cut:
            break
        count += 1
    return count

