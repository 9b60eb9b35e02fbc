"""The worker tier: jobs go through a real broker (RabbitMQ, Redis) to real `calcbot worker` processes,
under the same guard, time limit and memory cap as the local pool — and the router cannot tell."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sympy

from bot.core.message import ChannelRef, Message, UserRef
from bot.errors import ParseError, Timeout, TooComplex, Unavailable
from bot.solver.parser import parse
from bot.solver.variables import symbol
from bot.worker_queue import QueueWorkers
from tests.core import worker_jobs
from tests.workers.conftest import broker_or_skip, start_worker, wait_until_serving

if TYPE_CHECKING:
    from bot.app import App

COURSE_STREAM = [  # a text answer, a vector, a figure, a parse error
    "/derive e^(3x) cos(2x)",
    "/grad x^2 y + y^3 at (1, 2)",
    "/slope x^3 at 2",
    "/derive x +* 2",
]


@pytest.fixture
async def client(queue_worker):
    workers = QueueWorkers(queue_worker.broker_url, queue=queue_worker.queue, timeout=2.0, memory_mb=768)
    yield workers
    workers.close()


async def test_a_job_runs_on_a_queue_worker_and_returns_its_result(client):
    assert await client.run(worker_jobs.square, 12) == 144


async def test_a_job_over_the_time_limit_is_killed_and_reported_as_a_timeout(client):
    started = time.monotonic()
    with pytest.raises(Timeout) as caught:
        await client.run(worker_jobs.spin_forever, 1)
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 2.0 + 3.0  # the hard limit, not the queue's grace
    assert await client.run(worker_jobs.square, 3) == 9  # the worker carries on


async def test_a_job_over_the_memory_cap_becomes_too_complex(client):
    with pytest.raises(TooComplex) as caught:
        await client.run(worker_jobs.allocate_eight_gigabytes, 1)
    assert "memory" in caught.value.message or "resources" in caught.value.message
    assert await client.run(worker_jobs.square, 4) == 16


async def test_a_job_that_kills_its_worker_fails_once_and_is_not_retried(client, tmp_path):
    runs = tmp_path / "runs"
    with pytest.raises(TooComplex):
        await client.run(worker_jobs.note_pid_then_die, str(runs))
    assert await client.run(worker_jobs.square, 5) == 25  # a new child took its place
    await asyncio.sleep(1.0)  # a redelivered copy would have started by now
    assert len(runs.read_text().split()) == 1


async def test_our_domain_errors_cross_the_broker_unchanged(client):
    from bot.present.derivative import derive

    with pytest.raises(ParseError) as caught:
        await client.run(derive, "x +* 2")
    assert caught.value.code == "parse"


async def test_a_stuck_job_does_not_stall_other_jobs(client):
    # A longer limit than the client's: a child killed by an earlier test may still be re-forking and
    # warming up, and the quick job must be answered while the stuck one is still running.
    stuck = asyncio.ensure_future(client.run(worker_jobs.spin_forever, 2, timeout=6.0))
    await asyncio.sleep(0.2)
    assert await client.run(worker_jobs.sleep_then_return, 0.01) == 0.01
    assert not stuck.done()
    with pytest.raises(Timeout):
        await stuck


@asynccontextmanager
async def _app_on_the_queue(queue_worker, db_path: Path, timeout: float) -> AsyncIterator[App]:
    """The real app with its jobs on the queue worker (RabbitMQ only: the router is broker-blind)."""
    from bot.app import build_app

    if "redis" in queue_worker.broker_url:
        pytest.skip("the router is broker-blind: one broker is enough here (the contract tests run on both)")
    workers = QueueWorkers(queue_worker.broker_url, queue=queue_worker.queue, timeout=timeout)
    app = await build_app(db_path=str(db_path), workers=workers)
    try:
        yield app
    finally:
        await app.close()
        workers.close()


async def test_answers_through_the_router_equal_the_local_pool_answers(queue_worker, bot, tmp_path):
    async with _app_on_the_queue(queue_worker, tmp_path / "queue.db", timeout=10.0) as app:
        for text in COURSE_STREAM:
            local = await bot.say(text)
            queued = await app.handle(Message(UserRef("console", "ana", "Ana", admin=True),
                                              ChannelRef("console", "", "general"), text))
            assert (queued.text, queued.result, queued.error) == (local.text, local.result, local.error), text
            assert [image.png[:8] for image in queued.images] == [image.png[:8] for image in local.images]
        x = symbol("x")
        first = await app.handle(Message(UserRef("console", "bo", "Bo"), ChannelRef("console", "", "g"),
                                         "/derive x^2 sin x"))
        assert sympy.simplify(parse(first.result) - sympy.diff(x**2 * sympy.sin(x), x)) == 0


@pytest.mark.parametrize("text", [
    "/derive (x+1)^(x^(x^(x^(x^x)))) order 10",
    "/derive 9^9^9^9",
    "/derive __import__('os').system('true')",
])
async def test_hostile_input_through_the_queue_is_refused_inside_the_time_limit(queue_worker, tmp_path, text):
    async with _app_on_the_queue(queue_worker, tmp_path / "q.db", timeout=2.0) as app:
        started = time.monotonic()
        reply = await app.handle(Message(UserRef("console", "eve", "Eve"), ChannelRef("console", "", "g"), text))
        assert time.monotonic() - started < 2.0 + 3.0
        assert reply.error is None or reply.error.code in (
            "timeout", "too_complex", "input_too_large", "parse", "number_too_large", "word", "unknown_function")
        assert reply.error is None or reply.error.code != "internal"


async def test_a_pool_child_killed_mid_job_gives_a_clear_error(queue_worker, tmp_path):
    workers = QueueWorkers(queue_worker.broker_url, queue=queue_worker.queue, timeout=20.0)
    pid_file = tmp_path / "pid"
    try:
        job = asyncio.ensure_future(workers.run(worker_jobs.note_pid_then_spin, str(pid_file)))
        pid = await _read_pid(pid_file)
        os.kill(pid, signal.SIGKILL)  # an operator, or the kernel's OOM killer
        started = time.monotonic()
        with pytest.raises(TooComplex) as caught:
            await job
        assert "stopped" in caught.value.message
        assert time.monotonic() - started < 10
        assert await workers.run(worker_jobs.square, 6) == 36
    finally:
        workers.close()


async def test_a_worker_process_killed_mid_job_gives_a_clear_error_within_the_limit(tmp_path):
    url = broker_or_skip("rabbitmq")
    worker = start_worker(url, concurrency=1, log=tmp_path / "w.log")
    try:
        await asyncio.get_running_loop().run_in_executor(None, wait_until_serving, worker)
        workers = QueueWorkers(url, queue=worker.queue, timeout=3.0, queue_grace=2.0)
        pid_file = tmp_path / "pid"
        job = asyncio.ensure_future(workers.run(worker_jobs.note_pid_then_spin, str(pid_file)))
        await _read_pid(pid_file)
        started = time.monotonic()
        worker.stop()  # kill -9 of the whole worker and its children: nobody will answer
        with pytest.raises((TooComplex, Unavailable, Timeout)) as caught:
            await job
        assert caught.value.code in ("too_complex", "unavailable", "timeout")
        assert time.monotonic() - started < 3.0 + 2.0 + 1.0
        workers.close()
    finally:
        worker.stop()


async def test_a_job_whose_worker_is_killed_is_redelivered_once_to_another_worker(tmp_path):
    """RabbitMQ returns the unacknowledged job of a vanished worker at once; the other worker answers."""
    url = broker_or_skip("rabbitmq")
    queue = f"calcbot-test-{uuid.uuid4().hex[:12]}"
    first = start_worker(url, concurrency=1, queue=queue, log=tmp_path / "w1.log")
    second = start_worker(url, concurrency=1, queue=queue, log=tmp_path / "w2.log")
    try:
        for worker in (first, second):
            await asyncio.get_running_loop().run_in_executor(None, wait_until_serving, worker)
        workers = QueueWorkers(url, queue=queue, timeout=10.0, queue_grace=10.0)
        pid_file = tmp_path / "pids"
        job = asyncio.ensure_future(workers.run(worker_jobs.note_pid_then_sleep, str(pid_file), 1.5))
        killed = await _read_pid(pid_file)
        holder = next(w for w in (first, second) if killed in _children(w.process.pid))
        holder.stop()  # kill -9 of the whole worker holding the job, as an operator would
        answered_by = await asyncio.wait_for(job, 20)
        runs = [int(line) for line in pid_file.read_text().split()]
        assert answered_by != killed and runs == [killed, answered_by]  # run twice in all: once more, elsewhere
        workers.close()
    finally:
        first.stop()
        second.stop()


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


async def test_no_broker_is_a_clear_unavailable_error():
    workers = QueueWorkers("redis://127.0.0.1:1/0", timeout=1.0, queue_grace=0.5)
    try:
        with pytest.raises(Unavailable) as caught:
            await workers.run(worker_jobs.square, 2)
        assert caught.value.code == "unavailable"
    finally:
        workers.close()


async def _read_pid(path: Path, seconds: float = 20.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        await asyncio.sleep(0.05)
    raise AssertionError("the job never started")
