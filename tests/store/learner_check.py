"""The stored learner states next to what the learner model makes of the stored tries, read afresh."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.learner import mastery
from bot.store import Store
from bot.store.learner_states import model_try
from bot.store.models import learner_states, malrule_counts, skill_states, tries
from bot.store.tries import tries_of


async def stored_state(store: Store, user_id: int) -> dict[str, Any]:
    async with store.snapshot() as db:
        skills = (await db.execute(select(skill_states).where(skill_states.c.user_id == user_id))).all()
        counts = (await db.execute(select(malrule_counts).where(malrule_counts.c.user_id == user_id))).all()
        learner = (await db.execute(select(learner_states).where(learner_states.c.user_id == user_id))).first()
    return {"skills": {r.skill: (r.p_known, r.answered, r.right_first, r.last_practised) for r in skills},
            "mistakes": {r.malrule: (r.count, r.example, r.last_at) for r in counts},
            "last": None if learner is None else (learner.last_try_id, learner.last_try_at)}


async def traced_state(store: Store, user_id: int) -> dict[str, Any]:
    """The same, from the tries in id order: BKT by ``bot.learner.mastery``, tallies and counts by hand."""
    kept = await tries_of(store, user_id)
    model = [model_try(t.record.evidence()) for t in kept]
    known = mastery(model)
    tallies: dict[str, list[Any]] = {}
    for given, one in zip(kept, model, strict=True):
        if one.skipped:
            continue
        for skill in one.skills:
            tally = tallies.setdefault(skill, [0, 0, None])
            tally[0] += 1
            tally[1] += one.correct and not one.retry
            tally[2] = given.record.answered_at
    skills = {skill: (known.get(skill), *tallies.get(skill, (0, 0, None))) for skill in {*known, *tallies}}
    async with store.snapshot() as db:
        counts = (await db.execute(
            select(tries.c.malrule, func.count(), func.max(func.coalesce(tries.c.malrule_where, tries.c.answer_text)),
                   func.max(tries.c.answered_at))
            .where(tries.c.user_id == user_id, tries.c.malrule.is_not(None)).group_by(tries.c.malrule))).all()
    mistakes = {code: (count, example, _aware(last)) for code, count, example, last in counts}
    last = (kept[-1].id, max(t.record.answered_at for t in kept)) if kept else None
    return {"skills": skills, "mistakes": mistakes, "last": last}


def _aware(value: Any) -> Any:
    """max() over a column loses its type on SQLite (a string comes back): read it as the column would."""
    from datetime import UTC, datetime
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if isinstance(value, str) else value
