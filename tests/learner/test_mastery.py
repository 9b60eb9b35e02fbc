"""Bayesian Knowledge Tracing per skill: how each kind of try counts, with the default parameters."""

from __future__ import annotations

import pytest

from bot.learner import DEFAULT_PARAMS, MASTERED, BKTParams, Try, mastery, observe


def _right(skill: str = "power_rule", **kw: object) -> Try:
    return Try((skill,), True, **kw)  # type: ignore[arg-type]


def _posterior_by_hand(p: float, correct: bool, slip: float, guess: float, learn: float) -> float:
    """Bayes' rule written out independently of the code under test."""
    if correct:
        post = p * (1 - slip) / (p * (1 - slip) + (1 - p) * guess)
    else:
        post = p * slip / (p * slip + (1 - p) * (1 - guess))
    return post + (1 - post) * learn


def test_one_update_is_bayes_rule_then_learning() -> None:
    params = BKTParams(p_init=0.3, p_learn=0.2, p_slip=0.1, p_guess=0.25)
    assert observe(0.3, True, params) == pytest.approx(_posterior_by_hand(0.3, True, 0.1, 0.25, 0.2))
    assert observe(0.3, False, params) == pytest.approx(_posterior_by_hand(0.3, False, 0.1, 0.25, 0.2))


def test_right_first_tries_master_a_skill_within_eight_questions() -> None:
    tries = [_right() for _ in range(8)]
    levels = [mastery(tries[: k + 1])["power_rule"] for k in range(8)]
    assert levels[-1] >= MASTERED
    assert any(level >= MASTERED for level in levels[:8])
    assert levels == sorted(levels)  # every right answer raises mastery


def test_right_multiple_choice_picks_master_within_eight_questions_too() -> None:
    tries = [_right(kind="choice") for _ in range(8)]
    assert mastery(tries)["power_rule"] >= MASTERED


def test_one_lucky_answer_is_not_mastery() -> None:
    assert mastery([_right()])["power_rule"] < MASTERED
    assert mastery([_right(kind="choice")] * 2)["power_rule"] < MASTERED


def test_a_learner_who_keeps_making_the_mistake_is_never_mastered() -> None:
    wrong = Try(("chain_rule", "trig_derivatives"), False, malrule="chain_rule_inner_missing")
    for count in range(1, 60):
        assert mastery([wrong] * count)["chain_rule"] < MASTERED


def test_a_repeated_mistake_between_right_answers_keeps_the_skill_unmastered() -> None:
    wrong = Try(("chain_rule",), False, malrule="chain_rule_inner_missing")
    tries = [_right("chain_rule"), wrong] * 30
    assert mastery(tries)["chain_rule"] < MASTERED


def test_a_diagnosed_mistake_counts_against_its_own_skill_only() -> None:
    start = [Try(("chain_rule", "trig_derivatives"), True)]
    wrong = Try(("chain_rule", "trig_derivatives"), False, malrule="chain_rule_inner_missing")
    before, after = mastery(start), mastery([*start, wrong])
    assert after["chain_rule"] < before["chain_rule"]
    assert after["trig_derivatives"] == before["trig_derivatives"]


def test_a_mistake_outside_the_questions_skills_still_counts_against_its_skill() -> None:
    wrong = Try(("product_rule",), False, malrule="trig_sign")
    assert set(mastery([wrong])) == {"trig_derivatives"}
    assert mastery([wrong])["trig_derivatives"] < DEFAULT_PARAMS.p_init + DEFAULT_PARAMS.p_learn


def test_an_undiagnosed_wrong_answer_counts_against_every_skill_of_the_question() -> None:
    wrong = Try(("chain_rule", "trig_derivatives"), False)
    after = mastery([wrong])
    assert after["chain_rule"] < DEFAULT_PARAMS.p_init
    assert after["trig_derivatives"] < DEFAULT_PARAMS.p_init


def test_a_skip_is_no_evidence() -> None:
    tries = [_right(), Try(("power_rule",), False, skipped=True), Try(("chain_rule",), False, skipped=True)]
    assert mastery(tries) == mastery(tries[:1])
    assert "chain_rule" not in mastery(tries)


def test_a_retry_is_weaker_evidence_both_ways() -> None:
    wrong_first = Try(("power_rule",), False)
    right_retry = mastery([wrong_first, _right(retry=True)])["power_rule"]
    right_first = mastery([wrong_first, _right()])["power_rule"]
    assert mastery([wrong_first])["power_rule"] < right_retry < right_first
    wrong_retry = mastery([_right(), Try(("power_rule",), False, retry=True)])["power_rule"]
    wrong_again = mastery([_right(), Try(("power_rule",), False)])["power_rule"]
    assert wrong_again < wrong_retry < mastery([_right()])["power_rule"]


def test_skills_never_tried_are_absent() -> None:
    assert mastery([]) == {}
    assert set(mastery([Try(("jacobian", "partial_derivatives"), True)])) == {"jacobian", "partial_derivatives"}


def test_parameters_per_skill_are_used() -> None:
    slow = BKTParams(p_init=0.01, p_learn=0.01, p_slip=0.1, p_guess=0.3)
    tries = [_right()] * 2
    assert mastery(tries, {"power_rule": slow})["power_rule"] < mastery(tries)["power_rule"]


def test_parameters_must_be_probabilities() -> None:
    with pytest.raises(ValueError):
        BKTParams(p_init=1.5, p_learn=0.1, p_slip=0.1, p_guess=0.1)
    with pytest.raises(ValueError):
        BKTParams(p_init=0.5, p_learn=0.1, p_slip=0.6, p_guess=0.5)


def test_three_lucky_answers_after_repeated_mistakes_are_not_mastery() -> None:
    wrong = Try(("power_rule",), False, malrule="power_rule_exponent_kept")
    assert mastery([wrong] * 6 + [_right()] * 3)["power_rule"] < MASTERED
    assert mastery([wrong] * 6 + [_right()] * 5)["power_rule"] >= MASTERED


def test_a_retry_adds_no_second_chance_to_learn() -> None:
    wrong_then_right_retry = mastery([Try(("power_rule",), False), _right(retry=True)])["power_rule"]
    after_wrong = mastery([Try(("power_rule",), False)])["power_rule"]
    p_retry_guess = 0.5
    posterior = after_wrong * 0.9 / (after_wrong * 0.9 + (1 - after_wrong) * p_retry_guess)
    assert wrong_then_right_retry == pytest.approx(posterior)
