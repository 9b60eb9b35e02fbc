"""The composition root: settings -> worker pool, store, quiz engine, registry, router."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.commands import all_commands
from bot.core.commands import Registry
from bot.core.config import Settings
from bot.core.context import Services, Workers
from bot.core.delivery import Delivery
from bot.core.message import Message
from bot.core.metrics import MeasuredWorkers
from bot.core.middleware import (
    Middleware,
    PerUserLimits,
    SharedLimits,
    limit_message_size,
    log_timing,
    measure_answers,
    translate_errors,
    unavailable_when,
)
from bot.core.once import LimitBook, Once, OnceInMemory
from bot.core.reply import Reply
from bot.core.router import Router


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    registry: Registry
    router: Router
    services: Services
    closers: list[Callable[[], object]]
    scheduler: Any = None  # bot.cohorts scheduler: delivers due pushes through an adapter's Delivery
    once: Once = field(default_factory=OnceInMemory)  # which instance handles an event sent twice
    probes: dict[str, Callable[[], Awaitable[object]]] = field(default_factory=dict)  # /readyz
    limits: Middleware | None = None  # the per-user limits step (PerUserLimits or SharedLimits), if any

    async def handle(self, message: Message) -> Reply:
        return await self.router.dispatch(message)

    async def start_pushes(self, delivery: Delivery, platform: str) -> None:
        """Called by a chat adapter once it is connected: due pushes for ``platform`` go out through it."""
        if self.scheduler is not None:
            await self.scheduler.start(delivery, platform)

    async def warm(self) -> None:
        """Start the workers in the background (the first answer then comes at full speed)."""
        warm = getattr(self.services.workers, "warm", None)
        if warm is not None:
            await warm()

    def completions(self) -> list[str]:
        """What a line editor can complete: every command name and alias, and every topic id."""
        from content.catalog import curriculum

        return [f"/{name}" for name in self.registry.all_names()] + [topic.id for topic in curriculum().topics()]

    async def close(self) -> None:
        for close in reversed(self.closers):
            result = close()
            if hasattr(result, "__await__"):
                await result  # type: ignore[misc]


def build_workers(settings: Settings) -> Any:
    """The local process pool, or the worker tier on a queue (CALCBOT_WORKERS=queue)."""
    if settings.workers == "queue" and settings.broker_url:  # the settings insist on the URL
        from bot.worker_queue import QueueWorkers

        return QueueWorkers(settings.broker_url, timeout=settings.job_timeout, memory_mb=settings.job_memory_mb,
                            queue=settings.queue_name)
    from bot.workers import WorkerPool

    return WorkerPool(workers=settings.pool_size, timeout=settings.job_timeout, memory_mb=settings.job_memory_mb)


async def build_app(
    settings: Settings | None = None,
    *,
    db_path: str | None = None,
    database_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    workers: Workers | None = None,
    shared_platform: bool = False,
) -> App:
    """Build everything a bot process needs; the caller hands ``app.handle`` to an adapter."""
    from bot.cohorts.service import build_cohorts
    from bot.instances.database import DatabaseLimits, DatabaseOnce
    from bot.quiz.engine import QuizEngine
    from bot.store import Store
    from bot.store.engine import is_outage, ping
    from content.catalog import curriculum

    settings = settings or Settings()
    closers: list[Callable[[], object]] = []
    if workers is None:
        pool = build_workers(settings)
        closers.append(pool.close)
        workers = MeasuredWorkers(pool, settings.pool_size)
    url = database_url or settings.resolved_database_url(db_path)
    if url.startswith("sqlite") and not db_path and not database_url and not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await Store.open(url)
    closers.append(store.close)
    quiz = QuizEngine(store=store, curriculum=curriculum(), clock=clock, run=workers.run)
    cohorts = build_cohorts(store, quiz, workers.run, curriculum(), clock, figures=settings.figures)
    closers.append(cohorts.scheduler.stop)
    services = Services(workers=workers, clock=clock, store=store, quiz=quiz, figures=settings.figures,
                        cohorts=cohorts)
    registry = all_commands()
    probes: dict[str, Callable[[], Awaitable[object]]] = {"database": lambda: ping(store.engine)}
    if settings.workers == "queue" and settings.broker_url:
        broker_url = settings.broker_url
        probes["broker"] = lambda: asyncio.to_thread(_broker_reachable, broker_url)
    once: Once = DatabaseOnce(store)
    book: LimitBook = DatabaseLimits(store)
    if settings.redis_url:
        from bot.instances.redis import RedisLimits, RedisOnce, connect

        redis = connect(settings.redis_url)
        closers.append(redis.aclose)
        probes["redis"] = redis.ping
        once, book = RedisOnce(redis), RedisLimits(redis)
    middleware: list[Middleware] = [measure_answers(lambda name: registry.get(name) is not None),
                                    translate_errors, unavailable_when(is_outage), log_timing, limit_message_size]
    limits = _per_user_limits(settings, url, book, shared_platform=shared_platform)
    if limits is not None:
        middleware.append(limits)
    router = Router(registry, services, middleware=tuple(middleware))
    return App(settings=settings, registry=registry, router=router, services=services, closers=closers,
               scheduler=cohorts.scheduler, once=once, probes=probes, limits=limits)


def _broker_reachable(url: str) -> None:
    """/readyz: one connection to the worker tier's broker (RabbitMQ or Redis), or the reason why not."""
    from kombu import Connection

    with Connection(url, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1)


def _per_user_limits(settings: Settings, database_url: str, book: LimitBook, *,
                     shared_platform: bool) -> Middleware | None:
    """Shared platforms get limits by default; the console only when the settings ask for them. They are
    kept in the database or Redis when instances share one (see ``Settings.shares_limits``)."""
    if not shared_platform and settings.rate_per_minute is None and settings.in_flight is None:
        return None
    in_flight, per_minute = settings.in_flight or 2, settings.rate_per_minute or 30
    if settings.shares_limits(database_url):
        from bot.store.engine import is_outage

        return SharedLimits(book, in_flight=in_flight, per_minute=per_minute, is_outage=is_outage)
    return PerUserLimits(in_flight=in_flight, per_minute=per_minute)
