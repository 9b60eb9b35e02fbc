"""Reply choices that open a form: a button whose press answers with a modal, and the modal's submission.

Both custom ids carry everything needed, so a form button pressed after a restart, or a modal opened
by one process and submitted to another, works the same. The button's custom id is
``calcbot-form:ID:N:PROMPTCOMMAND`` — the choice's id, the length of the prompt shown, that prompt
(cut to what fits), then the command; the modal's custom id is
``calcbot-form:ID:COMMAND``. The modal is never kept in memory: its submission is routed by custom id
(the client's ``on_interaction``), not by discord.py's modal store, which forgets at a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import discord

from bot.core.commands import MAX_ARGUMENT_LENGTH

MAX_CUSTOM_ID = 100
MAX_TITLE = 45  # a modal's title (developer docs, "Modal" interaction response)
MAX_INPUT_LABEL = 45  # a text input's label
MAX_PLACEHOLDER = 100
MAX_INPUT_VALUE = 4000
SHORTEST_PROMPT = 8  # below this the prompt says nothing, and the choice is offered as a command to type
PREFIX = "calcbot-form"
ID_PATTERN = r"[A-Za-z0-9_.-]{1,24}"
BUTTON_TEMPLATE = rf"{PREFIX}:(?P<id>{ID_PATTERN}):(?P<size>[0-9]{{1,2}}):(?P<rest>.+)"
MODAL_PATTERN = re.compile(rf"{PREFIX}:(?P<id>{ID_PATTERN}):(?P<command>/.+)", re.DOTALL)
INPUT_ID = "working"


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit``: cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:(") + "…"


def input_label(prompt: str) -> str:
    """The prompt as a text input's label: a long one ends at its last clause that fits, if that says enough."""
    prompt = " ".join(prompt.split())
    if len(prompt) <= MAX_INPUT_LABEL:
        return prompt
    cut = max(prompt.rfind(mark, 0, MAX_INPUT_LABEL) for mark in (" (", "; ", ", ", " — "))
    return prompt[:cut] if cut >= MAX_INPUT_LABEL // 2 else shorten(prompt, MAX_INPUT_LABEL)


def modal_custom_id(choice_id: str, command: str) -> str | None:
    found = f"{PREFIX}:{choice_id}:{command}"
    if len(found) > MAX_CUSTOM_ID or not MODAL_PATTERN.fullmatch(found):
        return None
    return found


def button_custom_id(choice_id: str, command: str, prompt: str) -> str | None:
    """The form button's custom id, or None when the choice (with a readable prompt) does not fit."""
    if modal_custom_id(choice_id, command) is None:
        return None
    head = f"{PREFIX}:{choice_id}:"
    room = MAX_CUSTOM_ID - len(head) - len(command) - 3  # the prompt's length: two digits (room < 100) and ':'
    prompt = " ".join(prompt.split())
    if not prompt or room < min(SHORTEST_PROMPT, len(prompt)):
        return None
    shown = shorten(prompt, min(MAX_PLACEHOLDER, room))
    return f"{head}{len(shown)}:{shown}{command}"


@dataclass(frozen=True, slots=True)
class Form:
    """What a form button carries: the choice, its command, and the prompt over the text box."""

    choice_id: str
    command: str
    prompt: str


def form_of(custom_id: str) -> Form | None:
    match = re.fullmatch(BUTTON_TEMPLATE, custom_id, re.DOTALL)
    if match is None:
        return None
    size, rest = int(match["size"]), match["rest"]
    prompt, command = rest[:size], rest[size:]
    if not prompt or not command.startswith("/"):
        return None
    return Form(match["id"], command, prompt)


@runtime_checkable
class OpensForms(Protocol):
    """What opens a form: the client the press arrived on (abstract, so this module never imports it)."""

    async def open_form(self, interaction: discord.Interaction[Any], form: Form, title: str) -> None: ...


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    """A choice's form button; pressing it opens the form (nothing is sent until it is submitted)."""

    def __init__(self, choice_id: str, command: str, prompt: str, *, label: str | None = None) -> None:
        found = button_custom_id(choice_id, command, prompt)
        if found is None:
            raise ValueError(f"form choice {choice_id!r} does not fit in a custom id")
        super().__init__(discord.ui.Button(label=label or choice_id, custom_id=found,
                                           style=discord.ButtonStyle.secondary))
        form = form_of(found)
        assert form is not None
        self.form = form
        self.title = label or choice_id  # the form is titled with the button's label

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> FormButton:
        form = form_of(match.string)
        if form is None:
            raise ValueError(f"not a form button: {match.string!r}")
        return cls(form.choice_id, form.command, form.prompt, label=getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if not isinstance(client, OpensForms):
            raise TypeError(f"a calcbot form button pressed on a client that cannot open it: {type(client).__name__}")
        await client.open_form(interaction, self.form, self.title)


def working_modal(form: Form, title: str) -> discord.ui.Modal:
    """The form as a modal: one paragraph text box under the prompt (the whole of it as the placeholder
    when the label had to be cut), as long as the command's argument may still grow."""
    found = modal_custom_id(form.choice_id, form.command)
    assert found is not None  # the button's custom id held it
    modal = discord.ui.Modal(title=shorten(title, MAX_TITLE), custom_id=found)
    room = MAX_ARGUMENT_LENGTH - len(form.command)
    modal.add_item(discord.ui.TextInput(
        label=input_label(form.prompt), style=discord.TextStyle.paragraph, custom_id=INPUT_ID,
        placeholder=form.prompt if input_label(form.prompt) != form.prompt else None, required=True, min_length=1,
        max_length=max(1, min(MAX_INPUT_VALUE, room))))
    modal.stop()  # answered by custom id in on_interaction, so discord.py need not keep it
    return modal


@dataclass(frozen=True, slots=True)
class Submitted:
    choice_id: str
    command: str
    typed: str


def submitted(data: dict[str, Any]) -> Submitted | None:
    """A MODAL_SUBMIT's data, if it is one of our forms: the choice, its command and what was typed."""
    match = MODAL_PATTERN.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return None
    values = [component.get("value") or "" for component in _inputs(data.get("components") or [])
              if component.get("custom_id") == INPUT_ID]
    return Submitted(match["id"], match["command"], "\n".join(values))


def _inputs(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text inputs in a submission: in action rows (type 1) or labels (type 18)."""
    found: list[dict[str, Any]] = []
    for component in components:
        if component.get("type") == 1:
            found += _inputs(component.get("components") or [])
        elif component.get("type") == 18 and isinstance(component.get("component"), dict):
            found += _inputs([component["component"]])
        else:
            found.append(component)
    return found
