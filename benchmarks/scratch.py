"""A scratch PostgreSQL database for a benchmark: made on the server CALCBOT_TEST_DATABASE_URL names,
dropped afterwards, whatever happens."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager


def server_url() -> str:
    url = os.environ.get("CALCBOT_TEST_DATABASE_URL")
    if not url:
        sys.exit("set CALCBOT_TEST_DATABASE_URL to a PostgreSQL server (the benchmark makes a scratch database)")
    return url


async def admin(url: str, statement: str) -> None:
    """One statement outside a transaction (CREATE/DROP DATABASE cannot run in one)."""
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _names() -> tuple[str, str, str]:
    """(server URL, new database's name, its URL)."""
    server = server_url()
    name = f"calcbot_bench_{secrets.token_hex(4)}"
    return server, name, server.rsplit("/", 1)[0] + "/" + name


@asynccontextmanager
async def scratch_database() -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped on exit."""
    server, name, url = _names()
    await admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database_sync() -> Iterator[str]:
    """``scratch_database`` for a benchmark whose main is not async (it starts processes)."""
    server, name, url = _names()
    asyncio.run(admin(server, f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
