"""Cross-cutting concerns as a chain of ``async def step(message, call_next)``, outermost first."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

from bot.core.errors import error_reply
from bot.core.message import Message
from bot.core.reply import Reply
from bot.errors import CalcbotError, InputTooLarge

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
        return error_reply(exc)


async def log_timing(message: Message, call_next: Next) -> Reply:
    started = time.perf_counter()
    reply = await call_next(message)
    elapsed_ms = (time.perf_counter() - started) * 1000
    command = message.text.split(maxsplit=1)[0][:20] if message.text.strip() else "-"
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
            raise TooManyRequests(f"slow down a little: at most {self.per_minute} messages a minute. "
                                  "Try again in a few seconds.")
        if self._running[who] >= self.in_flight:
            raise TooManyRequests("I'm still working on your previous messages; send this again when they are answered.")
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
