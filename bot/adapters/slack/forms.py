"""A Choice with a form, on Slack: a button that opens a modal with one multi-line text box, and
the modal's submission as the core's Message (the command, a new line, then what was typed).

Everything the modal needs travels on the button itself (the action_id says it is a form, the value
holds the command and the prompt), so a form button on a message sent before a restart still opens
its form. The modal's ``private_metadata`` carries what answering needs (the command, the choice id,
the conversation and the press's response_url), because a view_submission says none of that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.blocks import FORM_PREFIX
from bot.adapters.slack.outbound import Where
from bot.core.message import Action, ChannelRef, Message, UserRef

CALLBACK_ID = "calcbot.form"  # the modal's callback_id; the view_submission listener matches on it
INPUT_BLOCK = "working"
INPUT_ACTION = "text"
MAX_TITLE = 24  # modal title, submit and close labels
MAX_LABEL = 2000  # an input block's label
MAX_INPUT = 3000  # a plain_text_input's max_length
MAX_METADATA = 3000
EMPTY = "Type your working first: one step per line."


@dataclass(frozen=True)
class FormButton:
    """What a pressed form button says: the choice, its command and its prompt."""

    choice_id: str
    command: str
    prompt: str


def read_button(action: dict[str, Any]) -> FormButton:
    command, _, prompt = str(action.get("value") or "").partition("\n")
    choice_id = str(action.get("action_id", "")).removeprefix(FORM_PREFIX).split(".", 1)[-1]
    return FormButton(choice_id, command, prompt)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def modal(button: FormButton, title: str, where: Where) -> dict[str, Any]:
    """The view for views.open: titled with the button's label, the prompt as the input's label."""
    metadata = json.dumps({"command": button.command, "choice": button.choice_id, "team": where.team,
                           "channel": where.channel, "thread_ts": where.thread_ts,
                           "response_url": where.response_url}, separators=(",", ":"))
    if len(metadata) > MAX_METADATA:  # a long response_url is the one thing we can do without
        metadata = json.dumps({**json.loads(metadata), "response_url": None}, separators=(",", ":"))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": _clip(title, MAX_TITLE), "emoji": True},
        "submit": {"type": "plain_text", "text": "Send", "emoji": True},
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "private_metadata": metadata,
        "blocks": [{
            "type": "input",
            "block_id": INPUT_BLOCK,
            "label": {"type": "plain_text", "text": _clip(button.prompt or title, MAX_LABEL), "emoji": True},
            "element": {"type": "plain_text_input", "action_id": INPUT_ACTION, "multiline": True,
                        "max_length": MAX_INPUT, "focus_on_load": True},
        }],
    }


@dataclass(frozen=True)
class Submission:
    where: Where
    command: str
    choice_id: str
    typed: str  # what the learner wrote, surrounding blank lines removed


def read_submission(body: dict[str, Any]) -> Submission:
    view = body.get("view") or {}
    meta = json.loads(view.get("private_metadata") or "{}")
    values = ((view.get("state") or {}).get("values") or {}).get(INPUT_BLOCK) or {}
    typed = str((values.get(INPUT_ACTION) or {}).get("value") or "").strip()
    user = body.get("user") or {}
    team = str(meta.get("team") or (body.get("team") or {}).get("id") or user.get("team_id") or "")
    where = Where(team=team, channel=str(meta.get("channel") or ""), user=str(user.get("id") or ""),
                  response_url=meta.get("response_url"), thread_ts=meta.get("thread_ts"),
                  context=f"form {str(meta.get('command') or '')[:60]}")
    return Submission(where, str(meta.get("command") or ""), str(meta.get("choice") or ""), typed)


def to_message(submission: Submission, name: str, *, admin: bool) -> Message:
    """The one Message a submitted form sends: the command, a new line, then the working."""
    text = f"{submission.command}\n{submission.typed}"
    where = submission.where
    return Message(user=UserRef("slack", where.user, name, admin=admin),
                   channel=ChannelRef("slack", where.team, where.channel),
                   text=text, action=Action(id=submission.choice_id, payload=text))
