"""What the cohort commands use: groups, the daily question, the scheduler and the standings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.cohorts.daily import Daily
from bot.cohorts.groups import Groups
from bot.cohorts.scheduler import Scheduler


@dataclass
class Cohorts:
    groups: Groups
    daily: Daily
    scheduler: Scheduler
    store: object
    curriculum: object


def build_cohorts(store: object, quiz: object, run: Callable, curriculum: object,
                  clock: Callable[[], datetime]) -> Cohorts:
    daily = Daily(store, quiz, run, curriculum)
    return Cohorts(Groups(store), daily, Scheduler(store, clock, daily.compose), store, curriculum)
