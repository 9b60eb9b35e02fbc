"""Issue 25 on Discord (the stand-in): nothing the bot sends can ping, the progress heatmap is
uploaded, and the weekly digest is posted once in the home channel, and privately as a DM."""

from __future__ import annotations

import asyncio

from tests.conversation.script import plain
from tests.discord.harness import shown
from tests.discord.standin import CHANNEL_ID

NO_PINGS = {"parse": []}


async def run_due(harness):
    return await asyncio.wait_for(harness.bot.app.scheduler.run_due(harness.bot.delivery, "discord"), 60)


async def test_names_never_ping_and_the_heatmap_is_uploaded(discord_bot):
    harness = discord_bot
    created = await harness.say("/cohort create Crew @everyone <@&42>", admin=True)
    assert created.body["allowed_mentions"] == NO_PINGS
    assert "@everyone" in plain(shown(created).text)  # shown as typed, notifying nobody
    for _ in range(6):  # a wrong typed answer on record: evidence about the power rule, a heatmap cell
        await harness.say("/quiz power rules", admin=True)
        if "Not quite" in plain(shown(await harness.say("/answer 12345*x^7", admin=True)).text):
            break
    progress = await harness.say("/cohort progress", admin=True)
    assert progress.body["allowed_mentions"] == NO_PINGS
    assert any(name.endswith(".png") for name in progress.files)
    assert "Crew @everyone" in plain(shown(progress).text)
    board = await harness.say("/leaderboard image", admin=True)
    assert any(name.endswith(".png") for name in board.files)


async def test_the_digest_is_pushed_once_in_the_channel_and_privately_by_dm(discord_bot):
    harness, standin = discord_bot, discord_bot.standin
    await harness.say("/cohort create Crew", admin=True)
    await harness.say("/cohort digest on monday 09:05", admin=True)  # the clock: Mon 2 Mar 2026 09:00 UTC
    harness.clock.advance(days=7, minutes=6)
    sent = await run_due(harness)
    assert [s.kind for s in sent] == ["digest"] and await run_due(harness) == []
    pushed = [p for p in standin.posted if p.via == "channel"]
    assert len(pushed) == 1 and pushed[0].channel_id == CHANNEL_ID
    assert pushed[0].body["allowed_mentions"] == NO_PINGS and "weekly digest" in plain(shown(pushed[0]).text)
    await harness.say("/cohort digest on monday 09:20 private", admin=True)
    harness.clock.advance(days=7, minutes=15)
    assert [s.kind for s in await run_due(harness)] == ["digest"]
    direct = [p for p in standin.posted if p.via == "channel"][1:]
    assert len(direct) == 1 and direct[0].channel_id.startswith("9")  # the DM channel the stand-in opened
