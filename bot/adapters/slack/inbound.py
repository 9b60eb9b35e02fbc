"""What Slack sends (a slash command, a button press, a DM or an @-mention) as the core's Message.

Slack escapes ``&``, ``<`` and ``>`` in what users type and wraps mentions and links in ``<…>``;
both are undone here, so the router sees exactly what the learner typed. A DM or mention may name
the command with or without its slash: ``derive x^2 sin x`` and ``/derive x^2 sin x`` are the same.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import ACTION_PREFIX
from bot.core.message import Action, ChannelRef, Message, UserRef

log = logging.getLogger("calcbot.slack")

ADMIN_TTL = 300.0  # seconds a users.info answer is trusted
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_MENTION = re.compile(r"<[@#!][^>]*>")


def unescape(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command_text(text: str, *, bot_user_id: str = "") -> str:
    """A DM's or mention's text as a command line: our mention removed, a leading slash added."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = unescape(text).strip()
    if not text:
        return "/help"
    return text if text.startswith(("/", "!")) else "/" + text


@dataclass(frozen=True)
class Person:
    name: str
    admin: bool


class People:
    """Who a Slack user is (name, and whether a workspace admin or owner), from users.info, cached
    for a few minutes so a burst of commands costs one lookup."""

    def __init__(self, client: AsyncWebClient, *, ttl: float = ADMIN_TTL,
                 clock: Callable[[], float] = time.monotonic):
        self.client, self.ttl, self.clock = client, ttl, clock
        self._known: dict[tuple[str, str], tuple[float, Person]] = {}

    async def lookup(self, team: str, user: str, fallback_name: str = "") -> Person:
        key = (team, user)
        cached = self._known.get(key)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        try:
            found = (await self.client.users_info(user=user))["user"]
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            # not an admin until Slack says so; asked again soon
            reason = error.response.get("error") if isinstance(error, SlackApiError) else repr(error)
            log.warning("users.info for %s in %s failed: %s", user, team, reason)
            person = Person(fallback_name or user, admin=False)
            self._known[key] = (self.clock() + min(self.ttl, 30.0), person)
            return person
        profile = found.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or found.get("name") or fallback_name or user
        person = Person(name, admin=bool(found.get("is_admin") or found.get("is_owner")
                                          or found.get("is_primary_owner")))
        self._known[key] = (self.clock() + self.ttl, person)
        if len(self._known) > 10_000:
            now = self.clock()
            self._known = {k: v for k, v in self._known.items() if v[0] > now}
        return person


def from_command(body: dict[str, Any], person: Person) -> Message:
    name = str(body.get("command", "")).lstrip("/")
    text = unescape(str(body.get("text") or ""))
    return Message(
        user=UserRef("slack", str(body["user_id"]), person.name, admin=person.admin),
        channel=ChannelRef("slack", str(body.get("team_id") or ""), str(body["channel_id"])),
        text=f"/{name} {text}".strip(),
    )


def choice_id(action_id: str) -> str:
    """The core's Choice id from a button's action_id (``calcbot.N.ID``: N keeps ids unique in a message)."""
    return action_id.removeprefix(ACTION_PREFIX).split(".", 1)[-1]


def from_button(body: dict[str, Any], action: dict[str, Any], person: Person) -> Message:
    command = str(action.get("value") or "")
    return Message(
        user=UserRef("slack", str(body["user"]["id"]), person.name, admin=person.admin),
        channel=ChannelRef("slack", team_of(body), channel_of(body)),
        text=command,
        action=Action(id=choice_id(str(action.get("action_id", ""))), payload=command),
    )


def from_event(event: dict[str, Any], team: str, person: Person, *, bot_user_id: str) -> Message:
    return Message(
        user=UserRef("slack", str(event["user"]), person.name, admin=person.admin),
        channel=ChannelRef("slack", team, str(event["channel"])),
        text=command_text(str(event.get("text") or ""), bot_user_id=bot_user_id),
    )


def channel_of(body: dict[str, Any]) -> str:
    """The conversation a button was pressed in (``channel``, or the message's container)."""
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("id") or "")
    return str(body.get("team_id") or team or (body.get("user") or {}).get("team_id") or "")


def is_from_person(event: dict[str, Any]) -> bool:
    """A message a person typed (not a bot's, an edit, a join or other system message)."""
    return bool(event.get("user")) and not event.get("bot_id") and event.get("subtype") in (None, "file_share")


def identity(kind: str, body: dict[str, Any]) -> str | None:
    """What makes a request one user action, the same in every copy Slack (or a load balancer) sends:
    an event's ``event_id``; a command's, button's or form's ``trigger_id`` (a button without one: its
    message, action time and presser). None: nothing to tell copies apart by, so it is answered."""
    if kind == "event":
        found = body.get("event_id")
        return f"slack:event:{found}" if found else None
    trigger = body.get("trigger_id")
    if trigger:
        return f"slack:{kind}:{trigger}"
    if kind == "action":
        actions = body.get("actions") or [{}]
        stamp = actions[0].get("action_ts")
        message_ts = (body.get("container") or {}).get("message_ts")
        user = (body.get("user") or {}).get("id")
        if stamp and user:
            return f"slack:action:{message_ts}:{stamp}:{user}"
    return None
