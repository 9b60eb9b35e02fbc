"""Each learner's BKT state kept in the database as tries are written, so a cohort's view is read, not traced.

``learner_states`` (per user: the last try folded in, the latest try's time), ``skill_states`` (per user
and skill: P(known), answers, right first time, last practised) and ``malrule_counts`` (per user and
mal-rule: diagnosed tries, one example, last time). From here on every try is folded in by the
transaction that inserts it (``bot/store/learner_states.py``).

Existing databases are filled in here, in this one transaction: every stored try, per learner in id
order, through the learner model's own fold (``bot.learner.steps.fold``), so the states equal BKT over
all the tries. It reads every try once, streamed in (user_id, id) order (about 20 s per million on a small machine); bot processes
of an older version must be stopped first (a try they write afterwards would not be folded in).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from bot.learner.steps import fold
from bot.store.learner_states import model_try
from bot.store.models import BigId, UTCDateTime
from bot.store.rows import TryEvidence

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROWS_AT_ONCE = 10_000  # tries read, and states written, per round trip


def upgrade() -> None:
    op.create_table(
        "learner_states",
        sa.Column("user_id", BigId, _user("learner_states"), nullable=False),
        sa.Column("last_try_id", sa.BigInteger, nullable=False),
        sa.Column("last_try_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_learner_states"),
    )
    op.create_table(
        "skill_states",
        sa.Column("user_id", BigId, _user("skill_states"), nullable=False),
        sa.Column("skill", sa.String(100), nullable=False),
        sa.Column("p_known", sa.Double, nullable=True),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("right_first", sa.Integer, nullable=False),
        sa.Column("last_practised", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("user_id", "skill", name="pk_skill_states"),
    )
    op.create_table(
        "malrule_counts",
        sa.Column("user_id", BigId, _user("malrule_counts"), nullable=False),
        sa.Column("malrule", sa.String(100), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("example", sa.Text, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "malrule", name="pk_malrule_counts"),
    )
    _fill_in(op.get_bind())


def _user(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("users.id", ondelete="CASCADE", name=f"fk_{table}_user_id_users")


def _fill_in(bind: sa.Connection) -> None:
    bind.execute(sa.text(
        "INSERT INTO learner_states (user_id, last_try_id, last_try_at)"
        " SELECT user_id, max(id), max(answered_at) FROM tries GROUP BY user_id"))
    bind.execute(sa.text(
        "INSERT INTO malrule_counts (user_id, malrule, count, example, last_at)"
        " SELECT user_id, malrule, count(*), max(coalesce(malrule_where, answer_text)), max(answered_at)"
        " FROM tries WHERE malrule IS NOT NULL GROUP BY user_id, malrule"))
    tries = sa.table("tries", *(sa.column(name) for name in (
        "id", "user_id", "topic_id", "kind", "skills", "aimed_at", "correct", "retry", "skipped", "malrule")),
        sa.column("answered_at", UTCDateTime))
    insert = sa.text("INSERT INTO skill_states (user_id, skill, p_known, answered, right_first, last_practised)"
                     " VALUES (:user_id, :skill, :p_known, :answered, :right_first, :last_practised)"
                     ).bindparams(sa.bindparam("last_practised", type_=UTCDateTime))
    # One pass over every try in (user_id, id) order, streamed; the states written as each batch fills.
    rows = bind.execute(sa.select(tries).order_by(tries.c.user_id, tries.c.id),
                        execution_options={"yield_per": ROWS_AT_ONCE})  # this statement only: not the connection
    states: list[dict] = []
    for user_id, given in groupby(rows, key=lambda row: row.user_id):
        found = fold((model_try(_evidence(row)), row.answered_at) for row in given)
        states += [{"user_id": user_id, "skill": skill, "p_known": state.known, "answered": state.answered,
                    "right_first": state.right, "last_practised": state.last} for skill, state in found.items()]
        if len(states) >= ROWS_AT_ONCE:
            bind.execute(insert, states)
            states = []
    if states:
        bind.execute(insert, states)


def _evidence(row: sa.Row) -> TryEvidence:
    return TryEvidence(row.topic_id, row.kind, row.skills or "", row.aimed_at, bool(row.correct), bool(row.retry),
                       bool(row.skipped), row.malrule)


def downgrade() -> None:
    op.drop_table("malrule_counts")
    op.drop_table("skill_states")
    op.drop_table("learner_states")
