"""Mastery per skill of a cohort's members, read from their stored BKT states.

Each learner's state is kept in the database by the transaction that writes each try
(``bot/store/learner_states.py``), equal to the learner model's ``mastery`` over their tries in
order — what /progress computes from the tries themselves. So a view reads a few rows per member
(two queries for the whole cohort), the first view of a process as cheaply as any other.
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
    """A member's mastery and tallies after their tries up to ``through`` (a try id)."""

    through: int = 0
    mastery: dict[str, float] = field(default_factory=dict)
    tallies: dict[str, SkillTally] = field(default_factory=dict)
    last_try: datetime | None = None  # any try, skips included


async def learner_states_of(store: object, user_ids: list[int]) -> dict[int, LearnerState]:
    """Each member's stored state (a member with no try: an empty one)."""
    if not user_ids:
        return {}
    async with store.snapshot() as db:  # type: ignore[attr-defined]
        learners = (await db.execute(sa.select(learner_states).where(learner_states.c.user_id.in_(user_ids)))).all()
        skills = (await db.execute(sa.select(skill_states).where(skill_states.c.user_id.in_(user_ids)))).all()
    mastery: dict[int, dict[str, float]] = {uid: {} for uid in user_ids}
    tallies: dict[int, dict[str, SkillTally]] = {uid: {} for uid in user_ids}
    for row in skills:
        if row.p_known is not None:
            mastery[row.user_id][row.skill] = row.p_known
        tallies[row.user_id][row.skill] = SkillTally(row.answered, row.right_first, row.last_practised)
    found = {uid: LearnerState() for uid in user_ids}
    for row in learners:
        found[row.user_id] = LearnerState(row.last_try_id, mastery[row.user_id], tallies[row.user_id], row.last_try_at)
    return found
