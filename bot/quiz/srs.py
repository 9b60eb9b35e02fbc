"""Spaced repetition with FSRS: one card per user per topic, stored as fsrs JSON.

A card stands for a topic (a skill, practised with fresh generated questions), not for one
flashcard, so the schedule runs in whole days: no minute-long learning steps (a wrong answer
brings the topic back tomorrow, not in ten minutes) and no random fuzz (a learner has a few dozen
cards; spreading load is not worth non-reproducible schedules). Time is always passed in.

Ratings (see ``rating_for``):
- wrong answer, or a skip ............................ Again
- right, after one or more hints .................... Hard
- right, no hints ................................... Good
- right, no hints, within ``EASY_WITHIN`` of asking . Easy (it was at the learner's fingertips)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

EASY_WITHIN = timedelta(seconds=45)


@dataclass(frozen=True, slots=True)
class ReviewedCard:
    """The card after a review, ready for ``bot.store.CardUpdate``."""

    state_json: str
    due: datetime
    last_review: datetime
    rating: Rating


def rating_for(
    *, correct: bool, hints_used: int, answer_time: timedelta | None, skipped: bool = False
) -> Rating:
    """How well the learner recalled the topic, from what we can observe in chat."""
    if skipped or not correct:
        return Rating.Again
    if hints_used > 0:
        return Rating.Hard
    if answer_time is not None and timedelta(0) <= answer_time <= EASY_WITHIN:
        return Rating.Easy
    return Rating.Good


class SpacedRepetition:
    """An FSRS scheduler configured for topic cards; pure and picklable."""

    def __init__(self, *, desired_retention: float = 0.9, maximum_interval_days: int = 365):
        self._scheduler = Scheduler(
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=maximum_interval_days,
            enable_fuzzing=False,
        )

    def review(self, state_json: str | None, rating: Rating, now: datetime) -> ReviewedCard:
        """Apply one review at ``now`` to the stored card (``None``: the topic's first review)."""
        now = _utc(now)
        card = self._new_card(now) if state_json is None else load_card(state_json)
        reviewed, _log = self._scheduler.review_card(card, rating, review_datetime=now)
        return ReviewedCard(
            state_json=reviewed.to_json(),
            due=_utc(reviewed.due),
            last_review=now,
            rating=rating,
        )

    def retrievability(self, state_json: str, now: datetime) -> float:
        """The predicted probability of recall at ``now`` (0 for a card never reviewed)."""
        return float(self._scheduler.get_card_retrievability(load_card(state_json), _utc(now)))

    @staticmethod
    def _new_card(now: datetime) -> Card:
        # Pass id and due explicitly: fsrs would otherwise read the wall clock (and sleep 1 ms).
        return Card(card_id=int(now.timestamp() * 1000), state=State.Learning, due=now)


def load_card(state_json: str) -> Card:
    card = Card.from_json(state_json)
    card.due = _utc(card.due)
    if card.last_review is not None:
        card.last_review = _utc(card.last_review)
    return card


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: scheduling needs aware UTC times")
    return moment.astimezone(UTC)
