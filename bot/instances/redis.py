"""``Once`` and ``LimitBook`` in Redis (``CALCBOT_REDIS_URL``): a claim is ``SET NX PX``, the limits
a sliding window of sorted sets updated atomically by one Lua script on Redis's own clock."""

from __future__ import annotations

import secrets
from typing import Any

from bot.core.once import Admission

PREFIX = "calcbot:"
CLAIM_LEASE_MS = 120_000
KEEP_CLAIMS_S = 6 * 3600
WINDOW_MS = 60_000
RUN_LEASE_MS = 300_000

# KEYS: the user's window and running sets. ARGV: per_minute, in_flight, ticket, window ms, lease ms.
_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[4]))
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 'rate' end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 'busy' end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 'ok'
"""


def connect(url: str) -> Any:
    """A client for ``url`` (creating it opens no connection)."""
    import redis.asyncio

    return redis.asyncio.from_url(url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=15)


class RedisOnce:
    def __init__(self, client: Any):
        self.client = client
        self.me = secrets.token_hex(6)

    async def claim(self, key: str) -> bool:
        return bool(await self.client.set(f"{PREFIX}once:{key}", f"claimed:{self.me}", nx=True, px=CLAIM_LEASE_MS))

    async def done(self, key: str) -> None:
        await self.client.set(f"{PREFIX}once:{key}", "done", ex=KEEP_CLAIMS_S)


class RedisLimits:
    def __init__(self, client: Any):
        self.client = client
        self._admit = client.register_script(_ADMIT)

    async def admit(self, who: str, *, per_minute: int, in_flight: int) -> Admission:
        ticket = secrets.token_hex(8)
        keys = [f"{PREFIX}window:{who}", f"{PREFIX}running:{who}"]
        found = await self._admit(keys=keys, args=[per_minute, in_flight, ticket, WINDOW_MS, RUN_LEASE_MS])
        outcome = found.decode() if isinstance(found, bytes) else str(found)
        return Admission(ticket=ticket) if outcome == "ok" else Admission(refused=outcome)

    async def release(self, who: str, ticket: str) -> None:
        await self.client.zrem(f"{PREFIX}running:{who}", ticket)
