"""Pushes (the daily question, its reveal, a digest) as channel messages — or, for a channel id
``@<user id>``, a direct message — through the core's delivery port."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord.render import Typeset, render
from bot.core.delivery import DeliveryFailed
from bot.core.message import ChannelRef
from bot.core.reply import Reply

log = logging.getLogger("calcbot.discord")

# Discord's JSON error codes that no retry will cure (developer docs, "JSON Error Codes").
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
CANNOT_SEND_TO_USER = 50007


class DiscordDelivery:
    """Posts a push to a channel; a refusal becomes ``DeliveryFailed`` (permanent when it is for good)."""

    def __init__(self, client: discord.Client, typeset: Typeset | None = None):
        self.client = client
        self.typeset = typeset

    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        rendered = await render(reply, self.typeset)
        try:
            if channel.id.startswith("@"):  # a private push (an organiser's digest): a direct message
                target: Any = await self.client.create_dm(discord.Object(int(channel.id[1:])))
            else:
                target = self.client.get_partial_messageable(int(channel.id))
            await target.send(**rendered.send_kwargs())
        except discord.NotFound as failed:
            raise self._failed(channel, kind, failed, "the channel no longer exists", permanent=True) from failed
        except discord.Forbidden as failed:
            raise self._failed(channel, kind, failed, "the bot may not post in this channel (missing "
                               "permissions: View Channel, Send Messages, Embed Links, Attach Files)",
                               permanent=True) from failed
        except discord.HTTPException as failed:
            retry_after = _retry_after(failed) if failed.status == 429 else None
            raise self._failed(channel, kind, failed, f"Discord answered HTTP {failed.status}",
                               permanent=False, retry_after=retry_after) from failed

    @staticmethod
    def _failed(channel: ChannelRef, kind: str, failed: discord.HTTPException, reason: str, *,
                permanent: bool, retry_after: float | None = None) -> DeliveryFailed:
        log.warning("%s push to channel %s (guild %s) refused: %s — HTTP %s, code %s: %s", kind, channel.id,
                    channel.workspace or "-", reason, failed.status, failed.code, failed.text)
        return DeliveryFailed(f"{reason} (Discord code {failed.code})", permanent=permanent,
                              retry_after=retry_after)


def _retry_after(failed: discord.HTTPException) -> float | None:
    response: Any = failed.response
    try:
        return float(response.headers.get("Retry-After"))
    except (TypeError, ValueError, AttributeError):
        return None
