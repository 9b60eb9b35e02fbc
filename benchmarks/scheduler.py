"""Scheduler throughput: 10k channels due in the same minute, 3 processes on one PostgreSQL.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.scheduler [--channels 10000] [--processes 3]

Prints the time until every push was delivered, duplicates (must be 0) and misses (must be 0),
against the target of all 10k within 60 s. The processes run the real scheduler (materialise, claim
with SKIP LOCKED, mark sent) on a scratch database; the delivery only records, and the composed
message is a short text (question generation is the quiz engine's cost, measured elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import time
from collections import Counter
from datetime import UTC, date, datetime

import sqlalchemy as sa

from benchmarks.scratch import scratch_database_sync
from bot.cohorts.scheduler import Scheduler
from bot.core.reply import Reply
from bot.store import Store

DUE = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
NOW = datetime(2027, 1, 4, 8, 0, 40, tzinfo=UTC)
TARGET_SECONDS = 60.0


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def deliver(self, channel: object, reply: Reply, *, kind: str) -> None:
        self.sent.append(f"{channel.id} {kind}")  # type: ignore[attr-defined]


async def _compose(row: dict, now: datetime) -> Reply:
    return Reply(text=f"{row['kind']} {row['local_date']}")


def _process(url: str, start_at: float, out: multiprocessing.Queue) -> None:
    async def run() -> list[str]:
        store = await Store.open(url)
        try:
            scheduler, recorder = Scheduler(store, lambda: NOW, _compose), Recorder()
            while time.time() < start_at:
                await asyncio.sleep(0.005)
            await scheduler.run_due(recorder, "console", NOW)
            return recorder.sent
        finally:
            await store.close()

    out.put(asyncio.run(run()))



async def _prepare(url: str, channels: int) -> None:
    store = await Store.open(url)
    async with store.transaction() as db:
        await db.execute(sa.text(
            "INSERT INTO daily_schedules (channel_key, platform, workspace, channel_id, local_time, timezone, topic, "
            "window_hours, paused, created_by, created_at, first_date) "
            "SELECT 'console::c' || g, 'console', '', 'c' || g, '08:00', 'UTC', 'auto', 12, false, 'console:ana', "
            "now(), CAST(:first AS date) FROM generate_series(1, CAST(:n AS integer)) g"),
            {"first": date(2027, 1, 4), "n": channels})
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    with scratch_database_sync() as url:
        asyncio.run(_prepare(url, args.channels))
        context = multiprocessing.get_context("spawn")
        out: multiprocessing.Queue = context.Queue()
        start_at = time.time() + 3.0  # every process connected and waiting before the start
        workers = [context.Process(target=_process, args=(url, start_at, out)) for _ in range(args.processes)]
        for worker in workers:
            worker.start()
        results = [out.get(timeout=600) for _ in workers]
        elapsed = time.time() - start_at
        for worker in workers:
            worker.join()
        counts = Counter(item for result in results for item in result)
        duplicates = sum(c - 1 for c in counts.values() if c > 1)
        misses = args.channels - len(counts)
        shares = ", ".join(str(len(r)) for r in results)
        print(f"{args.channels:,} channels due at once, {args.processes} processes: all dispatched in {elapsed:.1f} s "
              f"({elapsed / TARGET_SECONDS:.2f}× the {TARGET_SECONDS:g} s target); duplicates {duplicates}, "
              f"misses {misses}; per process: {shares}")


if __name__ == "__main__":
    main()
