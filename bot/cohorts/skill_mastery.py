"""Mastery per skill of a cohort's members, read from their stored BKT states.

Each learner's state is kept in the database by the transaction that writes each try
(``bot/store/learner_states.py``), equal to the learner model's ``mastery`` over their tries in
order — what /progress computes from the tries themselves. So a view reads a few rows per member
(one query for the whole cohort), the first view of a process as cheaply as any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from bot.store.models import learner_states, skill_states


@dataclass(frozen=True)
class SkillTally:
    """One member's record on one skill, all time."""

    tries: int = 0  # answered tries (not skips) on questions exercising the skill
    right: int = 0  # of those, right at the first try
    last: datetime | None = None  # last practised


@dataclass(frozen=True)
class LearnerState:
    """A member's mastery and tallies after all their tries."""

    mastery: dict[str, float] = field(default_factory=dict)
    tallies: dict[str, SkillTally] = field(default_factory=dict)
    last_try: datetime | None = None  # any try, skips included


async def learner_states_of(store: object, user_ids: list[int]) -> dict[int, LearnerState]:
    """Each member's stored state (a member with no try: an empty one), in one query."""
    if not user_ids:
        return {}
    query = (sa.select(learner_states.c.user_id, learner_states.c.last_try_at, skill_states.c.skill, skill_states.c.p_known, skill_states.c.answered,
                       skill_states.c.right_first, skill_states.c.last_practised)
             .outerjoin(skill_states, skill_states.c.user_id == learner_states.c.user_id)
             .where(learner_states.c.user_id.in_(user_ids)))
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        rows = (await db.execute(query)).all()
    found: dict[int, LearnerState] = {}
    for row in rows:
        state = found.get(row.user_id)
        if state is None:
            state = found[row.user_id] = LearnerState(last_try=row.last_try_at)
        if row.skill is None:
            continue
        if row.p_known is not None:
            state.mastery[row.skill] = row.p_known
        state.tallies[row.skill] = SkillTally(row.answered, row.right_first, row.last_practised)
    return {uid: found.get(uid, LearnerState()) for uid in user_ids}
