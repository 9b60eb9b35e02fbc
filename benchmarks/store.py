"""Store throughput and latency: record many answers from many users, then time progress_rows.

Run by hand:
    .venv/bin/python -m benchmarks.store                    # 100k answers, 1k users, SQLite + PostgreSQL
    .venv/bin/python -m benchmarks.store --answers 10000    # smaller
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test .venv/bin/python -m benchmarks.store

Questions are opened first (timed apart: questions opened/s); then each answer is what the quiz
engine does for it: read the card, then record_answer (attempt + card + XP/streak + closing the
question, one transaction) — that rate is the answers/s figure. Answers run in
``--concurrency`` parallel tasks per process (each a pool connection) across ``--processes``
processes, each task owning its own users so no answer waits on another's card. PostgreSQL runs in
a throwaway schema, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import runtime
from bot.store import AnswerRecord, CardUpdate, OpenQuestion, Store

TOPICS = tuple(f"topic-{number:02d}" for number in range(30))
START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Target:
    url: str
    connect_args: dict[str, Any]
    label: str


def _plan(user_ids: list[int], answers: int, seed: int) -> list[tuple[int, str, str, datetime]]:
    """(user, channel, topic, time) for each answer; one channel per answer so every question can
    be opened before the timed phase."""
    rng = random.Random(seed)
    return [
        (user_ids[number % len(user_ids)], f"bench:{number}", rng.choice(TOPICS), START + timedelta(minutes=number))
        for number in range(answers)
    ]


async def _ask_loop(store: Store, plan: list[tuple[int, str, str, datetime]]) -> list[OpenQuestion]:
    opened = []
    for user_id, channel, topic, at in plan:
        question, _ = await store.put_open_question(
            user_id,
            channel,
            topic_id=topic,
            question_id=f"{topic}/gen/{channel}",
            question_json='{"prompt": "Differentiate x^3 sin(2x)."}',
            asked_at=at,
            expires_at=at + timedelta(hours=24),
        )
        opened.append(question)
    return opened


async def _answer_loop(store: Store, questions: list[OpenQuestion], seed: int) -> None:
    """What the quiz engine does per answer: read the card, then record_answer."""
    rng = random.Random(seed)
    for question in questions:
        card = await store.get_card(question.user_id, question.topic_id)
        correct = rng.random() < 0.7
        at = question.asked_at + timedelta(seconds=30)
        await store.record_answer(
            AnswerRecord(
                user_id=question.user_id,
                open_question_id=question.id,
                topic_id=question.topic_id,
                question_id=question.question_id,
                channel_key=question.channel_key,
                answer_text="3*x**2*sin(2*x) + 2*x**3*cos(2*x)",
                correct=correct,
                hints_used=0,
                rating=3 if correct else 1,
                xp_gained=10 if correct else 0,
                answered_at=at,
                card=CardUpdate(
                    state_json='{"card_id": 1, "state": 2, "step": null, "stability": 2.3, '
                    '"difficulty": 5.0, "due": "2026-01-03T08:00:00+00:00", "last_review": null}',
                    due=at + timedelta(days=2),
                    last_review=at,
                    expected_version=card.version if card else 0,
                ),
            )
        )


async def _process_main(
    target: Target, user_ids: list[int], answers: int, concurrency: int, seed: int, barrier: Any, results: Any
) -> None:
    """One writer process: open its questions, wait for every process, then time the answers."""
    store = await Store.open(target.url, connect_args=target.connect_args, pool_size=concurrency, migrate_schema=False)
    try:
        shares = [user_ids[index::concurrency] for index in range(concurrency)]
        counts = [answers // concurrency + (1 if index < answers % concurrency else 0) for index in range(concurrency)]
        plans = [_plan(share, count, seed * 1000 + index) for index, (share, count) in enumerate(zip(shares, counts, strict=True)) if share and count]
        began = time.perf_counter()
        opened = await asyncio.gather(*(_ask_loop(store, plan) for plan in plans))
        asked = time.perf_counter() - began
        barrier.wait()
        cpu_before = _cpu_seconds()
        machine_before = _machine_seconds()
        began = time.perf_counter()
        await asyncio.gather(*(_answer_loop(store, questions, seed * 1000 + index) for index, questions in enumerate(opened)))
        ended = time.perf_counter()
        results.put((asked, began, ended, _cpu_seconds() - cpu_before, machine_before, _machine_seconds()))
    finally:
        await store.close()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine_seconds() -> tuple[float, float]:
    """(busy, stolen): CPU time all processes on the machine have used, and time the hypervisor
    gave to other guests while this one wanted the CPU (Linux /proc/stat; zeros elsewhere).

    Over the timed phase, busy minus the writers' own CPU is the database server's share (and
    anything else running): on a small machine the two compete for the same cores. Stolen time
    is printed so that a slow run can be told apart from a starved one (here it was ~3% in fast
    and slow runs alike: the slow ones simply needed more CPU per answer).
    """
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    ticks = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / ticks, steal / ticks


def _process_entry(
    target: Target, user_ids: list[int], answers: int, concurrency: int, seed: int, barrier: Any, results: Any
) -> None:
    # The loop the bot itself runs on (uvloop where installed).
    runtime.run(_process_main(target, user_ids, answers, concurrency, seed, barrier, results))


async def _setup_users(store: Store, users: int) -> list[int]:
    ids = []
    for number in range(users):
        user = await store.get_or_create_user("bench", f"user-{number}", f"User {number}", START)
        ids.append(user.id)
    return ids


async def _progress_latency(store: Store, user_ids: list[int], samples: int) -> tuple[float, float]:
    rng = random.Random(7)
    timings = []
    for _ in range(samples):
        user_id = rng.choice(user_ids)
        began = time.perf_counter()
        await store.progress_rows(user_id)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def run(target: Target, *, answers: int, users: int, concurrency: int, processes: int, samples: int) -> None:
    async def setup() -> list[int]:
        store = await Store.open(target.url, connect_args=target.connect_args)
        try:
            return await _setup_users(store, users)
        finally:
            await store.close()

    user_ids = asyncio.run(setup())
    groups = [user_ids[index::processes] for index in range(processes)]
    counts = [answers // processes + (1 if index < answers % processes else 0) for index in range(processes)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_process_entry, args=(target, group, count, concurrency, index, barrier, results))
        for index, (group, count) in enumerate(zip(groups, counts, strict=True))
    ]
    for worker in workers:
        worker.start()
    timings = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    if any(worker.exitcode != 0 for worker in workers):
        raise SystemExit(f"{target.label}: a writer process failed")
    asked = max(timing[0] for timing in timings)
    # perf_counter is system-wide (CLOCK_MONOTONIC), so the processes' stamps compare.
    elapsed = max(timing[2] for timing in timings) - min(timing[1] for timing in timings)
    client_cpu_ms = sum(timing[3] for timing in timings) / answers * 1000
    machine_cpu_ms = (max(timing[5][0] for timing in timings) - min(timing[4][0] for timing in timings)) / answers * 1000
    stolen = max(timing[5][1] for timing in timings) - min(timing[4][1] for timing in timings)
    stolen_share = stolen / (elapsed * (os.cpu_count() or 1))

    async def measure() -> tuple[float, float]:
        store = await Store.open(target.url, connect_args=target.connect_args)
        try:
            return await _progress_latency(store, user_ids, samples)
        finally:
            await store.close()

    p50, p99 = asyncio.run(measure())
    print(
        f"{target.label:>10}: {answers} answers from {users} users, {processes} processes x "
        f"{concurrency} connections: {answers / elapsed:,.0f} answers/s (read card + record_answer; "
        f"{elapsed:.1f} s; client CPU {client_cpu_ms:.2f} ms/answer, whole machine "
        f"{machine_cpu_ms:.2f} ms/answer on {os.cpu_count()} cores, {stolen_share:.0%} of the cores "
        f"stolen by the host; {runtime.loop_name()}), questions opened at "
        f"{answers / asked:,.0f}/s; "
        f"progress_rows p50 {p50:.2f} ms, p99 {p99:.2f} ms"
    )


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=8, help="parallel connections per process")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="writer processes (PostgreSQL)")
    parser.add_argument("--samples", type=int, default=1_000, help="progress_rows calls to time")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)

    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "bench.db"
            # SQLite has one writer at a time: one process, a few connections queueing on the lock.
            run(Target(f"sqlite+aiosqlite:///{path}", {}, "sqlite"), answers=args.answers, users=args.users,
                concurrency=min(args.concurrency, 4), processes=1, samples=args.samples)

    if args.backend in ("postgresql", "both"):
        url = os.environ.get("CALCBOT_TEST_DATABASE_URL")
        if not url:
            print("postgresql: skipped (set CALCBOT_TEST_DATABASE_URL)", file=sys.stderr)
            return
        schema = f"calcbot_bench_{secrets.token_hex(4)}"
        asyncio.run(_pg_admin(url, f'CREATE SCHEMA "{schema}"'))
        try:
            target = Target(url, {"server_settings": {"search_path": schema}}, "postgresql")
            run(target, answers=args.answers, users=args.users, concurrency=args.concurrency,
                processes=args.processes, samples=args.samples)
        finally:
            asyncio.run(_pg_admin(url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
