"""Backends the instances share: a SQLite file, a scratch PostgreSQL database (created and dropped),
and Redis when ``CALCBOT_TEST_REDIS_URL`` is set."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.store.conftest import PG_URL_VARIABLE, _pg_admin

REDIS_URL_VARIABLE = "CALCBOT_TEST_REDIS_URL"


async def create_scratch_database() -> tuple[str, str]:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(f"set {PG_URL_VARIABLE} to run this on PostgreSQL")
    name = f"calcbot_inst_{secrets.token_hex(4)}"
    await _pg_admin(url, f'CREATE DATABASE "{name}"')
    return url, name


@pytest.fixture
async def scratch_pg() -> AsyncIterator[str]:
    """A fresh PostgreSQL database's URL, dropped afterwards."""
    url, name = await create_scratch_database()
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        await _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Shared:
    """Where two instances meet: the database both use, and Redis when the backend is Redis."""

    backend: str
    database_url: str
    redis_url: str | None = None


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
async def shared(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Shared]:
    if request.param == "sqlite":
        yield Shared("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}")
        return
    if request.param == "redis":
        redis_url = os.environ.get(REDIS_URL_VARIABLE)
        if not redis_url:
            pytest.skip(f"set {REDIS_URL_VARIABLE} to run this on Redis")
        yield Shared("redis", f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}", redis_url)
        return
    url, name = await create_scratch_database()
    try:
        yield Shared("postgresql", url.rsplit("/", 1)[0] + "/" + name)
    finally:
        await _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
