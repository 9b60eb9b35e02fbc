"""Never mark correct work wrong (issue 23): working typed the way a calculus textbook writes it,
points and answers by name, exact numbers and domains in words — as a learner meets them in chat.
Expected values are computed independently (sympy.diff on objects built here, exact integers)."""

from __future__ import annotations

import re

import pytest
import sympy

from bot.solver.parser import parse, parse_list
from bot.solver.variables import symbol
from content.generate import generate_question, grade_answer
from content.questions import Question

x, y = symbol("x"), symbol("y")


def _read(result: str) -> sympy.Expr:
    return parse(result.replace("**", "^"))


@pytest.mark.parametrize("working", [
    "/check d/dx e^(x^2)\n= e^(x^2) · d/dx(x^2)\n= 2x e^(x^2)",
    "/check d/dx sin(x^3)\n= cos(x^3) · d/dx(x^3)\n= 3x^2 cos(x^3)",
    "/check d/dx ln(x^2 + 1)\n= 1/(x^2 + 1) · d/dx(x^2 + 1)\n= 2x/(x^2 + 1)",
    "/check d/dx (x^2 sin x)\n= sin x · d/dx x^2 + x^2 · d/dx sin x\n= 2x sin x + x^2 cos x",
    "/check d/dx(x e^(2x))\n= e^(2x) d/dx(x) + x d/dx(e^(2x))\n= e^(2x) + 2x e^(2x)",
])
async def test_textbook_working_with_d_dx_inside_the_lines_is_right_line_by_line(bot, working):
    reply = await bot.say(working)
    assert reply.error is None, reply.error
    assert reply.result == "[True, True]", reply.text
    assert "Every step is right" in reply.text


async def test_a_wrong_line_of_such_working_is_still_caught(bot):
    reply = await bot.say("/check d/dx e^(x^2)\n= e^(x^2) · d/dx(x^2)\n= 2 e^(x^2)")
    assert reply.result == "[True, False]"


async def test_a_line_named_dy_dx_is_the_differentiation_step(bot):
    reply = await bot.say("/check y = x^2 sin x\ndy/dx = 2x sin x + x^2 cos x")
    assert reply.result == "[True]", reply.text
    wrong = await bot.say("/check f(x) = x^3\nf'(x) = 3x")
    assert wrong.result == "[False]"


@pytest.mark.parametrize("operator", ["d^2/dx^2", "d²/dx²", "d2/dx2", "d²y/dx²"])
@pytest.mark.parametrize(("typed", "built"), [("x^3", x**3), ("x^2 sin x", x**2 * sympy.sin(x)), ("e^(x^2)", sympy.exp(x**2))])
async def test_derive_reads_second_derivatives_in_leibniz_notation(bot, operator, typed, built):
    reply = await bot.say(f"/derive {operator} {typed}")
    assert reply.error is None, reply.error
    assert sympy.simplify(_read(reply.result) - sympy.diff(built, x, 2)) == 0


async def test_derive_reads_a_partial_operator(bot):
    reply = await bot.say("/derive ∂/∂y (x^2 y^3)")
    assert sympy.simplify(_read(reply.result) - sympy.diff(x**2 * y**3, y)) == 0


async def test_derive_refuses_two_different_orders(bot):
    reply = await bot.say("/derive d^2/dx^2 x^3 order 3")
    assert reply.error is not None and reply.error.code == "usage"


@pytest.mark.parametrize(("claim", "truth"), [
    ("(x^2)' = 2x", True), ("(sin x)' = cos x", True), ("(x^3)'' = 6x", True), ("(x^3)' = 3x", False),
    ("d2/dx2 sin x = -sin x", True), ("d²/dx² e^(2x) = 4e^(2x)", True), ("d^2/dx^2 x^4 = 4x^3", False),
    ("∂/∂y (x^2 y^3) = 3x^2 y^2", True), ("d/dx(x^2) + 1 = 2x + 1", True),
])
async def test_check_reads_primes_orders_and_partials(bot, claim, truth):
    reply = await bot.say(f"/check {claim}")
    assert reply.error is None, reply.error
    assert reply.result == str(truth), reply.text


async def test_a_constant_of_integration_in_a_derivative_is_named(bot):
    reply = await bot.say("/check d/dx x^3 = 3x^2 + C")
    assert reply.result == "False"
    assert "constant of integration" in reply.text


# --- points by name --------------------------------------------------------------------------------


@pytest.mark.parametrize("point", ["x = 3", "x=3"])
async def test_slope_at_a_named_point(bot, point):
    reply = await bot.say(f"/slope x^3 at {point}")
    assert reply.error is None, reply.error
    assert _read(reply.result) == sympy.diff(x**3, x).subs(x, 3)


@pytest.mark.parametrize("point", ["x=1, y=2", "y = 2, x = 1", "(x, y) = (1, 2)"])
async def test_grad_at_a_named_point_puts_each_value_on_its_variable(bot, point):
    reply = await bot.say(f"/grad x^2 y + y^3 at {point}")
    assert reply.error is None, reply.error
    f = x**2 * y + y**3
    expected = [sympy.diff(f, v).subs({x: 1, y: 2}) for v in (x, y)]
    assert [int(n) for n in re.findall(r"-?\d+", reply.result)] == expected


async def test_newton_from_a_named_start(bot):
    reply = await bot.say("/newton x^2 - 2 from x = 1")
    assert reply.error is None, reply.error
    assert abs(float(reply.result) - 2**0.5) < 1e-9


async def test_taylor_and_derive_at_named_points(bot):
    taylor = await bot.say("/taylor e^x at x = 0 order 2")
    assert sympy.expand(_read(taylor.result)) == 1 + x + x**2 / 2
    derive = await bot.say("/derive x^3 at x = 2")
    assert _read(derive.result) == 12


# --- named answers in quizzes ------------------------------------------------------------------------


def _question(kind: str, topics: tuple[str, ...]):
    for topic in topics:
        for seed in range(12):
            question = generate_question(topic, seed)
            if question.kind == kind:
                return question
    raise AssertionError(f"no {kind} question")


@pytest.mark.parametrize("name", ["x₁", "x2", "λ", "lambda", "f'(2)"])
def test_a_named_number_answer_is_accepted(name):
    question = _question("number", ("rise-over-run", "functions"))
    grade = grade_answer(question.to_json(), f"{name} = {question.answer}")
    assert grade.correct, grade.feedback


@pytest.mark.parametrize("names", [("x", "y"), ("∂χ²/∂m", "∂χ²/∂c"), ("∂f/∂x", "∂f/∂y")])
def test_a_named_vector_answer_is_accepted(names):
    question = _question("vector", ("jacobian-applications", "gradient-descent"))
    values = parse_list(question.answer)
    assert len(values) == len(names)
    typed = ", ".join(f"{name} = {sympy.sstr(value)}" for name, value in zip(names, values, strict=True))
    grade = grade_answer(question.to_json(), typed)
    assert grade.correct, grade.feedback


async def test_i_dont_know_points_to_hint_and_skip_and_keeps_the_try(bot):
    await bot.say("/quiz chain rule")
    reply = await bot.say("/answer I don't know")
    assert reply.error is not None
    assert "/hint" in reply.error.message and "/skip" in reply.error.message
    store = bot.app.services.store  # type: ignore[attr-defined]
    learner = await store.get_or_create_user("console", "ana", "Ana", bot.clock())
    still_open = await store.get_open_question(learner.id, "console::general")
    assert still_open is not None and still_open.first_answer is None  # the try was not used up
    right = await bot.say(f"/answer {Question.from_json(still_open.question_json).answer}")
    assert right.result == "True"


# --- exact numbers, huge numbers --------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "truth"), [
    ("10^400 = 10^400 + 1", False), ("10^20 = 10^20 + 1", False), ("2^100 = 2^100 + 1", False),
    ("2^100 + 1 = 1267650600228229401496703205377", True), ("3^200 - 1 = 3^200", False),
])
async def test_numbers_are_compared_exactly(bot, claim, truth):
    left, right = (sympy.Integer(sympy.sympify(side.replace("^", "**"), rational=True)) for side in claim.split("="))
    assert (left == right) is truth  # the independent fact
    reply = await bot.say(f"/check {claim}")
    assert reply.result == str(truth), reply.text
    assert "numerically" not in reply.text


async def test_huge_numbers_are_shortened_in_replies_and_errors(bot):
    for text in ("/slope x^2 at 10^400", "/derive x^2 at 10^400", "/check 10^400 = 10^400 + 1"):
        reply = await bot.say(text)
        shown = reply.error.message if reply.error else reply.text
        assert not re.search(r"\d{61}", shown), shown
    derive = await bot.say("/derive x^2 at 10^400")
    assert sympy.Integer(derive.result) == 2 * sympy.Integer(10) ** 400  # the result keeps every digit


# --- domains in words, claims echoed as typed ---------------------------------------------------------


@pytest.mark.parametrize("claim", ["1/x = x^-1", "tan x = sin x / cos x", "log_2 x = ln x / ln 2", "x^(-2) = 1/x^2"])
async def test_sides_with_the_same_domain_are_simply_right(bot, claim):
    reply = await bot.say(f"/check {claim}")
    assert reply.text.startswith("✅ Correct"), reply.text


@pytest.mark.parametrize(("claim", "where"), [
    ("x/x = 1", "x ≠ 0"), ("(x^2 - 1)/(x - 1) = x + 1", "x ≠ 1"), ("(x^2 - 4)/(x + 2) = x - 2", "x ≠ -2"),
    ("sec x cos x = 1", "x ≠ π/2 + kπ"), ("sqrt(x)^2 = x", "x ≥ 0"), ("e^(ln x) = x", "x > 0"),
])
async def test_where_the_domains_differ_the_reply_says_where_in_words(bot, claim, where):
    reply = await bot.say(f"/check {claim}")
    first = reply.text.splitlines()[0]
    assert first.startswith("⚠️ True only for") and where in first, first
    assert not re.search(r"Ne\(|Complement|ImageSet|Interval|Union", reply.text)


async def test_a_log_to_a_base_is_echoed_as_typed(bot):
    reply = await bot.say("/check log_2 x + 1 = log_2(2x)")
    assert "log_2" in reply.text
    assert "ln(x) + 1" not in reply.text


# --- notes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "note"), [
    ("/derive x2cos(x^2)", "`x2`"), ("/derive Γ(x)", "gamma"), ("/derive x^2 + x2", "`x2`"),
])
async def test_readings_a_learner_may_not_mean_get_a_note(bot, text, note):
    reply = await bot.say(text)
    assert reply.error is None, reply.error
    assert "Note:" in reply.text and note in reply.text


@pytest.mark.parametrize(("working", "marks"), [
    ("/check f(x) = x^3 - 2x\nf'(x) = 3x^2 - 2\nf''(x) = 6x", "[True, True]"),
    ("/check y = sin(2x)\ndy/dx = 2cos(2x)\nd²y/dx² = -4 sin(2x)", "[True, True]"),
    ("/check f(x) = x^3 - 2x\nf'(x) = 3x^2 - 2\nf''(x) = 3x", "[True, False]"),
    ("/check d/dx (x^2+1)^5\n= 5(x^2+1)^4 · d/dx(x^2 + 1)\n= 10x (x^2+1)^4", "[True, True]"),
])
async def test_each_line_naming_a_higher_derivative_differentiates_the_line_before(bot, working, marks):
    reply = await bot.say(working)
    assert reply.result == marks, reply.text


async def test_a_wrong_second_differentiation_is_diagnosed_against_the_line_before(bot):
    reply = await bot.say("/check f(x) = x^3 - 2x\nf'(x) = 3x^2 - 2\nf''(x) = 3x")
    expected = sympy.diff(3 * x**2 - 2, x)
    assert f"the derivative is `{sympy.sstr(expected)}`" in reply.text.replace("**", "^")
