"""What the cohort commands use: groups, the daily question, the digest, the scheduler and the standings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.cohorts.daily import Daily
from bot.cohorts.digest import Digests
from bot.cohorts.groups import Groups
from bot.cohorts.organiser import Organiser
from bot.cohorts.scheduler import Scheduler
from bot.core.reply import Reply


@dataclass
class Cohorts:
    groups: Groups
    daily: Daily
    scheduler: Scheduler
    store: object
    curriculum: object
    organiser: Organiser
    digests: Digests


def build_cohorts(store: object, quiz: object, run: Callable, curriculum: object,
                  clock: Callable[[], datetime], *, figures: bool = True) -> Cohorts:
    daily = Daily(store, quiz, run, curriculum)
    groups, organiser, digests = Groups(store), Organiser(store, run, curriculum), Digests(store)

    async def compose(row: dict, now: datetime) -> Reply:
        """A claimed push's reply: the day's question or its reveal, or a cohort's weekly digest."""
        if row["kind"] != "digest":
            return await daily.compose(row, now)
        digest = row["schedule"]
        cohort = await groups.by_id(digest.cohort_id)
        if cohort is None:  # deleted between claim and send (the cascade removes the row soon after)
            return Reply(text="This cohort has been deleted; its digest has stopped.")
        # In the home channel: the aggregate only; privately to the organiser: every member's row.
        return await organiser.view(cohort, "week", now, viewer=None if digest.private else "", figures=figures,
                                    headline="weekly digest")

    scheduler = Scheduler(store, clock, compose, digests)
    return Cohorts(groups, daily, scheduler, store, curriculum, organiser, digests)
