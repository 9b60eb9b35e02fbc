"""Initial progress tables: users, cards, attempts, open questions, learned topics.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than metadata.create_all(): a migration must keep meaning what it meant
# when it shipped, whatever models.py says later.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(128), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("xp", sa.Integer, nullable=False, server_default="0"),
        sa.Column("streak_days", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_active_day", sa.Date, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("platform", "platform_user_id", name="uq_users_platform_platform_user_id"),
    )
    op.create_table(
        "cards",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("state_json", sa.Text, nullable=False),
        sa.Column("due", UTCDateTime, nullable=False),
        sa.Column("last_review", UTCDateTime, nullable=True),
        sa.Column("reps", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lapses", sa.Integer, nullable=False, server_default="0"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_cards_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("user_id", "topic_id", name="uq_cards_user_id_topic_id"),
    )
    op.create_index("ix_cards_user_id_due", "cards", ["user_id", "due"])
    op.create_index("ix_cards_due", "cards", ["due"])
    op.create_table(
        "attempts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("answer_text", sa.Text, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("skipped", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hints_used", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("xp_gained", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_attempts_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_attempts_user_id_topic_id", "attempts", ["user_id", "topic_id"])
    op.create_index("ix_attempts_user_id_answered_at", "attempts", ["user_id", "answered_at"])
    op.create_table(
        "open_questions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("question_json", sa.Text, nullable=False),
        sa.Column("hints_used", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("asked_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_open_questions"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_open_questions_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("user_id", "channel_key", name="uq_open_questions_user_id_channel_key"),
    )
    op.create_index("ix_open_questions_expires_at", "open_questions", ["expires_at"])
    op.create_table(
        "learned_topics",
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("learned_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "topic_id", name="pk_learned_topics"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_learned_topics_user_id_users", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("learned_topics")
    op.drop_table("open_questions")
    op.drop_table("attempts")
    op.drop_table("cards")
    op.drop_table("users")
