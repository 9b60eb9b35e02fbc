"""The database goes away under a running bot and comes back (a TCP proxy in front of the real
PostgreSQL is cut and restored): calculus answers throughout, learning commands say ``unavailable``,
/readyz says not ready, the push loop keeps going and sends what fell due during the outage, and
the first request after recovery succeeds."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.core.config import Settings
from bot.core.health import HealthServer
from bot.core.message import ChannelRef, Message, UserRef
from tests.conftest import FakeClock
from tests.instances.tcp_proxy import TcpProxy


def said(text: str, channel: str = "general") -> Message:
    return Message(UserRef("console", "ana", "Ana", admin=True), ChannelRef("console", "", channel), text)


class Collected:
    def __init__(self) -> None:
        self.pushes: list[tuple[str, str]] = []

    async def deliver(self, channel, reply, *, kind: str) -> None:
        self.pushes.append((channel.id, kind))


@pytest.fixture
async def through_proxy(scratch_pg):
    target = urlsplit(scratch_pg.replace("postgresql+asyncpg", "postgresql"))
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    netloc = f"{target.username}@127.0.0.1:{proxy.port}" if target.username else f"127.0.0.1:{proxy.port}"
    yield proxy, f"postgresql+asyncpg://{netloc}{target.path}"
    await proxy.close()


async def test_a_database_outage_is_survived_and_the_first_request_after_it_succeeds(
        through_proxy, tmp_path, worker_pool):
    from bot.app import build_app

    proxy, url = through_proxy
    clock = FakeClock()
    clock.now = clock.now.replace(hour=6, minute=0)
    app = await build_app(Settings(data_dir=tmp_path), database_url=url, clock=clock, workers=worker_pool)
    health = HealthServer(app.probes)
    port = await health.start(0, host="127.0.0.1")
    delivery = Collected()
    try:
        assert (await app.handle(said("/progress"))).error is None
        assert (await app.handle(said("/daily on 08:00 UTC", channel="c1"))).error is None
        await app.scheduler.start(delivery, "console", every=0.05)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as ready:
                assert ready.status == 200

            await proxy.cut()
            derived = await app.handle(said("/derive x^2 sin x"))
            assert derived.error is None and "x^2*cos(x) + 2*x*sin(x)" in derived.text
            progress = await app.handle(said("/progress"))
            assert progress.error is not None and progress.error.code == "unavailable"
            assert "nothing was lost" in progress.error.message
            async with http.get(f"http://127.0.0.1:{port}/readyz") as ready:
                assert ready.status == 503 and (await ready.json())["database"] != "ok"
            async with http.get(f"http://127.0.0.1:{port}/healthz") as alive:
                assert alive.status == 200  # alive: a restart would not bring the database back

            clock.advance(hours=2, minutes=1)  # the daily question falls due during the outage
            await asyncio.sleep(0.5)  # several rounds fail meanwhile
            assert delivery.pushes == []
            assert all(not task.done() for task in app.scheduler._tasks)  # the loop goes on

            await proxy.restore()
            assert (await app.handle(said("/progress"))).error is None  # the first request after recovery
            for _ in range(200):
                if delivery.pushes:
                    break
                await asyncio.sleep(0.05)
            assert delivery.pushes == [("c1", "daily")]  # sent after the outage, once
            async with http.get(f"http://127.0.0.1:{port}/readyz") as ready:
                assert ready.status == 200
            for _ in range(100):  # the round that sent it counts it when it ends
                async with http.get(f"http://127.0.0.1:{port}/metrics") as metrics:
                    text = await metrics.text()
                if 'calcbot_pushes_total{outcome="sent",platform="console"}' in text:
                    break
                await asyncio.sleep(0.05)
            assert 'calcbot_answers_total{command="progress",outcome="unavailable",platform="console"}' in text
            assert 'calcbot_pushes_total{outcome="sent",platform="console"}' in text

            # A quick restart between two requests: every pooled connection is stale, none was tried.
            await app.scheduler.stop()
            assert (await app.handle(said("/progress"))).error is None
            await proxy.cut()
            await proxy.restore()
            assert (await app.handle(said("/progress"))).error is None  # checked before use, not failed
            assert (await app.handle(said("/daily status", channel="c1"))).error is None
    finally:
        await health.stop()
        await app.close()
