"""What a handler gets besides its arguments: the asker and the services, typed by small Protocols.

The core imports neither the worker pool nor the store: the composition root (``bot/app.py``) fills
these in, and tests can too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.core.message import Message

if TYPE_CHECKING:
    from bot.core.commands import Registry
    from bot.core.reply import Reply

T = TypeVar("T")


class Workers(Protocol):
    """Runs a picklable, CPU-heavy function off the event loop, under time and memory limits."""

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T: ...


@dataclass(frozen=True)
class Services:
    """Long-lived services shared by every message (built once by the composition root)."""

    workers: Workers
    clock: Callable[[], datetime]
    store: Any = None  # bot.store.Store, typed loosely so the core does not import the store
    quiz: Any = None  # bot.quiz.engine.QuizEngine
    figures: bool = True  # attach pictures to answers (off: text-only, e.g. for screen readers)
    cohorts: Any = None  # bot.cohorts.service.Cohorts: groups, the daily question, scheduler, standings


@dataclass(frozen=True)
class Context:
    message: Message
    services: Services
    registry: Registry
    dispatch: Callable[[Message], Awaitable[Reply]]  # run another command as this user (e.g. /example)

    @property
    def workers(self) -> Workers:
        return self.services.workers

    @property
    def now(self) -> datetime:
        return self.services.clock()
