"""Cross-cutting concerns as a chain of ``async def step(message, call_next)``, outermost first."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

from bot.core import metrics
from bot.core.errors import error_reply
from bot.core.message import Message
from bot.core.once import LimitBook
from bot.core.reply import Reply
from bot.errors import CalcbotError, InputTooLarge, Unavailable

log = logging.getLogger("calcbot")

Next = Callable[[Message], Awaitable[Reply]]
Middleware = Callable[[Message, Next], Awaitable[Reply]]

MAX_MESSAGE_LENGTH = 4000


class TooManyRequests(CalcbotError):
    code = "rate_limited"


async def translate_errors(message: Message, call_next: Next) -> Reply:
    try:
        return await call_next(message)
    except Exception as exc:  # the single place where errors become replies
        return error_reply(exc, message)


def unavailable_when(is_outage: Callable[[BaseException], bool]) -> Middleware:
    """A database (or Redis) that cannot be reached is a moment's outage, not a bug: the learner
    gets ``unavailable`` (nothing acknowledged was lost) instead of ``internal``."""

    async def outages_unavailable(message: Message, call_next: Next) -> Reply:
        try:
            return await call_next(message)
        except CalcbotError:
            raise
        except Exception as exc:
            if not is_outage(exc):
                raise
            metrics.outages.labels("answer").inc()
            log.warning("database unreachable while answering %s: %s", command_of(message), exc)
            raise Unavailable() from exc

    return outages_unavailable


def command_of(message: Message) -> str:
    text = message.action.payload if message.action and message.action.payload else message.text
    return text.split(maxsplit=1)[0][:20] if text.strip() else "-"


def measure_answers(known: Callable[[str], bool]) -> Middleware:
    """Counts every answer by command and outcome, and its latency (``known``: a declared command)."""

    async def measured(message: Message, call_next: Next) -> Reply:
        started = time.perf_counter()
        reply = await call_next(message)
        name = command_of(message).lstrip("/!").lower()
        command = name if name and known(name) else "other"
        metrics.answer_seconds.labels(message.platform, command).observe(time.perf_counter() - started)
        metrics.answers.labels(message.platform, command, reply.error.code if reply.error else "ok").inc()
        return reply

    return measured


async def log_timing(message: Message, call_next: Next) -> Reply:
    started = time.perf_counter()
    reply = await call_next(message)
    elapsed_ms = (time.perf_counter() - started) * 1000
    command = command_of(message)
    log.info("%s %s by %s: %.1f ms%s", message.platform, command, message.user.id, elapsed_ms,
             f" error={reply.error.code}" if reply.error else "")
    return reply


async def limit_message_size(message: Message, call_next: Next) -> Reply:
    if len(message.text) > MAX_MESSAGE_LENGTH:
        raise InputTooLarge(
            f"that message is {len(message.text)} characters long; the limit is {MAX_MESSAGE_LENGTH}."
        )
    return await call_next(message)


class PerUserLimits:
    """Fairness: a user may have a few messages in flight and send a burst, not flood the workers."""

    def __init__(self, *, in_flight: int = 2, per_minute: int = 30, clock: Callable[[], float] = time.monotonic):
        self.in_flight = in_flight
        self.per_minute = per_minute
        self.clock = clock
        self._running: dict[tuple[str, str], int] = defaultdict(int)
        self._recent: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._calls = 0

    async def __call__(self, message: Message, call_next: Next) -> Reply:
        who = (message.user.platform, message.user.id)
        now = self.clock()
        self._calls += 1
        if self._calls % 1000 == 0:
            self._forget_quiet_users(now)
        recent = self._recent[who]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= self.per_minute:
            raise _refusal(message, "rate", self.per_minute)
        if self._running[who] >= self.in_flight:
            raise _refusal(message, "busy", self.per_minute)
        recent.append(now)
        self._running[who] += 1
        try:
            return await call_next(message)
        finally:
            self._running[who] -= 1
            if not self._running[who]:
                del self._running[who]

    def _forget_quiet_users(self, now: float) -> None:
        """Drop the history of users silent for a minute, so a long-running bot does not grow."""
        for who in [w for w, times in self._recent.items() if not times or now - times[-1] > 60]:
            del self._recent[who]


def _refusal(message: Message, reason: str, per_minute: int) -> TooManyRequests:
    metrics.rate_limited.labels(message.platform, reason).inc()
    if reason == "rate":
        return TooManyRequests(f"slow down a little: at most {per_minute} messages a minute. Try again in a few seconds.")
    return TooManyRequests("I'm still working on your previous messages; send this again when they are answered.")


class SharedLimits:
    """The same limits, kept where every instance sees them (``LimitBook``: the database or Redis), so
    a user's messages count once whichever instance gets them. While the book cannot be reached, this
    process's own ``PerUserLimits`` stand in: answers go on, limited per instance."""

    def __init__(self, book: LimitBook, *, in_flight: int = 2, per_minute: int = 30,
                 is_outage: Callable[[BaseException], bool] = lambda _exc: False):
        self.book = book
        self.in_flight = in_flight
        self.per_minute = per_minute
        self.is_outage = is_outage
        self.fallback = PerUserLimits(in_flight=in_flight, per_minute=per_minute)

    async def __call__(self, message: Message, call_next: Next) -> Reply:
        who = f"{message.user.platform}:{message.user.id}"
        try:
            admission = await self.book.admit(who, per_minute=self.per_minute, in_flight=self.in_flight)
        except Exception as exc:
            if not self.is_outage(exc):
                raise
            metrics.outages.labels("limits").inc()
            log.warning("shared limits unreachable (%s); this instance limits on its own meanwhile", exc)
            return await self.fallback(message, call_next)
        if admission.refused is not None or admission.ticket is None:
            raise _refusal(message, admission.refused or "rate", self.per_minute)
        try:
            return await call_next(message)
        finally:
            try:
                await self.book.release(who, admission.ticket)
            except Exception as exc:  # the mark's lease runs out by itself
                log.warning("could not release a shared in-flight mark for %s: %s", who, exc)
