"""The cohort tables, beside the quiz tables on the same ``metadata`` (migration 0003).

Every push the scheduler owes lives in ``daily_pushes`` under a unique delivery key (schedule, local
date, kind): however many processes share the database, a push is one row, claimed by one of them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.store.models import BigId, UTCDateTime, metadata

cohorts = Table(
    "cohorts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("workspace", String(300), nullable=False),  # platform:workspace
    Column("name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False),  # lower-cased: names are unique case-insensitively
    Column("creator", String(300), nullable=False),  # user key platform:id
    Column("home_channel", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace", "name_key"),
)

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("cohort_id", BigId, ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_key", String(300), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("joined_at", UTCDateTime, nullable=False),
    Index(None, "user_key"),
)

cohort_channels = Table(
    "cohort_channels",
    metadata,
    Column("channel_key", String(300), primary_key=True),  # a channel belongs to at most one cohort
    Column("cohort_id", BigId, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
)

daily_schedules = Table(
    "daily_schedules",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("channel_key", String(300), nullable=False, unique=True),  # one schedule per channel
    Column("platform", String(32), nullable=False),
    Column("workspace", String(200), nullable=False),
    Column("channel_id", String(200), nullable=False),
    Column("local_time", String(5), nullable=False),  # HH:MM
    Column("timezone", String(64), nullable=False),
    Column("topic", String(100), nullable=False),  # a topic id, or "auto"
    Column("window_hours", Integer, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("pause_reason", Text, nullable=True),
    Column("created_by", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("first_date", Date, nullable=False),  # occurrences before this local date are not owed
    Index(None, "platform", "paused"),
)

cohort_digests = Table(  # the weekly digest of a cohort (migration 0007)
    "cohort_digests",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("cohort_id", BigId, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("platform", String(32), nullable=False),
    Column("workspace", String(200), nullable=False),
    Column("channel_id", String(200), nullable=False),  # the home channel's id, or "@<user id>" (private)
    Column("weekday", SmallInteger, nullable=False),  # 0 Monday … 6 Sunday
    Column("local_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("private", Boolean, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("pause_reason", Text, nullable=True),
    Column("created_by", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("first_date", Date, nullable=False),
    Index(None, "platform", "paused"),
)

daily_pushes = Table(
    "daily_pushes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("schedule_id", BigId, ForeignKey("daily_schedules.id", ondelete="CASCADE"), nullable=True),  # daily, reveal
    Column("digest_id", BigId, ForeignKey("cohort_digests.id", ondelete="CASCADE"), nullable=True),  # digest
    Column("local_date", Date, nullable=False),
    Column("kind", String(16), nullable=False),  # "daily" | "reveal" | "digest"
    Column("platform", String(32), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("closes_at", UTCDateTime, nullable=False),  # the answer window's end
    Column("status", String(16), nullable=False),  # pending, claimed, sent, missed, failed
    Column("lease_until", UTCDateTime, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("attempts", SmallInteger, nullable=False),
    Column("late", Boolean, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("error", Text, nullable=True),
    Column("question_json", Text, nullable=True),  # the day's question (daily), kept for the reveal
    UniqueConstraint("schedule_id", "local_date", "kind"),  # the delivery key
    UniqueConstraint("digest_id", "local_date", "kind"),  # a digest's delivery key (0007)
    Index(None, "platform", "status", "due_at"),
)

daily_answers = Table(
    "daily_answers",
    metadata,
    Column("push_id", BigId, ForeignKey("daily_pushes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_key", String(300), primary_key=True),  # one answer per member: the first stands
    Column("display_name", String(200), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
)
