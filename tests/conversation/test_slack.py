"""The shared conversation through the real bolt app against the loopback Slack, in both modes."""

from __future__ import annotations

import pytest

from tests.conversation.script import SCRIPT, check
from tests.slack.conftest import close_world, open_world, standin  # noqa: F401  (the loopback Slack)


@pytest.mark.parametrize("mode", ["socket", "http"])
async def test_the_conversation_on_slack(mode, standin, tmp_path, worker_pool):  # noqa: F811
    world = await open_world(standin, tmp_path, worker_pool, mode)
    try:
        for turn in SCRIPT:
            answer = await world.command(turn.say)
            assert answer.messages, f"{turn.say!r}: nothing was shown"
            for shown in answer.messages:
                assert shown.text.strip(), f"{turn.say!r}: a message without its plain-text fallback"
                assert shown.ephemeral == turn.error, f"{turn.say!r}: ephemeral={shown.ephemeral}"
            check(turn, answer.seen())
    finally:
        await close_world(world)
