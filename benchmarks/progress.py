"""/quiz and /progress with 1M stored tries on PostgreSQL: p50/p99 against the target p99 < 100 ms.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.progress [--tries 1000000] [--users 1000] [--queries 200]

1M tries from 1,000 learners (1,000 each: heavy learners, since each request reads one learner's
tries), with skills, retries, skips and diagnosed mistakes, plus a card and a lesson read per topic,
are inserted in one statement each into a scratch database, dropped at the end. Each request is the
real engine path: ``QuizEngine.progress`` (the learner's tries through the (user_id, id) index,
counts, BKT mastery per skill, mistakes, cards and their recall) and ``QuizEngine.ask`` with no topic
(no review due, so the learner model chooses: tries read, aim or weakest skill, the question
generated and opened). Question generation, and a picture question's drawing, run in-process here
(they do not depend on the tries), after the imports and warm-up the fork server runs before it
forks a worker (``bot.workers.PRELOAD``); the slowest requests are listed with the jobs they ran. The /progress chart is drawn in the worker pool
beside the text and timed on its own line. (The synthetic tries make no aim: ``/quiz`` here practises
the weakest skill; ``benchmarks/generation.py`` times aimed questions for every mistake.)
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fsrs import Rating

from benchmarks.scratch import scratch_database
from bot.core.message import UserRef
from bot.learner import MISTAKE_CODES, skills_of_topic
from bot.quiz.engine import QuizEngine
from bot.quiz.srs import SpacedRepetition
from bot.store import Store
from bot.workers import PRELOAD
from content.catalog import curriculum

NOW = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
TARGET_P99_MS = 100.0



async def _fill(store: Store, tries: int, users: int) -> None:
    topics = [t.id for t in curriculum().topics()]
    skills = [" ".join(skills_of_topic(topic)) for topic in topics]
    card = SpacedRepetition().review(None, Rating.Good, NOW - timedelta(days=1))
    async with store.transaction() as db:
        await db.execute(sa.text(
            "INSERT INTO users (platform, platform_user_id, display_name, xp, streak_days, created_at) "
            "SELECT 'console', 'u' || g, 'user ' || g, 0, 0, now() FROM generate_series(1, CAST(:users AS integer)) g"),
            {"users": users})
        await db.execute(sa.text(
            "INSERT INTO tries (user_id, topic_id, question_id, channel_key, kind, skills, answer_text, correct, "
            "retry, skipped, hints_used, malrule, malrule_where, answered_at) "
            "SELECT 1 + g % :users, (CAST(:topics AS text[]))[1 + (g / :users) % :n], 'q/g/' || g, 'console::c', "
            "'expression', (CAST(:skills AS text[]))[1 + (g / :users) % :n], 'x', g % 3 <> 0, g % 11 = 0, "
            "g % 17 = 0, 0, CASE WHEN g % 3 = 0 AND g % 2 = 0 THEN (CAST(:codes AS text[]))[1 + g % :ncodes] END, "
            "NULL, CAST(:now AS timestamptz) - make_interval(secs => (:count - g)) "
            "FROM generate_series(1, CAST(:count AS integer)) g"),
            {"users": users, "topics": topics, "skills": skills, "n": len(topics), "codes": list(MISTAKE_CODES),
             "ncodes": len(MISTAKE_CODES), "now": NOW, "count": tries})
        await db.execute(sa.text(
            "INSERT INTO cards (user_id, topic_id, state_json, due, last_review, reps, lapses, version) "
            "SELECT u, t, :state, CAST(:due AS timestamptz), CAST(:last AS timestamptz), 1, 0, 1 "
            "FROM generate_series(1, CAST(:users AS integer)) u, unnest(CAST(:topics AS text[])) t"),
            {"users": users, "topics": topics, "state": card.state_json, "due": NOW + timedelta(days=3),
             "last": card.last_review})
        await db.execute(sa.text(
            "INSERT INTO learned_topics (user_id, topic_id, learned_at) "
            "SELECT u, t, CAST(:now AS timestamptz) FROM generate_series(1, CAST(:users AS integer)) u, "
            "unnest(CAST(:topics AS text[])) t"), {"users": users, "topics": topics, "now": NOW})
    async with store.transaction() as db:
        await db.execute(sa.text("ANALYZE"))


class TimedRunner:
    """Runs the engine's worker jobs (question generation, a picture question's drawing) in-process,
    adds up their time and names them, so the slowest requests can say what they spent it on."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.jobs: list[str] = []

    async def __call__(self, fn: Any, *args: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args)
        finally:
            took = time.perf_counter() - t0
            self.spent += took
            subject = args[0] if args and isinstance(args[0], str) and len(args[0]) < 40 else "…"
            self.jobs.append(f"{getattr(fn, '__name__', fn)}({subject}) {took * 1000:.0f} ms")


def _summary(name: str, times: list[float]) -> str:
    times.sort()
    p50, p99 = statistics.median(times), times[int(0.99 * (len(times) - 1))]
    return (f"{name}: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
            f"(target p99 < {TARGET_P99_MS:g} ms: {p99 / TARGET_P99_MS:.2f}× the target)")


async def main(tries: int, users: int, queries: int) -> None:
    async with scratch_database() as url:
        store = await Store.open(url)
        started = time.perf_counter()
        await _fill(store, tries, users)
        print(f"inserted {tries:,} tries from {users:,} learners (and {len(curriculum().topics())} cards each) "
              f"in {time.perf_counter() - started:.1f} s")
        runner = TimedRunner()
        engine = QuizEngine(store, curriculum(), lambda: NOW, runner, rng=random.Random(1))
        rng = random.Random(2)
        picked = [rng.randrange(1, users + 1) for _ in range(queries)]
        learners = [UserRef("console", f"u{n}", f"user {n}") for n in picked]
        for module in PRELOAD:  # what the fork server does before forking a worker (its warm-up last)
            importlib.import_module(module)
        for learner in learners[:5]:  # warm the connection pools and caches, as a running bot is
            await engine.progress(learner)
            await engine.ask(learner, "console::warm")
        progress_times, quiz_times, quiz_less_generation = [], [], []
        slowest: list[tuple[float, list[str]]] = []
        last = None
        for learner in learners:
            t0 = time.perf_counter()
            last = await engine.progress(learner)
            progress_times.append((time.perf_counter() - t0) * 1000)
            runner.spent, runner.jobs = 0.0, []
            t0 = time.perf_counter()
            await engine.ask(learner, "console::bench")
            quiz_times.append((time.perf_counter() - t0) * 1000)
            quiz_less_generation.append(quiz_times[-1] - runner.spent * 1000)
            slowest.append((quiz_times[-1], runner.jobs))
        assert last is not None and last.counts.answered > 0 and last.skills
        load = os.getloadavg()
        print(f"(load average during the run: {load[0]:.1f} on {os.cpu_count()} cores)")
        print(_summary("/progress", progress_times))
        print(_summary("/quiz", quiz_times))
        print(_summary("/quiz less generating the question (SymPy, in the worker pool)", quiz_less_generation))
        unpictured = [took for took, jobs in slowest if not any(job.startswith("question_image") for job in jobs)]
        print(_summary(f"/quiz on the {len(unpictured)} questions with no picture to draw", unpictured))
        for took, jobs in sorted(slowest, key=lambda row: -row[0])[:3]:
            print(f"  a slowest /quiz: {took:.0f} ms, its worker jobs: {'; '.join(jobs)}")
        from plotting.mastery import render_mastery

        t0 = time.perf_counter()
        render_mastery([(skill.name, skill.mastery) for skill in last.skills])
        print(f"(the /progress chart of {len(last.skills)} skills, drawn beside the text in the worker pool: "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms)")
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tries", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.tries, args.users, args.queries))
