"""The shared conversation through the real discord.py bot on the loopback Discord: the same answers."""

from __future__ import annotations

from tests.conversation.script import SCRIPT, check
from tests.discord.harness import discord_bot, shown, standin  # noqa: F401  (the bot on the loopback Discord)

DISCORD_ACK_LIMIT = 3.0  # seconds Discord gives a bot to acknowledge an interaction


async def test_the_conversation_on_discord(discord_bot):  # noqa: F811
    for turn in SCRIPT:
        name, _, rest = turn.say.strip().lstrip("/").partition(" ")
        declared = discord_bot.bot.app.registry.get(name)
        options = {declared.main.name: rest} if declared.main is not None and rest.strip() else {}
        interaction = await discord_bot.standin.slash(declared.name, options)
        answer = await discord_bot.answer(interaction)
        check(turn, shown(answer))
        assert discord_bot.standin.acknowledged_after(interaction) < DISCORD_ACK_LIMIT, turn.say
