"""Apply the store's Alembic migrations, safely when several bot processes start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store.engine import writer

SCRIPT_LOCATION = Path(__file__).with_name("migrations")

# pg_advisory_xact_lock key ("calcbot" in ASCII, truncated to fit a bigint).
MIGRATION_LOCK_KEY = 0x63616C63626F74


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for our script directory (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def take_migration_lock(connection: AsyncConnection) -> None:
    """Serialise migrations across processes until this connection's transaction ends.

    PostgreSQL: a transaction-scoped advisory lock (DDL is transactional there, so a second
    process waits, then finds the schema at head). SQLite: the writer engine's BEGIN IMMEDIATE
    already holds the database write lock.
    """
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    else:
        await connection.execute(text("SELECT 1"))  # starts the BEGIN IMMEDIATE transaction


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision`` in one transaction; a no-op when already there."""
    async with writer(engine).connect() as connection:
        await take_migration_lock(connection)
        await connection.run_sync(_upgrade_on, revision)
        await connection.commit()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
