"""Alembic environment for the progress store.

``bot.store.migrate.upgrade`` hands us a live connection (already inside a transaction holding
the migration lock) through ``config.attributes["connection"]``. Run from the ``alembic`` command
line instead, we build our own async engine from ``sqlalchemy.url`` and take the same lock.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import bot.cohorts.tables  # noqa: F401,E402  (the cohort tables join the same metadata)
import bot.instances.tables  # noqa: F401,E402  (the shared-instance tables join the same metadata)
from bot.store import game_models  # noqa: F401  (its tables join the shared metadata)
from bot.store.models import metadata

config = context.config


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER needs table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone(url: str) -> None:
    from bot.store.engine import make_engine, writer
    from bot.store.migrate import take_migration_lock

    engine = make_engine(url)
    try:
        async with writer(engine).connect() as connection:
            await take_migration_lock(connection)
            await connection.run_sync(_run_on)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    shared = config.attributes.get("connection")
    if shared is not None:
        _run_on(shared)
    else:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("set sqlalchemy.url (e.g. alembic -x or bot.store.migrate.alembic_config)")
        asyncio.run(_run_standalone(url))
