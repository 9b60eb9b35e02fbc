from tests.discord.harness import discord_bot, standin  # noqa: F401  (the bot on the loopback Discord)
