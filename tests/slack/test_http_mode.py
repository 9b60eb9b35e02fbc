"""HTTP mode: the real bolt app behind aiohttp on loopback, signed requests, the loopback Web API."""

from __future__ import annotations

import json
import time

import sympy

from tests.slack.world import signed, slash


async def test_a_signed_slash_command_is_acked_and_answered_in_channel(http_world):
    answer = await http_world.command("/derive x^2 sin x")
    assert answer.ack.status == 200
    [shown] = answer.messages
    assert shown.via == "response_url" and not shown.ephemeral
    assert "*1. product rule*" in shown.shown_text  # Markdown bold became mrkdwn bold
    assert "`x^2*cos(x) + 2*x*sin(x)`" in shown.shown_text
    x = sympy.Symbol("x")
    assert sympy.simplify(sympy.diff(x**2 * sympy.sin(x), x) - (x**2 * sympy.cos(x) + 2 * x * sympy.sin(x))) == 0
    assert shown.text and "**" not in shown.text and "`" not in shown.text  # the plain-text fallback
    [share] = answer.shares  # the typeset result, uploaded and shared into the channel
    assert share.params["channel_id"] == "C0GEN"
    [typeset] = answer.files
    assert http_world.standin.uploads[typeset["id"]].data.startswith(b"\x89PNG")


async def test_a_badly_signed_request_is_refused_before_anything_runs(http_world):
    before = len(http_world.standin.calls)
    form = slash("/derive x^2", user="U0ANA", channel="C0GEN", response_url=http_world.standin.hook_url())
    response = await http_world.post_form(form, secret="not-the-secret")
    assert response.status == 401
    stale = await http_world.post_form(form, timestamp=int(time.time()) - 6 * 60)
    assert stale.status == 401
    press = {"payload": json.dumps({"type": "block_actions", "team": {"id": "T0LOOP"}, "user": {"id": "U0ANA"},
                                    "actions": [{"action_id": "calcbot.0.skip", "value": "/skip"}]})}
    forged = await http_world.post_form(press, secret="not-the-secret")
    assert forged.status == 401
    await http_world.runner.bot.idle()
    assert http_world.standin.calls[before:] == [] and http_world.standin.responses == []


async def test_block_actions_run_the_buttons_command_through_the_router(http_world):
    lesson = await http_world.command("/lesson")
    assert "Quiz me" in lesson.messages[-1].buttons
    quiz = await http_world.press(lesson, "Quiz me")
    assert quiz.ack.status == 200
    assert "Quiz" in quiz.messages[0].shown_text
    assert {"Hint", "Skip"} <= set(quiz.messages[-1].buttons)


async def test_slacks_url_verification_and_the_health_check_answer(http_world):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    async with http_world.http.post(http_world.events_url, data=body,
                                    headers=signed(body, content_type="application/json")) as response:
        assert response.status == 200 and "c-123" in await response.text()
    async with http_world.http.get(f"http://127.0.0.1:{http_world.runner.port}/healthz") as response:
        assert response.status == 200 and await response.text() == "ok"


async def test_an_unreachable_response_url_falls_back_to_the_web_api(http_world):
    form = slash("/partial x^2 y wrt y", user="U0ANA", channel="C0GEN",
                 response_url="http://127.0.0.1:9/hooks/nobody-listens")
    calls = len(http_world.standin.calls)
    await http_world.post_form(form)
    await http_world.runner.bot.idle()
    answer = http_world.since(calls, len(http_world.standin.responses))
    [shown] = answer.messages
    assert shown.via == "chat.postMessage" and "∂f/∂y = x^2" in shown.shown_text.replace("`", "")
