"""Every try is a record: ``tries`` keeps each answer a learner gives, whatever happens next.

Before this, a wrong first try lived only on its open question (lost when the question was
replaced or left to close) and diagnoses were never stored. A try row keeps the answer, whether
it was right, whether it was the retry or a skip, the question's kind, skills and aim, and the
diagnosed mistake. Existing databases are filled in place from what they hold: each attempt
becomes its first try (and its retry, and its skip), each open question's pending first answer
a try; skills left blank are read from the topic (``bot.learner.skills_of_topic``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import BigId, UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("user_id, topic_id, question_id, channel_key, answer_text, correct, retry, skipped, hints_used, "
            "answered_at")


def upgrade() -> None:
    op.create_table(
        "tries",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE",
                                                  name="fk_tries_user_id_users"), nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("channel_key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False, server_default="expression"),
        sa.Column("skills", sa.String(500), nullable=False, server_default=""),
        sa.Column("aimed_at", sa.String(100), nullable=True),
        sa.Column("answer_text", sa.Text, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("retry", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("skipped", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hints_used", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("malrule", sa.String(100), nullable=True),
        sa.Column("malrule_where", sa.Text, nullable=True),
        sa.Column("answered_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tries"),
    )
    op.create_index("ix_tries_user_id_id", "tries", ["user_id", "id"])
    # Existing answers, in the order they were given: first try, then retry or skip; then the
    # first answers still waiting for their retry.
    op.get_bind().execute(
        sa.text(
            f"INSERT INTO tries ({_COLUMNS}) SELECT {_COLUMNS} FROM ("
            f" SELECT a.id AS source, 0 AS step, a.user_id, a.topic_id, a.question_id, a.channel_key,"
            f"  a.answer_text, a.correct, (1=0) AS retry, (1=0) AS skipped, a.hints_used, a.answered_at"
            f"  FROM attempts a WHERE NOT a.skipped OR a.answer_text <> ''"
            f" UNION ALL"
            f" SELECT a.id, 1, a.user_id, a.topic_id, a.question_id, a.channel_key,"
            f"  a.retry_answer, a.retry_correct, (1=1), (1=0), a.hints_used, a.answered_at"
            f"  FROM attempts a WHERE a.retry_answer IS NOT NULL AND NOT a.skipped"
            f" UNION ALL"
            f" SELECT a.id, 1, a.user_id, a.topic_id, a.question_id, a.channel_key,"
            f"  '', (1=0), (1=0), (1=1), a.hints_used, a.answered_at"
            f"  FROM attempts a WHERE a.skipped"
            f") given ORDER BY answered_at, source, step"
        )
    )
    op.get_bind().execute(
        sa.text(
            f"INSERT INTO tries ({_COLUMNS})"
            " SELECT user_id, topic_id, question_id, channel_key, first_answer, (1=0), (1=0), (1=0), hints_used, asked_at"
            " FROM open_questions WHERE first_answer IS NOT NULL ORDER BY asked_at, id"
        )
    )


def downgrade() -> None:
    op.drop_index("ix_tries_user_id_id", table_name="tries")
    op.drop_table("tries")
