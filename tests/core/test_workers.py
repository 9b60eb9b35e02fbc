"""The worker pool really kills runaway jobs and keeps serving everyone else."""

from __future__ import annotations

import asyncio

import pytest

from bot.errors import Timeout, TooComplex
from bot.workers import WorkerPool
from tests.core import worker_jobs


@pytest.fixture(scope="module")
def pool():
    pool = WorkerPool(workers=2, timeout=1.5, memory_mb=768)
    yield pool
    pool.close()


async def test_a_job_runs_in_a_worker_and_returns_its_result(pool):
    assert await pool.run(worker_jobs.square, 12) == 144


async def test_a_job_over_the_time_limit_is_stopped_with_a_timeout_error(pool):
    with pytest.raises(Timeout) as caught:
        await pool.run(worker_jobs.spin_forever, 1)
    assert caught.value.code == "timeout"
    assert await pool.run(worker_jobs.square, 3) == 9  # the pool carries on


async def test_a_job_over_the_memory_limit_becomes_too_complex(pool):
    with pytest.raises(TooComplex) as caught:
        await pool.run(worker_jobs.allocate_eight_gigabytes, 1)
    assert "memory" in caught.value.message or "resources" in caught.value.message
    assert await pool.run(worker_jobs.square, 4) == 16


async def test_a_worker_that_dies_becomes_an_error_and_is_replaced(pool):
    with pytest.raises(TooComplex):
        await pool.run(worker_jobs.die_abruptly, 1)
    assert await pool.run(worker_jobs.square, 5) == 25


async def test_a_stuck_job_does_not_stall_other_jobs(pool):
    stuck = asyncio.ensure_future(pool.run(worker_jobs.spin_forever, 2))
    await asyncio.sleep(0.05)
    assert await pool.run(worker_jobs.sleep_then_return, 0.01) == 0.01
    assert not stuck.done()  # the other worker answered while the first was still spinning
    with pytest.raises(Timeout):
        await stuck


async def test_identical_calls_are_served_from_the_cache(pool):
    first = await pool.run(worker_jobs.random_token, "same question")
    assert await pool.run(worker_jobs.random_token, "same question") == first
    assert await pool.run(worker_jobs.random_token, "another question") != first
