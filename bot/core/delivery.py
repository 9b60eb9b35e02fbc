"""The delivery port: how the scheduler hands a push (daily quiz, reveal, daily pit) to a platform.

Each adapter implements ``Delivery`` for the channels it owns; the scheduler knows no platform. An
adapter raises ``DeliveryFailed`` when the platform refuses: ``permanent=True`` (a deleted channel,
missing permission) pauses the schedule; otherwise the scheduler retries with backoff.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.message import ChannelRef
from bot.core.reply import Reply


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Delivery(Protocol):
    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        """Post ``reply`` to ``channel`` as a push of ``kind`` ("daily", "reveal", …); raise DeliveryFailed."""
        ...
