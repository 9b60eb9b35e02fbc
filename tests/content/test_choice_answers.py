"""A multiple-choice question answered by the option's text or an equivalent expression (issue 12 §5)."""

from __future__ import annotations

import pytest

from bot.errors import BadArgument
from content.generate import grade_answer
from content.questions import Question

CHOICES = ("2*x*cos(x**2)", "cos(x**2)", "2*x*sin(x**2)", "x**2*cos(x**2)")


def _question(answer: str = "A", choices: tuple[str, ...] = CHOICES) -> str:
    return Question(id="t/c/1", topic_id="t", prompt="d/dx sin(x^2)?", kind="choice", answer=answer,
                    choices=choices).to_json()


@pytest.mark.parametrize("typed", ["A", "a", "(A)", "2*x*cos(x**2)", "2x cos(x^2)", "cos(x^2) 2x", "x cos(x²) + x cos(x²)"])
def test_the_right_option_by_letter_text_or_an_equivalent_expression(typed):
    assert grade_answer(_question(), typed).correct


def test_an_equivalent_expression_of_a_wrong_option_picks_that_option():
    grade = grade_answer(_question(), "2x sin x^2")
    assert not grade.correct and "you chose C" in grade.feedback


def test_an_expression_that_is_no_option_is_refused_without_counting():
    with pytest.raises(BadArgument, match="letters A, B, C, D"):
        grade_answer(_question(), "3x")


def test_options_in_words_still_match_by_text():
    question = _question("B", ("a maximum", "a minimum", "a saddle point"))
    assert grade_answer(question, "a minimum").correct
    with pytest.raises(BadArgument):
        grade_answer(question, "x^2")
