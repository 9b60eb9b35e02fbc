"""A Reply in Discord's idiom: the working in embeds, the typeset result and figures as attachments,
choices as persistent buttons — always within Discord's limits, never cut off silently.

Limits (developer docs, "Message Resource" and "Embed Limits"): 2000 characters of content, 4096 per
embed description, 6000 across a message's embeds, 10 embeds, 5 buttons a row and 5 rows, 80
characters a label, 100 a custom id, and 10 MiB of files for a bot without boosts. Working longer than
the embeds hold is shown as far as it fits, and attached whole as ``working.md``, with a line saying so.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.adapters.discord.buttons import ChoiceButton, custom_id
from bot.adapters.discord.forms import FormButton, button_custom_id
from bot.core.reply import Choice, Reply

log = logging.getLogger("calcbot.discord")

MAX_CONTENT = 2000
MAX_DESCRIPTION = 4096
MAX_EMBEDS_TOTAL = 6000
MAX_EMBEDS = 10
MAX_FILES_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
MAX_BUTTONS = 25
MAX_LABEL = 80
MAX_ALT_TEXT = 1024  # an attachment's description (its alt text)
SHOWN_BEFORE_ATTACHING = 3500  # when the working goes to a file, this much stays readable in the embed

ANSWER_COLOUR = discord.Colour(0x5865F2)
ERROR_COLOUR = discord.Colour(0xED4245)

FORMULA_NAME = "result.png"
WORKING_NAME = "working.md"

Typeset = Callable[[str], Awaitable["bytes | None"]]


@dataclass
class Rendered:
    """What one message carries; ``kwargs`` feeds discord.py's send and edit calls."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    buttons: list[ChoiceButton | FormButton] = field(default_factory=list)
    ephemeral: bool = False
    descriptions: dict[str, str] = field(default_factory=dict)  # file name -> alt text (screen readers)

    def discord_files(self) -> list[discord.File]:
        return [discord.File(io.BytesIO(data), filename=name, description=self.descriptions.get(name))
                for name, data in self.files]

    def view(self) -> discord.ui.View | None:
        if not self.buttons:
            return None
        view = discord.ui.View(timeout=None)
        for button in self.buttons:
            view.add_item(button)
        return view

    def send_kwargs(self) -> dict[str, Any]:
        """For ``InteractionResponse.send_message``, followups and ``Messageable.send``."""
        found: dict[str, Any] = {"content": self.content, "embeds": self.embeds, "files": self.discord_files()}
        view = self.view()
        if view is not None:
            found["view"] = view
        return found

    def edit_kwargs(self) -> dict[str, Any]:
        """For ``Interaction.edit_original_response`` (files become the message's attachments)."""
        view = self.view()
        return {"content": self.content, "embeds": self.embeds, "attachments": self.discord_files(),
                "view": view}


def split_working(text: str, limit: int = MAX_DESCRIPTION) -> list[str]:
    """Split at line breaks into pieces of at most ``limit`` characters (a longer line at spaces)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _working_embeds(text: str, colour: discord.Colour) -> tuple[list[discord.Embed], bytes | None]:
    """Embeds holding ``text``; when it does not fit, the first part and the whole as a file."""
    pieces = split_working(text)
    if len(text) <= MAX_EMBEDS_TOTAL - 100 and len(pieces) <= MAX_EMBEDS - 1:
        return [discord.Embed(description=p, colour=colour) for p in pieces if p.strip()], None
    shown = split_working(text, SHOWN_BEFORE_ATTACHING)[0]
    rest = text.count("\n") - shown.count("\n")
    note = (f"\n\n📎 *The working continues in `{WORKING_NAME}` (attached): {text.count(chr(10)) + 1} lines "
            f"in all, {rest} more after this.*")
    return [discord.Embed(description=shown + note, colour=colour)], text.encode("utf-8")


def _buttons(reply: Reply) -> tuple[list[ChoiceButton | FormButton], list[str]]:
    """Buttons for the choices; a choice Discord cannot carry is offered as a command to type."""
    buttons: list[ChoiceButton | FormButton] = []
    typed: list[str] = []
    for choice in reply.choices:
        if len(buttons) >= MAX_BUTTONS or not _fits(choice):
            typed.append(f"→ `{choice.command}`" + (f" — {choice.form}" if choice.form else ""))
            continue
        label = choice.label if len(choice.label) <= MAX_LABEL else choice.label[: MAX_LABEL - 1] + "…"
        if choice.form is not None:
            buttons.append(FormButton(choice.id, choice.command, choice.form, label=label))
        else:
            buttons.append(ChoiceButton(choice.id, choice.command, label=label))
    return buttons, typed


def _fits(choice: Choice) -> bool:
    if choice.form is not None:
        return button_custom_id(choice.id, choice.command, choice.form) is not None
    return custom_id(choice.id, choice.command) is not None


async def render(reply: Reply, typeset: Typeset | None = None) -> Rendered:
    """``reply`` as one Discord message. ``typeset`` turns the reply's LaTeX into a PNG (or None)."""
    rendered = Rendered(ephemeral=reply.private or reply.error is not None)
    if reply.error is not None:
        text = reply.text or f"⚠️ {reply.error.message}"
        if len(text) <= MAX_CONTENT:
            rendered.content = text
            return rendered
        rendered.embeds, attached = _working_embeds(text, ERROR_COLOUR)
        if attached is not None:
            rendered.files.append((WORKING_NAME, attached))
        return rendered
    buttons, typed = _buttons(reply)
    text = reply.text
    if typed:
        text += "\n" + "\n".join(typed)
    if text.strip():
        rendered.embeds, attached = _working_embeds(text, ANSWER_COLOUR)
        if attached is not None:
            rendered.files.append((WORKING_NAME, attached))
    rendered.buttons = buttons
    formula = await typeset(reply.latex) if typeset is not None and reply.latex else None
    if formula is not None:
        if not rendered.embeds:
            rendered.embeds.append(discord.Embed(colour=ANSWER_COLOUR))
        rendered.embeds[-1].set_image(url=f"attachment://{FORMULA_NAME}")
        rendered.files.append((FORMULA_NAME, formula))
    _attach_figures(rendered, reply)
    if not rendered.embeds and not rendered.files and not rendered.buttons:
        rendered.content = "✓"  # Discord refuses an empty message; a reply with nothing to show is done
    return rendered


def _attach_figures(rendered: Rendered, reply: Reply) -> None:
    """The reply's figures, then its other files (a CSV export), as attachments within the limits."""
    used = sum(len(data) for _, data in rendered.files)
    names = {name for name, _ in rendered.files}
    left_out: list[str] = []
    attachments = [(image.name, image.png, image.alt or image.name) for image in reply.images]
    attachments += [(file.name, file.data, file.name) for file in reply.files]
    for wanted, data, described in attachments:
        name = _unique(wanted, names)
        if len(rendered.files) >= MAX_FILES or used + len(data) > MAX_FILES_BYTES:
            left_out.append(described)
            continue
        rendered.files.append((name, data))
        if described != wanted and described:
            rendered.descriptions[name] = described[:MAX_ALT_TEXT]
        names.add(name)
        used += len(data)
    if left_out:
        note = "📎 Not attached (over Discord's file limits): " + ", ".join(left_out)
        log.warning("attachments left out of a reply: %s", ", ".join(left_out))
        rendered.embeds.append(discord.Embed(description=note[:MAX_DESCRIPTION], colour=ANSWER_COLOUR))


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, "png"
    candidate, number = f"{stem}.{ext}", 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}.{ext}", number + 1
    return candidate
