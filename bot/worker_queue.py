"""The worker tier: CPU-heavy jobs run on queue workers (`calcbot worker`) instead of in each chat process.

Celery is the engine (RabbitMQ ``amqp://`` or Redis ``redis://`` as the broker) because its prefork
pool enforces a *hard* time limit by killing the child process that overruns it — a thread-based
limit (Dramatiq's, arq's) cannot stop a SymPy call stuck in one long computation. Each child caps
its own address space exactly as the local pool's workers do, and the task body is one call of the
job inside ``guarded``, nothing else.

Failure policy (a job is never retried forever): a message is acknowledged when its job has ended
(``task_acks_late``), whatever the ending — an answer, an error, the hard time limit, or the pool
child dying (a job that kills its child fails once with a clear error and is not redelivered: Celery
acknowledges a lost child's job unless ``task_reject_on_worker_lost``, which stays off). Only when a
whole worker goes away mid-job (an operator's kill -9, a container stopped) does the broker get the
message back, unacknowledged: RabbitMQ hands it to another worker at once, which answers. The job
carries its expiry (time limit + queue grace from when it was sent), so a job whose workers keep
vanishing is dropped at expiry, and the caller gives up at the same moment with a clear error —
never silence. (On Redis the broker returns an unacknowledged message only after its visibility
timeout, so there the caller's clear error comes first.)
"""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from celery import Celery, signals
from celery.exceptions import SecurityWarning, TimeLimitExceeded, WorkerLostError

from bot.errors import CalcbotError, TooComplex, Unavailable
from bot.guard import guarded
from bot.job_cache import JobCache
from bot.workers import PRELOAD, limit_worker, set_worker_environment, translate_failure

log = logging.getLogger("calcbot.worker_queue")
T = TypeVar("T")

TASK = "calcbot.run_job"
DEFAULT_QUEUE = "calcbot"
# Time a job may wait in the queue before a worker takes it; past it the caller reports the worker
# tier unavailable and the broker drops the job (``expires``), so it never runs for nobody.
QUEUE_GRACE = 10.0
_POLL_START, _POLL_MAX = 0.002, 0.05


def result_backend_for(broker_url: str) -> str:
    """Results travel back the way jobs went: AMQP's reply queues, or the same Redis."""
    return broker_url if broker_url.startswith(("redis://", "rediss://")) else "rpc://"


def celery_app(broker_url: str, *, queue: str = DEFAULT_QUEUE) -> Celery:
    app = Celery("calcbot", broker=broker_url, backend=result_backend_for(broker_url))
    app.conf.update(
        # Jobs and results are SymPy objects and dataclasses: pickle, on a broker that only calcbot's
        # own processes reach (the README says so). User text is never evaluated on either side.
        task_serializer="pickle", result_serializer="pickle", accept_content=["pickle"],
        task_default_queue=queue,
        task_acks_late=True,  # acknowledged when it ends: a vanished worker's job goes to another one
        task_reject_on_worker_lost=False,  # ...but a job whose pool child died is not run again
        worker_prefetch_multiplier=1,  # a long job never holds short ones hostage in one child
        result_expires=300,
        broker_connection_retry_on_startup=True,
        # A chat process must not hang on a broker that is away: fail fast, tell the user, go on.
        broker_connection_timeout=2.0,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2},
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
        result_backend_transport_options={
            "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}},
        redis_socket_connect_timeout=2,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        task_store_errors_even_if_ignored=True,
    )
    app.task(name=TASK)(run_job)
    return app


def run_job(fn: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """The task body: the job inside the guard. Failures come back as values so that they cross the
    broker exactly like the local pool's (the caller turns them into the same replies)."""
    try:
        return "ok", guarded(fn, *args)
    except (CalcbotError, MemoryError, RecursionError) as exc:
        return "error", exc
    except Exception:
        log.exception("job %s failed", getattr(fn, "__qualname__", fn))
        raise


class QueueWorkers:
    """The ``Workers`` protocol over the queue: send the job, wait for its result off the event loop.

    Celery's client objects are not thread-safe, so one dedicated thread does all the talking to the
    broker; the event loop only awaits it. Identical calls are answered from a small shared-nothing
    LRU cache, as the local pool does.
    """

    def __init__(self, broker_url: str, *, timeout: float = 5.0, memory_mb: int = 1536,
                 queue: str = DEFAULT_QUEUE, cache_size: int = 256, queue_grace: float = QUEUE_GRACE):
        self.timeout = timeout
        self.queue_grace = queue_grace
        self.memory_mb = memory_mb
        self._broker_url, self._queue = broker_url, queue
        self.app = celery_app(broker_url, queue=queue)
        self._broker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calcbot-broker")
        self._cache = JobCache(cache_size)

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        hit, cached = self._cache.get(fn, args)
        if hit:
            return cached  # type: ignore[no-any-return]
        limit = timeout or self.timeout
        loop = asyncio.get_running_loop()
        try:
            pending = await loop.run_in_executor(self._broker, self._send, fn, args, limit)
        except Exception as exc:
            log.warning("cannot reach the broker: %s", exc)
            self._broker.submit(self._reconnect)  # a client that gave up stays given up: start afresh
            raise Unavailable("the calculation workers can't be reached right now; try again shortly.") from None
        try:
            outcome, value = await self._wait(pending, limit)
        except asyncio.CancelledError:
            self._broker.submit(pending.revoke)  # the asker went away: don't compute for nobody
            raise
        if outcome == "error":
            raise translate_failure(value, limit, self.memory_mb)
        self._cache.put(fn, args, value)
        return value  # type: ignore[no-any-return]

    def _reconnect(self) -> None:
        old, self.app = self.app, celery_app(self._broker_url, queue=self._queue)
        try:
            old.close()
        except Exception as exc:
            log.info("closing the old broker client: %s", exc)

    def _send(self, fn: Callable[..., Any], args: tuple[Any, ...], limit: float) -> Any:
        return self.app.tasks[TASK].apply_async(args=(fn, *args), time_limit=limit, expires=limit + self.queue_grace)

    async def _wait(self, pending: Any, limit: float) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit + self.queue_grace
        delay = _POLL_START
        while True:
            done, state, value = await loop.run_in_executor(self._broker, _peek, pending)
            if done:
                break
            if loop.time() > deadline:
                self._broker.submit(pending.revoke)
                raise Unavailable("no calculation worker answered in time; try again shortly.")
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, _POLL_MAX)
        if state == "SUCCESS":
            return value  # type: ignore[no-any-return]
        if isinstance(value, TimeLimitExceeded):
            return "error", TimeoutError()
        if isinstance(value, WorkerLostError):
            log.warning("a queue worker died running a job: %s", value)
            return "error", TooComplex(
                "too big to compute: the worker running it stopped (it may have run out of resources).",
                hint="Try again, or a smaller expression or a lower order.")
        raise RuntimeError(f"queue job failed: {value!r}")  # our bug: the core logs an incident

    async def warm(self) -> None:
        """Connect to the broker before the first answer needs it; failures are only logged."""
        try:
            await asyncio.get_running_loop().run_in_executor(self._broker, self._connect)
        except Exception as exc:
            log.info("broker warm-up did not finish: %s", exc)

    def _connect(self) -> None:
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)

    def close(self) -> None:
        self._broker.submit(self.app.close)
        self._broker.shutdown(wait=True, cancel_futures=False)


def _peek(pending: Any) -> tuple[bool, str, Any]:
    """One non-blocking look at a job (on the broker thread): done?, its state, its value."""
    if not pending.ready():
        return False, "PENDING", None
    return True, pending.state, pending.result


# --- the worker side: `calcbot worker` ----------------------------------------------------------

def run_worker(broker_url: str, *, concurrency: int, memory_mb: int, queue: str = DEFAULT_QUEUE,
               loglevel: str = "INFO") -> None:
    """Start a Celery worker whose prefork children are capped like the local pool's workers."""
    set_worker_environment()
    for module in PRELOAD:  # imported (and warmed up: bot.warm_workers) once in the parent, so every
        __import__(module)  # forked child starts warm, also a child that replaces a killed one
    # Celery refuses pickle as root, since anyone who can publish to the broker could run code in the
    # worker. Only calcbot's own processes publish there: the broker must be private (README), as the
    # database is. Containers and CI run as root, so the refusal is lifted here, knowingly.
    os.environ.setdefault("C_FORCE_ROOT", "1")
    warnings.filterwarnings("ignore", category=SecurityWarning)

    @signals.worker_process_init.connect(weak=False)
    def _cap_memory(**_: Any) -> None:
        limit_worker(memory_mb * 1024 * 1024)

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # not every result at INFO

    app = celery_app(broker_url, queue=queue)
    app.worker_main([
        "worker", "--pool=prefork", f"--concurrency={concurrency}", f"--queues={queue}",
        f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--without-heartbeat",
        f"--hostname=calcbot-{os.getpid()}@%h",
    ])
