"""The learner model's fold, step by step (what the store repeats in SQL), is ``mastery`` exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.learner import MISTAKE_CODES, SKILLS, Try, mastery
from bot.learner.steps import SkillState, fold, step_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

tries = st.builds(
    Try,
    skills=st.lists(st.sampled_from(SKILLS[:5]), min_size=1, max_size=3).map(tuple),
    correct=st.booleans(), retry=st.booleans(), skipped=st.booleans(),
    malrule=st.none() | st.sampled_from(sorted(MISTAKE_CODES)[:6]),
    kind=st.sampled_from(["expression", "choice", "number"]),
)


@given(st.lists(tries, max_size=40), st.integers(0, 40))
def test_folding_tries_one_by_one_or_in_two_parts_is_mastery_over_all_of_them(given_tries, cut) -> None:
    timed = [(one, T0 + timedelta(minutes=n)) for n, one in enumerate(given_tries)]
    states = fold(timed[cut:], states=fold(timed[:cut]))
    assert {skill: s.known for skill, s in states.items() if s.known is not None} == mastery(given_tries)


def test_a_skip_changes_nothing_and_a_right_retry_is_counted_but_not_right_first_time() -> None:
    assert step_of(Try(skills=("chain_rule",), correct=False, skipped=True)).skills == ()
    retry = fold([(Try(skills=("chain_rule",), correct=True, retry=True), T0)])["chain_rule"]
    first = fold([(Try(skills=("chain_rule",), correct=True), T0)])["chain_rule"]
    assert (retry.answered, retry.right, first.answered, first.right) == (1, 0, 1, 1)
    assert retry.known is not None and first.known is not None and retry.known < first.known


def test_a_diagnosed_mistake_counts_the_answer_on_the_questions_skills_and_evidence_on_the_mistakes() -> None:
    states = fold([(Try(skills=("product_rule",), correct=False, malrule="chain_rule_inner_missing"), T0)])
    assert states["product_rule"] == SkillState(None, 1, 0, T0)
    assert states["chain_rule"].answered == 0 and states["chain_rule"].known is not None
