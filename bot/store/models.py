"""The progress tables, declared once for queries and for the initial migration.

SQLAlchemy Core tables (not ORM classes): the store hands out plain dataclasses, so nothing
lazy-loaded or session-bound can leak into the rest of the bot.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import false, text
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so later migrations can refer to them on both SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Autoincrementing 64-bit ids on PostgreSQL; SQLite only autoincrements an INTEGER primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on both backends.

    SQLite stores no offset, so values are normalised to UTC before storing and tagged UTC on the
    way out; PostgreSQL uses ``timestamptz``. Naive datetimes are refused: they are always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store only takes aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("platform", String(32), nullable=False),
    Column("platform_user_id", String(128), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("xp", Integer, nullable=False, server_default="0"),
    Column("streak_days", Integer, nullable=False, server_default="0"),
    Column("last_active_day", Date, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "platform_user_id"),
)

cards = Table(
    "cards",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", String(100), nullable=False),
    Column("state_json", Text, nullable=False),  # fsrs.Card.to_json()
    Column("due", UTCDateTime, nullable=False),
    Column("last_review", UTCDateTime, nullable=True),
    Column("reps", Integer, nullable=False, server_default="0"),
    Column("lapses", Integer, nullable=False, server_default="0"),  # answers rated Again
    # Bumped on every write: writers say which version they computed from (optimistic locking).
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("user_id", "topic_id"),  # also finds a user's cards; no index on due (0002)
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", String(100), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("channel_key", String(300), nullable=False),
    Column("answer_text", Text, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("skipped", Boolean, nullable=False, server_default=false()),
    Column("hints_used", SmallInteger, nullable=False, server_default="0"),
    Column("rating", SmallInteger, nullable=False),  # fsrs.Rating value, 1..4
    Column("xp_gained", Integer, nullable=False, server_default="0"),
    Column("answered_at", UTCDateTime, nullable=False),
    # The second try, when the first answer was wrong (answer_text and correct are the first).
    Column("retry_answer", Text, nullable=True),
    Column("retry_correct", Boolean, nullable=True),
    Index(None, "user_id", "answered_at"),
)

open_questions = Table(
    "open_questions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("channel_key", String(300), nullable=False),
    Column("topic_id", String(100), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("question_json", Text, nullable=False),  # content.questions.Question.to_json()
    Column("hints_used", SmallInteger, nullable=False, server_default="0"),
    Column("asked_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("first_answer", Text, nullable=True),  # the wrong first answer, while the retry is open
    UniqueConstraint("user_id", "channel_key"),
    Index(None, "expires_at"),
)

tries = Table(
    "tries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", String(100), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("channel_key", String(300), nullable=False),
    Column("kind", String(32), nullable=False, server_default="expression"),
    Column("skills", String(500), nullable=False, server_default=""),  # skill ids, space-separated
    Column("aimed_at", String(100), nullable=True),  # the mal-rule an aimed question practised
    Column("answer_text", Text, nullable=False),  # "" for a skip
    Column("correct", Boolean, nullable=False),
    Column("retry", Boolean, nullable=False, server_default=false()),  # the second try, after feedback
    Column("skipped", Boolean, nullable=False, server_default=false()),
    Column("hints_used", SmallInteger, nullable=False, server_default="0"),
    Column("malrule", String(100), nullable=True),  # the diagnosed mistake's code
    Column("malrule_where", Text, nullable=True),  # where it happened, SymPy syntax
    Column("answered_at", UTCDateTime, nullable=False),
    Index(None, "user_id", "id"),  # a learner's tries in the order given
    # a cohort's diagnosed mistakes in a period (migration 0009)
    Index("ix_tries_user_id_answered_at_diagnosed", "user_id", "answered_at",
          postgresql_where=text("malrule IS NOT NULL"), sqlite_where=text("malrule IS NOT NULL")),
)

learned_topics = Table(
    "learned_topics",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", String(100), primary_key=True),
    Column("learned_at", UTCDateTime, nullable=False),
)

# A learner's BKT state, kept as tries are written (migration 0010; ``bot/store/learner_states.py``):
# equal to the learner model over their tries in id order, so the cohort view reads it instead.
learner_states = Table(
    "learner_states",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("last_try_id", BigInteger, nullable=False),  # the last try folded in
    Column("last_try_at", UTCDateTime, nullable=False),  # the latest answered_at, skips included
)

skill_states = Table(
    "skill_states",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("skill", String(100), primary_key=True),
    Column("p_known", Double, nullable=True),  # NULL: the skill was practised but never evidence
    Column("answered", Integer, nullable=False),  # answers (not skips) on questions exercising it
    Column("right_first", Integer, nullable=False),  # of those, right at the first try
    Column("last_practised", UTCDateTime, nullable=True),
)

malrule_counts = Table(
    "malrule_counts",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("malrule", String(100), primary_key=True),
    Column("count", Integer, nullable=False),  # diagnosed tries, all time
    Column("example", Text, nullable=False),  # max(coalesce(malrule_where, answer_text)), as a query would pick
    Column("last_at", UTCDateTime, nullable=False),
)
