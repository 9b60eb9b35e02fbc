"""Two instances of the app on one database (or Redis) behave as one bot: an event claimed once,
per-user limits counted once — whichever instance gets which message."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import sympy

from bot.core.config import Settings
from bot.core.message import ChannelRef, Message, UserRef
from tests.conftest import FakeClock


async def two_apps(shared, tmp_path, worker_pool, **settings):
    from bot.app import build_app

    config = Settings(data_dir=tmp_path, redis_url=shared.redis_url, limits="shared", **settings)
    return [await build_app(config, database_url=shared.database_url, clock=FakeClock(), workers=worker_pool,
                            shared_platform=True) for _ in range(2)]


def typed(text: str, user: str) -> Message:
    return Message(UserRef("slack", user, user), ChannelRef("slack", "T1", "C1"), text)


async def test_of_two_instances_claiming_one_event_at_once_exactly_one_wins(shared, tmp_path, worker_pool):
    apps = await two_apps(shared, tmp_path, worker_pool)
    try:
        key = f"slack:event:Ev{secrets.token_hex(6)}"
        wins = await asyncio.gather(*(app.once.claim(key) for app in apps for _ in range(3)))
        assert sorted(wins) == [False] * 5 + [True]
        winner = apps[[i // 3 for i, won in enumerate(wins) if won][0]]
        await winner.once.done(key)
        assert not await apps[0].once.claim(key) and not await apps[1].once.claim(key)  # handled: dropped for good
    finally:
        for app in apps:
            await app.close()


async def test_a_claim_never_finished_is_taken_over_once_its_lease_ran_out(tmp_path):
    from bot.instances.database import CLAIM_LEASE, DatabaseOnce
    from bot.store import Store

    now = datetime(2027, 1, 4, 8, tzinfo=UTC)
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'once.db'}")
    try:
        died, later = DatabaseOnce(store, lambda: now), DatabaseOnce(store, lambda: now + CLAIM_LEASE / 2)
        assert await died.claim("slack:event:Ev1")  # and its instance died before answering
        assert not await later.claim("slack:event:Ev1")  # still within the lease: the original may answer
        late = DatabaseOnce(store, lambda: now + CLAIM_LEASE + timedelta(seconds=1))
        assert await late.claim("slack:event:Ev1")  # Slack's retry, after the lease: answered after all
        await late.done("slack:event:Ev1")
        assert not await DatabaseOnce(store, lambda: now + timedelta(hours=1)).claim("slack:event:Ev1")
    finally:
        await store.close()


async def test_a_limit_of_five_a_minute_gives_five_answers_when_messages_alternate_instances(
        shared, tmp_path, worker_pool):
    apps = await two_apps(shared, tmp_path, worker_pool, rate_per_minute=5)
    user = f"U{secrets.token_hex(4)}"
    try:
        replies = [await apps[n % 2].handle(typed(f"/derive x^{n + 2}", user)) for n in range(10)]
        answered = [n for n, reply in enumerate(replies) if reply.error is None]
        assert answered == [0, 1, 2, 3, 4]
        assert {r.error.code for r in replies[5:] if r.error} == {"rate_limited"}
        x = sympy.Symbol("x")
        assert str(sympy.diff(x**4, x)) in replies[2].text.replace(" ", "").replace("**", "^").replace("^", "**")
        other = await apps[1].handle(typed("/derive x^2", f"U{secrets.token_hex(4)}"))  # another user is not held up
        assert other.error is None
    finally:
        for app in apps:
            await app.close()


async def test_in_flight_limits_are_shared_and_released(shared, tmp_path, worker_pool):
    apps = await two_apps(shared, tmp_path, worker_pool)
    books = [_book(app) for app in apps]
    who = f"slack:U{secrets.token_hex(4)}"
    try:
        first = await books[0].admit(who, per_minute=30, in_flight=2)
        second = await books[1].admit(who, per_minute=30, in_flight=2)
        third = await books[0].admit(who, per_minute=30, in_flight=2)
        assert first.ticket and second.ticket and third.refused == "busy"
        await books[1].release(who, second.ticket)
        assert (await books[0].admit(who, per_minute=30, in_flight=2)).ticket
    finally:
        for app in apps:
            await app.close()


def _book(app):
    """The LimitBook the app's SharedLimits middleware uses."""
    from bot.core.middleware import SharedLimits

    assert isinstance(app.limits, SharedLimits), "the app was built without shared limits"
    return app.limits.book
