"""Socket Mode: apps.connections.open on the Web API base, the loopback websocket, acks, reconnects."""

from __future__ import annotations

import asyncio

from slack_sdk.socket_mode.aiohttp import SocketModeClient

from tests.slack.standin import APP_TOKEN, BOT_USER
from tests.slack.world import event, slash


async def test_start_checks_both_tokens_on_the_api_base_then_connects(socket_world):
    standin = socket_world.standin
    methods = [c.method for c in standin.calls]
    assert methods[:2] == ["auth.test", "apps.connections.open"]
    assert standin.called("apps.connections.open")[0].token == APP_TOKEN
    assert len(standin.sockets) == 1 and standin.connections_opened == 1


async def test_a_slash_command_envelope_is_acked_then_answered(socket_world):
    answer = await socket_world.command("/partial x^2 y wrt y")
    assert answer.ack["envelope_id"].startswith("env-")
    assert "∂f/∂y = x^2" in answer.seen().text.replace("`", "")


async def test_a_direct_message_and_a_mention_run_the_same_commands(socket_world):
    dm = await socket_world.turn("events_api", event({
        "type": "message", "channel_type": "im", "channel": "D0ANA", "user": "U0ANA",
        "text": "derive x^2 sin x", "ts": "1.1"}))
    [shown] = dm.messages
    assert shown.via == "chat.postMessage" and shown.channel == "D0ANA"
    assert "x^2*cos(x) + 2*x*sin(x)" in shown.shown_text
    mention = await socket_world.turn("events_api", event({
        "type": "app_mention", "channel": "C0GEN", "user": "U0BEN", "ts": "2.2",
        "text": f"<@{BOT_USER}> /partial x^2 y wrt y"}))
    assert mention.messages[0].channel == "C0GEN"
    assert "∂f/∂y = x^2" in mention.seen().text.replace("`", "")


async def test_the_apps_own_messages_are_not_answered(socket_world):
    quiet = await socket_world.turn("events_api", event({
        "type": "message", "channel_type": "im", "channel": "D0ANA", "user": BOT_USER, "bot_id": "B0BOT",
        "text": "derive x", "ts": "3.3"}))
    assert quiet.messages == []


async def test_after_slack_asks_for_a_reconnect_the_app_takes_a_fresh_url_and_keeps_answering(socket_world):
    standin = socket_world.standin
    await standin.ask_to_reconnect()
    for _ in range(300):  # a fresh URL from apps.connections.open, and a second websocket on it
        if standin.connections_opened == 2 and len(standin.sockets) == 2:
            break
        await asyncio.sleep(0.02)
    assert standin.connections_opened == 2 and len(standin.sockets) == 2
    assert standin.called("apps.connections.open")[-1].token == APP_TOKEN
    for _ in range(300):  # the old one is given up
        if standin.sockets[0].closed:
            break
        await asyncio.sleep(0.02)
    assert standin.sockets[0].closed and not standin.sockets[1].closed
    answer = await socket_world.turn("slash_commands", slash(
        "/partial x^2 y wrt y", user="U0ANA", channel="C0GEN", response_url=standin.hook_url()))
    assert "∂f/∂y = x^2" in answer.seen().text.replace("`", "")


async def test_a_dropped_connection_is_logged_and_reopened(socket_world, caplog):
    import logging

    standin = socket_world.standin
    with caplog.at_level(logging.INFO, logger="slack_bolt.AsyncApp"):
        await standin.drop_connection()
        for _ in range(400):
            if standin.connections_opened == 2 and len(standin.sockets) == 2:
                break
            await asyncio.sleep(0.02)
    assert standin.connections_opened == 2 and not standin.sockets[-1].closed
    assert any("Reconnecting" in r.getMessage() for r in caplog.records)
    answer = await socket_world.command("/partial x^2 y wrt y")
    assert "∂f/∂y = x^2" in answer.seen().text.replace("`", "")


async def test_every_client_the_app_holds_points_at_the_configured_api_base(socket_world):
    bot, base = socket_world.runner.bot, socket_world.standin.api_url
    socket_client = socket_world.runner._socket.client
    assert isinstance(socket_client, SocketModeClient)  # slack_sdk's aiohttp client, as bolt drives it
    clients = [bot.client, bot.bolt.client, bot.outbox.client, bot.people.client, bot.delivery.client,
               socket_client.web_client]
    assert {c.base_url for c in clients} == {base}
    assert all(c.token for c in clients[:-1])
