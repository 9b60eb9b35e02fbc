"""Slack's refusals: logged with context, never a crash, never a lost answer record."""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa

from tests.slack.world import slash


async def _attempts(world) -> int:
    from bot.store.models import attempts

    async with world.runner.app.services.store.snapshot() as db:
        return int((await db.execute(sa.select(sa.func.count()).select_from(attempts))).scalar())


async def test_an_expired_response_url_falls_back_to_the_web_api(http_world, caplog):
    http_world.standin.expired_hooks.add("old")
    with caplog.at_level(logging.WARNING, logger="calcbot.slack"):
        answer = await http_world.command("/partial x^2 y wrt y", hook="old")
    vias = [m.via for m in answer.messages]
    assert vias == ["response_url", "chat.postMessage"]  # tried once, then posted in the channel
    assert "∂f/∂y = x^2" in answer.messages[-1].shown_text.replace("`", "")
    assert any("response_url" in r.getMessage() and "/partial" in r.getMessage() for r in caplog.records)


async def test_not_in_channel_takes_the_answer_to_the_askers_dm(http_world, caplog):
    standin = http_world.standin
    standin.expired_hooks.add("gone")
    standin.fail("chat.postMessage", "not_in_channel")
    with caplog.at_level(logging.WARNING, logger="calcbot.slack"):
        answer = await http_world.command("/partial x^2 y wrt y", channel="C0PRIV", hook="gone")
    posted = [m for m in answer.messages if m.via == "chat.postMessage"]
    assert [m.channel for m in posted] == ["C0PRIV", "D0ANA"]  # refused in the channel, then the DM
    assert "invite me" in posted[-1].blocks[0]["elements"][0]["text"]
    assert "∂f/∂y = x^2" in posted[-1].shown_text.replace("`", "")
    assert any("not_in_channel" in r.getMessage() and "C0PRIV" in r.getMessage() for r in caplog.records)


async def test_pictures_refused_in_a_channel_go_to_the_dm_with_a_note(http_world):
    standin = http_world.standin
    standin.fail("files.completeUploadExternal", "channel_not_found")
    answer = await http_world.command("/plot sin x")
    shares = answer.shares
    assert [s.params.get("channel_id") for s in shares] == ["C0GEN", "D0ANA"]
    note = answer.messages[-1]
    assert note.ephemeral and "direct messages" in note.text


async def test_ratelimited_is_retried_after_retry_after(http_world):
    standin = http_world.standin
    standin.expired_hooks.add("spent")
    standin.fail("chat.postMessage", "ratelimited", retry_after=1)
    started = time.monotonic()
    answer = await http_world.command("/partial x^2 y wrt y", hook="spent")
    tries = standin.called("chat.postMessage")
    assert len(tries) == 2 and tries[1].at - tries[0].at >= 1.0
    assert time.monotonic() - started >= 1.0
    assert "∂f/∂y = x^2" in answer.messages[-1].shown_text.replace("`", "")


async def test_an_answer_nobody_could_be_shown_is_still_recorded(http_world, caplog):
    standin = http_world.standin
    quiz = await http_world.command("/quiz")
    assert quiz.messages
    standin.expired_hooks.add("lost")
    standin.fail("chat.postMessage", "channel_not_found", times=2)
    before = await _attempts(http_world)
    with caplog.at_level(logging.WARNING, logger="calcbot.slack"):
        await http_world.command("/skip", hook="lost")
    assert await _attempts(http_world) == before + 1  # the skip counts, though Slack showed nothing
    assert any("could not be delivered" in r.getMessage() for r in caplog.records)
    again = await http_world.command("/derive x^3")  # and the app is still answering
    assert "3*x^2" in again.seen().text


async def test_a_private_answers_pictures_go_to_the_askers_dm(http_world):
    from bot.adapters.slack.outbound import Where
    from bot.core.reply import Image, Reply
    from plotting.formula import render_latex

    png = render_latex("x^2")
    where = Where(team="T0LOOP", channel="C0GEN", user="U0BEN", response_url=http_world.standin.hook_url())
    calls = len(http_world.standin.calls)
    await http_world.runner.bot.outbox.send(Reply(text="your map", latex="x^2", private=True,
                                                  images=(Image("map.png", png, "your dips"),)), where)
    answer = http_world.since(calls, 0)
    assert [s.params["channel_id"] for s in answer.shares] == ["D0BEN"]  # not shared into the channel
    assert [f["title"] for f in answer.files] == ["your dips"]  # the figure; no typeset result
    assert all(m.ephemeral for m in answer.messages)
    assert "direct messages" in answer.messages[-1].text


async def test_one_user_may_have_only_so_many_answers_in_flight(standin, tmp_path, worker_pool):
    from tests.slack.conftest import close_world, open_world

    world = await open_world(standin, tmp_path, worker_pool, "http", in_flight=1)
    try:
        await world.deliver("slash_commands", slash(
            "/taylor e^(sin x) * cos(5x) at 0 order 12", user="U0ANA", channel="C0GEN",
            response_url=standin.hook_url("first")))
        await world.command("/derive x^2", hook="second")
        [refused] = [r["body"] for r in standin.responses if r["hook"] == "second"]
        assert refused["response_type"] == "ephemeral" and "still working" in refused["text"]
        [first] = [r["body"] for r in standin.responses if r["hook"] == "first"]
        assert first["response_type"] == "in_channel" and "Maclaurin" in first["text"]
    finally:
        await close_world(world)
