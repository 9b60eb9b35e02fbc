"""FSRS scheduling for topic cards, checked against the FSRS model's own definitions.

Independent facts used: a new card's stability is the default weight w[rating-1]; at the desired
retention of 0.9 the interval equals the stability (R(S) = 0.9 by definition), rounded to whole
days and at least one; R(t) = (1 + F t / S)^(-w20) with F = 0.9^(-1/w20) - 1.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating
from fsrs.scheduler import DEFAULT_PARAMETERS

from bot.quiz.srs import EASY_WITHIN, SpacedRepetition, rating_for

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _expected_first_interval(rating: Rating) -> timedelta:
    return timedelta(days=max(1, round(DEFAULT_PARAMETERS[rating - 1])))


@pytest.mark.parametrize("rating", list(Rating), ids=lambda r: r.name)
def test_a_new_card_is_due_after_its_initial_stability_in_whole_days(rating: Rating) -> None:
    reviewed = SpacedRepetition().review(None, rating, NOW)
    assert reviewed.due - NOW == _expected_first_interval(rating)


def test_a_wrong_first_answer_brings_the_topic_back_the_next_day() -> None:
    reviewed = SpacedRepetition().review(None, Rating.Again, NOW)
    assert reviewed.due == NOW + timedelta(days=1)


def test_a_lapse_after_a_long_interval_brings_the_topic_back_sooner_than_a_pass() -> None:
    srs = SpacedRepetition()
    state = srs.review(None, Rating.Easy, NOW)
    later = state.due
    failed = srs.review(state.state_json, Rating.Again, later)
    passed = srs.review(state.state_json, Rating.Good, later)
    assert failed.due - later < passed.due - later
    assert passed.due - later > state.due - NOW  # a pass grows the interval


def test_card_state_round_trips_through_json() -> None:
    reviewed = SpacedRepetition().review(None, Rating.Good, NOW)
    data = json.loads(reviewed.state_json)
    assert data["stability"] == pytest.approx(DEFAULT_PARAMETERS[2])
    assert datetime.fromisoformat(data["last_review"]) == NOW


def test_retrievability_follows_the_fsrs_forgetting_curve() -> None:
    srs = SpacedRepetition()
    reviewed = srs.review(None, Rating.Good, NOW)
    stability = json.loads(reviewed.state_json)["stability"]
    decay = DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (-1 / decay) - 1
    for days in (0, 1, 3, 10, 30):
        expected = (1 + factor * days / stability) ** (-decay)
        assert srs.retrievability(reviewed.state_json, NOW + timedelta(days=days)) == pytest.approx(expected)


def test_retrievability_is_ninety_percent_after_one_stability() -> None:
    srs = SpacedRepetition()
    # Easy's initial stability is about 8.3 days; after 8 whole days recall is still just above 0.9.
    reviewed = srs.review(None, Rating.Easy, NOW)
    assert srs.retrievability(reviewed.state_json, NOW + timedelta(days=8)) == pytest.approx(0.9, abs=0.005)


def test_times_in_other_zones_are_converted_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    reviewed = SpacedRepetition().review(None, Rating.Good, NOW.astimezone(paris))
    assert reviewed.last_review == NOW and reviewed.due.tzinfo == UTC


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        SpacedRepetition().review(None, Rating.Good, datetime(2026, 3, 2))


def test_the_scheduler_is_picklable_for_worker_processes() -> None:
    srs = pickle.loads(pickle.dumps(SpacedRepetition()))
    assert srs.review(None, Rating.Good, NOW).due == NOW + _expected_first_interval(Rating.Good)


def test_review_is_deterministic() -> None:
    srs = SpacedRepetition()
    first = srs.review(None, Rating.Good, NOW)
    later = first.due + timedelta(days=3)
    assert srs.review(first.state_json, Rating.Good, later) == srs.review(first.state_json, Rating.Good, later)


@pytest.mark.parametrize(
    ("correct", "hints", "seconds", "skipped", "expected"),
    [
        (False, 0, 10, False, Rating.Again),
        (True, 0, 10, True, Rating.Again),
        (True, 2, 10, False, Rating.Hard),
        (True, 0, 600, False, Rating.Good),
        (True, 0, None, False, Rating.Good),
        (True, 0, 20, False, Rating.Easy),
    ],
    ids=["wrong", "skipped", "hinted", "slow", "untimed", "fast"],
)
def test_rating_from_what_the_learner_did(
    correct: bool, hints: int, seconds: float | None, skipped: bool, expected: Rating
) -> None:
    answer_time = None if seconds is None else timedelta(seconds=seconds)
    assert rating_for(correct=correct, hints_used=hints, answer_time=answer_time, skipped=skipped) == expected


def test_the_easy_window_is_inclusive() -> None:
    assert rating_for(correct=True, hints_used=0, answer_time=EASY_WITHIN) == Rating.Easy
