"""The Discord client: interactions in, the core's Replies out.

Every interaction runs in its own task, so one learner's slow job never holds up another's
acknowledgement. An answer ready within ``ANSWER_AT_ONCE`` goes out as the interaction's response
(an error or private reply then ephemeral from the start); a slower one is deferred publicly first and
then edits the deferred message — or, when it turns out to be an error or private, replaces it with an
ephemeral follow-up, since Discord fixes ephemerality at the defer.

Several processes form one bot (each with its own ``CALCBOT_SHARD_IDS``); an interaction that reaches
more than one of them (a replayed gateway event) is answered only by the one that first claims its id
(``Once``, shared through the database or Redis). While stopping, answers in flight get
``drain`` seconds; one still unfinished then gets a clear error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.adapters.discord.buttons import ChoiceButton
from bot.adapters.discord.commands import autocomplete_kind, command_text, tree_payload
from bot.adapters.discord.forms import Form, FormButton, submitted, working_modal
from bot.adapters.discord.render import Rendered, Typeset, render
from bot.core.commands import Registry
from bot.core.errors import error_reply
from bot.core.message import Action, ChannelRef, Message, UserRef
from bot.core.once import Once, OnceInMemory, claim_first, mark_handled
from bot.core.reply import Reply

log = logging.getLogger("calcbot.discord")

ANSWER_AT_ONCE = 1.0  # seconds to wait for an answer before deferring; Discord allows 3 from its side
MAX_SUGGESTIONS = 25

Handle = Callable[[Message], Awaitable[Reply]]
Suggest = Callable[[str, str], list[tuple[str, str]]]  # (kind, typed) -> [(name, value)]


def intents() -> discord.Intents:
    """Slash commands and buttons need no privileged intent; guilds keeps the channel cache."""
    return discord.Intents(guilds=True)


class CalcbotClient(discord.AutoShardedClient):
    def __init__(self, *, handle: Handle, registry: Registry, typeset: Typeset, suggest: Suggest,
                 guild_id: int | None = None, on_connected: Callable[[CalcbotClient], Awaitable[None]] | None = None,
                 once: Once | None = None, is_outage: Callable[[BaseException], bool] = lambda _exc: False,
                 **options: Any):
        # Names people chose are echoed (cohorts, leaderboards): no message the bot sends may ping anyone.
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        super().__init__(intents=intents(), **options)
        self.once: Once = once or OnceInMemory()
        self.is_outage = is_outage
        self._in_flight: set[asyncio.Future[Any]] = set()
        self._giving_up = asyncio.Event()
        self.handle = handle
        self.registry = registry
        self.typeset = typeset
        self.suggest = suggest
        self.guild_id = guild_id
        self.on_connected = on_connected
        self.synced: list[Any] = []  # the commands as Discord stored them
        self._connected_once = False

    # -- start -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        await self._use_api_gateway()
        self.add_dynamic_items(ChoiceButton, FormButton)
        await self.sync_commands()

    async def _use_api_gateway(self) -> None:
        """Connect (and reconnect) to the gateway the API names, not discord.py's built-in default.

        ``AutoShardedClient`` asks ``GET /gateway/bot`` only when it picks the shard count itself,
        and a reconnect without RESUME falls back to the default; so the answer becomes the default.
        """
        _shards, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        log.info("gateway: %s", url)

    async def sync_commands(self) -> None:
        """One bulk overwrite of the generated commands; a refusal is logged and the bot stays up.

        With shards split over processes, the process that runs shard 0 syncs, once for all.
        """
        if self.shard_ids is not None and 0 not in self.shard_ids:
            log.info("commands are synced by the process running shard 0")
            return
        payload = tree_payload(self.registry)
        application_id = self.application_id
        assert application_id is not None  # known after login
        where = f"to guild {self.guild_id}" if self.guild_id else "globally"
        try:
            if self.guild_id:
                self.synced = await self.http.bulk_upsert_guild_commands(application_id, self.guild_id, payload)
            else:
                self.synced = await self.http.bulk_upsert_global_commands(application_id, payload)
        except discord.HTTPException as refused:
            log.error("Discord refused the command sync (%s): HTTP %s, code %s: %s", where, refused.status,
                      refused.code, refused.text)
            return
        log.info("synced %d commands %s", len(self.synced), where)

    async def on_ready(self) -> None:
        user = self.user
        log.info("connected as %s (id %s), application %s, shards %s of %s, %d guilds", user,
                 user.id if user else "?", self.application_id, list(self.shards), self.shard_count,
                 len(self.guilds))
        if not self._connected_once and self.on_connected is not None:
            self._connected_once = True
            await self.on_connected(self)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        log.warning("shard %s disconnected from the gateway; discord.py reconnects", shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        log.info("shard %s resumed its gateway session", shard_id)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("unexpected error in %s", event_method)

    # -- interactions ------------------------------------------------------------------------

    async def _first(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether this process answers the interaction (the first to claim its id, across processes)."""
        return await claim_first(self.once, f"discord:interaction:{interaction.id}", is_outage=self.is_outage,
                                 platform="discord", kind="interaction")

    async def _handled(self, interaction: discord.Interaction[Any]) -> None:
        await mark_handled(self.once, f"discord:interaction:{interaction.id}", "discord")

    async def drain(self, seconds: float) -> None:
        """Stopping: give the answers in flight ``seconds``; then each unfinished one sends a clear error."""
        if not self._in_flight:
            return
        log.info("%d answers in flight; waiting up to %g s", len(self._in_flight), seconds)
        done, _pending = await asyncio.wait(set(self._in_flight), timeout=seconds)
        if self._in_flight - done:
            self._giving_up.set()
            await asyncio.wait(set(self._in_flight), timeout=10)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.application_command:
            await self._command(interaction)
        elif interaction.type is discord.InteractionType.autocomplete:
            await self._autocomplete(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            await self._form_submitted(interaction)
        # component presses arrive through ChoiceButton.callback -> press(), FormButton's -> open_form()

    async def _command(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        declared = self.registry.get(str(data.get("name", "")))
        if declared is None:  # an old command Discord still shows until the next sync lands
            await self._answer(interaction, None, Reply.failure(
                "unknown_command", f"/{data.get('name')} is no longer a command; `/help` lists them."))
            return
        options = {o["name"]: o.get("value") for o in data.get("options", []) if "value" in o}
        await self._answer(interaction, self._message(interaction, command_text(declared, options)))

    async def press(self, interaction: discord.Interaction[Any], choice_id: str, command: str) -> None:
        """A button press: the choice's command, sent as the person who pressed it."""
        await self._answer(interaction, self._message(interaction, command, Action(choice_id, command)))

    async def open_form(self, interaction: discord.Interaction[Any], form: Form, title: str) -> None:
        """A form button: the modal is the interaction's response (Discord allows no defer before it)."""
        if not await self._first(interaction):
            return
        try:
            await interaction.response.send_modal(working_modal(form, title))
            await self._handled(interaction)
        except discord.NotFound:
            log.warning("the form for %s expired before it could open (user %s)", form.command,
                        interaction.user.id)
        except discord.HTTPException as failed:
            log.error("form for %s refused by Discord: HTTP %s, code %s: %s", form.command, failed.status,
                      failed.code, failed.text)
            await self._apologise(interaction)

    async def _form_submitted(self, interaction: discord.Interaction[Any]) -> None:
        """The form's text after its command, one message, answered like the button's own press."""
        data: dict[str, Any] = dict(interaction.data or {})
        found = submitted(data)
        if found is None:  # only our own modals reach us: one whose custom id we no longer read
            log.warning("a modal submission with an unreadable custom id: %s", data.get("custom_id"))
            await self._answer(interaction, None, Reply.failure(
                "unknown_form", "I could not read that form (it may be from an older version of me): "
                "press its button again."))
            return
        if not found.typed.strip():
            await self._answer(interaction, None, Reply.failure(
                "empty_form", "The form was empty, so there was nothing to check: press the button again "
                "and type your working, one step per line."))
            return
        text = f"{found.command}\n{found.typed}"
        await self._answer(interaction, self._message(interaction, text, Action(found.choice_id, text)))

    async def _autocomplete(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        declared = self.registry.get(str(data.get("name", "")))
        focused = next((o for o in data.get("options", []) if o.get("focused")), None)
        suggestions: list[tuple[str, str]] = []
        if declared is not None and focused is not None:
            arg = next((a for a in declared.arguments() if a.name == focused["name"]), None)
            kind = autocomplete_kind(declared, arg) if arg is not None else None
            if kind is not None:
                suggestions = self.suggest(kind, str(focused.get("value", "")))[:MAX_SUGGESTIONS]
        try:
            await interaction.response.autocomplete(
                [discord.app_commands.Choice(name=name[:100], value=value[:100]) for name, value in suggestions])
        except discord.HTTPException as failed:
            log.info("autocomplete for /%s not shown: %s", data.get("name"), failed)

    def _message(self, interaction: discord.Interaction[Any], text: str, action: Action | None = None) -> Message:
        user = interaction.user
        guild = str(interaction.guild_id) if interaction.guild_id else ""
        channel = str(interaction.channel_id or user.id)
        return Message(
            user=UserRef("discord", str(user.id), user.display_name, admin=_is_admin(interaction)),
            channel=ChannelRef("discord", guild, channel),
            text=text,
            action=action,
        )

    async def _answer(self, interaction: discord.Interaction[Any], message: Message | None,
                      known: Reply | None = None) -> None:
        """Answer, once across processes; counted in flight (for the drain) until the answer is out."""
        if not await self._first(interaction):
            return
        answering = asyncio.current_task()
        assert answering is not None
        self._in_flight.add(answering)
        try:
            await self._respond(interaction, message, known)
        finally:
            self._in_flight.discard(answering)

    async def _respond(self, interaction: discord.Interaction[Any], message: Message | None,
                       known: Reply | None) -> None:
        """Respond at once when the answer (rendered, formula typeset) is ready in time; else defer."""
        job = asyncio.ensure_future(self._rendered(message, known))
        done, _ = await asyncio.wait({job}, timeout=ANSWER_AT_ONCE)
        context = f"/{message.text[1:40]!s}" if message else "an unknown command"
        if not done:
            try:
                await interaction.response.defer(thinking=True)
            except discord.NotFound:  # the interaction expired before we could acknowledge it
                await self._expired(interaction, await job, context)
                return
            except discord.HTTPException as failed:  # not deferred: the answer goes out as the response
                log.error("defer of %s refused by Discord: HTTP %s, code %s: %s", context, failed.status,
                          failed.code, failed.text)
        rendered = await self._finished_or_given_up(job, context)
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(ephemeral=rendered.ephemeral, **rendered.send_kwargs())
            elif rendered.ephemeral:
                await interaction.delete_original_response()
                await interaction.followup.send(ephemeral=True, **rendered.send_kwargs())
            else:
                await interaction.edit_original_response(**rendered.edit_kwargs())
        except discord.NotFound:
            if interaction.response.is_done():
                log.warning("the deferred message for %s was gone (deleted, or the token expired)", context)
            await self._expired(interaction, rendered, context)
        except discord.HTTPException as failed:
            log.error("answer to %s refused by Discord: HTTP %s, code %s: %s", context, failed.status,
                      failed.code, failed.text)
            await self._apologise(interaction)
            return
        await self._handled(interaction)

    async def _finished_or_given_up(self, job: asyncio.Future[Rendered], context: str) -> Rendered:
        """The answer; or, when the process is stopping and it is not ready in time, a clear error."""
        giving_up = asyncio.ensure_future(self._giving_up.wait())
        either: set[asyncio.Future[Any]] = {job, giving_up}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        giving_up.cancel()
        if job.done():
            return job.result()
        job.cancel()
        log.warning("stopping before the answer to %s was ready", context)
        return await render(Reply.failure("restarting", "I had to restart before this answer was ready. "
                                          "Please send it again in a moment."))

    async def _rendered(self, message: Message | None, known: Reply | None) -> Rendered:
        reply = await self.handle(message) if message is not None else known
        assert reply is not None
        try:
            return await render(reply, self.typeset)
        except Exception as exc:  # a reply we cannot show is a bug: the learner gets its incident id
            return await render(error_reply(exc))

    async def _apologise(self, interaction: discord.Interaction[Any]) -> None:
        """Discord refused the answer itself: tell the asker, privately, rather than leave them waiting."""
        note = ("⚠️ I worked this out, but Discord would not let me show the answer here. "
                "Please try again, or ask me in a DM.")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(note, ephemeral=True)
            else:
                await interaction.response.send_message(note, ephemeral=True)
        except discord.HTTPException as failed:
            log.warning("and the apology was refused too: %s", failed)

    async def _expired(self, interaction: discord.Interaction[Any], rendered: Rendered, context: str) -> None:
        """Discord no longer takes a response: a public answer still reaches the channel if we may post."""
        log.warning("interaction for %s expired before it was answered (user %s, channel %s)", context,
                    interaction.user.id, interaction.channel_id)
        if rendered.ephemeral or interaction.channel_id is None:
            return
        try:
            channel = self.get_partial_messageable(interaction.channel_id)
            await channel.send(**{**rendered.send_kwargs(), "content": f"<@{interaction.user.id}> "
                                  + (rendered.content or "")})
        except discord.HTTPException as failed:
            log.warning("and could not be posted to the channel either: %s", failed)


def _is_admin(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server or Manage Channels here; in the learner's own DM with the bot, the learner."""
    if interaction.guild_id is None:
        return bool(interaction.context.dm_channel)
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.manage_channels
