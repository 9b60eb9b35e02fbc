"""Each learner's BKT state, kept in the database in the transaction that writes each try.

Per (user, skill): P(known), answers, right first time, last practised (``skill_states``); per (user,
mal-rule): diagnosed tries, one example, last time (``malrule_counts``); per user: the last try folded
in and the latest try's time (``learner_states``). The store only runs the arithmetic the learner
model (``bot.learner.steps``) hands it: which skills a try touches, and the one BKT update.

Order is exact: BKT depends on it. On PostgreSQL the learner's users row is locked (FOR UPDATE)
*before* the try is inserted, so its id is drawn after every earlier writer for that learner has
committed its try and its state: states follow tries in id order even with several processes
writing. SQLite serialises writers (BEGIN IMMEDIATE) already.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Double,
    Executable,
    Integer,
    String,
    bindparam,
    case,
    column,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import CTE

from bot.learner import Try, skills_of_topic
from bot.learner.steps import TryStep, step_of
from bot.store.models import learner_states, malrule_counts, skill_states, users
from bot.store.rows import TryEvidence, TryRecord

ONE: Any = literal(1.0, Double())


@lru_cache(maxsize=8192)
def model_try(given: TryEvidence) -> Try:
    """A stored try as the learner model sees it (tries kept before skills existed: the topic's).

    Cached: a learner's thousands of tries repeat a few hundred distinct shapes, and the model's
    frozen ``Try`` costs more to build than to read."""
    return Try(skills=tuple(given.skills.split()) or skills_of_topic(given.topic_id), correct=bool(given.correct),
               retry=bool(given.retry), skipped=bool(given.skipped), malrule=given.malrule,
               aimed_at=given.aimed_at, topic=given.topic_id, kind=given.kind)


def traced(p_known: Any, evidence_known: Any, evidence_unknown: Any, learn: Any) -> Any:
    """``bot.learner.tracing.continued`` in SQL, operation for operation (float8 / REAL: IEEE doubles)."""
    seen = p_known * evidence_known
    total: Any = func.nullif(seen + (ONE - p_known) * evidence_unknown, literal(0.0, Double()), type_=Double())
    posterior = func.coalesce(seen.op("/", return_type=Double())(total), p_known, type_=Double())  # no casts
    return posterior + (ONE - posterior) * learn


def _later(dialect: str) -> Any:
    return func.greatest if dialect == "postgresql" else func.max  # SQLite's two-argument max is scalar


def _upserts(dialect: str, skill_rows: Any, malrule_rows: Any, learner_rows: Any) -> tuple[Any, Any, Any]:
    """The three upserts, from ``insert(...).values(...)`` or ``.from_select(...)`` statements."""
    later = _later(dialect)
    old, new = skill_states.c, skill_rows.excluded
    ek, eu, learn = (bindparam(name, type_=Double()) for name in ("b_ek", "b_eu", "b_learn"))  # type: ignore[var-annotated]
    skill = skill_rows.on_conflict_do_update(index_elements=[old.user_id, old.skill], set_={
        "p_known": case((new.p_known.is_(None), old.p_known), (old.p_known.is_(None), new.p_known),
                        else_=traced(old.p_known, ek, eu, learn)),
        "answered": old.answered + new.answered,
        "right_first": old.right_first + new.right_first,
        "last_practised": case((new.answered > 0, new.last_practised), else_=old.last_practised),
    })
    counted = malrule_rows.excluded
    malrule = malrule_rows.on_conflict_do_update(
        index_elements=[malrule_counts.c.user_id, malrule_counts.c.malrule], set_={
            "count": malrule_counts.c.count + 1,
            "example": later(malrule_counts.c.example, counted.example),
            "last_at": later(malrule_counts.c.last_at, counted.last_at)})
    learner = learner_rows.on_conflict_do_update(index_elements=[learner_states.c.user_id], set_={
        "last_try_id": learner_rows.excluded.last_try_id,
        "last_try_at": later(learner_states.c.last_try_at, learner_rows.excluded.last_try_at)})
    return skill, malrule, learner


@dataclass(frozen=True, slots=True)
class FoldStatements:
    lock: Executable | None  # user_id; None on SQLite (writers are serialised)
    skill: Executable  # one skill row and b_ek, b_eu, b_learn
    malrule: Executable
    learner: Executable


@cache
def fold_statements(dialect: str) -> FoldStatements:
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    skill, malrule, learner = _upserts(dialect, insert(skill_states), insert(malrule_counts), insert(learner_states))
    lock = select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update()
    return FoldStatements(lock if dialect == "postgresql" else None, skill, malrule, learner)


def lock_learner(connection: Connection, user_id: int) -> None:
    """Before inserting a try: wait for every other writer of this learner's tries (PostgreSQL)."""
    lock = fold_statements(connection.dialect.name).lock
    if lock is not None:
        connection.execute(lock, {"user_id": user_id})


def fold_try(connection: Connection, user_id: int, try_id: int, given: TryRecord) -> None:
    """Fold the try just inserted (under ``lock_learner``) into the learner's stored state."""
    statements = fold_statements(connection.dialect.name)
    step = step_of(model_try(given.evidence()))
    if step.skills:
        connection.execute(statements.skill, [{
            "user_id": user_id, "skill": one.skill, "p_known": one.known, "answered": one.answered,
            "right_first": one.right, "last_practised": given.answered_at if one.answered else None,
            **_update(step)} for one in step.skills])
    if given.malrule is not None:
        connection.execute(statements.malrule, {
            "user_id": user_id, "malrule": given.malrule, "count": 1, "last_at": given.answered_at,
            "example": given.malrule_where if given.malrule_where is not None else given.answer_text})
    connection.execute(statements.learner, {"user_id": user_id, "last_try_id": try_id,
                                            "last_try_at": given.answered_at})


def _update(step: TryStep) -> dict[str, float]:
    return {"b_ek": step.evidence_known, "b_eu": step.evidence_unknown, "b_learn": step.learn}


# -- PostgreSQL's one-statement answer (``statements.single_statement_answers``) ---------------------

def fold_parameters(given: TryRecord) -> dict[str, Any]:
    """The parameters of ``folded_ctes``: the try's step, skills as parallel arrays."""
    step = step_of(model_try(given.evidence()))
    return {**_update(step), "s_skills": [one.skill for one in step.skills],
            "s_known": [one.known for one in step.skills], "s_answered": [one.answered for one in step.skills],
            "s_right": [one.right for one in step.skills]}


def folded_ctes(given: CTE, user_id: Any) -> list[CTE]:
    """The fold as data-modifying CTEs that run only for the inserted try (``given``: its id)."""
    at = bindparam("t_answered_at", type_=skill_states.c.last_practised.type)
    malrule = bindparam("t_malrule", type_=String())
    step = func.unnest(
        bindparam("s_skills", type_=ARRAY(String())), bindparam("s_known", type_=ARRAY(Double())),
        bindparam("s_answered", type_=ARRAY(Integer())), bindparam("s_right", type_=ARRAY(Integer())),
    ).table_valued(column("skill", String()), column("known", Double()), column("answered", Integer()),
                   column("right_first", Integer())).render_derived("step")
    skill_rows = postgresql.insert(skill_states).from_select(
        ["user_id", "skill", "p_known", "answered", "right_first", "last_practised"],
        select(user_id, step.c.skill, step.c.known, step.c.answered, step.c.right_first,
               case((step.c.answered > 0, at), else_=None)).select_from(given.join(step, true())))
    example = func.coalesce(bindparam("t_malrule_where", type_=String()), bindparam("t_answer_text", type_=String()))
    malrule_rows = postgresql.insert(malrule_counts).from_select(
        ["user_id", "malrule", "count", "example", "last_at"],
        select(user_id, malrule, literal(1, Integer()), example, at).select_from(given).where(malrule.is_not(None)))
    learner_rows = postgresql.insert(learner_states).from_select(
        ["user_id", "last_try_id", "last_try_at"], select(user_id, given.c.id, at).select_from(given))
    upserts = _upserts("postgresql", skill_rows, malrule_rows, learner_rows)
    return [upsert.returning(literal(1)).cte(name) for upsert, name in zip(
        upserts, ("folded_skills", "folded_malrule", "folded_learner"), strict=True)]
