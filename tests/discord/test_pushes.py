"""Pushes through the core's delivery port: the daily question arrives as a channel message."""

from __future__ import annotations

import asyncio

from tests.conftest import FakeClock
from tests.conversation.script import plain
from tests.discord.harness import running_bot, shown
from tests.discord.standin import CHANNEL_ID

DUE = "09:05"  # the harness clock starts at 09:00 UTC


async def run_due(harness):
    """One scheduler round, as the bot's own loop runs it, through the bot's DiscordDelivery."""
    return await asyncio.wait_for(harness.bot.app.scheduler.run_due(harness.bot.delivery, "discord"), 60)


def channel_messages(standin):
    return [p for p in standin.posted if p.via == "channel" and p.channel_id == CHANNEL_ID]


async def test_the_daily_question_is_posted_in_the_channel_by_a_bot_that_starts_after_it_fell_due(
        standin, tmp_path, worker_pool):
    clock = FakeClock()
    async with running_bot(standin, tmp_path, worker_pool, clock=clock) as harness:
        turned_on = await harness.answer(await standin.slash("daily", {"request": f"on {DUE}"}, admin=True))
        assert "Daily question on at 09:05 UTC" in plain(shown(turned_on).text)
    assert not channel_messages(standin)
    clock.advance(minutes=6)
    async with running_bot(standin, tmp_path, worker_pool, clock=clock, start_pushes=True):
        pushed = await standin.wait_for(lambda: channel_messages(standin))
    text = plain(shown(pushed[0]).text)
    assert "Daily question" in text and "/daily answer" in text
    assert not pushed[0].ephemeral and len(pushed) == 1


async def test_a_rate_limited_push_is_retried_and_delivered_once(discord_bot):
    harness, standin = discord_bot, discord_bot.standin
    await harness.answer(await standin.slash("daily", {"request": f"on {DUE}"}, admin=True))
    standin.rate_limit_next["/channels/"] = 1
    harness.clock.advance(minutes=6)
    sent = await run_due(harness)
    assert [s.kind for s in sent] == ["daily"]
    assert len(channel_messages(standin)) == 1 and standin.rate_limit_next["/channels/"] == 0


async def test_a_channel_the_bot_may_not_post_in_pauses_the_schedule_and_says_why(discord_bot):
    harness, standin = discord_bot, discord_bot.standin
    await harness.answer(await standin.slash("daily", {"request": f"on {DUE}"}, admin=True))
    standin.forbidden_channels.add(CHANNEL_ID)
    harness.clock.advance(minutes=6)
    sent = await run_due(harness)
    assert sent == [] and not channel_messages(standin)
    status = await harness.say("/daily status")
    assert "Paused" in plain(shown(status).text) and "may not post" in plain(shown(status).text)
    harness.clock.advance(days=1)
    assert await run_due(harness) == []  # paused: no retries


async def test_a_deleted_channel_pauses_the_schedule(discord_bot):
    harness, standin = discord_bot, discord_bot.standin
    await harness.answer(await standin.slash("daily", {"request": f"on {DUE}"}, admin=True))
    standin.deleted_channels.add(CHANNEL_ID)
    harness.clock.advance(minutes=6)
    await run_due(harness)
    status = await harness.say("/daily status")
    assert "no longer exists" in plain(shown(status).text)
