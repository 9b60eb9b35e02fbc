"""Sending a Reply into a Slack conversation, and the delivery port for pushes.

An answer goes out through the command's ``response_url`` when there is one (it works in channels
the app has not joined), else ``chat.postMessage``; private answers and errors are ephemeral. The
typeset formula and the figures follow as one ``files_upload_v2`` share. When Slack refuses
(``not_in_channel``, ``channel_not_found``, an expired ``response_url``) the answer takes the next
way — ephemeral, then the asker's DM with the app — and every refusal is logged with its context.
The answer record was committed by the core before any of this, so nothing a learner did is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import SlackMessage, render
from bot.core.context import Workers
from bot.core.delivery import DeliveryFailed
from bot.core.message import ChannelRef
from bot.core.reply import Reply
from bot.errors import CalcbotError
from plotting.formula import render_latex

log = logging.getLogger("calcbot.slack")

MAX_RESPONSES = 5  # Slack accepts five posts to one response_url
MAX_ALT_TEXT = 1000
MAX_TITLE = 120
# the conversation is gone or closed to us: posting again will not help
UNREACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                         "cannot_dm_bot", "user_not_in_channel", "messages_tab_disabled"})
PERMANENT = UNREACHABLE | {"invalid_auth", "not_authed", "account_inactive", "token_revoked",
                           "missing_scope", "no_permission", "team_access_not_granted"}
NETWORK_ERRORS = (aiohttp.ClientError, TimeoutError, SlackRequestError)


@dataclass
class Where:
    """The conversation an answer goes to, and how it can be reached."""

    team: str
    channel: str
    user: str
    response_url: str | None = None
    thread_ts: str | None = None
    app_dm: bool = False  # the asker's DM with the app: private anyway, so nothing is ephemeral
    context: str = ""  # what was asked, for the logs
    responses: int = field(default=0)


class Outbox:
    def __init__(self, client: AsyncWebClient, workers: Workers, *, formulas: bool = True):
        self.client, self.workers, self.formulas = client, workers, formulas

    async def send(self, reply: Reply, where: Where) -> None:
        private = (reply.private or reply.error is not None) and not where.app_dm
        for message in render(reply):
            await self.post(message, where, private=private)
        # a private answer's figures go to the DM; its typeset result would only be noise there
        uploads = await self.uploads(reply, typeset=not private)
        if uploads:
            await self._share(uploads, where, private=private)

    async def post(self, message: SlackMessage, where: Where, *, private: bool) -> None:
        if where.response_url and where.responses < MAX_RESPONSES and await self._respond(message, where, private):
            return
        try:
            if private:
                await self.client.chat_postEphemeral(channel=where.channel, user=where.user, text=message.text,
                                                     blocks=message.blocks, thread_ts=where.thread_ts)
            else:
                await self.client.chat_postMessage(channel=where.channel, text=message.text, blocks=message.blocks,
                                                   thread_ts=where.thread_ts)
            return
        except SlackApiError as error:
            code = _code(error)
            log.warning("slack: posting to %s in %s for %s failed: %s (%s)", where.channel, where.team,
                        where.user, code, where.context)
            if code not in UNREACHABLE:
                return
        except NETWORK_ERRORS as error:
            log.error("slack: Slack unreachable posting to %s in %s for %s: %r (%s)", where.channel, where.team,
                      where.user, error, where.context)
            return
        await self._to_dm(message, where)

    async def _respond(self, message: SlackMessage, where: Where, private: bool) -> bool:
        where.responses += 1
        hook = AsyncWebhookClient(str(where.response_url))
        try:
            answer = await hook.send(text=message.text, blocks=message.blocks, replace_original=False,
                                     response_type="ephemeral" if private else "in_channel")
        except NETWORK_ERRORS as error:
            log.warning("slack: response_url for %s unreachable: %s (%s)", where.user, error, where.context)
            where.response_url = None
            return False
        if answer.status_code == 200:
            return True
        log.warning("slack: response_url for %s refused (%s %s) — posting through the Web API instead (%s)",
                    where.user, answer.status_code, answer.body[:80], where.context)
        where.response_url = None  # expired or used up: the rest go through the Web API
        return False

    async def _to_dm(self, message: SlackMessage, where: Where) -> None:
        """The last way to reach the asker: the DM with the app, saying why the answer is there."""
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"I can't post in <#{where.channel}> — invite me there with `/invite @calcbot`. "
            "Here is your answer meanwhile.")}]}
        try:
            dm = await self.dm_channel(where.user)
            await self.client.chat_postMessage(channel=dm, text=message.text, blocks=[note, *message.blocks])
        except (SlackApiError, *NETWORK_ERRORS) as error:
            log.error("slack: answer for %s in %s/%s could not be delivered anywhere: %s (%s)", where.user,
                      where.team, where.channel, _reason(error), where.context)

    async def dm_channel(self, user: str) -> str:
        opened = await self.client.conversations_open(users=user)
        return str(opened["channel"]["id"])

    async def uploads(self, reply: Reply, *, typeset: bool = True) -> list[dict[str, Any]]:
        """The reply's pictures and files for files_upload_v2: its typeset result first (unless the
        reply carries its formula picture already, as /latex does), then its figures, then its other
        files (a CSV export)."""
        files: list[dict[str, Any]] = []
        has_formula = any(image.name.startswith("formula") for image in reply.images)
        if typeset and self.formulas and reply.latex and reply.error is None and not has_formula:
            try:
                png = await self.workers.run(render_latex, reply.latex)
                files.append({"file": png, "filename": "result.png", "title": "The result, typeset",
                              "alt_txt": reply.latex[:MAX_ALT_TEXT]})
            except CalcbotError as error:  # LaTeX that mathtext cannot set: the text answer stands alone
                log.info("slack: result not typeset: %s", error)
        for image in reply.images:
            title = (image.alt or image.name).split(". ")[0][:MAX_TITLE]  # a picture quiz's alt text is long
            files.append({"file": image.png, "filename": image.name, "title": title,
                          "alt_txt": (image.alt or image.name)[:MAX_ALT_TEXT]})
        for attached in reply.files:
            files.append({"file": attached.data, "filename": attached.name, "title": attached.name})
        return files

    async def _share(self, files: list[dict[str, Any]], where: Where, *, private: bool) -> None:
        """Pictures into the conversation; a private answer's (or a channel closed to us) into the DM."""
        if not private:
            try:
                await self.client.files_upload_v2(file_uploads=files, channel=where.channel, thread_ts=where.thread_ts)
                return
            except (SlackApiError, *NETWORK_ERRORS) as error:
                log.warning("slack: sharing %d picture(s) into %s failed: %s (%s)", len(files), where.channel,
                            _reason(error), where.context)
                if _reason(error) not in UNREACHABLE:
                    return
        try:
            await self.client.files_upload_v2(file_uploads=files, channel=await self.dm_channel(where.user))
        except (SlackApiError, *NETWORK_ERRORS) as error:
            log.error("slack: pictures for %s could not be shared: %s (%s)", where.user, _reason(error),
                      where.context)
            return
        what = "files" if any("alt_txt" not in file for file in files) else "pictures"
        note = f"📎 The {what} are in your direct messages with me" + (
            "." if private else f" — invite me to <#{where.channel}> (`/invite @calcbot`) to show them here.")
        await self.post(SlackMessage(text=note, blocks=[{"type": "context", "elements": [
            {"type": "mrkdwn", "text": note}]}]), where, private=True)


class SlackDelivery:
    """The core's delivery port: a push (daily question, reveal) posted to a channel.

    Its client has no rate-limit retries of its own: a ``ratelimited`` answer goes back to the
    scheduler with Slack's Retry-After, so one busy channel never holds up the round."""

    def __init__(self, client: AsyncWebClient, outbox: Outbox):
        self.client, self.outbox = client, outbox

    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        if channel.id.startswith("@"):  # a private push (an organiser's digest): the user's direct messages
            try:
                opened = await self.client.conversations_open(users=channel.id[1:])
            except SlackApiError as error:
                raise failure(error) from error
            channel = ChannelRef(channel.platform, channel.workspace, str(opened["channel"]["id"]))
        for n, message in enumerate(render(reply)):
            try:
                await self.client.chat_postMessage(channel=channel.id, text=message.text, blocks=message.blocks)
            except SlackApiError as error:
                if n == 0:  # nothing went out: the scheduler retries or pauses the schedule
                    raise failure(error) from error
                log.warning("slack: part %d of the %s push to %s failed: %s", n + 1, kind, channel.id, _code(error))
            except NETWORK_ERRORS as error:
                if n == 0:
                    raise DeliveryFailed(f"network: {error!r}") from error
                log.warning("slack: part %d of the %s push to %s failed: %r", n + 1, kind, channel.id, error)
        files = await self.outbox.uploads(reply)
        if files:
            try:
                await self.client.files_upload_v2(file_uploads=files, channel=channel.id)
            except (SlackApiError, *NETWORK_ERRORS) as error:  # the text went out; the push counts as sent
                log.warning("slack: pictures of the %s push to %s failed: %s", kind, channel.id, error)


def failure(error: SlackApiError) -> DeliveryFailed:
    code = _code(error)
    if code == "ratelimited" or error.response.status_code == 429:
        retry_after = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
        return DeliveryFailed("ratelimited", retry_after=float(retry_after) if retry_after else 30.0)
    reason = code
    if code == "not_in_channel":
        reason = "not_in_channel: invite the app to the channel (/invite @calcbot), then /daily on again"
    return DeliveryFailed(reason, permanent=code in PERMANENT)


def _reason(error: Exception) -> str:
    return _code(error) if isinstance(error, SlackApiError) else repr(error)


def _code(error: SlackApiError) -> str:
    try:
        return str(error.response.get("error") or error.response.status_code)
    except Exception:
        return str(error)
