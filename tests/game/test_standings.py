"""Standings: fewest dips to the prize wins; games not won do not rank; equal dips share a rank."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.game.standings import Standing, rank, since
from bot.store.games import Finished

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def done(user: int, name: str, dips: int, outcome: str = "won", minutes: int = 0) -> Finished:
    return Finished(user, name, dips, outcome, date(2026, 3, 2), T0 + timedelta(minutes=minutes))


def test_fewest_dips_win_and_only_wins_count() -> None:
    results = [done(1, "Ana", 9), done(2, "Ben", 5, minutes=3), done(3, "Cy", 2, "over"), done(4, "Di", 5, minutes=1),
               done(1, "Ana", 7, minutes=5), done(5, "Ed", 1, "quit")]
    assert rank(results) == [Standing(1, "Di", 5), Standing(1, "Ben", 5), Standing(3, "Ana", 7)]


def test_periods() -> None:
    today = date(2026, 3, 8)
    assert since("day", today) == today and since("week", today) == date(2026, 3, 2) and since("all", today) is None
    with pytest.raises(ValueError):
        since("month", today)
