"""Sandpit games in the store: start, dip, finish, and the finished daily games for standings.

Every write is guarded in SQL: a game starts only if the user has none in the channel (the unique
key), a dip is written only over the dip count it was computed from, and finishing moves the game
to the results in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.engine import writer
from bot.store.game_models import sandpit_games, sandpit_results
from bot.store.models import users


@dataclass(frozen=True)
class StoredGame:
    id: int
    landscape: str
    mode: int
    seed: int
    rule: str | None
    daily_key: str | None
    daily_date: date | None
    dips_json: str
    dip_count: int


@dataclass(frozen=True)
class Finished:
    user_id: int
    display_name: str
    dips: int
    outcome: str
    daily_date: date | None
    finished_at: datetime


class SandpitGames:
    """The sandpit's queries, on the store's engine (``SandpitGames(store)``)."""

    def __init__(self, store: Any):
        self._engine = store.engine
        self._writer = writer(store.engine)

    async def get(self, user_id: int, channel_key: str) -> StoredGame | None:
        statement = select(sandpit_games).where(sandpit_games.c.user_id == user_id,
                                                sandpit_games.c.channel_key == channel_key)
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        if row is None:
            return None
        m = row._mapping
        return StoredGame(m["id"], m["landscape"], m["mode"], m["seed"], m["rule"], m["daily_key"], m["daily_date"],
                          m["dips_json"], m["dip_count"])

    async def start(self, user_id: int, channel_key: str, *, landscape: str, mode: int, seed: int, rule: str | None,
                    daily_key: str | None, daily_date: date | None, now: datetime) -> bool:
        """Start a game; False if the user already has one in this channel."""
        try:
            async with self._writer.begin() as connection:
                await connection.execute(insert(sandpit_games).values(
                    user_id=user_id, channel_key=channel_key, landscape=landscape, mode=mode, seed=seed, rule=rule,
                    daily_key=daily_key, daily_date=daily_date, dips_json="[]", dip_count=0, started_at=now))
        except IntegrityError:
            return False
        return True

    async def record_dip(self, game_id: int, computed_from: int, dips_json: str) -> bool:
        """Write the dips; False if another dip landed first (the caller asks the player to retry)."""
        statement = (update(sandpit_games)
                     .where(sandpit_games.c.id == game_id, sandpit_games.c.dip_count == computed_from)
                     .values(dips_json=dips_json, dip_count=computed_from + 1))
        async with self._writer.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def finish(self, game: StoredGame, user_id: int, channel_key: str, *, dips: int, outcome: str,
                     now: datetime) -> bool:
        """Move the game to the results; False if it changed (or ended) meanwhile."""
        async with self._writer.begin() as connection:
            gone = await connection.execute(delete(sandpit_games).where(
                sandpit_games.c.id == game.id, sandpit_games.c.dip_count == game.dip_count))
            if gone.rowcount != 1:
                return False
            await connection.execute(insert(sandpit_results).values(
                user_id=user_id, channel_key=channel_key, landscape=game.landscape, mode=game.mode, seed=game.seed,
                daily_key=game.daily_key, daily_date=game.daily_date, dips=dips, outcome=outcome, finished_at=now))
        return True

    async def played_daily(self, user_id: int, daily_key: str, day: date) -> Finished | None:
        rows = await self._finished(sandpit_results.c.user_id == user_id, sandpit_results.c.daily_key == daily_key,
                                    sandpit_results.c.daily_date == day)
        return rows[0] if rows else None

    async def daily_results(self, daily_key: str, since: date | None = None) -> list[Finished]:
        """Every finished daily game of this pit (from ``since`` on), oldest first."""
        conditions = [sandpit_results.c.daily_key == daily_key]
        if since is not None:
            conditions.append(sandpit_results.c.daily_date >= since)
        return await self._finished(*conditions)

    async def _finished(self, *conditions: Any) -> list[Finished]:
        statement = (select(sandpit_results, users.c.display_name)
                     .join(users, users.c.id == sandpit_results.c.user_id)
                     .where(*conditions).order_by(sandpit_results.c.finished_at, sandpit_results.c.id))
        async with self._engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return [Finished(r.user_id, r.display_name, r.dips, r.outcome, r.daily_date, r.finished_at) for r in rows]
