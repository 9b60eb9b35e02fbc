"""Real queue workers (`calcbot worker` processes) on the real brokers of this machine.

Each test module's worker listens on a queue of its own, so runs never take each other's jobs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKERS = {
    "rabbitmq": os.environ.get("CALCBOT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
    "redis": os.environ.get("CALCBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
}


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5672), timeout=1):
            return True
    except OSError:
        return False


def broker_or_skip(name: str) -> str:
    url = BROKERS[name]
    if not reachable(url):
        pytest.skip(f"no {name} broker at {url} (set CALCBOT_TEST_{'AMQP' if name == 'rabbitmq' else 'REDIS'}_URL)")
    return url


@dataclass
class QueueWorker:
    """One `calcbot worker` process and the queue it serves."""

    process: subprocess.Popen[bytes]
    broker_url: str
    queue: str

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the worker and its pool children
        self.process.wait(timeout=10)


def start_worker(broker_url: str, *, concurrency: int = 2, memory_mb: int = 768, queue: str | None = None,
                 log: Path | None = None) -> QueueWorker:
    queue = queue or f"calcbot-test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALCBOT_BROKER_URL": broker_url, "CALCBOT_QUEUE_NAME": queue,
           "CALCBOT_JOB_MEMORY_MB": str(memory_mb), "CALCBOT_LOG_LEVEL": "INFO"}
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 — the process keeps it
    process = subprocess.Popen([sys.executable, "-m", "bot", "worker", f"--concurrency={concurrency}"],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return QueueWorker(process, broker_url, queue)


def wait_until_serving(worker: QueueWorker, seconds: float = 60.0) -> None:
    """A worker serves once a trivial job comes back through the broker."""
    from bot.worker_queue import QueueWorkers
    from tests.core import worker_jobs

    async def probe() -> None:
        client = QueueWorkers(worker.broker_url, queue=worker.queue, timeout=seconds, queue_grace=seconds)
        try:
            assert await client.run(worker_jobs.square, 7) == 49
        finally:
            client.close()

    started = time.monotonic()
    asyncio.run(probe())
    assert worker.process.poll() is None, "the worker exited while starting"
    assert time.monotonic() - started < seconds


@pytest.fixture(scope="module", params=["rabbitmq", "redis"])
def queue_worker(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueueWorker]:
    url = broker_or_skip(request.param)
    worker = start_worker(url, log=tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        wait_until_serving(worker)
        yield worker
    finally:
        worker.stop()
