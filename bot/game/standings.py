"""The daily sandpit's standings: fewest dips to the prize wins.

``await sandpit_standings(store, pit_key, period, today)`` is what ``/leaderboard sandpit [week|all]``
shows; ``rank`` is the pure part (tested on its own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from bot.store.games import Finished, SandpitGames

PERIODS = ("day", "week", "all")


class Standing(NamedTuple):
    rank: int
    user: str  # display name
    dips: int  # the fewest dips this player took to win a daily pit in the period


def rank(results: Iterable[Finished]) -> list[Standing]:
    """Each player's best win (fewest dips; earlier finish breaks a tie), with shared ranks for equal dips."""
    best: dict[int, Finished] = {}
    for result in results:
        if result.outcome != "won":
            continue
        held = best.get(result.user_id)
        if held is None or (result.dips, result.finished_at) < (held.dips, held.finished_at):
            best[result.user_id] = result
    ordered = sorted(best.values(), key=lambda r: (r.dips, r.finished_at))
    standings: list[Standing] = []
    for position, result in enumerate(ordered, start=1):
        shared = standings and standings[-1].dips == result.dips
        standings.append(Standing(standings[-1].rank if shared else position, result.display_name, result.dips))
    return standings


def since(period: str, today: date) -> date | None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    return {"day": today, "week": today - timedelta(days=6), "all": None}[period]


async def sandpit_standings(store: Any, pit_key: str, period: str = "week", today: date | None = None) -> list[Standing]:
    """Ranked (rank, user, dips) for the daily pits of ``pit_key`` (a cohort or channel key).

    ``period``: "day" (today only), "week" (today and the six days before) or "all"; ``today`` is the
    local date (defaults to UTC today).
    """
    today = today or date.today()
    return rank(await SandpitGames(store).daily_results(pit_key, since(period, today)))
