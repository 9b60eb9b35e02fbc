"""Sandpit games in the store, on SQLite and PostgreSQL: one game per user per channel, guarded dips,
finishing moves a game to the results, and the daily standings read them back."""

from __future__ import annotations

from datetime import date, timedelta

from bot.game.standings import Standing, sandpit_standings
from bot.store.games import SandpitGames
from tests.store.conftest import T0, Database

DAY = date(2026, 3, 2)


async def test_games_start_once_dips_are_guarded_and_finished_games_rank(database: Database) -> None:
    store = await database.open()
    try:
        games = SandpitGames(store)
        ana = await store.get_or_create_user("console", "ana", "Ana", T0)
        ben = await store.get_or_create_user("console", "ben", "Ben", T0)
        cy = await store.get_or_create_user("console", "cy", "Cy", T0)
        kw = {"landscape": "bowl", "mode": 0, "seed": 7, "rule": None, "daily_key": "pit", "now": T0}
        assert await games.start(ana.id, "c1", daily_date=DAY, **kw)
        assert not await games.start(ana.id, "c1", daily_date=DAY, **kw)  # one game per user per channel
        stored = await games.get(ana.id, "c1")
        assert stored is not None and stored.dip_count == 0
        assert await games.record_dip(stored.id, 0, '[{"x": 1}]')
        assert not await games.record_dip(stored.id, 0, '[{"x": 2}]')  # computed from a stale count
        stored = await games.get(ana.id, "c1")
        assert stored is not None and stored.dip_count == 1 and stored.dips_json == '[{"x": 1}]'
        assert await games.finish(stored, ana.id, "c1", dips=6, outcome="won", now=T0)
        assert await games.get(ana.id, "c1") is None
        assert not await games.finish(stored, ana.id, "c1", dips=6, outcome="won", now=T0)  # already gone
        for user, dips, outcome, day in [(ben, 4, "won", DAY), (cy, 6, "won", DAY), (cy, 3, "won", DAY - timedelta(9))]:
            assert await games.start(user.id, "c1", daily_date=day, **kw)
            held = await games.get(user.id, "c1")
            assert held is not None
            assert await games.finish(held, user.id, "c1", dips=dips, outcome=outcome, now=T0)
        assert (await games.played_daily(ana.id, "pit", DAY)).dips == 6  # type: ignore[union-attr]
        assert await games.played_daily(ana.id, "pit", DAY - timedelta(1)) is None
        week = await sandpit_standings(store, "pit", "week", DAY)
        assert week == [Standing(1, "Ben", 4), Standing(2, "Ana", 6), Standing(2, "Cy", 6)]
        assert (await sandpit_standings(store, "pit", "all", DAY))[0] == Standing(1, "Cy", 3)
        assert await sandpit_standings(store, "another pit", "all", DAY) == []
    finally:
        await store.close()
