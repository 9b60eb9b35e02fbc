"""Today's shared pit: the same surface for everyone in a cohort (or channel) on one date."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from bot.game.landscapes import DESCRIPTIONS, NAMES
from bot.game.play import MODE_NAMES

SEEDS = 1_000_000_000  # seeds run 0 … 999 999 999, as `/sandpit start … seed N` reads them


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
    seed = int.from_bytes(digest[:6], "big") % SEEDS  # a seed `/sandpit start … seed N` takes
    return DailyPit(key, day, NAMES[ordinal % len(NAMES)], (ordinal // len(NAMES)) % 2, seed)


def announcement(pit: DailyPit) -> str:
    """The day's pit, announced (in reply to /sandpit daily, and by a cohort's daily push once wired)."""
    return (f"🏖️ **Today's sandpit** ({pit.day.isoformat()}) — `{pit.landscape}` ({DESCRIPTIONS[pit.landscape]}), "
            f"mode {pit.mode} ({MODE_NAMES[pit.mode]}). Everyone here digs the same pit; your dips are yours alone; "
            "fewest dips to the prize wins. Play with `/sandpit daily`.")


def replay_command(landscape: str, mode: int, seed: int, rule: str | None = None) -> str:
    """The command that replays a pit: what the bot prints is what it takes."""
    return f"/sandpit start {landscape} mode {mode} seed {seed}" + (f" rule {rule}" if rule else "")
