"""Time a /dip end to end (router, worker pool, SQLite, the map picture) on three kinds of game.

    PYTHONPATH=. .venv/bin/python benchmarks/sandpit.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time

from bot.app import build_app
from bot.core.message import ChannelRef, Message, UserRef
from bot.workers import WorkerPool

GAMES = ("/sandpit start bowl seed 1", "/sandpit start rocky mode 1 seed 2",
         "/sandpit start many-minima mode 2 rule -0.02*J seed 3")


async def main() -> None:
    pool = WorkerPool(workers=2, timeout=10, memory_mb=1536)
    with tempfile.TemporaryDirectory() as directory:
        app = await build_app(db_path=f"{directory}/bench.db", workers=pool)

        async def say(text: str):  # type: ignore[no-untyped-def]
            return await app.handle(Message(UserRef("console", "ana", "Ana"), ChannelRef("console", "", "b"), text))

        for start in GAMES:
            await say("/sandpit quit")
            await say(start)
            times = []
            for i in range(12):
                began = time.perf_counter()
                reply = await say(f"/dip {0.3 + i * 0.4:.2f}, {5.5 - i * 0.3:.2f}")
                times.append(time.perf_counter() - began)
                if reply.error or "'won'" in (reply.result or ""):
                    break
            print(f"{start:55s} {len(times):2d} dips  median {statistics.median(times) * 1000:4.0f} ms"
                  f"  max {max(times) * 1000:4.0f} ms (first dip surveys the landscape)")
        await app.close()
    pool.close()


if __name__ == "__main__":
    asyncio.run(main())
