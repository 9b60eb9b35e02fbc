"""What to practise next: aims at a repeated mistake, and the weakest reached skill otherwise."""

from __future__ import annotations

from bot.learner import Try, choose_focus, current_aim, mistakes

INNER = "chain_rule_inner_missing"


def _wrong(code: str, skills: tuple[str, ...] = ("chain_rule",), **kw: object) -> Try:
    return Try(skills, False, malrule=code, **kw)  # type: ignore[arg-type]


def _right(skills: tuple[str, ...] = ("power_rule",), **kw: object) -> Try:
    return Try(skills, True, **kw)  # type: ignore[arg-type]


def _aimed_right(code: str = INNER) -> Try:
    return Try(("chain_rule",), True, aimed_at=code)


def test_one_mistake_is_not_an_aim() -> None:
    assert current_aim([_wrong(INNER), _right(), _right()]) is None


def test_the_same_mistake_in_two_of_the_last_five_tries_is_an_aim() -> None:
    tries = [_wrong(INNER), _right(), _right(), _right(), _wrong(INNER)]
    assert current_aim(tries) == INNER


def test_two_mistakes_further_apart_than_five_tries_are_not_an_aim() -> None:
    tries = [_wrong(INNER), _right(), _right(), _right(), _right(), _wrong(INNER)]
    assert current_aim(tries) is None


def test_skips_do_not_count_as_tries_in_the_window() -> None:
    skip = Try(("power_rule",), False, skipped=True)
    tries = [_wrong(INNER), skip, skip, skip, skip, skip, _wrong(INNER)]
    assert current_aim(tries) == INNER


def test_two_different_mistakes_are_not_an_aim() -> None:
    assert current_aim([_wrong(INNER), _wrong("trig_sign", ("trig_derivatives",))]) is None


def test_two_aimed_questions_right_at_the_first_try_end_the_aim() -> None:
    tries = [_wrong(INNER), _wrong(INNER), _aimed_right()]
    assert current_aim(tries) == INNER
    assert current_aim([*tries, _aimed_right()]) is None


def test_a_right_retry_or_a_question_not_aimed_does_not_end_the_aim() -> None:
    tries = [_wrong(INNER), _wrong(INNER), _aimed_right(), Try(("chain_rule",), True, retry=True, aimed_at=INNER),
             _right(("chain_rule",))]
    assert current_aim(tries) == INNER


def test_an_ended_aim_does_not_start_again_from_the_old_mistakes() -> None:
    tries = [_wrong(INNER), _wrong(INNER), _aimed_right(), _aimed_right(), _right()]
    assert current_aim(tries) is None
    assert current_aim([*tries, _wrong(INNER)]) is None
    assert current_aim([*tries, _wrong(INNER), _wrong(INNER)]) == INNER


def test_the_aim_names_the_mistake_in_words() -> None:
    focus = choose_focus([_wrong(INNER), _wrong(INNER)], ["power_rule", "chain_rule"])
    assert focus.skill == "chain_rule"
    assert focus.aimed_at == INNER
    assert focus.why == "You've left out the inside's derivative twice — here is one to practise it."


def test_the_aim_counts_the_mistake_made_again_while_practising_it() -> None:
    focus = choose_focus([_wrong(INNER), _wrong(INNER), _wrong(INNER, aimed_at=INNER)], ["chain_rule"])
    assert focus.why == "You've left out the inside's derivative three times — here is one to practise it."
    focus = choose_focus([_wrong(INNER), _right(), _wrong(INNER), _aimed_right(), _wrong(INNER, aimed_at=INNER)],
                         ["chain_rule"])
    assert focus.why == "You've left out the inside's derivative three times lately — one more right and we'll move on."


def test_without_an_aim_the_weakest_reached_skill_is_chosen() -> None:
    tries = [_right(("power_rule",)), _right(("power_rule",)), Try(("product_rule",), False)]
    focus = choose_focus(tries, ["power_rule", "product_rule"])
    assert (focus.skill, focus.aimed_at) == ("product_rule", None)
    assert focus.why is not None and "the product rule" in focus.why


def test_an_untried_reached_skill_comes_before_a_practised_one() -> None:
    tries = [_right(("power_rule",)), _right(("power_rule",))]
    assert choose_focus(tries, ["power_rule", "chain_rule"]).skill == "chain_rule"


def test_ties_follow_the_order_the_skills_are_given() -> None:
    assert choose_focus([], ["chain_rule", "power_rule"]).skill == "chain_rule"


def test_nothing_reached_means_no_focus() -> None:
    focus = choose_focus([_right()], [])
    assert focus.skill is None and focus.aimed_at is None and focus.why is None


def test_mistakes_are_counted_most_frequent_first() -> None:
    tries = [_wrong("trig_sign"), _wrong(INNER), _wrong(INNER), _right(), _wrong("trig_sign"), _wrong(INNER)]
    assert mistakes(tries) == [(INNER, 3), ("trig_sign", 2)]
    assert mistakes([_right()]) == []
