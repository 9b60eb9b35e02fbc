"""The gateway: found through the API base, shards split across processes, sessions resumed."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from bot.adapters.discord.runner import ConfigurationError, run_discord
from tests.conversation.script import plain
from tests.discord.harness import bot_settings, running_bot, shown


async def test_a_process_runs_only_its_shards_on_the_gateway_the_api_names(standin, tmp_path, worker_pool):
    # With a shard count set, discord.py would go straight to its built-in gateway; it must not.
    async with running_bot(standin, tmp_path, worker_pool, shard_count=2, shard_ids="1") as harness:
        assert [i["shard"] for i in standin.identifies] == [[1, 2]]
        assert any(c.path == "/api/v10/gateway/bot" for c in standin.calls)
        assert not [c for c in standin.calls if c.method == "PUT"]  # the shard-0 process syncs, once for all
        answer = await harness.answer(await standin.slash("partial", {"expr": "x^2 y", "wrt": "y"}, shard=1))
        assert "∂f/∂y = x^2" in plain(shown(answer).text)


async def test_the_bot_asks_for_no_privileged_intent(discord_bot):
    privileged = (1 << 1) | (1 << 8) | (1 << 15)  # GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT
    assert discord_bot.standin.identifies[0]["intents"] & privileged == 0


async def test_after_a_gateway_reconnect_the_session_resumes_and_answers_continue(discord_bot):
    standin = discord_bot.standin
    session = standin.sockets[0].session_id
    await standin.ask_to_reconnect()
    resumed = await standin.wait_for(lambda: standin.resumes)
    assert resumed[0]["session_id"] == session and resumed[0]["seq"] >= 2  # READY and GUILD_CREATE were seen
    assert len(standin.identifies) == 1  # resumed, not identified again
    answer = await discord_bot.say("/partial x^2 y wrt x")
    assert "∂f/∂x = 2*x*y" in plain(shown(answer).text)


async def test_a_token_discord_refuses_stops_the_bot_with_a_message_naming_it(standin, tmp_path):
    settings = bot_settings(standin, tmp_path, workers=1, database_url=f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    settings.discord_token = SecretStr("not-the-token")
    with pytest.raises(ConfigurationError, match="DISCORD_TOKEN"):
        await asyncio.wait_for(run_discord(settings), 60)
    assert [c.path for c in standin.calls] == ["/api/v10/users/@me"]  # refused at login, nothing else tried
