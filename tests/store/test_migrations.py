"""Schema migrations: applied at open, idempotent, safe when several processes start at once."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from bot.store import migrate
from tests.store.conftest import T0, Database

TABLES = {"users", "cards", "attempts", "open_questions", "learned_topics", "alembic_version"}


async def _tables(database: Database) -> set[str]:
    store = await database.open(migrate_schema=False)
    try:
        async with store.engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await store.close()


async def test_open_creates_every_table_at_the_head_revision(database: Database) -> None:
    store = await database.open()
    try:
        assert await migrate.current_revision(store.engine) == migrate.head_revision()
    finally:
        await store.close()
    assert TABLES <= await _tables(database)


async def test_store_without_migration_leaves_the_database_empty(database: Database) -> None:
    assert await _tables(database) == set()


async def test_opening_again_keeps_data_and_revision(database: Database) -> None:
    first = await database.open()
    user = await first.get_or_create_user("console", "ana", "Ana", T0)
    await first.close()
    second = await database.open()
    try:
        assert await second.get_user(user.id) == user
        assert await migrate.current_revision(second.engine) == migrate.head_revision()
    finally:
        await second.close()


async def test_concurrent_opens_on_a_fresh_database_all_succeed(database: Database) -> None:
    stores = await asyncio.gather(*(database.open() for _ in range(4)))
    try:
        users = await asyncio.gather(
            *(store.get_or_create_user("console", "ana", "Ana", T0) for store in stores)
        )
        assert len({user.id for user in users}) == 1
    finally:
        for store in stores:
            await store.close()


async def test_naive_datetimes_are_refused(database: Database) -> None:
    store = await database.open()
    try:
        with pytest.raises(Exception, match="naive datetime"):
            await store.get_or_create_user("console", "ana", "Ana", datetime(2026, 1, 1))
    finally:
        await store.close()


async def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(database: Database) -> None:
    if database.backend != "sqlite":
        pytest.skip("SQLite pragmas")
    store = await database.open()
    try:
        async with store.engine.connect() as connection:
            journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            timeout = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
            foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
        assert (journal, foreign_keys) == ("wal", 1)
        assert timeout >= 5000
    finally:
        await store.close()


async def test_rows_for_a_missing_user_are_rejected_by_foreign_keys(database: Database) -> None:
    store = await database.open()
    try:
        with pytest.raises(Exception, match="(?i)foreign key"):
            await store.mark_learned(424242, "derivative-definition", T0)
    finally:
        await store.close()


def test_the_models_match_the_migrations(tmp_path: Path) -> None:
    # Through Alembic's own command line path (env.py builds its engine); sync on purpose.
    config = migrate.alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'check.db'}")
    command.upgrade(config, "head")
    command.check(config)  # raises if autogenerate would find a difference


def test_migrations_downgrade_to_nothing_and_back(tmp_path: Path) -> None:
    config = migrate.alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'down.db'}")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)
