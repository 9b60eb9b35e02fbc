"""Several instances, one bot: inbound claims (de-duplication) and shared per-user limits.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import BigId, UTCDateTime

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_claims",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("claimed_by", sa.String(32), nullable=False),
        sa.Column("claimed_at", UTCDateTime, nullable=False),
        sa.Column("lease_until", UTCDateTime, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
    )
    op.create_index("ix_inbound_claims_claimed_at", "inbound_claims", ["claimed_at"])
    op.create_table(
        "limit_marks",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("who", sa.String(300), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("running_until", UTCDateTime, nullable=True),
    )
    op.create_index("ix_limit_marks_who_started_at", "limit_marks", ["who", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_limit_marks_who_started_at", "limit_marks")
    op.drop_table("limit_marks")
    op.drop_index("ix_inbound_claims_claimed_at", "inbound_claims")
    op.drop_table("inbound_claims")
