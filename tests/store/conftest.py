"""Store fixtures: every store test runs on a real SQLite file, and on PostgreSQL when
``CALCBOT_TEST_DATABASE_URL`` is set (each test in its own schema, dropped afterwards)."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store, User

PG_URL_VARIABLE = "CALCBOT_TEST_DATABASE_URL"
SESSION_TOKEN = secrets.token_hex(4)


@dataclass
class Database:
    """Where a test's store lives; ``open()`` may be called several times (reopen, concurrency)."""

    url: str
    connect_args: dict[str, Any] = field(default_factory=dict)

    @property
    def backend(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    async def open(self, **options: Any) -> Store:
        return await Store.open(self.url, connect_args=self.connect_args, **options)


async def _pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """The PostgreSQL test URL; at the end of the session, drops any schema this session left."""
    url = os.environ.get(PG_URL_VARIABLE)
    yield url
    if url:
        asyncio.run(
            _pg_admin(
                url,
                f"""DO $$ DECLARE s text; BEGIN
                    FOR s IN SELECT nspname FROM pg_namespace
                             WHERE nspname LIKE 'calcbot_test_{SESSION_TOKEN}_%' LOOP
                        EXECUTE format('DROP SCHEMA %I CASCADE', s);
                    END LOOP; END $$""",
            )
        )


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        yield Database(f"sqlite+aiosqlite:///{tmp_path / 'calcbot.db'}")
        return
    if not pg_url:
        pytest.skip(f"set {PG_URL_VARIABLE} (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test) to run on PostgreSQL")
    schema = f"calcbot_test_{SESSION_TOKEN}_{secrets.token_hex(4)}"
    await _pg_admin(pg_url, f'CREATE SCHEMA "{schema}"')
    try:
        yield Database(pg_url, {"server_settings": {"search_path": schema}})
    finally:
        await _pg_admin(pg_url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
async def store(database: Database) -> AsyncIterator[Store]:
    opened = await database.open()
    yield opened
    await opened.close()


T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def ana(store: Store) -> User:
    return await store.get_or_create_user("console", "ana", "Ana", T0)
