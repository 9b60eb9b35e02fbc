"""The shared tables (migration 0008), beside the others on the store's ``metadata``."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, String, Table

from bot.store.models import BigId, UTCDateTime, metadata

# One row per inbound event some instance claimed: Slack event_id, trigger_id, Discord interaction id.
inbound_claims = Table(
    "inbound_claims",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("claimed_by", String(32), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
    Column("done", Boolean, nullable=False),
    Index(None, "claimed_at"),
)

# One row per admitted message: counted for a minute (the sliding window), and while running.
limit_marks = Table(
    "limit_marks",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("who", String(300), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("running_until", UTCDateTime, nullable=True),
    Index(None, "who", "started_at"),
)
