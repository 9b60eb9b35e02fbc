"""A burst of 200 messages from 100 users over 2 instances: two real ``calcbot slack --http``
processes on one PostgreSQL (a scratch database, dropped at the end), against the loopback Slack.

Prints the acknowledgement latency (the HTTP answer to Slack's POST; Slack wants it within 3 s, our
target is p99 < 200 ms) and the answer latency (the POST until the answer reaches the response_url),
p50/p90/p99/max, and the throughput the two instances sustained.

Run by hand:
    CALCBOT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.instances [--users 100] [--per-user 2] [--instances 2]

The 200 messages go out within ``--over`` seconds (1 by default: 200 messages a second, a course's
burst as everyone starts the exercise together; 0 sends them all in the same instant), a
mix of calculus (the worker pool) and learning commands (the database), alternating instances as a
round-robin load balancer would. The per-user limits are the shared defaults (30 a minute, 2 in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from benchmarks.scratch import scratch_database
from tests.instances.slack_processes import post_signed, start_instances
from tests.slack.standin import SlackStandIn
from tests.slack.world import slash

TARGET_ACK_P99_MS = 200.0
MIX = ["/derive x^2 sin x", "/partial x^2 y^3 wrt y", "/grad x^2 y + y^3 at (1, 2)", "/lesson", "/progress",
       "/derive e^(x y) wrt x", "/hessian x^3 + x y^2", "/progress"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (not its children: the worker processes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def show(name: str, values: list[float]) -> str:
    return (f"{name}: p50 {percentile(values, 0.5):7.1f} ms  p90 {percentile(values, 0.9):7.1f} ms  "
            f"p99 {percentile(values, 0.99):7.1f} ms  max {max(values):7.1f} ms  (n={len(values)})")


async def burst(users: int, per_user: int, count: int, over: float, url: str, data_dir: Path,
                figures: bool = True) -> int:
    standin = SlackStandIn()
    await standin.start()
    names = [f"U{n:04d}" for n in range(users)]
    for name in [*names, "UWARM"]:
        standin.add_user(name, name.lower())
    started = time.perf_counter()
    instances = await start_instances(standin, url, data_dir, count, CALCBOT_FIGURES=str(figures).lower())
    print(f"{count} instances ready in {time.perf_counter() - started:.1f} s "
          f"(CALCBOT_WORKERS=1 each, figures {'on' if figures else 'off'}, {os.cpu_count()} cores on this machine)")
    sent_at: dict[str, float] = {}
    acks: list[float] = []
    statuses: list[int] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            for n, text in enumerate(MIX * count):  # first uses pay for imports and caches: not the burst's
                form = slash(text, user="UWARM", channel="C0GEN", response_url=standin.hook_url(f"w{n}"))
                await post_signed(http, instances[n % count].events_url, form)
                while not any(r["hook"] == f"w{n}" for r in standin.responses):
                    await asyncio.sleep(0.05)

            async def send(n: int) -> None:
                await asyncio.sleep(over * n / (users * per_user))
                user, text = names[n % users], MIX[n % len(MIX)]
                hook = f"b{n}"
                form = slash(text, user=user, channel=f"C{n % 20:03d}", response_url=standin.hook_url(hook))
                sent_at[hook] = time.monotonic()
                status = await post_signed(http, instances[n % count].events_url, form)
                acks.append((time.monotonic() - sent_at[hook]) * 1000)
                statuses.append(status)

            total = users * per_user
            cpu_before = [cpu_seconds(i.process.pid) for i in instances]
            began = time.monotonic()
            await asyncio.gather(*(send(n) for n in range(total)))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if sum(1 for r in standin.responses if r["hook"].startswith("b")) >= total:
                    break
                await asyncio.sleep(0.05)
        cpu = [cpu_seconds(i.process.pid) - before for i, before in zip(instances, cpu_before, strict=True)]
        answered = {r["hook"]: r for r in standin.responses if r["hook"].startswith("b")}
        latencies = [(r["at"] - sent_at[hook]) * 1000 for hook, r in answered.items()]
        errors = [r["body"].get("text", "")[:60] for r in answered.values() if r["body"].get("response_type") == "ephemeral"]
        last = max(r["at"] for r in answered.values())
        print(f"burst: {total} messages from {users} users over {count} instances, sent within {over:g} s; "
              f"acks {statuses.count(200)}/{total} HTTP 200; answers {len(answered)}/{total}")
        print(show("ack   ", acks))
        print(show("answer", latencies))
        print(f"throughput: {len(answered) / (last - began):.1f} answers/s over the burst "
              f"({last - began:.2f} s from the first message to the last answer)")
        print(f"chat processes' own CPU (event loop, not the workers): {sum(cpu):.2f} s in all, "
              f"{sum(cpu) / total * 1000:.1f} ms a message; load average now {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        if errors:
            print(f"error replies: {len(errors)}, e.g. {sorted(set(errors))[:3]}")
        p99 = percentile(acks, 0.99)
        print(f"ack p99 {p99:.1f} ms vs target < {TARGET_ACK_P99_MS:.0f} ms: {'MET' if p99 < TARGET_ACK_P99_MS else 'MISSED'}")
        return 0 if p99 < TARGET_ACK_P99_MS and len(answered) == total else 1
    finally:
        for instance in instances:
            await instance.stop()
        await standin.stop()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--no-figures", action="store_true", help="text-only answers (CALCBOT_FIGURES=false)")
    parser.add_argument("--over", type=float, default=1.0, help="seconds the burst is spread over (0: all at once)")
    args = parser.parse_args()
    async with scratch_database() as url:
        with tempfile.TemporaryDirectory() as data_dir:
            return await burst(args.users, args.per_user, args.instances, args.over, url, Path(data_dir),
                               figures=not args.no_figures)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
