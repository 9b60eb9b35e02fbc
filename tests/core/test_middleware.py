"""Per-user limits: bursts and concurrency are bounded per user, and history does not grow forever."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.message import ChannelRef, Message, UserRef
from bot.core.middleware import PerUserLimits, TooManyRequests
from bot.core.reply import Reply


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _message(user: str) -> Message:
    return Message(UserRef("console", user, user), ChannelRef("console", "", "c"), "/help")


async def _answer(message: Message) -> Reply:
    return Reply(text="ok")


async def test_a_burst_over_the_per_minute_limit_is_refused_then_allowed_a_minute_later():
    clock = Clock()
    limits = PerUserLimits(per_minute=3, clock=clock)
    for _ in range(3):
        assert (await limits(_message("ana"), _answer)).text == "ok"
    with pytest.raises(TooManyRequests):
        await limits(_message("ana"), _answer)
    assert (await limits(_message("ben"), _answer)).text == "ok"  # others are unaffected
    clock.now += 61
    assert (await limits(_message("ana"), _answer)).text == "ok"


async def test_more_messages_in_flight_than_allowed_are_refused():
    limits = PerUserLimits(in_flight=1, clock=Clock())
    release = asyncio.Event()

    async def slow(message: Message) -> Reply:
        await release.wait()
        return Reply(text="done")

    first = asyncio.ensure_future(limits(_message("ana"), slow))
    await asyncio.sleep(0)
    with pytest.raises(TooManyRequests):
        await limits(_message("ana"), _answer)
    release.set()
    assert (await first).text == "done"


async def test_quiet_users_are_forgotten():
    clock = Clock()
    limits = PerUserLimits(clock=clock)
    for n in range(999):
        await limits(_message(f"user{n}"), _answer)
    clock.now += 120
    await limits(_message("late"), _answer)  # the 1000th call sweeps
    assert set(limits._recent) == {("console", "late")}
