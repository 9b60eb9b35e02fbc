"""The store's connection to the database: opening (with migrations), the transactions every
store method runs in, and the PostgreSQL hot path's statements run directly on asyncpg.

Every store method is one short transaction (``_reading``, ``_reading_consistently`` or
``_writing``); other stores on the same database use ``transaction()`` and ``snapshot()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Self

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import migrate
from bot.store.direct import DIRECT_POOL_SIZE, DirectPool, DirectStatement, compile_direct
from bot.store.engine import autocommit_reader, make_engine, writer
from bot.store.statements import answer_statements, single_statement_answers


class StoreConnection:
    """The engine, the transactions and the direct pool a ``Store`` is built on."""

    def __init__(self, engine: AsyncEngine, direct: DirectPool | None = None):
        self._engine = engine
        self._direct = direct
        self._writer = writer(engine)
        self._single_reader = autocommit_reader(engine)
        self._dialect = engine.dialect.name
        self._answer_statements = answer_statements(self._dialect)
        # PostgreSQL only: the hot path's reads by name, and the answer by (new card, streak).
        self._direct_reads: dict[str, DirectStatement] = {}
        self._direct_answers: dict[tuple[str, bool], DirectStatement] = {}
        if direct is not None:
            self._direct_reads = {
                name: compile_direct(getattr(self._answer_statements, name), engine)
                for name in ("get_user", "get_open_question", "get_card", "evidence")
            }
            self._direct_answers = {
                case: compile_direct(statement, engine)
                for case, statement in single_statement_answers().items()
            }
        # SQLite has one writer at a time. Queue this process's writers here rather than on the
        # database lock, whose busy handler polls with sleeps (other processes still wait there).
        self._sqlite_write_lock = asyncio.Lock() if self._dialect == "sqlite" else None

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        connect_args: Mapping[str, Any] | None = None,
        pool_size: int | None = None,
        migrate_schema: bool = True,
    ) -> Self:
        """Connect and bring the schema to the latest migration (idempotent, lock-protected).

        ``url``: ``sqlite+aiosqlite:///path.db`` or ``postgresql+asyncpg://…``. ``connect_args``
        go to the driver, e.g. ``{"server_settings": {"search_path": "schema"}}`` for asyncpg.
        """
        engine = make_engine(url, connect_args=connect_args, pool_size=pool_size)
        direct = None
        try:
            if migrate_schema:
                await migrate.upgrade(engine)
            if engine.dialect.name == "postgresql":
                direct = await DirectPool.open(
                    engine, connect_args=connect_args or {}, size=pool_size or DIRECT_POOL_SIZE
                )
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, direct)

    async def close(self) -> None:
        if self._direct is not None:
            await self._direct.close()
        await self._engine.dispose()

    async def _fetch_one(self, name: str, parameters: Mapping[str, Any]) -> Mapping[Any, Any] | None:
        """One row of a hot-path statement: on asyncpg directly on PostgreSQL (see direct.py)."""
        if self._direct is not None:
            return await self._direct.fetchrow(self._direct_reads[name], parameters)
        statement = getattr(self._answer_statements, name)
        async with self._reading() as connection:
            row = (await connection.execute(statement, parameters)).first()
        return None if row is None else row._mapping

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    # -- transactions -----------------------------------------------------------------------

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one SELECT (statements together need ``_reading_consistently``)."""
        async with self._single_reader.connect() as connection:
            yield connection

    @asynccontextmanager
    async def _reading_consistently(self) -> AsyncIterator[AsyncConnection]:
        """A read transaction for several SELECTs that must see the same data."""
        async with self._engine.connect() as connection:
            if self._dialect == "postgresql":
                await connection.execution_options(isolation_level="REPEATABLE READ")
            yield connection

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed on success, rolled back on any exception."""
        if self._sqlite_write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._sqlite_write_lock, self._writer.begin() as connection:
            yield connection

    def transaction(self) -> Any:
        """A write transaction for other stores on the same database (cohorts, schedules)."""
        return self._writing()

    def snapshot(self) -> Any:
        """A consistent read transaction for other stores on the same database."""
        return self._reading_consistently()

    @property
    def dialect(self) -> str:
        return self._dialect

    def insert(self, table: Table) -> Any:
        return self._insert(table)

    def _insert(self, table: Table) -> Any:
        """INSERT with the dialect's ON CONFLICT support (both backends speak the same clauses)."""
        if self._dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)
