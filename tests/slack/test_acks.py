"""Every slash command is acknowledged at once: one user's slow job never delays another's ack."""

from __future__ import annotations

import asyncio
import time

from tests.slack.world import slash

# about a second of sympy; each test asks a different one (the worker pool caches answers)
SLOW = "/taylor e^(sin x) * cos({k}x) at 0 order 12"


async def test_a_slow_job_does_not_delay_another_users_ack(http_world):
    standin = http_world.standin
    slow_hook, quick_hook = standin.hook_url("slow"), standin.hook_url("quick")
    started = time.monotonic()
    slow_ack = await http_world.deliver("slash_commands", slash(SLOW.format(k=2), user="U0ANA", channel="C0GEN",
                                                               response_url=slow_hook))
    slow_acked = time.monotonic() - started
    asked = time.monotonic()
    quick_ack = await http_world.deliver("slash_commands", slash("/help", user="U0BEN", channel="C0GEN",
                                                                response_url=quick_hook))
    quick_acked = time.monotonic() - asked
    assert slow_ack.status == quick_ack.status == 200
    assert slow_acked < 1.0 and quick_acked < 1.0  # Slack's limit is 3 s
    while not any(r["hook"] == "slow" for r in standin.responses):
        await asyncio.sleep(0.02)
    slow_answered = next(r["at"] for r in standin.responses if r["hook"] == "slow") - started
    assert slow_answered > quick_acked + 0.5, (slow_answered, quick_acked)  # the job really was slow
    await http_world.runner.bot.idle()


async def test_socket_mode_acks_each_envelope_while_a_slow_job_runs(socket_world):
    standin = socket_world.standin
    started = time.monotonic()
    await standin.envelope("slash_commands", slash(SLOW.format(k=3), user="U0ANA", channel="C0GEN",
                                                   response_url=standin.hook_url("slow")))
    asked = time.monotonic()
    await standin.envelope("slash_commands", slash("/help", user="U0BEN", channel="C0GEN",
                                                   response_url=standin.hook_url("quick")))
    quick_acked = time.monotonic() - asked
    assert quick_acked < 1.0
    await socket_world.runner.bot.idle()
    slow_answered = next(r["at"] for r in standin.responses if r["hook"] == "slow") - started
    assert slow_answered > quick_acked + 0.5, (slow_answered, quick_acked)
