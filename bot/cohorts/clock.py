"""Local wall-clock times in IANA time zones: when "08:00 Europe/London" falls on a given day.

08:00 is 08:00 local on both sides of a DST change. A time that does not exist that day (inside a
spring-forward gap) fires at the next valid instant, the end of the gap; an ambiguous one (the hour
repeated in autumn) fires once, at its first occurrence.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from bot.errors import BadArgument


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def read_zone(name: str) -> zoneinfo.ZoneInfo:
    """An IANA zone by name (case-insensitive); a bad one is refused with the nearest names."""
    lookup = {z.lower(): z for z in _zone_names()}
    key = name.strip().lower()
    if key in ("utc", "z", "gmt"):
        return zoneinfo.ZoneInfo("UTC")
    if key in lookup:
        return zoneinfo.ZoneInfo(lookup[key])
    close = difflib.get_close_matches(key, list(lookup), n=3, cutoff=0.6)
    suggestion = ", ".join(lookup[c] for c in close) if close else "Europe/London, America/New_York, Asia/Kolkata"
    raise BadArgument(f"unknown time zone '{name.strip()}'", hint=f"use an IANA name, e.g. {suggestion}")


def read_time(text: str) -> str:
    match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*", text)
    if not match:
        raise BadArgument(f"'{text.strip()}' is not a time of day", hint="write it as HH:MM, e.g. 08:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def due_instant(day: date, local_time: str, zone: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of ``local_time`` on ``day`` in ``zone``."""
    hours, minutes = (int(p) for p in local_time.split(":"))
    wall = datetime.combine(day, time(hours, minutes))
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first  # exists (and, if ambiguous, this is its first occurrence)
    # In a gap: the next valid instant is the first whose local reading is past the wall time.
    probe = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while probe.astimezone(zone).replace(tzinfo=None) < wall:
        probe += timedelta(minutes=1)
    return probe.replace(second=0, microsecond=0)


def latest_occurrence(now: datetime, local_time: str, zone: zoneinfo.ZoneInfo) -> date:
    """The local date of the most recent occurrence due at or before ``now``."""
    today = now.astimezone(zone).date()
    return today if due_instant(today, local_time, zone) <= now else today - timedelta(days=1)


def next_occurrence(now: datetime, local_time: str, zone: zoneinfo.ZoneInfo) -> datetime:
    """The first occurrence strictly after ``now`` (UTC)."""
    day = latest_occurrence(now, local_time, zone) + timedelta(days=1)
    return due_instant(day, local_time, zone)
