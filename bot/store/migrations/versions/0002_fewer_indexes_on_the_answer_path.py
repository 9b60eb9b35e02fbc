"""Drop the indexes that every answer paid for and no query needs.

A user has at most one card per topic (a few dozen), which the unique (user_id, topic_id) index
already finds, so (user_id, due) and (due) only made each card update write three index entries;
without them, PostgreSQL can update a card in place (a HOT update, no index writes at all).
attempts(user_id, answered_at) serves the per-user totals as well as (user_id, topic_id) did.
Measured with benchmarks/store.py (README, "Benchmarks").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_cards_user_id_due", table_name="cards")
    op.drop_index("ix_cards_due", table_name="cards")
    op.drop_index("ix_attempts_user_id_topic_id", table_name="attempts")


def downgrade() -> None:
    op.create_index("ix_attempts_user_id_topic_id", "attempts", ["user_id", "topic_id"])
    op.create_index("ix_cards_due", "cards", ["due"])
    op.create_index("ix_cards_user_id_due", "cards", ["user_id", "due"])
