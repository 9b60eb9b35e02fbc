"""The event loop every calcbot process runs on: uvloop where it is installed, else asyncio.

asyncpg (the store on PostgreSQL), aiohttp (Slack) and discord.py all do less work per message on
uvloop; measured on this project's machine it cuts the client CPU of a recorded answer by about a
fifth (``benchmarks/store.py``). uvloop has no Windows build; there the standard loop runs, with
the same behaviour.

SIGTERM (``kill``, ``docker stop``, a service manager) ends a process the way Ctrl-C does: the main
coroutine is cancelled, so its ``finally`` blocks stop the workers and close the store, and the
process exits with status 0 instead of dying mid-write with 143.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

try:
    import uvloop as _uvloop
except ImportError:  # Windows
    _uvloop = None  # type: ignore[assignment]

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T | None:
    """``asyncio.run`` on the fastest loop available; None when SIGTERM stopped ``main``."""
    wrapped = _stopping_on_sigterm(main)
    return asyncio.run(wrapped) if _uvloop is None else _uvloop.run(wrapped)


async def _stopping_on_sigterm(main: Coroutine[Any, Any, T]) -> T | None:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        if task is not None:
            task.cancel()

    handled = sys.platform != "win32"
    if handled:
        loop.add_signal_handler(signal.SIGTERM, stop)
    try:
        return await main
    except asyncio.CancelledError:
        if stopped:
            return None
        raise  # Ctrl-C: asyncio.run turns it into KeyboardInterrupt
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)


def loop_name() -> str:
    """Which loop ``run`` uses, for logs and benchmark output."""
    return "asyncio" if _uvloop is None else "uvloop"


async def finish(step: Coroutine[Any, Any, T]) -> T:
    """Run ``step`` (closing the store, stopping the workers) to its end even when the caller is
    cancelled meanwhile — a second Ctrl-C or a SIGTERM while closing — then pass the cancel on.
    A close cut in half leaves a database thread waiting, and the process with it."""
    task = asyncio.ensure_future(step)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled():
                raise
            cancelled = True
            continue
        if cancelled:
            raise asyncio.CancelledError
        return result
