"""The real calcbot Slack app (bolt, slack_sdk, the core, workers, a SQLite file) wired to the
loopback Slack, and a way to talk to it as Slack would: signed HTTP requests or Socket Mode envelopes.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.adapters.slack.runner import SlackRunner
from bot.core.config import Settings
from tests.conversation.script import Seen
from tests.slack.standin import APP_TOKEN, BOT_TOKEN, BOT_USER, TEAM, Call, SlackStandIn

SIGNING_SECRET = "loopback-signing-secret"
_TRIGGERS = itertools.count()  # each slash command has its own trigger_id, as on Slack


def settings_for(standin: SlackStandIn, tmp_path: Any, **extra: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN,
                    slack_signing_secret=SIGNING_SECRET, slack_api_url=standin.api_url, **extra)


def signed(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None,
           content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """Headers Slack puts on a request: v0 HMAC-SHA256 of ``v0:timestamp:body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}", "Content-Type": content_type}


def slash(text: str, *, user: str, channel: str, response_url: str) -> dict[str, str]:
    command, _, rest = text.partition(" ")
    return {"token": "deprecated", "team_id": TEAM, "team_domain": "loopback", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": command,
            "text": rest.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
            "api_app_id": "A0LOOP", "response_url": response_url, "trigger_id": f"{time.time_ns()}.{next(_TRIGGERS)}.cmd"}


def button(message_blocks: list[dict[str, Any]], label: str, *, user: str, channel: str,
           response_url: str, trigger_id: str | None = None) -> dict[str, Any]:
    """A block_actions payload for pressing the button labelled ``label`` in a message we were sent."""
    for block in message_blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["text"]["text"] == label:
                return {"type": "block_actions", "team": {"id": TEAM, "domain": "loopback"},
                        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
                        "api_app_id": "A0LOOP", "token": "deprecated",
                        "trigger_id": trigger_id or f"{time.time_ns()}.{next(_TRIGGERS)}.btn",
                        "container": {"type": "message", "channel_id": channel, "message_ts": "1.0"},
                        "channel": {"id": channel, "name": "general"}, "response_url": response_url,
                        "actions": [{**element, "block_id": "b1", "action_ts": str(time.time())}]}
    raise AssertionError(f"no {label!r} button in {message_blocks}")


def view_submission(view: dict[str, Any], typed: str | None, *, user: str, trigger_id: str) -> dict[str, Any]:
    """The payload Slack posts when ``user`` submits ``view`` (as views.open returned it) with ``typed``
    in its text box (None: left empty). Shape: docs.slack.dev, interaction payloads, view_submission."""
    values = {}
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            element = block["element"]
            values[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": typed}}
    return {"type": "view_submission", "team": {"id": TEAM, "domain": "loopback"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": "A0LOOP", "token": "deprecated", "trigger_id": trigger_id,
            "view": {**view, "state": {"values": values}}, "response_urls": [],
            "enterprise": None, "is_enterprise_install": False}


def event(inner: dict[str, Any]) -> dict[str, Any]:
    return {"token": "deprecated", "team_id": TEAM, "api_app_id": "A0LOOP", "event": inner,
            "type": "event_callback", "event_id": f"Ev{time.time_ns()}", "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}


@dataclass(frozen=True)
class HttpAck:
    """The app's HTTP answer to one request Slack sent it."""

    status: int
    body: bytes

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


@dataclass
class Shown:
    """One message the app put in front of people."""

    via: str  # "response_url" | "chat.postMessage" | "chat.postEphemeral"
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    ephemeral: bool

    @property
    def shown_text(self) -> str:
        sections = [b["text"]["text"] for b in self.blocks if b.get("type") == "section"]
        return "\n".join(sections) if sections else self.text

    @property
    def buttons(self) -> list[str]:
        return [e["text"]["text"] for b in self.blocks if b.get("type") == "actions" for e in b["elements"]]


@dataclass
class Answer:
    """Everything the app sent for one turn."""

    messages: list[Shown] = field(default_factory=list)
    shares: list[Call] = field(default_factory=list)  # files.completeUploadExternal calls
    ack: Any = None

    @property
    def files(self) -> list[dict[str, Any]]:
        return [f for share in self.shares for f in json.loads(share.params["files"])]

    def seen(self) -> Seen:
        return Seen(text="\n".join(m.shown_text for m in self.messages), images=len(self.files),
                    error=bool(self.messages) and all(m.ephemeral for m in self.messages),
                    buttons=[b for m in self.messages for b in m.buttons])


class SlackWorld:
    def __init__(self, standin: SlackStandIn, runner: SlackRunner, mode: str):
        self.standin, self.runner, self.mode = standin, runner, mode
        self.http = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.http.close()

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.runner.port}/slack/events"

    async def post_form(self, form: dict[str, str], **sign: Any) -> HttpAck:
        body = urlencode(form)
        async with self.http.post(self.events_url, data=body, headers=signed(body, **sign)) as response:
            return HttpAck(response.status, await response.read())

    async def deliver(self, kind: str, payload: dict[str, Any]) -> Any:
        """Hand one request to the app as Slack would in this mode; return its acknowledgement."""
        if self.mode == "socket":
            return await self.standin.envelope(kind, payload)
        if kind == "slash_commands":
            return await self.post_form(payload)
        if kind == "interactive":
            return await self.post_form({"payload": json.dumps(payload)})
        body = json.dumps(payload)
        async with self.http.post(self.events_url, data=body,
                                  headers=signed(body, content_type="application/json")) as response:
            return HttpAck(response.status, await response.read())

    async def turn(self, kind: str, payload: dict[str, Any]) -> Answer:
        calls, responses = len(self.standin.calls), len(self.standin.responses)
        ack = await self.deliver(kind, payload)
        assert self.runner.bot is not None
        await self.runner.bot.idle()
        return self.since(calls, responses, ack)

    async def command(self, text: str, *, user: str = "U0ANA", channel: str = "C0GEN",
                      hook: str | None = None) -> Answer:
        url = self.standin.hook_url(hook)
        return await self.turn("slash_commands", slash(text, user=user, channel=channel, response_url=url))

    async def press(self, answer: Answer, label: str, *, user: str = "U0ANA", channel: str = "C0GEN") -> Answer:
        blocks = next(m.blocks for m in answer.messages if label in m.buttons)
        payload = button(blocks, label, user=user, channel=channel, response_url=self.standin.hook_url(),
                         trigger_id=self.standin.trigger())
        return await self.turn("interactive", payload)

    async def submit(self, view: dict[str, Any], typed: str | None, *, user: str = "U0ANA") -> Answer:
        """Submit a modal the app opened, with ``typed`` in its text box."""
        payload = view_submission(view, typed, user=user, trigger_id=self.standin.trigger())
        return await self.turn("interactive", payload)

    def acked(self, answer: Answer) -> dict[str, Any]:
        """What the app put in its acknowledgement (a view_submission's response_action), in either mode."""
        if self.mode == "socket":
            return dict(answer.ack.get("payload") or {})
        assert answer.ack.status == 200, answer.ack.status
        return dict(answer.ack.json())

    def since(self, calls: int, responses: int, ack: Any = None) -> Answer:
        answer = Answer(ack=ack)
        for response in self.standin.responses[responses:]:
            body = response["body"]
            answer.messages.append(Shown("response_url", "", body.get("text", ""), body.get("blocks") or [],
                                         body.get("response_type") == "ephemeral"))
        for call in self.standin.calls[calls:]:
            if call.method in ("chat.postMessage", "chat.postEphemeral"):
                blocks = call.params.get("blocks") or []
                if isinstance(blocks, str):
                    blocks = json.loads(blocks)
                answer.messages.append(Shown(call.method, str(call.params.get("channel")), call.params.get("text", ""),
                                             blocks, call.method == "chat.postEphemeral"))
            elif call.method == "files.completeUploadExternal":
                answer.shares.append(call)
        return answer
