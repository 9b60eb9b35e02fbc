"""The sandpit's tables: games in play (one per user per channel) and finished games (for standings).

Declared on the store's shared ``metadata``; created by migration 0004.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

sandpit_games = Table(
    "sandpit_games",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("channel_key", String(300), nullable=False),
    Column("landscape", String(32), nullable=False),
    Column("mode", SmallInteger, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("rule", Text, nullable=True),
    Column("daily_key", String(300), nullable=True),  # the pit everyone shares today (cohort or channel)
    Column("daily_date", Date, nullable=True),
    Column("dips_json", Text, nullable=False),
    # Bumped with every dip: a dip is written only over the count it was computed from.
    Column("dip_count", SmallInteger, nullable=False, server_default="0"),
    Column("started_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "channel_key"),
)

sandpit_results = Table(
    "sandpit_results",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("channel_key", String(300), nullable=False),
    Column("landscape", String(32), nullable=False),
    Column("mode", SmallInteger, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("daily_key", String(300), nullable=True),
    Column("daily_date", Date, nullable=True),
    Column("dips", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # won | over | quit
    Column("finished_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "daily_key", "daily_date"),  # one daily game per day (NULLs never collide)
    Index(None, "daily_key", "daily_date"),
)
