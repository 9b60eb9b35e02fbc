"""The weekly digest of a cohort: its schedule, and its pushes beside the daily ones.

A digest push is a ``daily_pushes`` row of kind ``digest`` under its own unique delivery key
(digest, local date, kind), so the scheduler claims and sends it exactly once like any push;
``schedule_id`` becomes nullable (a digest row has ``digest_id`` instead).

Revision ID: 0007
Revises: 0008 (main's head when merged; the lead re-chains 0006 → 0007 → 0008 as they land)
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import BigId, UTCDateTime

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_digests",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("cohort_id", BigId, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("channel_id", sa.String(200), nullable=False),
        sa.Column("weekday", sa.SmallInteger, nullable=False),
        sa.Column("local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("private", sa.Boolean, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("pause_reason", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("first_date", sa.Date, nullable=False),
        sa.UniqueConstraint("cohort_id", name="uq_cohort_digests_cohort_id"),
    )
    op.create_index("ix_cohort_digests_platform_paused", "cohort_digests", ["platform", "paused"])
    with op.batch_alter_table("daily_pushes") as batch:
        batch.alter_column("schedule_id", existing_type=BigId, nullable=True)
        batch.add_column(sa.Column("digest_id", BigId, nullable=True))
        batch.create_foreign_key("fk_daily_pushes_digest_id_cohort_digests", "cohort_digests", ["digest_id"], ["id"], ondelete="CASCADE")
        batch.create_unique_constraint("uq_daily_pushes_digest_id_local_date_kind", ["digest_id", "local_date", "kind"])


def downgrade() -> None:
    op.execute("DELETE FROM daily_pushes WHERE digest_id IS NOT NULL")
    with op.batch_alter_table("daily_pushes") as batch:
        batch.drop_constraint("uq_daily_pushes_digest_id_local_date_kind", type_="unique")
        batch.drop_constraint("fk_daily_pushes_digest_id_cohort_digests", type_="foreignkey")
        batch.drop_column("digest_id")
        batch.alter_column("schedule_id", existing_type=BigId, nullable=False)
    op.drop_index("ix_cohort_digests_platform_paused", "cohort_digests")
    op.drop_table("cohort_digests")
