"""What the bot sends back on Discord: acknowledgement in time, edits, attachments, ephemeral errors."""

from __future__ import annotations

import asyncio

from bot.workers import WorkerPool
from tests.conversation.script import plain
from tests.discord.harness import is_answer, running_bot, shown
from tests.discord.standin import EPHEMERAL

RUNS_OUT_OF_TIME = "sin(x)*cos(y)*x^3*y^5 + x*y"  # /stationary on this works past any short time limit


async def test_one_learners_slow_job_delays_no_ones_acknowledgement(standin, tmp_path):
    """One worker, busy with bo's job until its time limit: ana is still acknowledged at once, and her
    answer, computed after bo's job is stopped, edits her deferred message; bo's error, found after his
    public defer, replaces it with an ephemeral follow-up."""
    pool = WorkerPool(workers=1, timeout=3.0, memory_mb=1536)
    try:
        async with running_bot(standin, tmp_path, pool) as harness:
            slow = await standin.slash("stationary", {"expr": RUNS_OUT_OF_TIME}, user="bo")
            await asyncio.sleep(0.3)
            quick = await standin.slash("derive", {"expr": "x^3"}, user="ana")
            quick_answer = await harness.answer(quick)
            slow_answer = await harness.answer(slow)
            assert standin.acknowledged_after(slow) < 3.0 and standin.acknowledged_after(quick) < 3.0
            acknowledged = standin.dispatched_at[quick["id"]] + standin.acknowledged_after(quick)
            assert acknowledged < slow_answer.at  # ana was acknowledged while bo's job still ran
            for interaction in (slow, quick):
                first = standin.answers_to(interaction)[0]
                assert first.via == "callback" and not is_answer(first) and not first.ephemeral  # "thinking…"
            assert quick_answer.via == "edit" and not quick_answer.ephemeral
            assert "3*x^2" in shown(quick_answer).text  # d/dx x^3, by hand
            assert slow_answer.via == "followup" and slow_answer.ephemeral
            assert "longer than 3 s" in slow_answer.body["content"]  # the time limit, explained
            deletes = [c.path for c in standin.calls if c.method == "DELETE"]
            assert deletes == [f"/api/v10/webhooks/{slow['application_id']}/{slow['token']}/messages/@original"]
            assert slow["token"] not in standin.originals  # bo's public "thinking…" is gone
    finally:
        pool.close()


async def test_a_usage_error_is_answered_at_once_and_only_to_the_asker(discord_bot):
    interaction = await discord_bot.standin.slash("derive", {"expr": "x^2", "order": 11})
    answer = await discord_bot.answer(interaction)
    assert answer.via == "callback" and answer.body.get("flags", 0) & EPHEMERAL
    assert "between 1 and 10" in answer.body["content"]
    assert len(discord_bot.standin.answers_to(interaction)) == 1  # no public message first


async def test_a_figure_is_attached(discord_bot):
    answer = await discord_bot.say("/grad x^2 + y^2 at (1, 2)")
    pngs = {name: data for name, data in answer.files.items() if name.endswith(".png")}
    assert pngs and all(data.startswith(b"\x89PNG\r\n\x1a\n") for data in pngs.values())
    assert {a["filename"] for a in answer.body["attachments"]} == set(answer.files)


async def test_the_result_is_typeset_into_the_embed(discord_bot):
    answer = await discord_bot.say("/derive x^2 sin x")
    assert answer.files["result.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert answer.body["embeds"][-1]["image"]["url"] == "attachment://result.png"


async def test_typed_options_are_the_same_command_as_typed_text(discord_bot):
    typed = await discord_bot.answer(await discord_bot.standin.slash("derive", {"expr": "x^2 sin x", "order": 2}))
    written = await discord_bot.say("/derive x^2 sin x order 2")
    assert shown(typed).text == shown(written).text
    assert "-x^2*sin(x) + 4*x*cos(x) + 2*sin(x)" in shown(typed).text  # d²/dx² x² sin x by hand


async def test_the_bot_works_in_a_direct_message(discord_bot):
    answer = await discord_bot.answer(await discord_bot.standin.slash("partial", {"expr": "x^2 y", "wrt": "y"},
                                                                       guild=False, channel_id="1700000000000000001"))
    assert "∂f/∂y = x^2" in plain(shown(answer).text) and not answer.ephemeral


async def test_autocomplete_offers_topics_and_commands(discord_bot):
    await discord_bot.standin.autocomplete("lesson", "topic", "chain")
    await discord_bot.standin.autocomplete("help", "topic", "der")
    callbacks = await discord_bot.standin.wait_for(
        lambda: (found := [c for c in discord_bot.standin.calls if isinstance(c.json, dict) and c.json.get("type") == 8])
        and len(found) == 2 and found)
    topics = [choice["value"] for choice in callbacks[0].json["data"]["choices"]]
    commands = [choice["value"] for choice in callbacks[1].json["data"]["choices"]]
    assert topics and all("chain" in t for t in topics)
    assert commands[0] == "derive"


async def test_a_rate_limited_response_is_retried_and_the_answer_arrives(discord_bot):
    discord_bot.standin.rate_limit_next["/interactions/"] = 1
    answer = await discord_bot.say("/partial x^2 y wrt y")
    assert "∂f/∂y = x^2" in plain(shown(answer).text)
    assert discord_bot.standin.rate_limit_next["/interactions/"] == 0  # the 429 was served, then the retry won


async def test_an_expired_interaction_still_reaches_the_channel(discord_bot):
    discord_bot.standin.expire_next = 1  # Discord answers the callback 404, 10062 Unknown interaction
    await discord_bot.standin.slash("partial", {"expr": "x^2 y", "wrt": "x"}, user="cy")
    posted = await discord_bot.standin.wait_for(lambda: [p for p in discord_bot.standin.posted if p.via == "channel"])
    assert "∂f/∂x = 2*x*y" in plain(shown(posted[0]).text)
    assert posted[0].body["content"].startswith("<@")  # addressed to the learner



async def test_an_answer_discord_refuses_is_followed_by_a_private_apology(discord_bot):
    await discord_bot.say("/partial x y wrt x")  # warm: the next answer is ready before any defer
    discord_bot.standin.refuse_next["/interactions/"] = 1
    interaction = await discord_bot.standin.slash("partial", {"expr": "x^2 y", "wrt": "y"})
    answer = await discord_bot.answer(interaction)
    assert answer.ephemeral and "Discord would not let me show the answer" in answer.body["content"]
