"""Pushes on Slack: a cohort's daily question goes out through SlackDelivery at the time the test's
clock says, with its buttons; Slack's refusals reach the scheduler as the core's DeliveryFailed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.cohorts.tables import daily_pushes, daily_schedules
from tests.conftest import FakeClock
from tests.slack.conftest import close_world, open_world


@pytest.fixture
async def timed(standin, tmp_path, worker_pool) -> AsyncIterator[tuple]:
    # 2026-03-03 09:00 UTC: the day whose product-rule daily question is multiple choice
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    world = await open_world(standin, tmp_path, worker_pool, "http", clock=clock)
    yield world, clock
    await close_world(world)


async def _run_due(world):
    return await world.runner.app.scheduler.run_due(world.runner.bot.delivery, "slack")


async def _pushes(world) -> list[dict]:
    async with world.runner.app.services.store.snapshot() as db:
        return [dict(r) for r in (await db.execute(sa.select(daily_pushes))).mappings().all()]


async def test_the_daily_question_is_pushed_at_its_time_with_buttons_and_answered_by_one(timed):
    world, clock = timed
    assert not (await world.command("/cohort create Calc Crew")).seen().error
    assert not (await world.command("/cohort join Calc Crew", user="U0BEN")).seen().error
    refused = await world.command("/daily on 09:30 UTC", user="U0BEN")  # users.info: not an admin
    assert refused.seen().error and "admin" in refused.seen().text.lower()
    scheduled = await world.command("/daily on 09:30 UTC product-rule")  # users.info: ana is an admin
    assert not scheduled.seen().error
    assert await _run_due(world) == []  # 09:00: not yet
    posts = len(world.standin.called("chat.postMessage"))

    clock.advance(minutes=31)
    sent = await _run_due(world)
    assert [s.kind for s in sent] == ["daily"]
    [push] = world.standin.called("chat.postMessage")[posts:]
    assert push.params["channel"] == "C0GEN" and push.params["text"]
    labels = [e["text"]["text"] for b in push.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["A", "B", "C", "D"]  # one button per option of the multiple-choice question
    assert all(f"*{label}.*" in push.params["blocks"][0]["text"]["text"] for label in labels)
    answered = await world.press(world.since(0, 0), "B", user="U0BEN")
    [verdict] = answered.messages  # verdicts stay private until the reveal
    assert verdict.via == "response_url" and verdict.ephemeral
    assert await _run_due(world) == []  # sent once, not again

    clock.advance(hours=12)
    reveal = await _run_due(world)
    assert [s.kind for s in reveal] == ["reveal"]
    assert world.standin.called("chat.postMessage")[-1].params["channel"] == "C0GEN"


async def test_not_in_channel_pauses_the_schedule_and_says_why(timed):
    world, clock = timed
    await world.command("/daily on 09:30 UTC", channel="C0SHUT")
    world.standin.fail("chat.postMessage", "not_in_channel")
    clock.advance(minutes=31)
    assert await _run_due(world) == []
    async with world.runner.app.services.store.snapshot() as db:
        schedule = (await db.execute(sa.select(daily_schedules))).one()
    assert schedule.paused and "invite" in schedule.pause_reason
    status = await world.command("/daily status", channel="C0SHUT")
    assert "invite" in status.seen().text


async def test_ratelimited_push_is_retried_after_slacks_retry_after(timed):
    world, clock = timed
    await world.command("/daily on 09:30 UTC")
    world.standin.fail("chat.postMessage", "ratelimited", retry_after=120)
    clock.advance(minutes=31)
    assert await _run_due(world) == []
    [row] = await _pushes(world)
    assert row["status"] == "claimed" and row["error"] == "ratelimited"
    wait = (row["lease_until"].replace(tzinfo=None) - clock.now.replace(tzinfo=None)).total_seconds()
    assert wait == pytest.approx(120, abs=1)  # Slack's Retry-After, not the scheduler's own backoff
    clock.advance(seconds=121)
    assert [s.kind for s in await _run_due(world)] == ["daily"]
