"""The group's common mistakes read fast: a partial index on a learner's diagnosed tries by time.

``/cohort progress`` counts the mal-rules its members' tries were diagnosed with in a period; the
only index on ``tries`` is (user_id, id), which makes that read scan every try of every member. This
index holds only the diagnosed tries (a small share), by (user_id, answered_at), on both backends.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_tries_user_id_answered_at_diagnosed"


def upgrade() -> None:
    op.create_index(INDEX, "tries", ["user_id", "answered_at"],
                    postgresql_where=sa.text("malrule IS NOT NULL"), sqlite_where=sa.text("malrule IS NOT NULL"))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="tries")
