"""The shared conversation through the real bolt app (Socket Mode) against the loopback Slack."""

from __future__ import annotations

from tests.conversation.script import SCRIPT, check
from tests.slack.conftest import close_world, open_world, standin  # noqa: F401  (the loopback Slack)


async def test_the_conversation_on_slack(standin, tmp_path, worker_pool):  # noqa: F811
    world = await open_world(standin, tmp_path, worker_pool, "socket")
    try:
        for turn in SCRIPT:
            answer = await world.command(turn.say)
            assert answer.messages, f"{turn.say!r}: nothing was shown"
            for shown in answer.messages:
                assert shown.text.strip(), f"{turn.say!r}: a message without its plain-text fallback"
            check(turn, answer.seen())
    finally:
        await close_world(world)
