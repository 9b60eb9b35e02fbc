"""Issue 25 on Slack (the stand-in): a cohort name with mentions is escaped, never a ping; the
leaderboard image is uploaded; the weekly digest is posted once in the channel, and privately by DM."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from tests.conftest import FakeClock
from tests.slack.conftest import close_world, open_world


@pytest.fixture
async def timed(standin, tmp_path, worker_pool) -> AsyncIterator[tuple]:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))  # a Monday
    world = await open_world(standin, tmp_path, worker_pool, "http", clock=clock)
    yield world, clock
    await close_world(world)


async def test_names_are_escaped_and_the_leaderboard_image_uploaded(timed):
    world, _ = timed
    created = await world.command("/cohort create Crew <!everyone> & <@U0BEN>")
    shown = created.seen().text
    assert "<!everyone>" not in shown and "&lt;!everyone&gt;" in shown and "&amp;" in shown
    board = await world.command("/leaderboard image")
    assert board.seen().images == 1


async def test_the_digest_is_pushed_once_in_the_channel_then_by_dm(timed):
    world, clock = timed
    await world.command("/cohort create Crew")
    assert not (await world.command("/cohort digest on monday 09:30")).seen().error
    run_due = lambda: world.runner.app.scheduler.run_due(world.runner.bot.delivery, "slack")  # noqa: E731
    posts = len(world.standin.called("chat.postMessage"))
    clock.advance(days=7, minutes=31)
    assert [s.kind for s in await run_due()] == ["digest"] and await run_due() == []
    [push] = world.standin.called("chat.postMessage")[posts:]
    assert push.params["channel"] == "C0GEN" and "weekly digest" in push.params["text"]
    await world.command("/cohort digest on monday 10:00 private")  # today's was sent: one digest a day at most
    clock.advance(minutes=30)
    assert await run_due() == []
    clock.advance(days=7)
    assert [s.kind for s in await run_due()] == ["digest"]
    assert world.standin.called("conversations.open")[-1].params["users"] == "U0ANA"
    assert world.standin.called("chat.postMessage")[-1].params["channel"] == "D0ANA"
