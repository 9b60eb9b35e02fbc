"""The stand-in's gateway: one websocket session, zlib-stream compressed as discord.py 2.7 asks."""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.discord.payloads import APP_ID, BOT_USER, GUILD_ID, TOKEN, guild_object, snowflake

if TYPE_CHECKING:
    from tests.discord.standin import DiscordStandIn


class GatewaySession:
    """One gateway connection: HELLO, then IDENTIFY -> READY + GUILD_CREATE, or RESUME -> RESUMED."""

    HEARTBEAT_MS = 41250

    def __init__(self, standin: DiscordStandIn, socket: web.WebSocketResponse, *, zlib_stream: bool):
        self.standin = standin
        self.socket = socket
        self.compressor = zlib.compressobj() if zlib_stream else None
        self.sequence = 0
        self.ready = False
        self.shard = 0
        self.session_id = ""

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self.compressor is None:
            await self.socket.send_str(text)
        else:
            await self.socket.send_bytes(self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.send({"op": 0, "t": event, "s": self.sequence, "d": data})

    async def serve(self) -> None:
        await self.send({"op": 10, "d": {"heartbeat_interval": self.HEARTBEAT_MS, "_trace": ["stand-in"]}})
        async for frame in self.socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            op = message.get("op")
            if op == 1:
                self.standin.heartbeats += 1
                await self.send({"op": 11})
            elif op == 2:
                await self._identify(message["d"])
            elif op == 6:
                await self._resume(message["d"])
            self.standin._touch()

    async def _identify(self, data: dict[str, Any]) -> None:
        self.standin.identifies.append(data)
        if data.get("token") != TOKEN:
            await self.socket.close(code=4004, message=b"Authentication failed.")
            return
        shard, count = data.get("shard", [0, 1])
        self.shard = shard
        self.session_id = f"session-{snowflake()}"
        self.standin.session_shards[self.session_id] = shard
        await self.dispatch("READY", {
            "v": 10, "user": BOT_USER, "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": self.session_id, "resume_gateway_url": f"ws://127.0.0.1:{self.standin.port}/gateway",
            "shard": [shard, count], "application": {"id": APP_ID, "flags": 0}, "_trace": ["stand-in"],
        })
        self.ready = True
        await self.dispatch("GUILD_CREATE", guild_object())

    async def _resume(self, data: dict[str, Any]) -> None:
        self.standin.resumes.append(data)
        if data.get("token") != TOKEN or data.get("session_id") not in self.standin.session_shards:
            await self.send({"op": 9, "d": False})  # INVALID_SESSION, not resumable: identify afresh
            return
        self.session_id = data["session_id"]
        self.shard = self.standin.session_shards[self.session_id]
        self.sequence = int(data.get("seq") or 0)
        self.ready = True
        await self.dispatch("RESUMED", {"_trace": ["stand-in"]})
