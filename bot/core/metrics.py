"""Prometheus metrics (prometheus-client), named once here; ``/metrics`` serves them (bot/core/health.py).

Labels are bounded: a command label is a declared command's name (anything else is ``other``), an
outcome is ``ok`` or an error code from the public list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from prometheus_client import Counter, Gauge, Histogram

from bot.errors import Timeout

T = TypeVar("T")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

answers = Counter("calcbot_answers_total", "Messages answered, by platform, command and outcome",
                  ["platform", "command", "outcome"])
answer_seconds = Histogram("calcbot_answer_seconds", "Time from a message to its reply (before sending)",
                           ["platform", "command"], buckets=LATENCY_BUCKETS)
rate_limited = Counter("calcbot_rate_limited_total", "Messages refused by the per-user limits",
                       ["platform", "reason"])
duplicates = Counter("calcbot_duplicates_dropped_total", "Inbound copies dropped: another copy was handled",
                     ["platform", "kind"])
jobs_queued = Gauge("calcbot_jobs_queued", "Solver and plotting jobs waiting for a worker")
jobs_running = Gauge("calcbot_jobs_running", "Solver and plotting jobs running")
jobs_timed_out = Counter("calcbot_jobs_timed_out_total", "Jobs killed at their time limit")
job_seconds = Histogram("calcbot_job_seconds", "Wall-clock time of a solver or plotting job", buckets=LATENCY_BUCKETS)
pushes = Counter("calcbot_pushes_total", "Scheduled pushes, by platform and outcome (sent, late, failed)",
                 ["platform", "outcome"])
outages = Counter("calcbot_database_unavailable_total", "Requests that met an unreachable database or Redis",
                  ["where"])


class MeasuredWorkers:
    """The worker pool with its jobs counted: in progress beyond ``capacity`` are queued, the rest
    running (a FIFO pool of ``capacity`` processes); a job stopped at its limit counts as timed out."""

    def __init__(self, workers: Any, capacity: int):
        self.workers = workers
        self.capacity = capacity
        self._in_progress = 0

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        self._in_progress += 1
        self._show()
        started = time.perf_counter()
        try:
            return await self.workers.run(fn, *args, timeout=timeout)
        except Timeout:
            jobs_timed_out.inc()
            raise
        finally:
            job_seconds.observe(time.perf_counter() - started)
            self._in_progress -= 1
            self._show()

    def _show(self) -> None:
        jobs_running.set(min(self._in_progress, self.capacity))
        jobs_queued.set(max(0, self._in_progress - self.capacity))

    def __getattr__(self, name: str) -> Any:  # warm(), close() and the rest of the pool's own API
        return getattr(self.workers, name)
