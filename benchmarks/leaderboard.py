"""Leaderboard latency: 1M attempts from 10k users in 100 cohorts of 100 on PostgreSQL; p50/p99 of
``/leaderboard`` for a cohort over a week and over all time, against the target p99 < 50 ms.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.leaderboard [--attempts 1000000] [--queries 200]

The attempts are inserted in one statement (generate_series) into a scratch database, dropped at
the end. Standings are the real code path (``bot.cohorts.leaderboard.standings``): the members'
ids first, then their attempts through the (user_id, answered_at) index with the retention look-back
(a window function), scored and summed in SQL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from benchmarks.scratch import scratch_database
from bot.cohorts.leaderboard import standings
from bot.store import Store
from content.catalog import curriculum

NOW = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
TARGET_P99_MS = 50.0



async def main(attempt_count: int, queries: int) -> None:
    async with scratch_database() as url:
        store = await Store.open(url)
        topics = [t.id for t in curriculum().topics()]
        started = time.perf_counter()
        async with store.transaction() as db:
            await db.execute(sa.text(
                "INSERT INTO users (platform, platform_user_id, display_name, xp, streak_days, created_at) "
                "SELECT 'console', 'u' || g, 'user ' || g, 0, 0, now() FROM generate_series(1, 10000) g"))
            await db.execute(sa.text(
                "INSERT INTO cohorts (workspace, name, name_key, creator, home_channel, created_at) "
                "SELECT 'console:', 'c' || g, 'c' || g, 'console:u1', 'console::c' || g, now() "
                "FROM generate_series(1, 100) g"))
            await db.execute(sa.text(
                "INSERT INTO cohort_members (cohort_id, user_key, display_name, joined_at) "
                "SELECT 1 + (g - 1) / 100, 'console:u' || g, 'user ' || g, now() FROM generate_series(1, 10000) g"))
            await db.execute(sa.text(
                "INSERT INTO attempts (user_id, topic_id, question_id, channel_key, answer_text, correct, skipped, "
                "hints_used, rating, xp_gained, answered_at) "
                "SELECT 1 + (g % 10000), (CAST(:topics AS text[]))[1 + (g % :n)], 'q', 'console::c' || (1 + (g % 10000) / 100), 'x', "
                "(g % 3) <> 0, false, g % 2, 3, 10, CAST(:now AS timestamptz) - make_interval(secs => (g % 5184000)) "
                "FROM generate_series(1, CAST(:count AS integer)) g"),
                {"topics": topics, "n": len(topics), "now": NOW, "count": attempt_count})
        async with store.transaction() as db:
            await db.execute(sa.text("ANALYZE"))
        print(f"inserted {attempt_count:,} attempts from 10,000 users in 100 cohorts in "
              f"{time.perf_counter() - started:.1f} s")
        members = {}
        for cohort in range(1, 101):
            members[cohort] = {f"console:u{g}": f"user {g}" for g in range((cohort - 1) * 100 + 1, cohort * 100 + 1)}
        for period in ("week", "all"):
            times = []
            rng = random.Random(1)
            for _ in range(queries):
                cohort = rng.randrange(1, 101)
                t0 = time.perf_counter()
                table = await standings(store, curriculum(), members[cohort], f"console::c{cohort}", period, NOW)
                times.append((time.perf_counter() - t0) * 1000)
                assert len(table) == 100
            times.sort()
            p50, p99 = statistics.median(times), times[int(0.99 * (len(times) - 1))]
            print(f"leaderboard {period:5}: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
                  f"(target p99 < {TARGET_P99_MS:g} ms: {p99 / TARGET_P99_MS:.2f}× the target)")
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.attempts, args.queries))
