"""The first copy of an inbound event wins; the copies after it are dropped and counted; a shared store
that cannot be reached lets the event be answered (a rare duplicate beats a lost answer)."""

from __future__ import annotations

import secrets

from prometheus_client import REGISTRY

from bot.core.once import OnceInMemory, claim_first, mark_handled
from bot.store.engine import is_outage


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_the_first_copy_wins_and_later_copies_are_dropped_and_counted():
    once = OnceInMemory()
    key = f"slack:event:Ev{secrets.token_hex(6)}"
    dropped = counted("calcbot_duplicates_dropped_total", platform="slack", kind="event")
    assert await claim_first(once, key, is_outage=is_outage, platform="slack", kind="event")
    assert not await claim_first(once, key, is_outage=is_outage, platform="slack", kind="event")  # in its lease
    await mark_handled(once, key, "slack")
    assert not await claim_first(once, key, is_outage=is_outage, platform="slack", kind="event")  # handled
    assert counted("calcbot_duplicates_dropped_total", platform="slack", kind="event") == dropped + 2


async def test_an_unreachable_shared_store_lets_the_event_be_answered():
    from bot.instances.redis import RedisOnce, connect

    client = connect("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        once = RedisOnce(client)
        key = f"discord:interaction:{secrets.randbelow(10**18)}"
        outages = counted("calcbot_database_unavailable_total", where="dedup")
        assert await claim_first(once, key, is_outage=is_outage, platform="discord", kind="interaction")
        assert counted("calcbot_database_unavailable_total", where="dedup") == outages + 1
        await mark_handled(once, key, "discord")  # logged, not raised: the lease runs out instead
    finally:
        await client.aclose()
