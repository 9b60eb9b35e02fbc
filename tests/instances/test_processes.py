"""Two ``calcbot slack --http`` processes on one PostgreSQL (a scratch database), as an operator runs
them behind one URL: a request sent to both is answered once, a limit of 5 a minute holds across
them, and SIGTERM ends each cleanly."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from tests.instances.slack_processes import post_signed, start_instances
from tests.slack.standin import SlackStandIn
from tests.slack.world import slash


@pytest.fixture
async def slack():
    loopback = SlackStandIn()
    await loopback.start()
    loopback.add_user("U0ANA", "ana")
    yield loopback
    await loopback.stop()


async def answers(standin: SlackStandIn, hooks: list[str], timeout: float = 60) -> dict[str, dict]:
    for _ in range(int(timeout / 0.05)):
        found = {r["hook"]: r["body"] for r in standin.responses if r["hook"] in hooks}
        if len(found) == len(set(hooks)):
            return found
        await asyncio.sleep(0.05)
    return {r["hook"]: r["body"] for r in standin.responses if r["hook"] in hooks}


async def test_two_processes_answer_a_copy_once_and_share_the_rate_limit(slack, scratch_pg, tmp_path):
    instances = await start_instances(slack, scratch_pg, tmp_path, CALCBOT_RATE_PER_MINUTE="5",
                                       CALCBOT_IN_FLIGHT="20")  # only the rate limit decides here
    try:
        async with aiohttp.ClientSession() as http:
            form = slash("/derive x^2 sin x", user="U0ANA", channel="C0GEN", response_url=slack.hook_url("both"))
            assert await asyncio.gather(*(post_signed(http, i.events_url, form) for i in instances)) == [200, 200]
            await answers(slack, ["both"])
            await asyncio.sleep(1.0)  # time enough for a second answer, were one coming
            assert [r["hook"] for r in slack.responses].count("both") == 1

            hooks = [f"m{n}" for n in range(10)]
            for n, hook in enumerate(hooks):  # alternating instances, as a load balancer would
                form = slash(f"/derive x^{n + 2}", user="U0ANA", channel="C0GEN", response_url=slack.hook_url(hook))
                assert await post_signed(http, instances[n % 2].events_url, form) == 200
            found = await answers(slack, hooks)
        answered = [h for h in hooks if found[h].get("response_type") == "in_channel"]
        refused = [h for h in hooks if "slow down" in json.dumps(found[h])]
        assert len(answered) == 4 and len(refused) == 6  # 5 a minute in all: "both" was the first
    finally:
        stopped = [await instance.stop() for instance in instances]
    assert [code for code, _ in stopped] == [0, 0], [err[-1500:] for _, err in stopped]
