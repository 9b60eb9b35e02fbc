"""The worker pool: every CPU-heavy job (sympy, matplotlib) runs here, never on the event loop.

Pebble's process pool is used because it can really kill a job that overruns its time limit (a thread
cannot be stopped).  Each worker caps its own address space, so a job that tries to allocate without
bound gets a MemoryError (or is killed) instead of taking the machine down.  Workers are forked from a
fork server that has already imported every job's modules and run a typical job
(``bot/warm_workers.py``), so every worker starts warm; the fork server is started first thing
(``prepare_fork_server``), so it warms up while the main process is still importing.

The event loop never waits for processes: the pool starts on a daemon thread, and closing it while
it is still starting stops the half-started fork server instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from bot.errors import CalcbotError, Timeout, TooComplex
from bot.job_cache import JobCache

log = logging.getLogger("calcbot.workers")

T = TypeVar("T")

# Imported by the fork server once, so every worker starts with them loaded: the libraries, the
# modules of every job the commands send (a module left out costs its first job an import), and
# last the warm-up, which runs one typical job so SymPy's and matplotlib's caches start full.
PRELOAD = [
    "sympy", "numpy", "matplotlib", "bot.errors", "bot.guard",
    "bot.present.derivative", "bot.present.multivariable", "bot.present.optimise", "bot.present.taylor",
    "bot.present.check", "bot.present.working", "bot.present.figures", "bot.present.plots",
    "bot.present.regression", "bot.present.backprop", "bot.game.jobs", "plotting.mastery",
    "content.generate", "content.figures", "bot.warm_workers",
]


def prepare_fork_server(preload: list[str] | None = None) -> None:
    """Start the workers' fork server now (it returns at once): its imports then overlap the main
    process's own start-up instead of delaying the first answer."""
    set_worker_environment()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD + list(preload or []))
    multiprocessing.forkserver.ensure_running()


def set_worker_environment() -> None:
    """One thread per worker for the numeric libraries (the pool is the parallelism), and
    matplotlib's headless backend; set before the workers import them."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("MPLBACKEND", "Agg")


def _stop_fork_server() -> None:
    """Stop a fork server still importing: it would only notice our exit once its imports finish.
    (``_forkserver`` is the standard library's one server; ``ensure_running`` starts a new one on
    the next use.)"""
    server: Any = multiprocessing.forkserver._forkserver  # type: ignore[attr-defined]
    pid = server._forkserver_pid
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ChildProcessError, OSError):
        server._stop()


def limit_worker(memory_bytes: int) -> None:
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
        prepare_fork_server(preload)
        self._pool = ProcessPool(max_workers=workers, initializer=limit_worker,
                                 initargs=(memory_mb * 1024 * 1024,),
                                 context=multiprocessing.get_context("forkserver"))
        self._workers = workers
        self._cache = JobCache(cache_size)
        self._started: concurrent.futures.Future[None] | None = None
        self._starting = threading.Lock()
        self._closed = False

    def _start(self) -> concurrent.futures.Future[None]:
        """Fork the workers on a daemon thread (pebble forks them on first use, blocking its caller
        until the fork server answers), once; the returned future is done when they are up."""
        with self._starting:
            if self._started is None:
                started: concurrent.futures.Future[None] = concurrent.futures.Future()
                started.set_running_or_notify_cancel()  # a waiter that goes away cannot cancel the start

                def start() -> None:
                    began = time.perf_counter()
                    try:
                        self._pool.active  # noqa: B018 — pebble starts the pool on its first status check
                        started.set_result(None)
                        log.debug("workers started in %.2f s", time.perf_counter() - began)
                    except BaseException as error:  # a fork server stopped by close(), or broken
                        started.set_exception(error)

                threading.Thread(target=start, name="worker-pool-start", daemon=True).start()
                self._started = started
            return self._started

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        hit, cached = self._cache.get(fn, args)
        if hit:
            return cached  # type: ignore[no-any-return]
        limit = timeout or self.timeout
        await asyncio.wrap_future(self._start())
        from bot.guard import guarded  # the workers import it; the main process only names it

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
        """Start the workers now, so the first real answer does not wait for them. They fork from
        the warmed fork server, so no warm-up job is needed. Failures here are only logged."""
        try:
            await asyncio.wrap_future(self._start())
        except Exception as exc:  # a slow or failed start costs speed, never correctness
            log.info("workers did not start: %s", exc)

    def close(self) -> None:
        """Stop every worker; safe at any moment, also while the pool is still starting."""
        if self._closed:
            return
        self._closed = True
        started = self._started
        if started is not None and not started.done():
            _stop_fork_server()  # the start thread then fails at once instead of waiting
            with contextlib.suppress(Exception):
                started.exception(timeout=10)
        began = time.perf_counter()
        self._pool.stop()
        self._pool.join(timeout=5)
        log.debug("workers stopped in %.2f s", time.perf_counter() - began)


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
    """A typical first job: read, differentiate and present an expression, and draw a tiny figure.

    Then everything alive (modules, SymPy's and matplotlib's caches) is moved out of the garbage
    collector's reach: a full collection during a job scans only what jobs made since, instead of
    the whole warmed heap (which paused a quiz question's generation for up to 120 ms)."""
    from bot.present.derivative import derive, slope

    derive("x^2 sin x")
    slope("x^2", "1")  # draws the tangent figure: matplotlib's first figure is the slow one
    gc.freeze()
