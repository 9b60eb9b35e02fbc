"""Two Discord processes' clients (shards 0 and 1 of 2) on one database form one bot: an interaction
that reaches both (a replayed gateway event) is answered once, and a Hint press charges one hint."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from tests.discord.harness import (
    is_answer,
    running_bot,
    shown,
)
from tests.discord.standin import DiscordStandIn
from tests.discord.test_buttons import answer_of, button


@pytest.fixture
async def discord_standin():
    server = await DiscordStandIn().start()
    yield server
    await server.close()


async def settled(standin, interaction) -> list:
    """The answers to ``interaction``, once the copy's process has had time to answer were it going to;
    and only one process ever responded to it (a second would be refused as already acknowledged)."""
    await asyncio.sleep(1.5)
    responses = [c for c in standin.calls if c.path.startswith(f"/api/v10/interactions/{interaction['id']}/")]
    assert len(responses) == 1, [c.path for c in responses]
    return [p for p in standin.answers_to(interaction) if is_answer(p)]


async def test_an_interaction_reaching_both_processes_is_answered_once(discord_standin, tmp_path, worker_pool):
    standin = discord_standin
    async with contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(
            running_bot(standin, tmp_path, worker_pool, shard_count=2, shard_ids="0"))
        await stack.enter_async_context(running_bot(standin, tmp_path, worker_pool, shard_count=2, shard_ids="1"))
        derive = await standin.slash("derive", {"expr": "x^2 sin x"}, shard=0)
        await standin.dispatch("INTERACTION_CREATE", derive, shard=1)  # the same interaction, to the other
        await first.answer(derive)
        [answer] = await settled(standin, derive)
        assert "x^2*cos(x) + 2*x*sin(x)" in shown(answer).text

        lesson = await first.say("/lesson")
        quiz = await answer_of(standin, await standin.press(lesson.message, button(lesson, "Quiz me")))
        hint = await standin.press(quiz.message, button(quiz, "Hint"))
        await standin.dispatch("INTERACTION_CREATE", hint, shard=1)
        [given] = await settled(standin, hint)
        assert "Hint 1/" in shown(given).text
        again = await answer_of(standin, await standin.press(quiz.message, button(quiz, "Hint")))
        assert "Hint 2/" in shown(again).text  # one hint was charged for the two copies


async def test_stopping_answers_what_cannot_finish_with_a_clear_error(discord_standin, tmp_path, worker_pool):
    standin = discord_standin
    async with running_bot(standin, tmp_path, worker_pool) as harness:
        # seconds of SymPy (about 4 s here; the test pool allows 10): still being worked out at the drain
        slow = await standin.slash("taylor", {"expr": "e^(sin x) * cos(x)^3 / (1 + x^2) at 0 order 10"})
        await asyncio.sleep(0.3)  # being worked out
        started = asyncio.get_running_loop().time()
        await harness.bot.client.drain(0.5)  # SIGTERM's drain, with little time: returns once answered
        assert asyncio.get_running_loop().time() - started < 5
        [answer] = [p for p in standin.answers_to(slow) if is_answer(p)]  # out before the drain returned
        assert answer.ephemeral and "restart" in shown(answer).text and "send it again" in shown(answer).text
