"""The sandpit: games in play and finished games.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sandpit_games",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("landscape", sa.String(32), nullable=False),
        sa.Column("mode", sa.SmallInteger, nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("rule", sa.Text, nullable=True),
        sa.Column("daily_key", sa.String(300), nullable=True),
        sa.Column("daily_date", sa.Date, nullable=True),
        sa.Column("dips_json", sa.Text, nullable=False),
        sa.Column("dip_count", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sandpit_games"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sandpit_games_user_id_users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", "channel_key", name="uq_sandpit_games_user_id_channel_key"),
    )
    op.create_table(
        "sandpit_results",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("landscape", sa.String(32), nullable=False),
        sa.Column("mode", sa.SmallInteger, nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("daily_key", sa.String(300), nullable=True),
        sa.Column("daily_date", sa.Date, nullable=True),
        sa.Column("dips", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sandpit_results"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sandpit_results_user_id_users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", "daily_key", "daily_date", name="uq_sandpit_results_user_id_daily_key_daily_date"),
    )
    op.create_index("ix_sandpit_results_daily_key_daily_date", "sandpit_results", ["daily_key", "daily_date"])


def downgrade() -> None:
    op.drop_index("ix_sandpit_results_daily_key_daily_date", table_name="sandpit_results")
    op.drop_table("sandpit_results")
    op.drop_table("sandpit_games")
