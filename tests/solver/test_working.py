"""Splitting and checking a learner's working, link by link."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.solver.prefixes import is_working, split_equals
from bot.solver.working import check_working


def test_split_equals_ignores_brackets_and_comparisons() -> None:
    assert split_equals("f(x=1) = a = b") == ["f(x=1) ", " a ", " b"]
    assert split_equals("a <= b") == ["a <= b"]
    assert not is_working("x^2 = 2x") and is_working("x^2 = 2x = 2*x") and is_working("x^2\n= 2x")


def test_links_are_numbered_across_lines_and_the_first_is_the_differentiation_step() -> None:
    working = check_working("x", "x^2 sin(x)\n= 2x sin(x) + x^2 cos(x)\n= x(2 sin(x) + x cos(x))")
    assert [link.number for link in working.links] == [1, 2]
    assert [link.differentiation for link in working.links] == [True, False]
    assert [link.right for link in working.links] == [True, True] and working.final_right


def test_a_line_holding_lhs_equals_rhs_must_start_from_the_line_before() -> None:
    working = check_working("x", "x^3\n= 3x^2\n3x^3 = 9x^2")
    assert [link.right for link in working.links] == [True, False]
    assert working.links[1].restated is not None and not working.links[1].restated_ok


def test_a_wrong_differentiation_step_is_diagnosed_and_a_later_right_line_is_still_final() -> None:
    working = check_working(None, "d/dx sin(x^2) = cos(x^2) = 2x cos(x^2)")
    assert [link.right for link in working.links] == [False, False]
    assert working.finding is not None and working.finding.code == "chain_rule_inner_missing"
    assert working.final_right


def test_an_identity_chain_has_no_differentiation_step() -> None:
    working = check_working(None, "(x+1)^2 = x^2 + 2x + 1 = x^2 + 1")
    assert [link.right for link in working.links] == [True, False] and not working.final_right
    assert working.finding is None


def test_a_line_without_an_equals_sign_is_the_next_step_and_an_empty_step_is_refused() -> None:
    working = check_working("x", "x^2\n2x")
    assert [link.right for link in working.links] == [True]
    with pytest.raises(UsageError):
        check_working("x", "x^2\n= ")
