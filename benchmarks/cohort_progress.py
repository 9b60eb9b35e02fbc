"""`/cohort progress` latency: a 200-member cohort over 1M stored tries on PostgreSQL, the heatmap
included (rendered in the real worker pool), against the target p99 < 1 s.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.cohort_progress [--tries 1000000] [--queries 40]

The tries (5,000 per member over 60 days, every topic, its skills; a third wrong, most of those
diagnosed with a mal-rule) are inserted with generate_series into a scratch database at migration
0009 (dropped at the end); then the upgrade to the head folds them into the learners' stored states
(migration 0010, timed), as an existing database's upgrade would. The timed path is the real one:
``Organiser.view`` — the members' ids, their stored states, the period's mistakes, daily
participation, then the picture in a worker process. Two figures:
- **cold**: a process's first view of the cohort (a fresh ``Store`` and ``Organiser``);
- **warm**: the views after it, with 20 new tries written between views (untimed) through the same
  write path as answers (``bot.store.answers.insert_try``: the learner locked, the try inserted and
  folded into their state).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from benchmarks.scratch import scratch_database
from bot.cohorts.groups import Groups
from bot.cohorts.organiser import Organiser
from bot.core.message import ChannelRef
from bot.learner import MISTAKE_CODES, skills_of_topic
from bot.store import Store, migrate
from bot.store.answers import insert_try
from bot.store.rows import TryRecord
from bot.workers import WorkerPool
from content.catalog import curriculum

NOW = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
MEMBERS = 200
TARGET_P99_S = 1.0


async def _fill(store: Store, tries: int) -> None:
    topics = [t.id for t in curriculum().topics()]
    skills = [" ".join(skills_of_topic(t)) for t in topics]
    codes = sorted(MISTAKE_CODES)
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
        await _add_tries(db, tries, topics, skills, codes, NOW - timedelta(days=60), NOW - timedelta(hours=1))
    async with store.transaction() as db:
        await db.execute(sa.text("ANALYZE"))


async def _add_tries(db: object, count: int, topics: list[str], skills: list[str], codes: list[str],
                     start: datetime, end: datetime) -> None:
    """``count`` tries spread evenly from ``start`` to ``end`` (ids in time order), members in turn."""
    await db.execute(sa.text(  # type: ignore[attr-defined]
        "INSERT INTO tries (user_id, topic_id, question_id, channel_key, kind, skills, answer_text, correct, "
        "retry, skipped, hints_used, malrule, malrule_where, answered_at) "
        "SELECT 1 + (g % :members), (CAST(:topics AS text[]))[1 + ((g / :members) % :n)], 'q', 'console::big', "
        "'expression', (CAST(:skills AS text[]))[1 + ((g / :members) % :n)], 'x', (g % 3) <> (g % 7), false, "
        "(g % 97) = 0, 0, CASE WHEN (g % 3) = (g % 7) AND (g % 5) <> 0 "
        "THEN (CAST(:codes AS text[]))[1 + ((g / 7) % :c)] END, "
        "CASE WHEN (g % 3) = (g % 7) AND (g % 5) <> 0 THEN 'x**2' END, "
        "CAST(:start AS timestamptz) + (CAST(:end AS timestamptz) - CAST(:start AS timestamptz)) * g / :count "
        "FROM generate_series(1, CAST(:count AS integer)) g"),
        {"members": MEMBERS, "topics": topics, "skills": skills, "n": len(topics), "codes": codes,
         "c": len(codes), "start": start, "end": end, "count": count})


async def _write_tries(store: Store, count: int, at: datetime, topics: list[str], codes: list[str]) -> None:
    """``count`` new tries, members in turn, each through the answers' write path (state folded in)."""
    for n in range(count):
        wrong = n % 3 == 0
        given = TryRecord(topic_id=topics[n % len(topics)], question_id="q", channel_key="console::big",
                          answer_text="x", correct=not wrong, answered_at=at, skills=skills_of_topic(topics[n % len(topics)]),
                          malrule=codes[n % len(codes)] if wrong else None, malrule_where="x**2" if wrong else None)
        async with store.transaction() as db:
            await db.run_sync(insert_try, 1 + (secrets.randbelow(MEMBERS)), given)


async def _timed(organiser: Organiser, cohort: object, period: str) -> tuple[float, int]:
    started = time.perf_counter()
    reply = await organiser.view(cohort, period, NOW, viewer=None)  # type: ignore[arg-type]
    return time.perf_counter() - started, len(reply.images[0].png)


async def main(tries: int, queries: int, cold_queries: int) -> None:
    async with scratch_database() as url:
        pool = WorkerPool(workers=2, timeout=30.0, memory_mb=1536)
        try:
            await _measure(url, pool, tries, queries, cold_queries)
        finally:
            pool.close()


async def _measure(url: str, pool: WorkerPool, tries: int, queries: int, cold_queries: int) -> None:
    store = await Store.open(url, migrate_schema=False)
    await migrate.upgrade(store.engine, "0009")
    started = time.perf_counter()
    await _fill(store, tries)
    print(f"inserted {tries:,} tries from {MEMBERS} members in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    await migrate.upgrade(store.engine)
    print(f"upgraded to the head, folding them into stored states (migration 0010) in "
          f"{time.perf_counter() - started:.1f} s")
    async with store.transaction() as db:
        await db.execute(sa.text("ANALYZE"))
    cohort = await Groups(store).get(ChannelRef("console", "", "big"), "Big Crew")
    await Organiser(store, pool.run, curriculum()).view(cohort, "week", NOW, viewer=None)  # warm the worker
    topics = [t.id for t in curriculum().topics()]
    codes = sorted(MISTAKE_CODES)
    for period in ("week", "all"):
        cold = []
        for _ in range(cold_queries):
            fresh = await Store.open(url)
            cold.append(await _timed(Organiser(fresh, pool.run, curriculum()), cohort, period))
            await fresh.close()
        organiser = Organiser(store, pool.run, curriculum())
        await organiser.view(cohort, period, NOW, viewer=None)
        warm = []
        for n in range(queries):
            await _write_tries(store, 20, NOW - timedelta(minutes=30) + timedelta(seconds=n), topics, codes)
            warm.append(await _timed(organiser, cohort, period))
        for label, found in (("cold", cold), ("warm", warm)):
            times = sorted(t for t, _ in found)
            p50, p99 = statistics.median(times), times[int(0.99 * (len(times) - 1))]
            print(f"/cohort progress {period:4} {label}, {MEMBERS} members, {len(times)} views, picture included "
                  f"({statistics.median(size for _, size in found) / 1024:.0f} KB): p50 {p50 * 1000:6.0f} ms  "
                  f"p99 {p99 * 1000:6.0f} ms  ({p99 / TARGET_P99_S:.2f}× the {TARGET_P99_S:g} s target)")
    await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--cold", type=int, default=5, help="cold views (a fresh process's first)")
    args = parser.parse_args()
    asyncio.run(main(args.tries, args.queries, args.cold))
