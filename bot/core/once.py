"""Ports for what several instances of one bot decide together (core Protocols, no storage here).

``Once`` decides which instance handles an inbound event that may arrive more than once (a Slack
retry, a load balancer sending a request to two instances, a Discord interaction replayed): the
first ``claim`` of a key wins; ``done`` marks it handled, so later copies are dropped for good. A
claim not marked done within its lease (the instance died) may be taken over by a later copy.

``LimitBook`` keeps the per-user limits where every instance sees them (see ``SharedLimits``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.core import metrics

log = logging.getLogger("calcbot")


class Once(Protocol):
    async def claim(self, key: str) -> bool: ...

    async def done(self, key: str) -> None: ...


class OnceInMemory:
    """One process's memory: enough for a single instance (tests, the console)."""

    def __init__(self, lease: float = 120.0, keep: float = 6 * 3600.0):
        self.lease, self.keep = lease, keep
        self._claims: dict[str, tuple[float, bool]] = {}  # key -> (lease until / kept until, done)

    async def claim(self, key: str) -> bool:
        now = time.monotonic()
        if len(self._claims) > 100_000:
            self._claims = {k: v for k, v in self._claims.items() if v[0] > now}
        held = self._claims.get(key)
        if held is not None and (held[1] or held[0] > now):
            return False
        self._claims[key] = (now + self.lease, False)
        return True

    async def done(self, key: str) -> None:
        self._claims[key] = (time.monotonic() + self.keep, True)


async def claim_first(once: Once, key: str, *, is_outage: Callable[[BaseException], bool],
                      platform: str, kind: str) -> bool:
    """Whether this instance handles the event ``key``: the first claim wins. With the shared store
    unreachable it answers anyway: a rare duplicate beats a lost answer."""
    try:
        if await once.claim(key):
            return True
    except Exception as exc:
        if not is_outage(exc):
            raise
        metrics.outages.labels("dedup").inc()
        log.warning("%s: could not check %s for duplicates (%s); answering it", platform, key, exc)
        return True
    metrics.duplicates.labels(platform, kind).inc()
    log.info("%s: %s is handled by another instance; dropped", platform, key)
    return False


async def mark_handled(once: Once, key: str, platform: str) -> None:
    """Mark ``key`` handled; if that fails, its lease runs out instead (a later copy may then answer it)."""
    try:
        await once.done(key)
    except Exception as exc:
        log.warning("%s: could not mark %s handled: %s", platform, key, exc)


@dataclass(frozen=True)
class Admission:
    """A shared limiter's answer: a ticket to release when the answer is out, or why not."""

    ticket: str | None = None
    refused: str | None = None  # "rate" (too many this minute) | "busy" (too many in flight)


class LimitBook(Protocol):
    async def admit(self, who: str, *, per_minute: int, in_flight: int) -> Admission: ...

    async def release(self, who: str, ticket: str) -> None: ...
