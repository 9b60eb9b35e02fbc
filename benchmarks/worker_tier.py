"""The worker tier against the local pool: a mixed, course-like stream through the real router.

    python -m benchmarks.worker_tier [--messages 60] [--broker amqp://guest:guest@127.0.0.1:5672//]

Prints, in one run: the queue's own cost per job (a trivial job, one at a time, local pool vs queue),
then throughput and latency of the same stream on the local pool (2 processes) and on the worker tier
with 1 and 2 `calcbot worker` processes (one job at a time each), and the scaling from 1 to 2.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_app  # noqa: E402
from bot.core.message import ChannelRef, Message, UserRef  # noqa: E402
from bot.worker_queue import QueueWorkers  # noqa: E402
from bot.workers import WorkerPool  # noqa: E402
from tests.core import worker_jobs  # noqa: E402
from tests.workers.conftest import start_worker, wait_until_serving  # noqa: E402

TEMPLATES = [  # k varies each message, so the job cache never answers for the workers
    "/derive {k}x^2 sin x",
    "/grad x^2 y + {k}y^3 at (1, 2)",
    "/taylor e^({k}x) about 0 order 3",
    "/newton x^2 - {k} from 1",
    "/stationary x^3 - {k}x",
    "/derive e^({k}x) cos(2x)",
    "/slope x^3 + {k}x at 2",
    "/hessian x^2 y^2 + {k}x y",
]


def stream(count: int) -> list[str]:
    return [TEMPLATES[i % len(TEMPLATES)].format(k=i // len(TEMPLATES) + 2) for i in range(count)]


async def job_overhead(workers: object, rounds: int = 100) -> float:
    """Mean ms per trivial job, one at a time (nothing cached: each argument is new)."""
    started = time.perf_counter()
    for i in range(rounds):
        await workers.run(worker_jobs.square, 10_000 + i)  # type: ignore[attr-defined]
    return (time.perf_counter() - started) / rounds * 1000


async def run_stream(workers: object, texts: list[str], concurrency: int = 4) -> tuple[float, list[float]]:
    """Messages per second, and each message's latency in ms, with ``concurrency`` users at once."""
    with tempfile.TemporaryDirectory() as tmp:
        app = await build_app(db_path=str(Path(tmp) / "bench.db"), workers=workers)  # type: ignore[arg-type]
        latencies: list[float] = []
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        for item in enumerate(texts):
            queue.put_nowait(item)

        async def user() -> None:
            while not queue.empty():
                n, text = queue.get_nowait()
                message = Message(UserRef("console", f"u{n}", f"U{n}"), ChannelRef("console", "", "bench"), text)
                began = time.perf_counter()
                reply = await app.handle(message)
                latencies.append((time.perf_counter() - began) * 1000)
                if reply.error is not None:
                    raise SystemExit(f"{text!r} failed: {reply.error.message}")

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        await app.close()
        return len(texts) / elapsed, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def line(name: str, rate: float, latencies: list[float]) -> str:
    return (f"{name:<28} {rate:6.2f} msg/s   p50 {statistics.median(latencies):7.1f} ms   "
            f"p99 {percentile(latencies, 0.99):7.1f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    texts = stream(args.messages)

    local = WorkerPool(workers=2, timeout=20)
    await local.warm()
    local_overhead = await job_overhead(local)
    warm_up = [template.format(k=1) for template in TEMPLATES]  # k = 1 never recurs in the stream
    await run_stream(local, warm_up)
    local_rate, local_lat = await run_stream(local, texts)
    local.close()

    results = {}
    queue_overhead = 0.0
    for processes in (1, 2):
        first = start_worker(args.broker, concurrency=1)
        workers_started = [first] + [start_worker(args.broker, concurrency=1, queue=first.queue)
                                     for _ in range(processes - 1)]  # all serve the same queue
        queue = first.queue
        try:
            for w in workers_started:
                await asyncio.get_running_loop().run_in_executor(None, wait_until_serving, w)
            client = QueueWorkers(args.broker, queue=queue, timeout=20)
            if processes == 1:
                queue_overhead = await job_overhead(client)
            await run_stream(client, warm_up, concurrency=processes * 2)
            results[processes] = await run_stream(client, texts)
            client.close()
        finally:
            for w in workers_started:
                w.stop()

    print(f"mixed course stream: {len(texts)} messages, 4 users at once, {len(TEMPLATES)} command families")
    print(f"trivial job, one at a time: local pool {local_overhead:.2f} ms, queue {queue_overhead:.2f} ms "
          f"-> the queue costs {queue_overhead - local_overhead:.2f} ms per job")
    print(line("local pool, 2 processes", local_rate, local_lat))
    for processes, (rate, lat) in results.items():
        print(line(f"worker tier, {processes} worker(s)", rate, lat))
    one, two = results[1][0], results[2][0]
    print(f"scaling 1 -> 2 queue workers: {two / one:.2f}x throughput "
          f"(worker tier with 2 vs local pool with 2: {two / local_rate:.2f}x)")


if __name__ == "__main__":
    asyncio.run(main())
