"""Weekly digests: 10k cohorts due in the same minute, 3 processes on one PostgreSQL, target < 2 min.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.digest [--cohorts 10000] [--processes 3] [--no-pictures]

Each cohort has 5 members with 20 stored answers each over the last week (1M in all for 10k
cohorts), kept as attempts and as tries (their topic's skills, a third wrong, most of those diagnosed
with a mal-rule); the tries are inserted at migration 0009 and folded into the learners' stored BKT
states by the upgrade to the head (migration 0010), as an existing database's would be. Each process
runs the real scheduler (digests materialised in one statement, claimed with SKIP LOCKED, marked
sent) and the real composition (``Organiser.view``: the week's progress read from the database, the
aggregate heatmap drawn — inline here, in the worker pool in the bot). Prints the time until every
digest was delivered, duplicates and misses (both must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import time
from collections import Counter
from datetime import UTC, date, datetime

import sqlalchemy as sa

from benchmarks.scratch import scratch_database_sync
from bot.cohorts.service import build_cohorts
from bot.core.reply import Reply
from bot.learner import MISTAKE_CODES, skills_of_topic
from bot.store import Store, migrate
from content.catalog import curriculum

DUE = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2027, 1, 4, 8, 0, 40, tzinfo=UTC)
TARGET_SECONDS = 120.0


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def deliver(self, channel: object, reply: Reply, *, kind: str) -> None:
        self.sent.append(f"{channel.id} {kind}")  # type: ignore[attr-defined]


async def _inline(fn, *args, **_):  # type: ignore[no-untyped-def]
    return fn(*args)


def _process(url: str, start_at: float, pictures: bool, out: multiprocessing.Queue) -> None:
    async def run() -> list[str]:
        store = await Store.open(url)
        try:
            cohorts = build_cohorts(store, None, _inline, curriculum(), lambda: NOW, figures=pictures)
            recorder = Recorder()
            while time.time() < start_at:
                await asyncio.sleep(0.005)
            await cohorts.scheduler.run_due(recorder, "console", NOW)
            return recorder.sent
        finally:
            await store.close()

    out.put(asyncio.run(run()))


async def _prepare(url: str, count: int) -> None:
    store = await Store.open(url, migrate_schema=False)
    await migrate.upgrade(store.engine, "0009")
    topics = [t.id for t in curriculum().topics()][:8]
    skills = [" ".join(skills_of_topic(topic)) for topic in topics]
    codes = sorted(MISTAKE_CODES)
    async with store.transaction() as db:
        await db.execute(sa.text(
            "INSERT INTO users (platform, platform_user_id, display_name, xp, streak_days, created_at) "
            "SELECT 'console', 'u' || g, 'member ' || g, 0, 0, now() FROM generate_series(1, :n) g"), {"n": count * 5})
        await db.execute(sa.text(
            "INSERT INTO cohorts (workspace, name, name_key, creator, home_channel, created_at) "
            "SELECT 'console:', 'c' || g, 'c' || g, 'console:u' || (g * 5), 'console::c' || g, now() "
            "FROM generate_series(1, :n) g"), {"n": count})
        await db.execute(sa.text(
            "INSERT INTO cohort_channels (channel_key, cohort_id) SELECT 'console::c' || g, g "
            "FROM generate_series(1, :n) g"), {"n": count})
        await db.execute(sa.text(
            "INSERT INTO cohort_members (cohort_id, user_key, display_name, joined_at) "
            "SELECT 1 + (g - 1) / 5, 'console:u' || g, 'member ' || g, now() FROM generate_series(1, :n) g"),
            {"n": count * 5})
        await db.execute(sa.text(
            "INSERT INTO attempts (user_id, topic_id, question_id, channel_key, answer_text, correct, skipped, "
            "hints_used, rating, xp_gained, answered_at) "
            "SELECT 1 + (g % :users), (CAST(:topics AS text[]))[1 + (g % 8)], 'q', 'console::x', 'x', (g % 3) <> 0, "
            "false, 0, 3, 10, CAST(:now AS timestamptz) - make_interval(secs => (g % 600000)) "
            "FROM generate_series(1, :tries) g"),
            {"users": count * 5, "topics": topics, "now": NOW, "tries": count * 100})
        await db.execute(sa.text(
            "INSERT INTO tries (user_id, topic_id, question_id, channel_key, kind, skills, answer_text, correct, "
            "retry, skipped, hints_used, malrule, malrule_where, answered_at) "
            "SELECT 1 + (g % :users), (CAST(:topics AS text[]))[1 + (g % 8)], 'q', 'console::x', 'expression', "
            "(CAST(:skills AS text[]))[1 + (g % 8)], 'x', (g % 3) <> 0, false, false, 0, "
            "CASE WHEN (g % 3) = 0 AND (g % 5) <> 0 THEN (CAST(:codes AS text[]))[1 + ((g / 7) % :c)] END, "
            "CASE WHEN (g % 3) = 0 AND (g % 5) <> 0 THEN 'x**2' END, "
            "CAST(:now AS timestamptz) - make_interval(secs => (g % 600000)) "
            "FROM generate_series(1, :tries) g"),
            {"users": count * 5, "topics": topics, "skills": skills, "codes": codes, "c": len(codes), "now": NOW,
             "tries": count * 100})
        await db.execute(sa.text(
            "INSERT INTO cohort_digests (cohort_id, platform, workspace, channel_id, weekday, local_time, timezone, "
            "private, paused, created_by, created_at, first_date) "
            "SELECT g, 'console', '', 'c' || g, 0, '08:00', 'UTC', false, false, 'console:ana', now(), "
            "CAST(:first AS date) FROM generate_series(1, :n) g"), {"first": date(2027, 1, 4), "n": count})
    started = time.perf_counter()
    await migrate.upgrade(store.engine)  # folds the tries into the learners' stored states
    print(f"{count * 100:,} tries folded into stored states by migration 0010 in {time.perf_counter() - started:.1f} s")
    async with store.transaction() as db:
        await db.execute(sa.text("ANALYZE"))
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cohorts", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--no-pictures", action="store_true", help="text only (figures off)")
    args = parser.parse_args()
    with scratch_database_sync() as url:
        asyncio.run(_prepare(url, args.cohorts))
        context = multiprocessing.get_context("spawn")
        out: multiprocessing.Queue = context.Queue()
        start_at = time.time() + 5.0
        workers = [context.Process(target=_process, args=(url, start_at, not args.no_pictures, out))
                   for _ in range(args.processes)]
        for worker in workers:
            worker.start()
        results = [out.get(timeout=3600) for _ in workers]
        elapsed = time.time() - start_at
        for worker in workers:
            worker.join()
        counts = Counter(item for result in results for item in result)
        duplicates = sum(c - 1 for c in counts.values() if c > 1)
        misses = args.cohorts - len(counts)
        shares = ", ".join(str(len(r)) for r in results)
        what = "text only" if args.no_pictures else "text and heatmap"
        print(f"{args.cohorts:,} weekly digests due at once ({what}), {args.processes} processes: all delivered in "
              f"{elapsed:.1f} s ({elapsed / TARGET_SECONDS:.2f}× the {TARGET_SECONDS:g} s target); duplicates "
              f"{duplicates}, misses {misses}; per process: {shares}")


if __name__ == "__main__":
    main()
