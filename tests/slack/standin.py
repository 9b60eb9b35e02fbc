"""A loopback Slack: the Web API, response_url endpoints, file uploads, modals and a Socket Mode websocket.

The real slack-bolt / slack_sdk clients talk to it over HTTP on 127.0.0.1; it records every call so
tests assert on what the app sent. Faults (``not_in_channel``, ``ratelimited`` with Retry-After, an
expired response_url, a Socket Mode disconnect) are queued per method by the test.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-loopback-bot-token"
APP_TOKEN = "xapp-loopback-app-token"
TEAM = "T0LOOP"
BOT_USER = "U0BOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Upload:
    file_id: str
    filename: str
    data: bytes = b""


class SlackStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # posts to response_url: {"hook", "body", "at"}
        self.uploads: dict[str, Upload] = {}
        self.faults: dict[str, list[dict[str, Any]]] = {}  # method -> queued error answers
        self.expired_hooks: set[str] = set()
        self.users: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}  # views.open: view id -> the modal as Slack holds it
        self.triggers: dict[str, float] = {}  # trigger_id -> when it was issued (good for 3 s, once)
        self.acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.sockets: list[web.WebSocketResponse] = []
        self.connections_opened = 0
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hooks/{hook}", self._hook)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def hook_url(self, name: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{name or next(self._ids)}"

    def add_user(self, user: str, name: str, *, admin: bool = False, owner: bool = False) -> None:
        self.users[user] = {"id": user, "team_id": TEAM, "name": name, "is_admin": admin, "is_owner": owner,
                            "profile": {"display_name": name, "real_name": name.title()}}

    def fail(self, method: str, error: str, *, times: int = 1, retry_after: int | None = None) -> None:
        self.faults.setdefault(method, []).extend([{"error": error, "retry_after": retry_after}] * times)

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # -- the Web API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                params.update(json.loads(raw or b"{}"))
            else:
                params.update(dict(parse_qsl(raw.decode())))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or params.get("token", "")
        self.calls.append(Call(method, params, token))
        queued = self.faults.get(method)
        if queued:
            fault = queued.pop(0)
            if fault["retry_after"] is not None:
                return web.json_response({"ok": False, "error": fault["error"]}, status=429,
                                         headers={"Retry-After": str(fault["retry_after"])})
            return web.json_response({"ok": False, "error": fault["error"]})
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        body = answer(params) if answer is not None else {}
        return web.json_response({"ok": True, **body})  # an answer may say ok: false itself

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://loopback.slack.test/", "team": "Loopback Academy", "user": "calcbot",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT"}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        self.connections_opened += 1
        return {"url": f"ws://127.0.0.1:{self.port}/socket?n={self.connections_opened}"}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if user is None:
            return {"user": {"id": params.get("user"), "name": "someone", "is_admin": False, "profile": {}}}
        return {"user": user}

    def trigger(self) -> str:
        """A fresh trigger_id, as Slack puts on an interaction payload."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.loop"
        self.triggers[trigger_id] = time.monotonic()
        return trigger_id

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        """Slack's checks on views.open: a live, unused trigger_id and a modal within Block Kit's limits."""
        issued = self.triggers.pop(str(params.get("trigger_id")), None)
        if issued is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if time.monotonic() - issued > 3.0:
            return {"ok": False, "error": "expired_trigger_id"}
        view = params.get("view") or {}
        problems = view_problems(view)
        if problems:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        view_id = f"V{next(self._ids):04d}"
        held = {**view, "id": view_id, "team_id": TEAM, "app_id": "A0LOOP", "bot_id": "B0BOT",
                "hash": f"{time.time():.6f}.loop", "state": {"values": {}}, "root_view_id": view_id,
                "previous_view_id": None, "external_id": "", "clear_on_close": False, "notify_on_close": False}
        self.views[view_id] = held
        return {"view": held}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": params.get("channel"), "ts": f"{time.time():.6f}"}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": f"{time.time():.6f}"}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(params.get("users", "")).lstrip("U")}}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):04d}"
        self.uploads[file_id] = Upload(file_id, str(params.get("filename")))
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(params.get("files", "[]"))
        return {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        upload.data = await request.read()
        return web.Response(text=f"OK - {len(upload.data)}")

    async def _hook(self, request: web.Request) -> web.Response:
        hook = request.match_info["hook"]
        body = await request.json()
        self.responses.append({"hook": hook, "body": body, "at": time.monotonic()})
        if hook in self.expired_hooks:
            return web.Response(status=404, text="expired_url")
        return web.Response(text="ok")

    # -- Socket Mode -----------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "loopback", "approximate_connection_time": 3600},
                            "connection_info": {"app_id": "A0LOOP"}})
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                waiter = self.acks.get(str(data.get("envelope_id")))
                if waiter is not None and not waiter.done():
                    waiter.set_result(data)
        return ws

    async def envelope(self, kind: str, payload: dict[str, Any], *, timeout: float = 3.0) -> dict[str, Any]:
        """Send one envelope on the newest socket; return the app's ack (raises if none in time)."""
        envelope_id = f"env-{next(self._ids)}"
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.acks[envelope_id] = waiter
        live = [ws for ws in self.sockets if not ws.closed]
        await live[-1].send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                  "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                                  "retry_reason": ""})
        return await asyncio.wait_for(waiter, timeout)

    async def ask_to_reconnect(self) -> None:
        for ws in [w for w in self.sockets if not w.closed]:
            await ws.send_json({"type": "disconnect", "reason": "refresh_requested",
                                "debug_info": {"host": "loopback"}})

    async def drop_connection(self) -> None:
        for ws in [w for w in self.sockets if not w.closed]:
            await ws.close()


def view_problems(view: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a modal (https://docs.slack.dev/reference/views/modal-views)."""
    problems = []
    if view.get("type") != "modal":
        problems.append("[ERROR] type must be modal")
    for key in ("title", "submit", "close"):
        text = (view.get(key) or {}).get("text", "")
        if view.get(key) and (view[key].get("type") != "plain_text" or not 0 < len(text) <= 24):
            problems.append(f"[ERROR] {key} must be plain_text of 1-24 characters")
    if not view.get("title"):
        problems.append("[ERROR] missing required field: title")
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("[ERROR] private_metadata must be at most 3000 characters")
    if len(view.get("callback_id") or "") > 255:
        problems.append("[ERROR] callback_id must be at most 255 characters")
    inputs = [b for b in view.get("blocks") or [] if b.get("type") == "input"]
    if inputs and not view.get("submit"):
        problems.append("[ERROR] a modal with input blocks needs submit")
    for block in inputs:
        label = (block.get("label") or {}).get("text", "")
        if not 0 < len(label) <= 2000:
            problems.append("[ERROR] an input label must be 1-2000 characters")
        element = block.get("element") or {}
        if element.get("type") == "plain_text_input" and not 0 <= int(element.get("max_length", 3000)) <= 3000:
            problems.append("[ERROR] plain_text_input max_length must be at most 3000")
    return problems
