"""The bolt app: every slash command, button, DM, @-mention and submitted form becomes a Message
for the core's router, acknowledged at once, answered in a task of its own (one user's slow job never delays
another's ack), and the Reply sent back by the Outbox.

Several instances may run behind one URL (or on one Socket Mode app): every request is acknowledged,
and only the instance that first claims its identity (``inbound.identity``) answers it — an event
Slack redelivers (``X-Slack-Retry-Num``) or a request a load balancer sent twice is dropped once the
original is being handled. While stopping (SIGTERM), answers in flight get ``drain_seconds`` to go out;
one still unfinished then gets a clear error instead of silence."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import forms, inbound
from bot.adapters.slack.blocks import ACTION_PREFIX, FORM_PREFIX
from bot.adapters.slack.outbound import NETWORK_ERRORS, Outbox, SlackDelivery, Where
from bot.core.context import Workers
from bot.core.message import Message
from bot.core.once import Once, OnceInMemory, claim_first, mark_handled
from bot.core.reply import Reply

log = logging.getLogger("calcbot.slack")

Handle = Callable[[Message], Awaitable[Reply]]

# Answers worked on at once by this instance; the rest wait their turn (costing nothing), so a burst
# never crowds the event loop that acknowledges Slack's requests (Slack gives an ack 3 s).
ANSWERS_AT_ONCE = 8


def web_client(token: str, base_url: str, *, rate_limit_retries: int = 2) -> AsyncWebClient:
    """A Web API client on ``base_url`` (CALCBOT_SLACK_API_URL): every call the app makes goes there.
    With retries, a ``ratelimited`` answer is retried after Slack's Retry-After."""
    handlers: list[Any] = [AsyncConnectionErrorRetryHandler()]
    if rate_limit_retries:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=handlers, timeout=30)


class SlackBot:
    def __init__(self, handle: Handle, client: AsyncWebClient, workers: Workers, *, bot_user_id: str,
                 signing_secret: str | None = None, formulas: bool = True, once: Once | None = None,
                 is_outage: Callable[[BaseException], bool] = lambda _exc: False):
        self.handle = handle
        self.once: Once = once or OnceInMemory()
        self.is_outage = is_outage
        self._giving_up = asyncio.Event()
        self.client = client
        self.bot_user_id = bot_user_id
        self.people = inbound.People(client)
        self.outbox = Outbox(client, workers, formulas=formulas)
        pushes = web_client(str(client.token), client.base_url, rate_limit_retries=0)
        self.delivery = SlackDelivery(pushes, self.outbox)
        self._answering: set[asyncio.Task[None]] = set()
        self._answer_slots = asyncio.Semaphore(ANSWERS_AT_ONCE)
        self.bolt = AsyncApp(
            client=client,
            signing_secret=signing_secret or "",
            request_verification_enabled=signing_secret is not None,
            raise_error_for_unhandled_request=False,
        )
        self.bolt.command(re.compile(r"^/[a-z][a-z0-9]*$"))(self._on_command)
        self.bolt.action(re.compile("^" + re.escape(FORM_PREFIX)))(self._on_form_button)
        form_mark = re.escape(FORM_PREFIX.removeprefix(ACTION_PREFIX))
        self.bolt.action(re.compile(f"^{re.escape(ACTION_PREFIX)}(?!{form_mark})"))(self._on_button)
        self.bolt.view_submission(forms.CALLBACK_ID)(self._on_form_submitted)
        self.bolt.event("app_mention")(self._on_mention)
        self.bolt.event("message")(self._on_direct_message)

    # -- listeners: acknowledge, then answer in the background ------------------------------

    async def _on_command(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        where = Where(team=str(body.get("team_id") or ""), channel=str(body["channel_id"]), user=str(body["user_id"]),
                      response_url=body.get("response_url"),
                      context=f"{body.get('command')} {str(body.get('text') or '')[:60]}")

        async def answer() -> None:
            person = await self.people.lookup(where.team, where.user, str(body.get("user_name") or ""))
            await self._answer(inbound.from_command(body, person), where)

        self._spawn(answer(), inbound.identity("command", body))

    async def _on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        where = _pressed_in(body, f"button {action.get('value', '')[:60]}")

        async def answer() -> None:
            person = await self.people.lookup(where.team, where.user, str(body["user"].get("name") or ""))
            await self._answer(inbound.from_button(body, action, person), where)

        self._spawn(answer(), inbound.identity("action", body))

    async def _on_form_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A form button opens its modal at once (Slack's trigger_id lasts three seconds)."""
        await ack()
        where = _pressed_in(body, f"form button {action.get('action_id', '')[:60]}")
        button = forms.read_button(action)
        title = str((action.get("text") or {}).get("text") or "Your answer")

        async def open_form() -> None:
            try:
                await self.client.views_open(trigger_id=body.get("trigger_id"), view=forms.modal(button, title, where))
            except (SlackApiError, *NETWORK_ERRORS) as error:
                reason = error.response.get("error") if isinstance(error, SlackApiError) else repr(error)
                log.warning("slack: views.open for %s failed: %s (%s)", where.user, reason, where.context)
                await self.outbox.send(Reply.failure(
                    "form_unavailable", "Slack would not open the form just now — press the button again."), where)

        self._spawn(open_form(), inbound.identity("action", body))

    async def _on_form_submitted(self, ack: Any, body: dict[str, Any]) -> None:
        """An empty form stays open with the reason on its text box; any other closes and is answered."""
        submission = forms.read_submission(body)
        if not submission.typed:
            await ack(response_action="errors", errors={forms.INPUT_BLOCK: forms.EMPTY})
            return
        await ack()

        async def answer() -> None:
            where = submission.where
            person = await self.people.lookup(where.team, where.user, str(body["user"].get("name") or ""))
            await self._answer(forms.to_message(submission, person.name, admin=person.admin), where)

        self._spawn(answer(), inbound.identity("view", body))

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if str(event.get("channel", "")).startswith("D") or not inbound.is_from_person(event):
            return  # a DM arrives as message.im too; answer it once
        self._spawn(self._answer_event(body, event), inbound.identity("event", body))

    async def _on_direct_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or not inbound.is_from_person(event):
            return
        self._spawn(self._answer_event(body, event), inbound.identity("event", body))

    async def _answer_event(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        team = str(event.get("team") or body.get("team_id") or "")
        dm = event.get("channel_type") == "im"
        where = Where(team=team, channel=str(event["channel"]), user=str(event["user"]),
                      thread_ts=event.get("thread_ts"), app_dm=dm,
                      context=f"message {str(event.get('text') or '')[:60]}")
        person = await self.people.lookup(team, where.user)
        await self._answer(inbound.from_event(event, team, person, bot_user_id=self.bot_user_id), where)

    async def _answer(self, message: Message, where: Where) -> None:
        job = asyncio.ensure_future(self.handle(message))  # never raises: errors are replies
        giving_up = asyncio.ensure_future(self._giving_up.wait())
        await asyncio.wait({job, giving_up}, return_when=asyncio.FIRST_COMPLETED)
        giving_up.cancel()
        if job.done():
            reply = job.result()
        else:  # stopping, and this answer did not finish in time: say so rather than vanish
            job.cancel()
            log.warning("slack: stopping before the answer to %s was ready (user %s)", where.context, where.user)
            reply = Reply.failure("restarting", "I had to restart before this answer was ready. "
                                  "Please send it again in a moment.")
        await self.outbox.send(reply, where)

    # -- which instance answers ---------------------------------------------------------------

    async def _first(self, key: str | None) -> bool:
        """Whether this instance is the one to handle the request with identity ``key``."""
        if key is None:
            return True
        return await claim_first(self.once, key, is_outage=self.is_outage, platform="slack",
                                 kind=key.split(":", 2)[1])

    async def _handled(self, key: str | None) -> None:
        if key is not None:
            await mark_handled(self.once, key, "slack")

    # -- the answers in flight ----------------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, None], key: str | None = None) -> None:
        async def guarded() -> None:
            try:
                async with self._answer_slots:
                    if not await self._first(key):
                        work.close()  # never started: a copy of something another instance answers
                        return
                    await work
                    await self._handled(key)
            except Exception:  # a bug in sending must not take the app down; the record is saved
                log.exception("slack: sending an answer failed")
            finally:
                work.close()  # a no-op once it ran; never "coroutine was never awaited" if cancelled first

        task = asyncio.create_task(guarded())
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def idle(self) -> None:
        """Wait until every answer in flight has gone out (tests; a clean shutdown)."""
        while self._answering:
            await asyncio.gather(*list(self._answering), return_exceptions=True)

    async def drain(self, seconds: float) -> None:
        """Stopping: give the answers in flight ``seconds``; then each unfinished one sends a clear error."""
        if not self._answering:
            return
        log.info("slack: %d answers in flight; waiting up to %g s", len(self._answering), seconds)
        try:
            await asyncio.wait_for(self.idle(), seconds)
        except TimeoutError:
            self._giving_up.set()
            await self.idle()



def _pressed_in(body: dict[str, Any], context: str) -> Where:
    """Where a button press is answered: its conversation (and thread), through its response_url."""
    return Where(team=inbound.team_of(body), channel=inbound.channel_of(body), user=str(body["user"]["id"]),
                 response_url=body.get("response_url"), thread_ts=(body.get("container") or {}).get("thread_ts"),
                 context=context)
