"""Starting calcbot on Slack: check the token, then Socket Mode (the default) or HTTP mode.

Both modes call ``auth.test`` first (bolt alone would do so only at the first request, and never in
Socket Mode), refuse to start with a clear message on a bad token, and log which workspace and bot
this is — never a token. Socket Mode checks the app-level token the same way, by opening its first
connection itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.app import SlackBot, web_client
from bot.adapters.slack.manifest import EVENTS_PATH
from bot.adapters.slack.outbound import NETWORK_ERRORS
from bot.core.config import Settings
from bot.core.health import HealthServer, add_routes

log = logging.getLogger("calcbot.slack")


class SlackStartError(Exception):
    """Why the app will not start, written for the person starting it."""


@dataclass(frozen=True)
class Identity:
    team: str
    team_id: str
    bot_user: str
    bot_user_id: str
    bot_id: str


async def identify(client: AsyncWebClient) -> Identity:
    """auth.test: whose token this is, or a SlackStartError saying what to fix."""
    try:
        found = await client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        raise SlackStartError(
            f"Slack refused SLACK_BOT_TOKEN ({code}). Copy the Bot User OAuth Token (xoxb-…) from your app's "
            "OAuth & Permissions page, after installing the app to the workspace.") from None
    except NETWORK_ERRORS as error:
        raise SlackStartError(f"cannot reach the Slack Web API at {client.base_url} ({error}); "
                              "check the network or CALCBOT_SLACK_API_URL") from None
    identity = Identity(team=str(found.get("team") or ""), team_id=str(found.get("team_id") or ""),
                        bot_user=str(found.get("user") or ""), bot_user_id=str(found.get("user_id") or ""),
                        bot_id=str(found.get("bot_id") or ""))
    log.info("Slack: workspace %s (%s), bot @%s (user %s, bot %s)", identity.team, identity.team_id,
                identity.bot_user, identity.bot_user_id, identity.bot_id)
    return identity


# Where each setting comes from, said when it is missing or of the wrong kind.
WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, from Basic Information",
    "SLACK_SIGNING_SECRET": "the Signing Secret from the app's Basic Information page",
}
# What a token starting so is, when it is in the wrong variable.
KINDS = {"xoxb-": "a bot token (xoxb-…)", "xapp-": "an app-level token (xapp-…)",
         "xoxp-": "a user token (xoxp-…)", "xoxe": "a token-rotation token (xoxe…)"}


def _secret(value: Any, name: str, hint: str) -> str:
    text = value.get_secret_value().strip() if value is not None else ""
    if not text:
        raise SlackStartError(f"{name} is not set — {hint}")
    return text


def check_settings(settings: Settings, *, http: bool) -> None:
    """Everything checkable before a connection: every missing variable named at once, and each
    token of the kind its variable needs (Slack's prefixes say which kind a token is)."""
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if http:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    else:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    values = {name: value.get_secret_value().strip() if value is not None else "" for name, value in needed.items()}
    missing = [name for name, value in values.items() if not value]
    if missing:
        names = " and ".join(missing)
        raise SlackStartError(f"{names} {'is' if len(missing) == 1 else 'are'} not set — "
                              + "; ".join(f"{name}: {WHERE[name]}" for name in missing))
    for name, prefix in (("SLACK_BOT_TOKEN", "xoxb-"), ("SLACK_APP_TOKEN", "xapp-")):
        token = values.get(name)
        if token is not None and not token.startswith(prefix):
            kind = next((k for p, k in KINDS.items() if token.startswith(p)), "not a Slack token")
            raise SlackStartError(f"{name} holds {kind}; it needs {WHERE[name]}")


class SlackRunner:
    """One Slack process: the bolt app, its connection (socket or HTTP), and the pushes."""

    def __init__(self, app: Any, settings: Settings):
        self.app = app  # bot.app.App
        self.settings = settings
        self.bot: SlackBot | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._site_runner: web.AppRunner | None = None
        self.port: int | None = None
        self.health: HealthServer | None = None
        self.draining = False

    async def _bot(self, *, signing_secret: str | None) -> SlackBot:
        token = _secret(self.settings.slack_bot_token, "SLACK_BOT_TOKEN",
                        "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page")
        client = web_client(token, self.settings.slack_api_url)
        identity = await identify(client)
        from bot.store.engine import is_outage

        return SlackBot(self.app.handle, client, self.app.services.workers, bot_user_id=identity.bot_user_id,
                        signing_secret=signing_secret, formulas=self.app.services.figures, once=self.app.once,
                        is_outage=is_outage)

    async def start_health(self) -> int | None:
        """``CALCBOT_HEALTH_PORT``: /healthz, /readyz and /metrics on a port of their own."""
        if self.settings.health_port is None:
            return None
        self.health = HealthServer(self.app.probes, draining=lambda: self.draining)
        return await self.health.start(self.settings.health_port)

    async def start_socket_mode(self) -> None:
        app_token = _secret(self.settings.slack_app_token, "SLACK_APP_TOKEN",
                            "an app-level token (xapp-…) with connections:write, from Basic Information")
        self.bot = await self._bot(signing_secret=None)
        handler = AsyncSocketModeHandler(self.bot.bolt, app_token, web_client=self.bot.client)
        try:
            first = await self.bot.client.apps_connections_open(app_token=app_token)
        except SlackApiError as error:
            raise SlackStartError(f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}). Create an "
                                  "app-level token with the connections:write scope under Basic Information, "
                                  "and turn Socket Mode on.") from None
        except NETWORK_ERRORS as error:
            raise SlackStartError(f"cannot open a Socket Mode connection through {self.bot.client.base_url} "
                                  f"({error!r})") from None
        handler.client.wss_uri = str(first["url"])  # the client reconnects with fresh URLs by itself
        await handler.connect_async()
        self._socket = handler
        log.info("Slack: Socket Mode connected")
        await self.app.start_pushes(self.bot.delivery, "slack")

    async def start_http(self, port: int, host: str = "0.0.0.0") -> int:
        secret = _secret(self.settings.slack_signing_secret, "SLACK_SIGNING_SECRET",
                         "the Signing Secret from the app's Basic Information page")
        self.bot = await self._bot(signing_secret=secret)
        site_app = self.bot.bolt.web_app(path=EVENTS_PATH, port=port)
        add_routes(site_app, self.app.probes, draining=lambda: self.draining)
        self._site_runner = web.AppRunner(site_app, access_log=None)
        await self._site_runner.setup()
        await web.TCPSite(self._site_runner, host, port).start()
        self.port = int(self._site_runner.addresses[0][1])  # the one bound, when asked for port 0
        log.info("Slack: HTTP mode on %s:%s%s", host, self.port, EVENTS_PATH)
        await self.app.start_pushes(self.bot.delivery, "slack")
        return self.port

    async def stop(self) -> None:
        """Stop taking requests, then let the answers in flight go out (within ``drain_seconds``;
        any still unfinished then gets a clear error)."""
        self.draining = True
        if self._socket is not None:
            await self._socket.close_async()
        if self._site_runner is not None:
            await self._site_runner.cleanup()
        if self.bot is not None:
            await self.bot.drain(self.settings.drain_seconds)
        if self.health is not None:
            await self.health.stop()


def _token_skipped_filter(record: logging.LogRecord) -> bool:
    """Bolt reads SLACK_BOT_TOKEN from the environment and warns that the client we hand it (made
    from that same token) wins: nothing a user can act on."""
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


async def run_slack(settings: Settings, *, http_port: int | None = None, db_path: str | None = None) -> None:
    """``calcbot slack [--http PORT]``: run until interrupted."""
    from bot.app import build_app

    check_settings(settings, http=http_port is not None)
    for name in ("calcbot.slack", "slack_bolt.AsyncApp"):  # the workspace and bot; (re)connections
        if logging.getLogger(name).getEffectiveLevel() > logging.INFO:
            logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_token_skipped_filter)
    app = await build_app(settings, db_path=db_path, shared_platform=True)
    runner = SlackRunner(app, settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        loop.add_signal_handler(signal.SIGTERM, stopping.set)  # docker stop: finish what is in flight
    try:
        await runner.start_health()
        if http_port is None:
            await runner.start_socket_mode()
        else:
            await runner.start_http(http_port)
        await app.warm()
        await stopping.wait()
        log.info("Slack: stopping; sending the answers in flight")
    finally:
        await runner.stop()
        await app.close()
