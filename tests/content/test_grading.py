"""Grading: which forms of an answer are accepted, and what a wrong answer is told."""

from __future__ import annotations

import pytest

from bot.errors import BadArgument, EmptyInput, ParseError
from content.generate import grade_answer, read_matrix
from content.questions import Grade, Question


def ask(kind: str, answer: str, choices: tuple[str, ...] = (), tolerance: float = 1e-6) -> str:
    return Question(
        id=f"test/{kind}/0", topic_id="test", prompt="?", kind=kind, answer=answer, choices=choices, tolerance=tolerance
    ).to_json()


def grade(kind: str, answer: str, given: str, **options: object) -> Grade:
    return grade_answer(ask(kind, answer, **options), given)  # type: ignore[arg-type]


# --- expressions


def test_expression_accepts_an_equivalent_form_in_student_notation() -> None:
    assert grade("expression", "2*x*cos(x**2)", "cos(x^2) 2x").correct


def test_expression_accepts_a_trig_identity_rewrite() -> None:
    assert grade("expression", "2*sin(x)*cos(x)", "sin(2x)").correct


def test_wrong_expression_shows_a_point_where_the_answers_differ() -> None:
    result = grade("expression", "2*x*cos(x**2)", "cos(x^2)")
    assert not result.correct
    assert "At x = " in result.feedback and "your answer gives" in result.feedback
    assert result.expected == "2*x*cos(x^2)"


def test_wrong_expression_names_a_stray_variable() -> None:
    result = grade("expression", "2*x", "2*y")
    assert not result.correct and "uses y" in result.feedback


def test_unparseable_answer_raises_the_parse_error() -> None:
    with pytest.raises(ParseError):
        grade("expression", "x", "2*(x")


def test_empty_answer_raises_empty_input() -> None:
    with pytest.raises(EmptyInput):
        grade("expression", "x", "   ")


# --- numbers


def test_number_accepts_an_exact_form_of_a_rounded_answer() -> None:
    assert grade("number", "0.707106781186548", "sqrt(2)/2", tolerance=1e-3).correct


def test_number_accepts_a_decimal_within_the_tolerance() -> None:
    assert grade("number", "sqrt(2)/2", "0.7071", tolerance=1e-3).correct


def test_number_rejects_a_decimal_outside_the_tolerance_and_says_how_far() -> None:
    result = grade("number", "sqrt(2)/2", "0.72", tolerance=1e-3)
    assert not result.correct
    assert "off by" in result.feedback
    assert result.expected == "sqrt(2)/2 ≈ 0.707107"


def test_number_near_miss_suggests_more_figures() -> None:
    result = grade("number", "sqrt(2)/2", "0.705", tolerance=1e-3)
    assert not result.correct and "more significant figures" in result.feedback


def test_number_with_the_wrong_sign_is_told_so() -> None:
    result = grade("number", "7/3", "-7/3")
    assert not result.correct and "sign is wrong" in result.feedback


def test_number_answer_with_a_variable_is_wrong_and_asks_for_substitution() -> None:
    result = grade("number", "12", "3*x^2")
    assert not result.correct and "single number" in result.feedback


def test_exact_number_needs_the_exact_value() -> None:
    assert not grade("number", "1/3", "0.333").correct
    assert grade("number", "1/3", "1/3").correct


# --- vectors


@pytest.mark.parametrize("typed", ["(1, -2)", "[1, -2]", "1, -2", "(2/2, -4/2)"])
def test_vector_accepts_the_usual_notations(typed: str) -> None:
    assert grade("vector", "(1, -2)", typed).correct


def test_vector_with_symbolic_entries_is_compared_as_functions() -> None:
    assert grade("vector", "(2*x*y, x**2)", "(2yx, x^2)").correct


def test_vector_of_the_wrong_length_is_wrong() -> None:
    result = grade("vector", "(1, 2, 3)", "(1, 2)")
    assert not result.correct and "3 entries" in result.feedback


def test_vector_feedback_names_the_wrong_entry() -> None:
    result = grade("vector", "(1, 2)", "(1, 5)")
    assert not result.correct and "entry 2" in result.feedback and "1 of 2" in result.feedback


# --- matrices


@pytest.mark.parametrize(
    "typed", ["[[1, 2], [3, 4]]", "[1, 2; 3, 4]", "1, 2; 3, 4", "((1, 2), (3, 4))", "Matrix([[1, 2], [3, 4]])"]
)
def test_matrix_accepts_the_usual_notations(typed: str) -> None:
    assert grade("matrix", "[[1, 2], [3, 4]]", typed).correct


def test_transposed_matrix_is_wrong_and_says_rows_and_columns_are_swapped() -> None:
    result = grade("matrix", "[[1, 2], [3, 4]]", "[[1, 3], [2, 4]]")
    assert not result.correct and "swapped" in result.feedback


def test_matrix_of_the_transposed_shape_is_wrong() -> None:
    result = grade("matrix", "[[1, 2, 3], [4, 5, 6]]", "[[1, 4], [2, 5], [3, 6]]")
    assert not result.correct and "2×3" in result.feedback and "swapped" in result.feedback


def test_matrix_with_symbolic_entries_is_compared_entrywise() -> None:
    assert grade("matrix", "[[2*x*y, x**2], [1, 1]]", "[[2xy, x^2], [1, 1]]").correct


def test_ragged_matrix_is_refused() -> None:
    with pytest.raises(BadArgument, match="same number of entries"):
        read_matrix("[[1, 2], [3]]")


def test_flat_list_is_not_taken_for_a_matrix() -> None:
    with pytest.raises(BadArgument, match="row"):
        read_matrix("[1, 2, 3, 4]")


# --- multiple choice

OPTIONS = ("2*x", "x^2", "2*x*cos(x^2)", "cos(x^2)")


@pytest.mark.parametrize("typed", ["C", "c", "(c)", "c)", "C.", " [C] ", "2*x*cos(x^2)", "2 * x * cos(x**2)"])
def test_choice_accepts_the_letter_or_the_option_text(typed: str) -> None:
    assert grade("choice", "C", typed, choices=OPTIONS).correct


def test_wrong_choice_says_which_was_chosen_and_which_is_right() -> None:
    result = grade("choice", "C", "a", choices=OPTIONS)
    assert not result.correct
    assert "you chose A" in result.feedback and "C: 2*x*cos(x^2)" in result.feedback


def test_choice_letter_out_of_range_is_refused() -> None:
    with pytest.raises(BadArgument, match="A, B, C, D"):
        grade("choice", "C", "E", choices=OPTIONS)


def test_choice_text_that_matches_no_option_is_refused() -> None:
    with pytest.raises(BadArgument, match="letters"):
        grade("choice", "C", "something else", choices=OPTIONS)


# --- the record itself


def test_question_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        Question(id="t/g/0", topic_id="t", prompt="?", kind="essay", answer="x")


def test_choice_question_needs_a_valid_answer_label() -> None:
    with pytest.raises(ValueError, match="label"):
        Question(id="t/g/0", topic_id="t", prompt="?", kind="choice", answer="E", choices=("1", "2"))


def test_question_json_round_trip_keeps_tuples() -> None:
    question = Question(id="t/g/0", topic_id="t", prompt="?", kind="choice", answer="B", choices=("1", "2"), hints=("h",))
    assert Question.from_json(question.to_json()) == question
