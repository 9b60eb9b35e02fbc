"""Fixtures: the loopback Slack, and the real app connected to it in Socket Mode or HTTP mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.slack.runner import SlackRunner
from tests.conftest import FakeClock
from tests.slack.standin import SlackStandIn
from tests.slack.world import SlackWorld, settings_for


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    loopback = SlackStandIn()
    await loopback.start()
    loopback.add_user("U0ANA", "ana", admin=True)
    loopback.add_user("U0BEN", "ben")
    yield loopback
    await loopback.stop()
async def open_world(standin: SlackStandIn, tmp_path: Path, worker_pool: object, mode: str,
                     clock: FakeClock | None = None, **settings_extra: object) -> SlackWorld:
    from bot.app import build_app

    settings = settings_for(standin, tmp_path, **settings_extra)
    app = await build_app(settings, db_path=str(tmp_path / "slack.db"), clock=clock or FakeClock(),
                          workers=worker_pool, shared_platform=True)  # type: ignore[arg-type]
    runner = SlackRunner(app, settings)
    if mode == "socket":
        await runner.start_socket_mode()
        for _ in range(200):  # the hello arrives, the socket is ours
            if standin.sockets:
                break
            import asyncio

            await asyncio.sleep(0.01)
    else:
        await runner.start_http(0, host="127.0.0.1")
    return SlackWorld(standin, runner, mode)


async def close_world(world: SlackWorld) -> None:
    await world.runner.stop()
    await world.runner.app.close()
    await world.close()


@pytest.fixture
async def http_world(standin: SlackStandIn, tmp_path: Path, worker_pool: object) -> AsyncIterator[SlackWorld]:
    world = await open_world(standin, tmp_path, worker_pool, "http")
    yield world
    await close_world(world)


@pytest.fixture
async def socket_world(standin: SlackStandIn, tmp_path: Path, worker_pool: object) -> AsyncIterator[SlackWorld]:
    world = await open_world(standin, tmp_path, worker_pool, "socket")
    yield world
    await close_world(world)
