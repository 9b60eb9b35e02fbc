"""Reply choices as persistent buttons: the custom id carries the choice, so any process decodes it.

A button's custom id is ``calcbot:ID:COMMAND`` (the choice's id and the command it sends), at most
100 characters as Discord requires. Nothing about the button lives in memory, so a button pressed
after the bot restarted — or on a message another shard's process sent — works the same; whether its
question is still open is the core's to say when the command runs.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

MAX_CUSTOM_ID = 100
PREFIX = "calcbot"
ID_PATTERN = r"[A-Za-z0-9_.-]{1,24}"
TEMPLATE = rf"{PREFIX}:(?P<id>{ID_PATTERN}):(?P<command>/.+)"


@runtime_checkable
class Presses(Protocol):
    """What answers a press: the client the button's interaction arrived on (kept abstract, so this
    module sits below the client and never imports it)."""

    async def press(self, interaction: discord.Interaction[Any], choice_id: str, command: str) -> None: ...


def custom_id(choice_id: str, command: str) -> str | None:
    """The button's custom id, or None when the choice does not fit in one."""
    found = f"{PREFIX}:{choice_id}:{command}"
    if len(found) > MAX_CUSTOM_ID or not re.fullmatch(TEMPLATE, found, re.DOTALL):
        return None
    return found


class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """A choice's button; pressing it sends the choice's command as the presser."""

    def __init__(self, choice_id: str, command: str, *, label: str | None = None) -> None:
        found = custom_id(choice_id, command)
        if found is None:
            raise ValueError(f"choice {choice_id!r} does not fit in a custom id")
        super().__init__(discord.ui.Button(label=label or choice_id, custom_id=found,
                                           style=discord.ButtonStyle.secondary))
        self.choice_id = choice_id
        self.command = command

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> ChoiceButton:
        label = getattr(item, "label", None)
        return cls(match["id"], match["command"], label=label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if not isinstance(client, Presses):
            raise TypeError(f"a calcbot button pressed on a client that cannot answer it: {type(client).__name__}")
        await client.press(interaction, self.choice_id, self.command)
