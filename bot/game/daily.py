"""Today's shared pit: the same surface for everyone in a cohort (or channel) on one date."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from bot.game.landscapes import NAMES


@dataclass(frozen=True)
class DailyPit:
    key: str  # the cohort's key, or the channel's where there is no cohort
    day: date
    landscape: str
    mode: int
    seed: int


def daily_pit(key: str, day: date) -> DailyPit:
    """The landscape rotates daily through all six, the mode (0, 1) every six days; the seed is a hash."""
    ordinal = day.toordinal()
    digest = hashlib.sha256(f"sandpit|{key}|{day.isoformat()}".encode()).digest()
    seed = int.from_bytes(digest[:6], "big")
    return DailyPit(key, day, NAMES[ordinal % len(NAMES)], (ordinal // len(NAMES)) % 2, seed)
