"""Two real bolt HTTP apps on one database behind "one URL": Slack's redeliveries and a load balancer's
copies reach both, and each user action is answered once, with one effect (one hint charged)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.slack.conftest import close_world, open_world
from tests.slack.standin import SlackStandIn
from tests.slack.world import button, event, signed, slash


@pytest.fixture
async def slack():
    loopback = SlackStandIn()
    await loopback.start()
    loopback.add_user("U0ANA", "ana", admin=True)
    yield loopback
    await loopback.stop()


@pytest.fixture
async def two_instances(slack, tmp_path, worker_pool):
    worlds = [await open_world(slack, tmp_path, worker_pool, "http") for _ in range(2)]  # one SQLite file
    yield worlds
    for world in worlds:
        await close_world(world)


async def settle(worlds) -> None:
    for world in worlds:
        await world.runner.bot.idle()


async def post_event(world, payload: dict, **headers: str):
    body = json.dumps(payload)
    async with world.http.post(world.events_url, data=body,
                               headers={**signed(body, content_type="application/json"), **headers}) as response:
        return response.status


async def test_a_slash_command_sent_to_both_instances_is_answered_once(two_instances, slack):
    form = slash("/derive x^2 sin x", user="U0ANA", channel="C0GEN", response_url=slack.hook_url("twice"))
    acks = await asyncio.gather(*(world.post_form(form) for world in two_instances))
    await settle(two_instances)
    assert [ack.status for ack in acks] == [200, 200]  # both acknowledged: Slack sees no failure
    answers = [r for r in slack.responses if r["hook"] == "twice"]
    assert len(answers) == 1 and "x^2*cos(x) + 2*x*sin(x)" in json.dumps(answers[0]["body"])


async def test_a_redelivered_event_is_acknowledged_and_dropped(two_instances, slack):
    payload = event({"type": "message", "channel_type": "im", "channel": "D0ANA", "user": "U0ANA",
                     "text": "derive x^3", "ts": "5.5"})
    assert await post_event(two_instances[0], payload) == 200
    await settle(two_instances)
    retry = await post_event(two_instances[1], payload, **{"X-Slack-Retry-Num": "1",
                                                            "X-Slack-Retry-Reason": "http_timeout"})
    await settle(two_instances)
    assert retry == 200
    posted = [c for c in slack.calls if c.method == "chat.postMessage" and c.params.get("channel") == "D0ANA"]
    assert len(posted) == 1


async def test_a_hint_press_sent_to_both_instances_charges_one_hint(two_instances, slack):
    first = two_instances[0]
    lesson = await first.command("/lesson")
    quiz = await first.press(lesson, "Quiz me")
    blocks = next(m.blocks for m in quiz.messages if "Hint" in m.buttons)
    press = button(blocks, "Hint", user="U0ANA", channel="C0GEN", response_url=slack.hook_url("hint"),
                   trigger_id=slack.trigger())
    acks = await asyncio.gather(*(world.post_form({"payload": json.dumps(press)}) for world in two_instances))
    await settle(two_instances)
    assert [ack.status for ack in acks] == [200, 200]
    hints = [r["body"] for r in slack.responses if r["hook"] == "hint"]
    assert len(hints) == 1 and "Hint 1/" in json.dumps(hints[0])
    again = await two_instances[1].press(quiz, "Hint")  # a new press: the second hint, not the first again
    assert "Hint 2/" in again.seen().text
