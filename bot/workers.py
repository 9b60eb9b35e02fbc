"""The worker pool: every CPU-heavy job (sympy, matplotlib) runs here, never on the event loop.

Pebble's process pool is used because it can really kill a job that overruns its time limit (a thread
cannot be stopped).  Each worker caps its own address space, so a job that tries to allocate without
bound gets a MemoryError (or is killed) instead of taking the machine down.  Workers are forked from a
fork server that has already imported the solver, so a job starts warm.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from bot.errors import CalcbotError, Timeout, TooComplex
from bot.guard import guarded
from bot.job_cache import JobCache

log = logging.getLogger("calcbot.workers")

T = TypeVar("T")

# Imported by the fork server once, so every worker starts with them loaded.
PRELOAD = ["sympy", "numpy", "matplotlib", "bot.present.answer", "bot.errors"]


def _limit_worker(memory_bytes: int) -> None:
    """Runs in each new worker: cap its address space; leave Ctrl-C to the parent (which stops the
    pool), so an interrupt never prints a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


class WorkerPool:
    """Runs picklable functions in worker processes with a wall-clock and a memory limit.

    Results of identical calls are kept in a small LRU cache: every job is a pure function of its
    arguments (the same figure, the same derivative), so a repeated request costs nothing.
    """

    def __init__(self, *, workers: int = 2, timeout: float = 5.0, memory_mb: int = 1536,
                 cache_size: int = 256, preload: list[str] | None = None):
        self.timeout = timeout
        self.memory_mb = memory_mb
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        os.environ.setdefault("MPLBACKEND", "Agg")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD + list(preload or []))
        self._pool = ProcessPool(max_workers=workers, initializer=_limit_worker,
                                 initargs=(memory_mb * 1024 * 1024,), context=context)
        self._workers = workers
        self._cache = JobCache(cache_size)

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        hit, cached = self._cache.get(fn, args)
        if hit:
            return cached  # type: ignore[no-any-return]
        limit = timeout or self.timeout
        future = self._pool.schedule(guarded, args=(fn, *args), timeout=limit)
        try:
            result = await asyncio.wrap_future(future)
        except FutureTimeout:
            raise translate_failure(TimeoutError(), limit, self.memory_mb) from None
        except ProcessExpired as exc:
            log.warning("worker died running %s: %s", getattr(fn, "__name__", fn), exc)
            raise TooComplex("too big to compute: the calculation ran out of resources and was stopped.",
                             hint="Try a smaller expression or a lower order.") from None
        except (MemoryError, RecursionError) as exc:
            raise translate_failure(exc, limit, self.memory_mb) from None
        except asyncio.CancelledError:
            future.cancel()  # the asker went away: free the worker
            raise
        self._cache.put(fn, args, result)
        return result

    async def warm(self) -> None:
        """Start every worker and run one small job in each, so the first real answer is not the one
        that pays for starting processes and filling SymPy's caches. Failures here are only logged."""
        futures = [self._pool.schedule(warm_up, timeout=self.timeout * 4) for _ in range(self._workers)]
        for future in futures:
            try:
                await asyncio.wrap_future(future)
            except Exception as exc:  # a slow or failed warm-up costs speed, never correctness
                log.info("worker warm-up did not finish: %s", exc)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=5)


def translate_failure(exc: BaseException, limit: float, memory_mb: int) -> BaseException:
    """What a failed job means to the learner — the same words whichever pool ran it."""
    if isinstance(exc, CalcbotError):
        return exc
    if isinstance(exc, TimeoutError):
        return Timeout(f"too big to compute: this took longer than {limit:g} s and was stopped.",
                       hint="Try a smaller expression, a lower order, or split the question into parts.")
    if isinstance(exc, MemoryError):
        return TooComplex(f"too big to compute: this needed more than {memory_mb} MB of memory.",
                          hint="Try a smaller expression or a lower order.")
    if isinstance(exc, RecursionError):
        return TooComplex("too deeply nested to compute.", hint="Try a simpler expression.")
    return exc


def warm_up() -> None:
    """A typical first job: read, differentiate and present an expression, and draw a tiny figure."""
    from bot.present.derivative import derive, slope

    derive("x^2 sin x")
    slope("x^2", "1")  # draws the tangent figure: matplotlib's first figure is the slow one
