"""``calcbot slack --http PORT`` as real processes on one database, against the loopback Slack:
started, awaited until ``/readyz`` says ready, sent signed requests, stopped with SIGTERM.
Used by the process test and by benchmarks/instances.py."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from tests.slack.standin import BOT_TOKEN, SlackStandIn
from tests.slack.world import SIGNING_SECRET, signed

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Instance:
    process: asyncio.subprocess.Process
    port: int

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def stop(self) -> tuple[int, str]:
        if self.process.returncode is None:
            self.process.terminate()  # SIGTERM: drain, then exit
        _, err = await asyncio.wait_for(self.process.communicate(), 90)
        return self.process.returncode or 0, err.decode()


async def start_instances(standin: SlackStandIn, database_url: str, data_dir: Path, count: int = 2,
                          **settings: str) -> list[Instance]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CALCBOT_"))}
    env.update({"CALCBOT_SLACK_API_URL": standin.api_url, "CALCBOT_DATA_DIR": str(data_dir),
                "XDG_DATA_HOME": str(data_dir), "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "CALCBOT_DATABASE_URL": database_url, "CALCBOT_WORKERS": "1", "PYTHONPATH": str(ROOT), **settings})
    instances = []
    for _ in range(count):
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "slack", "--http", str(port), env=env, cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        instances.append(Instance(process, port))
    async with aiohttp.ClientSession() as http:
        for instance in instances:
            if not await until_ready(http, instance.port, lambda i=instance: i.process.returncode is None):
                _, err = await instance.process.communicate()
                raise RuntimeError(f"an instance exited at start: {err.decode()[-2000:]}")
    return instances


async def until_ready(http: aiohttp.ClientSession, port: int, alive: Callable[[], bool], seconds: float = 60.0) -> bool:
    """Wait until the instance on ``port`` says ``/readyz`` 200: True; False if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive():
            return False
        try:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as ready:
                if ready.status == 200:
                    return True
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"the instance on port {port} was not ready within {seconds:g} s")


async def post_signed(http: aiohttp.ClientSession, url: str, form: dict[str, str]) -> int:
    body = urlencode(form)
    async with http.post(url, data=body, headers=signed(body)) as response:
        await response.read()
        return response.status
