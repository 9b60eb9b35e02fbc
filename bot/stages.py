"""Where a job's time went: reading, rules, tidying, presenting, picture.

A job runs inside ``timing()`` (``bot.guard.guarded`` opens it in the worker); the code marks its
stages with ``stage(name)``. Each stage's time excludes the stages nested in it (tidying inside the
rules is counted once, as tidying), and whatever no stage claimed is the job's ``rest`` (presenting
for an answer, the picture for a figure). The figures travel back with the job's result — worker
processes have no log handler — and the chat process logs them at debug level (``log_stages``).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar

STAGES = ("reading", "rules", "tidying", "presenting", "picture")

Timings = tuple[tuple[str, float], ...]  # (stage, seconds) in STAGES order

log = logging.getLogger("calcbot.stages")


class _Clock:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.nested: list[float] = [0.0]  # per open stage: time its inner stages took


_clock: ContextVar[_Clock | None] = ContextVar("calcbot_stage_clock", default=None)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the time of this block to ``name`` (free when no job is being timed)."""
    clock = _clock.get()
    if clock is None:
        yield
        return
    began = time.perf_counter()
    clock.nested.append(0.0)
    try:
        yield
    finally:
        took = time.perf_counter() - began
        inner = clock.nested.pop()
        clock.spent[name] = clock.spent.get(name, 0.0) + took - inner
        clock.nested[-1] += took


class Timing:
    """The stages of one job, read once it has finished."""

    def __init__(self, clock: _Clock, began: float):
        self._clock, self._began = clock, began

    def stages(self, rest: str) -> Timings:
        """Every stage that took time, the unclaimed time named ``rest``."""
        spent = dict(self._clock.spent)
        total = time.perf_counter() - self._began
        spent[rest] = spent.get(rest, 0.0) + max(0.0, total - self._clock.nested[0])
        return tuple((name, spent[name]) for name in STAGES if spent.get(name, 0.0) > 0.0)


@contextlib.contextmanager
def timing() -> Iterator[Timing]:
    clock = _Clock()
    token = _clock.set(clock)
    try:
        yield Timing(clock, time.perf_counter())
    finally:
        _clock.reset(token)


def log_stages(job: str, *timings: Timings) -> None:
    """One debug line per answer: each stage's milliseconds, summed over its jobs (answer and picture)."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    spent: dict[str, float] = {}
    for stages in timings:
        for name, seconds in stages:
            spent[name] = spent.get(name, 0.0) + seconds
    if spent:
        parts = ", ".join(f"{name} {spent[name] * 1000:.1f} ms" for name in STAGES if name in spent)
        log.debug("%s stages: %s (total %.1f ms)", job, parts, sum(spent.values()) * 1000)
