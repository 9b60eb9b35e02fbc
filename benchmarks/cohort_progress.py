"""`/cohort progress` latency: a 200-member cohort over 1M stored tries on PostgreSQL, the heatmap
included (rendered in the real worker pool), against the target p99 < 1 s.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.cohort_progress [--tries 1000000] [--queries 40]

The tries (5,000 per member over 60 days, every topic) and a card per member and topic (its counts
those of the tries, as the answer path keeps them) are inserted with generate_series into a scratch
database, dropped at the end. The timed path is the real one: ``Organiser.view`` — the members' ids,
their cards (all-time counts, recall), the period's tries through the (user_id, answered_at) index,
daily participation, mastery, then the picture in a worker process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fsrs import Rating

from benchmarks.leaderboard import _admin
from bot.cohorts.groups import Groups
from bot.cohorts.organiser import Organiser
from bot.core.message import ChannelRef
from bot.quiz.srs import SpacedRepetition
from bot.store import Store
from bot.workers import WorkerPool
from content.catalog import curriculum

NOW = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
MEMBERS = 200
TARGET_P99_S = 1.0


async def _fill(store: Store, tries: int) -> None:
    topics = [t.id for t in curriculum().topics()]
    card = SpacedRepetition().review(None, Rating.Good, NOW - timedelta(days=3)).state_json
    async with store.transaction() as db:
        await db.execute(sa.text(
            "INSERT INTO users (platform, platform_user_id, display_name, xp, streak_days, created_at) "
            "SELECT 'console', 'u' || g, 'member ' || g, 0, 0, now() FROM generate_series(1, :n) g"), {"n": MEMBERS})
        await db.execute(sa.text(
            "INSERT INTO cohorts (workspace, name, name_key, creator, home_channel, created_at) "
            "VALUES ('console:', 'Big Crew', 'big crew', 'console:u1', 'console::big', now())"))
        await db.execute(sa.text("INSERT INTO cohort_channels (channel_key, cohort_id) VALUES ('console::big', 1)"))
        await db.execute(sa.text(
            "INSERT INTO cohort_members (cohort_id, user_key, display_name, joined_at) "
            "SELECT 1, 'console:u' || g, 'member ' || g, now() FROM generate_series(1, :n) g"), {"n": MEMBERS})
        await db.execute(sa.text(
            "INSERT INTO attempts (user_id, topic_id, question_id, channel_key, answer_text, correct, skipped, "
            "hints_used, rating, xp_gained, answered_at) "
            "SELECT 1 + (g % :members), (CAST(:topics AS text[]))[1 + ((g / :members) % :n)], 'q', 'console::big', "
            "'x', (g % 3) <> (g % 7), false, 0, 3, 10, "
            "CAST(:now AS timestamptz) - make_interval(secs => (g % 5184000)) "
            "FROM generate_series(1, CAST(:count AS integer)) g"),
            {"members": MEMBERS, "topics": topics, "n": len(topics), "now": NOW, "count": tries})
        await db.execute(sa.text(  # a card per member and topic, its counts those of the tries (as answering keeps them)
            "INSERT INTO cards (user_id, topic_id, state_json, due, last_review, reps, lapses, version) "
            "SELECT user_id, topic_id, :card, now(), max(answered_at), count(*), "
            "sum(CASE WHEN correct THEN 0 ELSE 1 END), 1 FROM attempts GROUP BY user_id, topic_id"),
            {"card": card})
    async with store.transaction() as db:
        await db.execute(sa.text("ANALYZE"))


async def main(tries: int, queries: int) -> None:
    base = os.environ.get("CALCBOT_TEST_DATABASE_URL")
    if not base:
        sys.exit("set CALCBOT_TEST_DATABASE_URL to a PostgreSQL server (the benchmark makes a scratch database)")
    name = f"calcbot_bench_{secrets.token_hex(4)}"
    await _admin(base, f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    pool = WorkerPool(workers=2, timeout=30.0, memory_mb=1536)
    try:
        store = await Store.open(url)
        started = time.perf_counter()
        await _fill(store, tries)
        print(f"inserted {tries:,} tries from {MEMBERS} members and their cards in {time.perf_counter() - started:.1f} s")
        cohort = await Groups(store).get(ChannelRef("console", "", "big"), "Big Crew")
        organiser = Organiser(store, pool.run, curriculum())
        await organiser.view(cohort, "week", NOW, viewer=None)  # warm the worker (imports matplotlib)
        for period in ("week", "all"):
            times, pictures = [], []
            for _ in range(queries):
                t0 = time.perf_counter()
                reply = await organiser.view(cohort, period, NOW, viewer=None)
                times.append(time.perf_counter() - t0)
                pictures.append(len(reply.images[0].png))
            times.sort()
            p50, p99 = statistics.median(times), times[int(0.99 * (len(times) - 1))]
            print(f"/cohort progress {period:4}, {MEMBERS} members × {len(curriculum().topics())} topics, picture "
                  f"included ({statistics.median(pictures) / 1024:.0f} KB): p50 {p50 * 1000:6.0f} ms  "
                  f"p99 {p99 * 1000:6.0f} ms  ({p99 / TARGET_P99_S:.2f}× the {TARGET_P99_S:g} s target)")
        await store.close()
    finally:
        pool.close()
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.tries, args.queries))
