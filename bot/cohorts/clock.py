"""Local wall-clock times in IANA time zones: when "08:00 Europe/London" falls on a given day.

08:00 is 08:00 local on both sides of a DST change. A time that does not exist that day (inside a
spring-forward gap) fires at the next valid instant, the end of the gap; an ambiguous one (the hour
repeated in autumn) fires once, at its first occurrence.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache

from bot.errors import BadArgument

Zone = tzinfo  # a ZoneInfo (IANA, follows DST) or a fixed offset such as UTC+02:00

# Common abbreviations, resolved to the region's IANA zone (so "08:00 EST" stays 08:00 in New York
# across DST, which is what people who write EST mean). Fixed offsets are written UTC+2 or GMT-5.
ABBREVIATIONS = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage", "akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
    "bst": "Europe/London", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "eet": "Europe/Athens", "eest": "Europe/Athens",
    "msk": "Europe/Moscow", "ist": "Asia/Kolkata", "pkt": "Asia/Karachi", "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "acst": "Australia/Adelaide", "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "brt": "America/Sao_Paulo",
    "sast": "Africa/Johannesburg", "wat": "Africa/Lagos", "eat": "Africa/Nairobi",
}
_OFFSET = re.compile(r"(?:utc|gmt|ut|z)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def read_zone(name: str) -> Zone:
    """A time zone by IANA name (any case), abbreviation (EST, CET…) or fixed offset (UTC+2, GMT-5,
    UTC+05:30); anything else is refused as a time zone, with the nearest names."""
    lookup = {z.lower(): z for z in _zone_names()}
    key = name.strip().lower()
    if key in ("utc", "z", "gmt", "ut"):
        return zoneinfo.ZoneInfo("UTC")
    offset = _OFFSET.fullmatch(key)
    if offset is not None:
        return fixed_offset(offset)
    if key in ABBREVIATIONS:
        return zoneinfo.ZoneInfo(ABBREVIATIONS[key])
    if key in lookup:
        return zoneinfo.ZoneInfo(lookup[key])
    close = difflib.get_close_matches(key, list(lookup) + list(ABBREVIATIONS), n=3, cutoff=0.6)
    names = [lookup.get(c) or c.upper() for c in close]
    suggestion = ", ".join(names) if names else "Europe/London, America/New_York, EST, UTC+2"
    raise BadArgument(f"unknown time zone '{name.strip()}'",
                      hint=f"use an IANA name, an abbreviation or an offset, e.g. {suggestion}")


def fixed_offset(match: re.Match[str]) -> Zone:
    sign = -1 if match.group(1) in "-−" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        raise BadArgument(f"'{match.group(0)}' is not an offset from UTC", hint="offsets run from UTC-12 to UTC+14")
    delta = sign * timedelta(hours=hours, minutes=minutes)
    if not delta:
        return zoneinfo.ZoneInfo("UTC")
    return timezone(delta, f"UTC{'+' if sign > 0 else '-'}{hours:02d}:{minutes:02d}")


def zone_key(zone: Zone) -> str:
    """The name a zone is stored under (``read_zone`` reads it back)."""
    return zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone.tzname(None))


def looks_like_zone(word: str) -> bool:
    """A word meant as a time zone (so an unknown one is refused as a zone, not read as a topic)."""
    key = word.strip().lower()
    return ("/" in key or _OFFSET.fullmatch(key) is not None or key in ABBREVIATIONS
            or key in ("utc", "gmt", "z", "ut") or key in {z.lower() for z in _zone_names()}
            or re.fullmatch(r"[A-Z]{2,5}", word.strip()) is not None)


def read_time(text: str) -> str:
    match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*", text)
    if not match:
        raise BadArgument(f"'{text.strip()}' is not a time of day", hint="write it as HH:MM, e.g. 08:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def due_instant(day: date, local_time: str, zone: Zone) -> datetime:
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


def latest_occurrence(now: datetime, local_time: str, zone: Zone) -> date:
    """The local date of the most recent occurrence due at or before ``now``."""
    today = now.astimezone(zone).date()
    return today if due_instant(today, local_time, zone) <= now else today - timedelta(days=1)


def next_occurrence(now: datetime, local_time: str, zone: Zone) -> datetime:
    """The first occurrence strictly after ``now`` (UTC)."""
    day = latest_occurrence(now, local_time, zone) + timedelta(days=1)
    return due_instant(day, local_time, zone)
