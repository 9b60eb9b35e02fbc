"""The scripted console's simulated clock, and the pushes it delivers (a public contract).

``calcbot console --json --clock ISO`` starts the clock there; it moves only when an input object
carries ``"at"``, never backwards. Moving it first runs everything the scheduler has due up to the new
instant; the pushes delivered while handling a line are listed in that line's ``"pushes"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.message import ChannelRef
from bot.core.reply import Reply
from bot.errors import UsageError


def read_instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"'{text}' is not an ISO 8601 instant", hint="e.g. 2027-03-26T07:00:00Z") from None
    if value.tzinfo is None:
        raise UsageError(f"'{text}' has no time zone", hint="end it with Z for UTC, e.g. 2027-03-26T07:00:00Z")
    return value.astimezone(UTC)


@dataclass
class SimulatedClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def move_to(self, instant: datetime) -> None:
        if instant < self.now:
            raise UsageError(
                f"the clock cannot go back: it is {self.now.isoformat()} and \"at\" says {instant.isoformat()}",
                hint="give an instant equal to or later than the current one",
            )
        self.now = instant


class Collect:
    """The console's Delivery: pushes are only collected; the console prints them."""

    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        return None
