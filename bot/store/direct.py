"""PostgreSQL's hot path: the statements every answer runs, executed on asyncpg directly.

Measured on this project's 2-core machine, SQLAlchemy's execution layer and pool cost about
0.3-0.4 ms of client CPU per statement, several times asyncpg's own cost, on cores the database
server needs too. The statements here are still built by
SQLAlchemy from the one set of table definitions (``statements.py``); only their execution is
direct: compiled once to asyncpg's SQL, run on a small asyncpg pool. SQLite and every other
query go through SQLAlchemy as before, and the store tests run every method on both backends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.models import UTCDateTime

_UTC_DATETIME = UTCDateTime()
DIRECT_POOL_SIZE = 10  # connections at most, opened as needed
# Options SQLAlchemy's asyncpg adapter takes for itself rather than passing to asyncpg.connect.
_SQLALCHEMY_ONLY_OPTIONS = frozenset(
    {"async_creator_fn", "prepared_statement_cache_size", "prepared_statement_name_func"}
)


@dataclass(frozen=True, slots=True)
class DirectStatement:
    """A statement's asyncpg SQL, the order its parameters go in, and its literals' values."""

    sql: str
    parameter_names: tuple[str, ...]
    literals: Mapping[str, Any]

    def arguments(self, parameters: Mapping[str, Any], engine: AsyncEngine) -> list[Any]:
        values = []
        for name in self.parameter_names:
            value = self.literals[name] if name in self.literals else parameters[name]
            if isinstance(value, datetime):
                # The same refusal of naive datetimes as the SQLAlchemy column type.
                value = _UTC_DATETIME.process_bind_param(value, engine.dialect)
            values.append(value)
        return values


def compile_direct(statement: Executable, engine: AsyncEngine) -> DirectStatement:
    compiled: Any = statement.compile(dialect=engine.dialect)  # type: ignore[attr-defined]
    literals = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
    return DirectStatement(
        sql=compiled.string, parameter_names=tuple(compiled.positiontup or ()), literals=literals
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Pool reset: our statements leave no session state behind, so skip asyncpg's RESET ALL
    round trip, but never hand on a connection left inside a transaction."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class DirectPool:
    """A small asyncpg pool for the hot-path statements, sized like the engine's pool."""

    def __init__(self, pool: asyncpg.Pool, engine: AsyncEngine):
        self._pool = pool
        self._engine = engine

    @classmethod
    async def open(
        cls, engine: AsyncEngine, *, connect_args: Mapping[str, Any], size: int
    ) -> DirectPool:
        """Connects as the engine does: its URL's arguments plus the engine's ``connect_args``."""
        arguments, url_options = engine.dialect.create_connect_args(engine.url)
        options = {
            name: value for name, value in {**url_options, **connect_args}.items()
            if name not in _SQLALCHEMY_ONLY_OPTIONS
        }
        pool = await asyncpg.create_pool(
            *arguments, **options, min_size=1, max_size=size, reset=_keep_session
        )
        return cls(pool, engine)

    async def close(self) -> None:
        await self._pool.close()

    async def fetchrow(self, statement: DirectStatement, parameters: Mapping[str, Any]) -> Any:
        """One row; a read that met a pooled connection the server had closed (a database restart)
        is run once more on a fresh one — the asyncpg pool's equivalent of SQLAlchemy's pre-ping."""
        arguments = statement.arguments(parameters, self._engine)
        try:
            async with self._pool.acquire() as connection:
                return await connection.fetchrow(statement.sql, *arguments)
        except (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.exceptions.InterfaceError,
                ConnectionError):
            async with self._pool.acquire() as connection:
                return await connection.fetchrow(statement.sql, *arguments)

    async def fetch(self, statement: DirectStatement, parameters: Mapping[str, Any]) -> list[Any]:
        arguments = statement.arguments(parameters, self._engine)
        async with self._pool.acquire() as connection:
            return list(await connection.fetch(statement.sql, *arguments))
