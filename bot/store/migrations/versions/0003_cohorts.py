"""Study cohorts, daily pushes with a unique delivery key, and daily answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import BigId, UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(300), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("creator", sa.String(300), nullable=False),
        sa.Column("home_channel", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("workspace", "name_key", name="uq_cohorts_workspace_name_key"),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", BigId, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_key", sa.String(300), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("joined_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_cohort_members_user_key", "cohort_members", ["user_key"])
    op.create_table(
        "cohort_channels",
        sa.Column("channel_key", sa.String(300), primary_key=True),
        sa.Column("cohort_id", BigId, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_table(
        "daily_schedules",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("channel_id", sa.String(200), nullable=False),
        sa.Column("local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("window_hours", sa.Integer, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("pause_reason", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("first_date", sa.Date, nullable=False),
        sa.UniqueConstraint("channel_key", name="uq_daily_schedules_channel_key"),
    )
    op.create_index("ix_daily_schedules_platform_paused", "daily_schedules", ["platform", "paused"])
    op.create_table(
        "daily_pushes",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("schedule_id", BigId, sa.ForeignKey("daily_schedules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("closes_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lease_until", UTCDateTime, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("attempts", sa.SmallInteger, nullable=False),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("sent_at", UTCDateTime, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("question_json", sa.Text, nullable=True),
        sa.UniqueConstraint("schedule_id", "local_date", "kind", name="uq_daily_pushes_schedule_id_local_date_kind"),
    )
    op.create_index("ix_daily_pushes_platform_status_due_at", "daily_pushes", ["platform", "status", "due_at"])
    op.create_table(
        "daily_answers",
        sa.Column("push_id", BigId, sa.ForeignKey("daily_pushes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_key", sa.String(300), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daily_answers")
    op.drop_index("ix_daily_pushes_platform_status_due_at", table_name="daily_pushes")
    op.drop_table("daily_pushes")
    op.drop_index("ix_daily_schedules_platform_paused", table_name="daily_schedules")
    op.drop_table("daily_schedules")
    op.drop_table("cohort_channels")
    op.drop_index("ix_cohort_members_user_key", table_name="cohort_members")
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
