"""One retry after feedback on a wrong quiz answer.

``open_questions.first_answer`` holds the learner's first, wrong answer while the question waits for
the second try. The attempt then keeps both: ``answer_text`` and ``correct`` are the first try (what
FSRS, accuracy and points count), ``retry_answer`` and ``retry_correct`` the second.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_questions") as batch:
        batch.add_column(sa.Column("first_answer", sa.Text, nullable=True))
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("retry_answer", sa.Text, nullable=True))
        batch.add_column(sa.Column("retry_correct", sa.Boolean, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("retry_correct")
        batch.drop_column("retry_answer")
    with op.batch_alter_table("open_questions") as batch:
        batch.drop_column("first_answer")
