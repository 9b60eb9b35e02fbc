"""``/healthz`` (the process is alive), ``/readyz`` (the database and broker answer) and ``/metrics``
(Prometheus) for every long-running process, on ``CALCBOT_HEALTH_PORT`` — or beside Slack's own
``/slack/events`` in HTTP mode.

A probe is an ``async () -> None`` that raises when its service cannot be reached; ``/readyz`` runs
them all at once, each within ``PROBE_TIMEOUT``, and answers 503 naming the ones that failed, so a load
balancer stops sending to an instance whose database is gone while ``/healthz`` keeps it alive.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

log = logging.getLogger("calcbot")

Probe = Callable[[], Awaitable[object]]
PROBE_TIMEOUT = 2.0


async def check(probes: Mapping[str, Probe]) -> dict[str, str]:
    """Each probe's state: ``ok`` or why not."""

    async def one(probe: Probe) -> str:
        try:
            await asyncio.wait_for(probe(), PROBE_TIMEOUT)
        except TimeoutError:
            return f"no answer within {PROBE_TIMEOUT:g} s"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"[:200]
        return "ok"

    states = await asyncio.gather(*(one(p) for p in probes.values()))
    return dict(zip(probes, states, strict=True))


def add_routes(app: web.Application, probes: Mapping[str, Probe], *, draining: Callable[[], bool] = lambda: False) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_request: web.Request) -> web.Response:
        states = await check(probes)
        if draining():
            states["draining"] = "stopping: finishing the answers in flight"
        ready = all(state == "ok" for state in states.values())
        return web.Response(status=200 if ready else 503, content_type="application/json",
                            text=json.dumps({"ready": ready, **states}))

    async def served_metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", served_metrics)


class HealthServer:
    """The three routes on their own port (``CALCBOT_HEALTH_PORT``; 0 picks a free one)."""

    def __init__(self, probes: Mapping[str, Probe], *, draining: Callable[[], bool] = lambda: False):
        self.app = web.Application()
        add_routes(self.app, probes, draining=draining)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, port: int, host: str = "0.0.0.0") -> int:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = int(self._runner.addresses[0][1])
        log.info("health and metrics on %s:%s (/healthz, /readyz, /metrics)", host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
