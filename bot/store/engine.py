"""Engines for SQLite (aiosqlite) and PostgreSQL (asyncpg), configured identically for the store.

SQLite gets WAL, a busy timeout, foreign keys and full fsync on every connection, and real
transactions: pysqlite's implicit BEGIN is switched off and we emit our own, ``BEGIN IMMEDIATE``
for writers so two processes writing at once queue on the busy timeout instead of failing to
upgrade a read lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# Execution option marking a connection that will write (see _begin_sqlite).
WRITE_OPTION = "calcbot_write"

SQLITE_BUSY_TIMEOUT_MS = 15_000


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(
    url: str,
    *,
    connect_args: Mapping[str, Any] | None = None,
    pool_size: int | None = None,
    echo: bool = False,
) -> AsyncEngine:
    """An async engine for ``url``; creating it opens no connection."""
    kwargs: dict[str, Any] = {"echo": echo, "connect_args": dict(connect_args or {})}
    if pool_size is not None and not is_sqlite(url):
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = pool_size
    if not is_sqlite(url):
        # No pre-ping (a round trip per checkout): a connection found dead is invalidated by the
        # pool on first use; recycling bounds how stale an idle one can get.
        kwargs["pool_recycle"] = 1800
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
    return engine


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine and pool, marked so its transactions start as writers."""
    return engine.execution_options(**{WRITE_OPTION: True})


def autocommit_reader(engine: AsyncEngine) -> AsyncEngine:
    """The same pool for single-statement reads: no BEGIN/ROLLBACK round trips around them.

    PostgreSQL only; on SQLite a BEGIN costs no round trip, and switching pysqlite's isolation
    level back and forth would bring back its implicit BEGIN.
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Stop the driver from issuing its own BEGIN (it would not cover DDL and SELECTs);
    # _begin_sqlite emits ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")  # a committed answer survives power loss
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
