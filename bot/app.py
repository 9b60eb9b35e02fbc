"""The composition root: settings -> worker pool, store, quiz engine, registry, router."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.commands import all_commands
from bot.core.commands import Registry
from bot.core.config import Settings
from bot.core.context import Services, Workers
from bot.core.delivery import Delivery
from bot.core.message import Message
from bot.core.middleware import PerUserLimits, limit_message_size, log_timing, translate_errors
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
    from bot.quiz.engine import QuizEngine
    from bot.store import Store
    from content.catalog import curriculum

    settings = settings or Settings()
    closers: list[Callable[[], object]] = []
    if workers is None:
        pool = build_workers(settings)
        closers.append(pool.close)
        workers = pool
    url = database_url or settings.resolved_database_url(db_path)
    if url.startswith("sqlite") and not db_path and not database_url and not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await Store.open(url)
    closers.append(store.close)
    quiz = QuizEngine(store=store, curriculum=curriculum(), clock=clock, run=workers.run)
    cohorts = build_cohorts(store, quiz, workers.run, curriculum(), clock)
    closers.append(cohorts.scheduler.stop)
    services = Services(workers=workers, clock=clock, store=store, quiz=quiz, figures=settings.figures,
                        cohorts=cohorts)
    registry = all_commands()
    middleware = [translate_errors, log_timing, limit_message_size]
    limits = _per_user_limits(settings, shared_platform=shared_platform)
    if limits is not None:
        middleware.append(limits)
    router = Router(registry, services, middleware=tuple(middleware))
    return App(settings=settings, registry=registry, router=router, services=services, closers=closers,
               scheduler=cohorts.scheduler)


def _per_user_limits(settings: Settings, *, shared_platform: bool) -> PerUserLimits | None:
    """Shared platforms get limits by default; the console only when the settings ask for them."""
    if not shared_platform and settings.rate_per_minute is None and settings.in_flight is None:
        return None
    return PerUserLimits(in_flight=settings.in_flight or 2, per_minute=settings.rate_per_minute or 30)
