"""Generating a /quiz question, each way the engine asks for one: aimed at each mistake
(``generate_aimed``, every code in ``content.aimed.RECIPES``), on each skill (``generate_for_skill``)
and on each topic (``generate_question``), over random seeds as the engine draws them; p50/p99/max
per way against the /quiz target p99 < 100 ms, and the slowest subjects.

Run by hand:
    .venv/bin/python -m benchmarks.generation [--seeds 40]

In-process, warmed as a worker is (``bot.workers.PRELOAD``); drawing a picture question's image is
not generation (``benchmarks/pictures.py`` times it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import time
from collections.abc import Callable, Iterable

from bot.learner import SKILLS
from bot.workers import PRELOAD
from content import aimed
from content.catalog import curriculum
from content.generate import generate_aimed, generate_for_skill, generate_question
from content.questions import Question

TARGET_P99_MS = 100.0


def _time(generate: Callable[[str, int], Question], subjects: Iterable[str], seeds: list[int]) -> list[tuple[float, str]]:
    times = []
    for subject in subjects:
        for seed in seeds:
            t0 = time.perf_counter()
            generate(subject, seed)
            times.append(((time.perf_counter() - t0) * 1000, subject))
    return times


def _report(name: str, times: list[tuple[float, str]]) -> None:
    values = sorted(took for took, _ in times)
    p50, p99 = statistics.median(values), values[int(0.99 * (len(values) - 1))]
    print(f"{name:<34} n={len(values):<5} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  max {values[-1]:6.1f} ms  "
          f"(p99 {p99 / TARGET_P99_MS:.2f}× the target)")
    by_subject: dict[str, list[float]] = {}
    for took, subject in times:
        by_subject.setdefault(subject, []).append(took)
    worst = sorted(by_subject.items(), key=lambda item: -max(item[1]))[:3]
    print("    slowest: " + ", ".join(f"{subject} (max {max(ts):.0f} ms, p50 {statistics.median(ts):.0f})" for subject, ts in worst))


def main(count: int) -> None:
    rng = random.Random(1)
    seeds = [rng.randrange(2**31) for _ in range(count)]  # as the engine draws them
    for module in PRELOAD:  # what the fork server does before forking a worker (its warm-up last)
        importlib.import_module(module)
    generate_aimed("sign_error", 0)  # loads the generators, as the first question in a worker does
    print(f"(load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {count} seeds per subject)")
    _report("aimed (every mistake)", _time(generate_aimed, aimed.RECIPES, seeds))
    _report("per skill (every skill)", _time(generate_for_skill, SKILLS, seeds))
    _report("per topic (every topic)", _time(generate_question, [t.id for t in curriculum().topics()], seeds))
    print(f"(load average at the end: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40)
    main(parser.parse_args().seeds)
