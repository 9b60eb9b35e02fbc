"""A Reply as Slack messages: Block Kit within Slack's limits, a plain-text fallback on each.

Slack allows 50 blocks per message, 3000 characters per section text and 40,000 for the top-level
``text``. A long working is split at line boundaries (code blocks closed and reopened across the
cut) into as many sections and messages as it needs, each numbered, so nothing is cut off silently.
The reply's choices become buttons whose value is the command the button sends; a choice with a
form says so in its action_id and carries its prompt after the command (see forms.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.slack.mrkdwn import to_mrkdwn, to_plain
from bot.core.reply import Choice, Reply

log = logging.getLogger("calcbot.slack")

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_TEXT = 40_000
MAX_BUTTONS_PER_ACTIONS = 25
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
ACTION_PREFIX = "calcbot."  # every button of ours; the listener matches on it
FORM_PREFIX = ACTION_PREFIX + "form."  # a button that opens a form (its value: command, new line, prompt)
# leave room in each message for a part marker and the buttons
_SECTIONS_PER_MESSAGE = MAX_BLOCKS - 1 - 4
_CHARS_PER_MESSAGE = MAX_TEXT - 1000


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the plain-text fallback
    blocks: list[dict[str, Any]] = field(default_factory=list)


def render(reply: Reply) -> list[SlackMessage]:
    """The messages that show ``reply`` (usually one), buttons on the last."""
    sections = split_text(to_mrkdwn(reply.text).strip() or " ", MAX_SECTION_TEXT)
    groups: list[list[str]] = [[]]
    size = 0
    for section in sections:
        if groups[-1] and (len(groups[-1]) >= _SECTIONS_PER_MESSAGE or size + len(section) > _CHARS_PER_MESSAGE):
            groups.append([])
            size = 0
        groups[-1].append(section)
        size += len(section)
    messages = []
    for n, group in enumerate(groups, start=1):
        blocks: list[dict[str, Any]] = [_section(text) for text in group]
        fallback = "\n".join(to_plain(text) for text in group)
        if len(groups) > 1:
            marker = f"part {n} of {len(groups)}" + (" — continued below" if n < len(groups) else "")
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"_({marker})_"}]})
            fallback = f"({n}/{len(groups)}) {fallback}"
        if n == len(groups):
            blocks += button_blocks(reply.choices)
        messages.append(SlackMessage(text=fallback[:MAX_TEXT], blocks=blocks))
    return messages


def button_blocks(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    """Actions blocks of buttons (25 to a block); pressing one sends its command."""
    buttons = []
    for n, choice in enumerate(choices):
        label = choice.label if len(choice.label) <= MAX_BUTTON_LABEL else choice.label[: MAX_BUTTON_LABEL - 1] + "…"
        if len(choice.command) > MAX_BUTTON_VALUE:  # Slack would refuse the whole message
            log.warning("slack: button %r left off: its command is over %d characters", choice.id, MAX_BUTTON_VALUE)
            continue
        prefix, value = ACTION_PREFIX, choice.command
        if choice.form is not None:  # the prompt rides along (cut to fit), so the form opens after a restart
            prefix, value = FORM_PREFIX, f"{choice.command}\n{choice.form}"[:MAX_BUTTON_VALUE]
        buttons.append({
            "type": "button",
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "action_id": f"{prefix}{n}.{choice.id}"[:MAX_ACTION_ID],
            "value": value,
        })
    return [{"type": "actions", "elements": buttons[i:i + MAX_BUTTONS_PER_ACTIONS]}
            for i in range(0, len(buttons), MAX_BUTTONS_PER_ACTIONS)]


def split_text(text: str, limit: int) -> list[str]:
    """Cut mrkdwn into pieces of at most ``limit`` characters at line ends, never inside a code
    block without closing it there and reopening it in the next piece."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    in_code = False
    fence = len("\n```")
    for line in _short_lines(text.split("\n"), limit - 2 * fence):
        room = limit - (fence if in_code else 0)
        if current and size + len(line) + 1 > room:
            if in_code:
                current.append("```")
            pieces.append("\n".join(current))
            current, size = (["```"], 4) if in_code else ([], 0)
        current.append(line)
        size += len(line) + 1
        if line.strip() == "```":
            in_code = not in_code
    if current and any(line.strip() for line in current):
        pieces.append("\n".join(current))
    return pieces or [" "]


def _short_lines(lines: list[str], limit: int) -> list[str]:
    """Lines longer than ``limit`` wrapped at a space where there is one (else hard) — not dropped."""
    out = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit)
            cut = cut if cut > 0 else limit
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    return out


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
