"""Engines for SQLite (aiosqlite) and PostgreSQL (asyncpg), configured identically for the store.

SQLite gets WAL, a busy timeout, foreign keys and full fsync on every connection, and real
transactions: pysqlite's implicit BEGIN is switched off and we emit our own, ``BEGIN IMMEDIATE``
for writers so two processes writing at once queue on the busy timeout instead of failing to
upgrade a read lock.

PostgreSQL's pooled connections are pinged before use, so after the server restarts (or the network
to it is cut and restored) the first request gets a fresh connection instead of "connection is
closed"; ``is_outage`` tells a database that cannot be reached from a bug.
"""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy.exc
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
        # A ping per checkout (one round trip, well under a millisecond on a LAN) is what makes the
        # first request after a database restart succeed; recycling bounds how stale an idle one gets.
        kwargs["pool_pre_ping"] = True
        kwargs["pool_recycle"] = 1800
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
    return engine


async def ping(engine: AsyncEngine) -> None:
    """One round trip (``/readyz``): raises when the database cannot be reached."""
    async with engine.connect() as connection:
        await connection.exec_driver_sql("SELECT 1")


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
        _into_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")  # a committed answer survives power loss
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _into_wal(cursor: Any) -> None:
    """WAL mode. The switch needs the file to itself, and SQLite may refuse it at once ("database is
    locked", no busy wait) while another process's first connection is switching the same new file:
    try again for up to the busy timeout; once the file is in WAL mode the pragma needs no lock."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)  # on the connection's own thread, while it is being opened
        pause = min(pause * 2, 0.5)


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# OS errors that mean "the database is not reachable", not "our code is wrong".
_UNREACHABLE = frozenset({errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH,
                          errno.ENETUNREACH, errno.ETIMEDOUT, errno.EPIPE, errno.ENOTCONN})
# asyncpg's errors for a connection lost or refused (its SQLSTATE classes 08 and 57P0x).
_ASYNCPG_OUTAGES = ("ConnectionDoesNotExistError", "ConnectionFailureError", "CannotConnectNowError",
                    "AdminShutdownError", "CrashShutdownError", "PostgresConnectionError",
                    "ClientCannotConnectError", "ConnectionRejectionError", "TooManyConnectionsError")


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the database cannot be reached right now."""
    for found in _causes(exc):
        if isinstance(found, sqlalchemy.exc.DBAPIError) and found.connection_invalidated:
            return True
        if isinstance(found, sqlalchemy.exc.TimeoutError):  # no pooled connection came free in time
            return True
        if isinstance(found, ConnectionError | socket.gaierror):
            return True
        if isinstance(found, OSError) and found.errno in _UNREACHABLE:
            return True
        if type(found).__module__.startswith("asyncpg") and any(
                klass.__name__ in _ASYNCPG_OUTAGES for klass in type(found).__mro__):
            return True
        if type(found).__name__ == "InterfaceError" and "connection is closed" in str(found):
            return True
    return False


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    found: BaseException | None = exc
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        yield found
        found = found.__cause__ or found.__context__
