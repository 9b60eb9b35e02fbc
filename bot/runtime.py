"""The event loop every calcbot process runs on: uvloop where it is installed, else asyncio.

asyncpg (the store on PostgreSQL), aiohttp (Slack) and discord.py all do less work per message on
uvloop; measured on this project's machine it cuts the client CPU of a recorded answer by about a
fifth (``benchmarks/store.py``). uvloop has no Windows build; there the standard loop runs, with
the same behaviour.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

try:
    import uvloop as _uvloop
except ImportError:  # Windows
    _uvloop = None  # type: ignore[assignment]

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on the fastest loop available."""
    return asyncio.run(main) if _uvloop is None else _uvloop.run(main)


def loop_name() -> str:
    """Which loop ``run`` uses, for logs and benchmark output."""
    return "asyncio" if _uvloop is None else "uvloop"
