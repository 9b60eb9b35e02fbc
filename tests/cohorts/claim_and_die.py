"""A bot process that claims every due push and is then killed (SIGKILL) before it sends any.

Run as ``python -m tests.cohorts.claim_and_die URL ISO_INSTANT`` by the crash test: it prints how many
pushes it claimed, flushes, and kills itself the way an OOM kill or a power cut would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime

from bot.cohorts.scheduler import Scheduler
from bot.core.reply import Reply
from bot.store import Store


async def _never(row: dict, now: datetime) -> Reply:
    raise AssertionError("this process dies before composing anything")


async def main(url: str, instant: str) -> None:
    now = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    store = await Store.open(url)
    scheduler = Scheduler(store, lambda: now, _never)
    await scheduler.materialise("console", now)
    claimed = await scheduler.claim("console", now)
    print(len(claimed), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
