"""A loopback stand-in for Discord: the REST routes calcbot uses and a gateway websocket, on 127.0.0.1.

Shaped from Discord's developer documentation (Gateway, Interactions, Receiving and Responding,
Message and Application Command resources) and from what discord.py 2.7 reads and sends: it asks
``GET /gateway/bot``, connects with ``compress=zlib-stream`` (so every gateway frame here is one
zlib stream, flushed with Z_SYNC_FLUSH), sends IDENTIFY after HELLO, heartbeats, and RESUMEs after a
dropped connection. Every request is recorded, so tests assert on what the bot sent. Faults are
switches: a 429 before the next call of a route, a channel the bot may not post in, a deleted one, a
sync Discord refuses.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.discord.gateway import GatewaySession
from tests.discord.payloads import (  # noqa: F401  (tests import the ids and limits from here)
    ADMINISTRATOR,
    APP_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_CHANNELS,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    TOKEN,
    channel_object,
    guild_object,
    now_iso,
    snowflake,
    user_object,
)
from tests.discord.payloads import json_response as _json


@dataclass
class Call:
    """One REST request as the bot made it: JSON body (or multipart's payload_json) and files."""

    method: str
    path: str
    json: Any
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = 0.0


@dataclass
class Posted:
    """A message the bot made visible: an interaction response, edit, follow-up or channel message."""

    via: str  # "callback" | "edit" | "followup" | "channel"
    interaction: str | None
    channel_id: str
    body: dict[str, Any]
    files: dict[str, bytes]
    message: dict[str, Any]
    at: float

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.body.get("flags") or 0) & EPHEMERAL)


@dataclass
class OpenedModal:
    """A modal the bot answered an interaction with (callback type 9): what the learner now sees."""

    interaction: dict[str, Any]  # the press that opened it
    data: dict[str, Any]  # custom_id, title, components
    at: float

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [c for row in self.data.get("components", []) for c in row.get("components", [])]


def modal_problems(data: dict[str, Any]) -> list[str]:
    """What Discord's "Modal" response rules refuse: a title and custom id, 1-5 rows of one text input."""
    problems = []
    if not 1 <= len(str(data.get("title", ""))) <= 45:
        problems.append("title must be 1-45 characters")
    if not 1 <= len(str(data.get("custom_id", ""))) <= 100:
        problems.append("custom_id must be 1-100 characters")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append("a modal has 1-5 components")
    for row in rows:
        inputs = row.get("components") or []
        if row.get("type") != 1 or len(inputs) != 1:
            problems.append("each row is an action row (type 1) of one text input")
            continue
        text = inputs[0]
        if text.get("type") != 4 or text.get("style") not in (1, 2) or not text.get("custom_id"):
            problems.append("a text input is type 4, style 1 or 2, with a custom_id")
        if not 1 <= len(str(text.get("label", ""))) <= 45:
            problems.append("a text input's label must be 1-45 characters")
        if len(str(text.get("placeholder") or "")) > 100:
            problems.append("a placeholder is at most 100 characters")
        if not 1 <= int(text.get("max_length", 4000)) <= 4000:
            problems.append("max_length must be 1-4000")
    return problems


class DiscordStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.modals: list[OpenedModal] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.session_shards: dict[str, int] = {}  # gateway session id -> its shard, for RESUME
        self.heartbeats = 0
        self.synced: list[dict[str, Any]] | None = None
        self.refuse_sync: dict[str, Any] | None = None
        self.rate_limit_next: dict[str, int] = {}  # route prefix -> how many 429s to answer first
        self.refuse_next: dict[str, int] = {}  # route prefix -> how many 400 Invalid Form Body to answer
        self.expire_next = 0  # how many interaction callbacks to refuse as expired (10062)
        self.forbidden_channels: set[str] = set()
        self.deleted_channels: set[str] = set()
        self.sockets: list[GatewaySession] = []
        self.interactions: dict[str, dict[str, Any]] = {}  # interaction id -> its payload (token, channel)
        self.dispatched_at: dict[str, float] = {}  # interaction id -> when the gateway sent it
        self.originals: dict[str, dict[str, Any]] = {}  # interaction token -> its original response message
        self.changed = asyncio.Event()
        self._loop_time = asyncio.get_running_loop().time
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- the server -----------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def start(self) -> DiscordStandIn:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._authorised])
        api = "/api/v10"
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get(f"{api}/users/@me", self._me)
        app.router.add_get(f"{api}/oauth2/applications/@me", self._application)
        app.router.add_get(f"{api}/gateway/bot", self._gateway_bot)
        app.router.add_put(f"{api}/applications/{{app}}/commands", self._sync)
        app.router.add_put(f"{api}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        app.router.add_post(f"{api}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_patch(f"{api}/webhooks/{{app}}/{{token}}/messages/@original", self._edit_original)
        app.router.add_delete(f"{api}/webhooks/{{app}}/{{token}}/messages/@original", self._delete_original)
        app.router.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        app.router.add_post(f"{api}/channels/{{channel}}/messages", self._channel_message)
        app.router.add_post(f"{api}/users/@me/channels", self._open_dm)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for session in list(self.sockets):
            await session.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests wait for ---------------------------------------------------------------------

    async def wait_for(self, predicate: Any, timeout: float = 30.0) -> Any:
        """Wait until ``predicate()`` returns something truthy; return it."""
        deadline = self._loop_time() + timeout
        while True:
            found = predicate()
            if found:
                return found
            remaining = deadline - self._loop_time()
            if remaining <= 0:
                raise TimeoutError(f"stand-in: condition not met in {timeout} s")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass

    async def ready(self, timeout: float = 30.0) -> GatewaySession:
        return await self.wait_for(lambda: next((s for s in self.sockets if s.ready), None), timeout)

    def _touch(self) -> None:
        self.changed.set()

    # -- REST ------------------------------------------------------------------------------------

    async def _read(self, request: web.Request) -> Call:
        files: dict[str, bytes] = {}
        body: Any = None
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            for name, value in form.items():
                if name == "payload_json":
                    body = json.loads(str(value))
                elif hasattr(value, "file"):
                    files[value.filename] = value.file.read()  # type: ignore[union-attr]
        elif request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        call = Call(request.method, request.path, body, files, self._loop_time())
        self.calls.append(call)
        self._touch()
        return call

    @web.middleware
    async def _authorised(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """The bot token on every bot route; interaction callbacks and webhooks carry their own token."""
        bot_route = not request.path.startswith(("/api/v10/interactions/", "/api/v10/webhooks/", "/gateway"))
        if bot_route and request.headers.get("Authorization") != f"Bot {TOKEN}":
            await self._read(request)
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return await handler(request)

    def _limited(self, request: web.Request) -> web.Response | None:
        for prefix, left in self.refuse_next.items():
            if left > 0 and request.path.startswith(f"/api/v10{prefix}"):
                self.refuse_next[prefix] = left - 1
                return _json({"message": "Invalid Form Body", "code": 50035, "errors": {}}, status=400)
        for prefix, left in self.rate_limit_next.items():
            if left > 0 and request.path.startswith(f"/api/v10{prefix}"):
                self.rate_limit_next[prefix] = left - 1
                return _json(
                    {"message": "You are being rate limited.", "retry_after": 0.3, "global": False},
                    status=429, headers={"Retry-After": "0.3", "X-RateLimit-Scope": "user", "Via": "1.1 google",
                                         "X-RateLimit-Bucket": "stand-in"})
        return None

    async def _me(self, request: web.Request) -> web.Response:
        await self._read(request)
        return _json({**BOT_USER, "verified": True, "mfa_enabled": False, "locale": "en-US"})

    async def _application(self, request: web.Request) -> web.Response:
        await self._read(request)
        return _json({
            "id": APP_ID, "name": "calcbot", "icon": None, "description": "", "rpc_origins": [],
            "bot_public": True, "bot_require_code_grant": False, "bot": BOT_USER,
            "owner": user_object("1500000000000000001", "owner"), "summary": "", "verify_key": "00" * 32,
            "team": None, "flags": 0, "interactions_endpoint_url": None, "tags": [],
        })

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        await self._read(request)
        return _json({"url": f"ws://127.0.0.1:{self.port}/gateway", "shards": 1,
                                  "session_start_limit": {"total": 1000, "remaining": 999,
                                                          "reset_after": 0, "max_concurrency": 1}})

    async def _sync(self, request: web.Request) -> web.Response:
        call = await self._read(request)
        if self.refuse_sync is not None:
            return _json(self.refuse_sync, status=400)
        stored = [{**c, "id": snowflake(), "application_id": APP_ID, "version": snowflake(),
                   "default_member_permissions": c.get("default_member_permissions")} for c in call.json]
        self.synced = stored
        return _json(stored)

    def _message(self, channel_id: str, body: dict[str, Any], files: dict[str, bytes], *,
                 interaction: dict[str, Any] | None = None) -> dict[str, Any]:
        attachments = [{"id": snowflake(), "filename": name, "size": len(data), "url": f"https://cdn/{name}",
                        "proxy_url": f"https://cdn/{name}", "content_type": "image/png" if name.endswith(".png")
                        else "text/markdown"} for name, data in files.items()]
        message: dict[str, Any] = {
            "id": snowflake(), "channel_id": channel_id, "author": BOT_USER, "content": body.get("content") or "",
            "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": attachments, "embeds": body.get("embeds") or [],
            "pinned": False, "type": 0 if interaction is None else 20, "components": body.get("components") or [],
            "flags": int(body.get("flags") or 0), "application_id": APP_ID,
        }
        if interaction is not None:
            message["webhook_id"] = APP_ID
            if interaction.get("guild_id"):
                message["guild_id"] = interaction["guild_id"]
        return message

    def _post(self, via: str, interaction: dict[str, Any] | None, body: dict[str, Any],
              files: dict[str, bytes]) -> dict[str, Any]:
        channel_id = interaction["channel_id"] if interaction else body.get("channel_id", CHANNEL_ID)
        message = self._message(channel_id, body, files, interaction=interaction)
        self.posted.append(Posted(via, interaction["id"] if interaction else None, channel_id, body, files,
                                  message, self._loop_time()))
        self._touch()
        return message

    async def _callback(self, request: web.Request) -> web.Response:
        call = await self._read(request)  # the whole body first, as a server must before answering
        limited = self._limited(request)
        if limited is not None:
            return limited
        interaction = self.interactions.get(request.match_info["id"])
        if self.expire_next > 0:
            self.expire_next -= 1
            interaction = None
        if interaction is None or interaction["token"] != request.match_info["token"]:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if interaction.get("answered"):
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060},
                                     status=400)
        data = call.json.get("data") or {}
        kind = call.json["type"]
        if kind == 9 and (problems := modal_problems(data)):
            return _json({"message": "Invalid Form Body", "code": 50035, "errors": problems}, status=400)
        if kind == 9 and interaction["type"] == 5:
            return _json({"message": "Invalid interaction application command", "code": 50035,
                          "errors": ["a modal cannot answer a modal submission"]}, status=400)
        interaction["answered"] = kind
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):  # a message, or "thinking…" that the answer will edit
            body = {**data, "flags": data.get("flags", 0) | ((1 << 7) if kind == 5 else 0)}
            message = self._post("callback", interaction, body, call.files)
            self.originals[interaction["token"]] = message
            resource["message"] = message
        elif kind == 9:  # the learner sees the form; nothing is posted
            self.modals.append(OpenedModal(interaction, data, self._loop_time()))
            self._touch()
        elif kind == 8:
            self._touch()
        return _json({
            "interaction": {"id": interaction["id"], "type": interaction["type"],
                            "response_message_id": resource.get("message", {}).get("id"),
                            "response_message_loading": kind == 5,
                            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)},
            "resource": resource,
        })

    def _by_token(self, token: str) -> dict[str, Any] | None:
        return next((i for i in self.interactions.values() if i["token"] == token), None)

    async def _edit_original(self, request: web.Request) -> web.Response:
        call = await self._read(request)  # the whole body first, as a server must before answering
        limited = self._limited(request)
        if limited is not None:
            return limited
        interaction = self._by_token(request.match_info["token"])
        if interaction is None or request.match_info["token"] not in self.originals:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        message = self._post("edit", interaction, call.json or {}, call.files)
        self.originals[request.match_info["token"]] = message
        return _json(message)

    async def _delete_original(self, request: web.Request) -> web.Response:
        await self._read(request)
        if self.originals.pop(request.match_info["token"], None) is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return web.Response(status=204)

    async def _followup(self, request: web.Request) -> web.Response:
        call = await self._read(request)  # the whole body first, as a server must before answering
        limited = self._limited(request)
        if limited is not None:
            return limited
        interaction = self._by_token(request.match_info["token"])
        if interaction is None or not interaction.get("answered"):
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        return _json(self._post("followup", interaction, call.json or {}, call.files))

    async def _open_dm(self, request: web.Request) -> web.Response:
        """A direct-message channel with a user (its id: "9" and the user's id)."""
        call = await self._read(request)
        user = str((call.json or {}).get("recipient_id"))
        return _json({"id": f"9{user}", "type": 1, "last_message_id": None,
                      "recipients": [{"id": user, "username": f"user{user}", "discriminator": "0", "avatar": None}]})

    async def _channel_message(self, request: web.Request) -> web.Response:
        call = await self._read(request)  # the whole body first, as a server must before answering
        limited = self._limited(request)
        if limited is not None:
            return limited
        channel = request.match_info["channel"]
        if channel in self.deleted_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if channel in self.forbidden_channels:
            return _json({"message": "Missing Permissions", "code": 50013}, status=403)
        return _json(self._post("channel", None, {**(call.json or {}), "channel_id": channel},
                                            call.files))

    # -- the gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        session = GatewaySession(self, socket, zlib_stream=request.query.get("compress") == "zlib-stream")
        self.sockets.append(session)
        try:
            await session.serve()
        finally:
            self.sockets.remove(session)
            self._touch()
        return socket

    # -- interactions as Discord sends them ------------------------------------------------------

    def _interaction(self, kind: int, data: dict[str, Any], *, user: str, permissions: int,
                     channel_id: str = CHANNEL_ID, message: dict[str, Any] | None = None,
                     guild: bool = True) -> dict[str, Any]:
        user_id = str(1600000000000000000 + sum(map(ord, user)))
        payload: dict[str, Any] = {
            "id": snowflake(), "application_id": APP_ID, "type": kind, "data": data, "token": f"tok-{snowflake()}",
            "version": 1, "app_permissions": str(MEMBER_PERMISSIONS | (1 << 14) | (1 << 15)),
            "locale": "en-GB", "entitlements": [], "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": channel_id,
        }
        if guild:
            payload.update(guild_id=GUILD_ID, guild_locale="en-US", context=0,
                           channel=channel_object(channel_id),
                           authorizing_integration_owners={"0": GUILD_ID},
                           member={"user": user_object(user_id, user), "roles": [], "joined_at": now_iso(),
                                   "deaf": False, "mute": False, "flags": 0, "pending": False, "nick": None,
                                   "avatar": None, "permissions": str(permissions)})
        else:
            payload.update(context=1, user=user_object(user_id, user),
                           channel={"id": channel_id, "type": 1, "recipients": [user_object(user_id, user)]},
                           authorizing_integration_owners={"1": user_id})
        if message is not None:
            payload["message"] = message
        self.interactions[payload["id"]] = payload
        return payload

    async def slash(self, name: str, options: dict[str, Any] | None = None, *, user: str = "ana",
                    admin: bool = False, channel_id: str = CHANNEL_ID, guild: bool = True,
                    shard: int = 0) -> dict[str, Any]:
        """A learner runs ``/name`` with typed options; returns the interaction (its id keys posts)."""
        command = next((c for c in self.synced or [] if c["name"] == name), None)
        types = {o["name"]: o["type"] for o in (command or {}).get("options", [])}
        data = {"id": command["id"] if command else snowflake(), "name": name, "type": 1,
                "options": [{"name": k, "type": types.get(k, 3), "value": v} for k, v in (options or {}).items()]}
        permissions = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        payload = self._interaction(2, data, user=user, permissions=permissions, channel_id=channel_id, guild=guild)
        await self.dispatch("INTERACTION_CREATE", payload, shard=shard)
        return payload

    async def autocomplete(self, name: str, option: str, typed: str, *, user: str = "ana") -> dict[str, Any]:
        command = next(c for c in self.synced or [] if c["name"] == name)
        data = {"id": command["id"], "name": name, "type": 1,
                "options": [{"name": option, "type": 3, "value": typed, "focused": True}]}
        payload = self._interaction(4, data, user=user, permissions=MEMBER_PERMISSIONS)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def press(self, message: dict[str, Any], custom_id: str, *, user: str = "ana",
                    admin: bool = False) -> dict[str, Any]:
        """A learner presses the button ``custom_id`` on a message the bot posted."""
        data = {"custom_id": custom_id, "component_type": 2}
        permissions = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        payload = self._interaction(3, data, user=user, permissions=permissions,
                                    channel_id=message["channel_id"], message=message)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def submit(self, modal: OpenedModal, *values: str) -> dict[str, Any]:
        """The learner who opened ``modal`` fills its text inputs with ``values`` (in order) and submits.

        Shaped as "Modal Submit Data" (developer docs, Receiving and Responding): the modal's custom id
        and, per action row, the text input's type, id, custom id and value; a modal opened from a
        button carries that button's message.
        """
        opened = modal.interaction
        components = [{"type": 1, "id": 2 * n + 1, "components": [
            {"type": 4, "id": 2 * n + 2, "custom_id": text["custom_id"], "value": value}]}
            for n, (text, value) in enumerate(zip(modal.inputs, values, strict=True))]
        data = {"custom_id": modal.data["custom_id"], "components": components}
        user = (opened.get("member") or {}).get("user") or opened["user"]
        permissions = int((opened.get("member") or {}).get("permissions") or MEMBER_PERMISSIONS)
        payload = self._interaction(5, data, user=user["username"], permissions=permissions,
                                    channel_id=opened["channel_id"], message=opened.get("message"),
                                    guild="guild_id" in opened)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def opened_by(self, interaction: dict[str, Any], timeout: float = 30.0) -> OpenedModal:
        return await self.wait_for(
            lambda: next((m for m in self.modals if m.interaction["id"] == interaction["id"]), None), timeout)

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int = 0) -> None:
        session = await self.wait_for(lambda: next((s for s in self.sockets if s.ready and s.shard == shard), None))
        if event == "INTERACTION_CREATE":
            self.dispatched_at[data["id"]] = self._loop_time()
        await session.dispatch(event, data)

    async def ask_to_reconnect(self, shard: int = 0) -> None:
        """Op 7 RECONNECT, as Discord sends before moving a session: the bot should come back and RESUME."""
        session = await self.wait_for(lambda: next((s for s in self.sockets if s.ready and s.shard == shard), None))
        await session.send({"op": 7, "d": None})

    def answers_to(self, interaction: dict[str, Any]) -> list[Posted]:
        return [p for p in self.posted if p.interaction == interaction["id"]]

    def acknowledged_after(self, interaction: dict[str, Any]) -> float:
        """Seconds from the gateway sending ``interaction`` to the bot's callback (defer or answer)."""
        callback = next(c for c in self.calls if c.method == "POST" and c.path.startswith(
            f"/api/v10/interactions/{interaction['id']}/"))
        return callback.at - self.dispatched_at[interaction["id"]]


