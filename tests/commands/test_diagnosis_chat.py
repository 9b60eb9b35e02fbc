"""Diagnosis and working, through the real bot: /check, chained and multi-line working, the quiz,
and the console's JSON contract (the "diagnosis" key, result as a list of link verdicts)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import sympy

from bot.present.format import plain
from bot.solver.parser import parse
from bot.solver.variables import symbol
from content.questions import Question
from tests.conftest import ChatBot

x = symbol("x")


async def test_a_wrong_derivative_is_diagnosed_with_code_place_right_step_and_fix(bot):
    reply = await bot.say("/check d/dx sin(x^2) = cos(x^2)")
    assert reply.result == "False"
    assert reply.diagnosis is not None
    assert (reply.diagnosis.code, reply.diagnosis.where, reply.diagnosis.line) == ("chain_rule_inner_missing", "sin(x**2)", None)
    assert "derivative of the inside" in reply.text and "`2*x`" in reply.text
    assert "Corrected answer" not in reply.text  # the first line states the derivative; no second copy


async def test_a_right_derivative_in_an_odd_form_is_not_diagnosed(bot):
    reply = await bot.say("/check d/dx sin(2x) = 2cos(x)^2 - 2sin(x)^2")
    assert reply.result == "True" and reply.diagnosis is None


async def test_an_unexplained_wrong_answer_says_so_and_shows_where_it_differs(bot):
    reply = await bot.say("/check d/dx x^2 sin x = x^5")
    assert reply.result == "False" and reply.diagnosis is None
    assert "No common mistake" in reply.text and "At x =" in reply.text


async def test_a_partial_derivative_with_the_other_variable_not_held_constant(bot):
    reply = await bot.say("/check d/dx x^2 y^3 = 2x y^3 + 3x^2 y^2")
    assert reply.diagnosis is not None and reply.diagnosis.code == "wrong_variable"


async def test_a_chain_on_one_line_marks_each_link_and_names_the_first_wrong_one(bot):
    reply = await bot.say("/check d/dx(x^3 cos x) = 3x^2 cos x + x^3 sin x = x^2(3 cos x + x sin x)")
    assert ast.literal_eval(reply.result) == [False, True]
    assert reply.diagnosis is not None
    assert (reply.diagnosis.code, reply.diagnosis.where, reply.diagnosis.line) == ("trig_sign", "cos(x)", 1)
    assert "first wrong step is step 1" in reply.text
    assert "is not the derivative" in reply.text


async def test_a_right_chain_is_all_true(bot):
    reply = await bot.say("/check d/dx(x^3 cos x) = 3x^2 cos x - x^3 sin x = x^2(3 cos x - x sin x)")
    assert ast.literal_eval(reply.result) == [True, True] and reply.diagnosis is None
    assert "Every step is right" in reply.text and "is the right derivative" in reply.text


async def test_multi_line_working_a_wrong_algebra_step_and_a_right_final_line(bot):
    working = "\n".join([
        "/check d/dx x^2 sin x",
        "= 2x sin x + x^2 cos x",
        "= x(2 sin x + cos x)",
        "= x(2 sin x + x cos x)",
    ])
    reply = await bot.say(working)
    assert ast.literal_eval(reply.result) == [True, False, False]
    assert "first wrong step is step 2" in reply.text
    assert reply.diagnosis is None  # an algebra slip, not a differentiation step
    assert "is the right derivative" in reply.text  # the last line is right although a step is not


async def test_multi_line_working_with_a_wrong_differentiation_step_is_diagnosed_on_its_line(bot):
    reply = await bot.say("/check d/dx (x^2+1)^5\n= 5(x^2+1)^4\n= 5(x^2+1)^4")
    assert ast.literal_eval(reply.result) == [False, True]
    assert reply.diagnosis is not None
    assert (reply.diagnosis.code, reply.diagnosis.line) == ("chain_rule_inner_missing", 1)


async def test_a_step_valid_only_for_positive_x_is_flagged_not_wrong(bot):
    reply = await bot.say("/check log(x^2) = 2 log(x) = log(x) + log(x)")
    assert ast.literal_eval(reply.result) == [True, True]
    assert "valid only for x > 0" in reply.text


async def test_help_check_explains_chained_working_and_diagnosis(bot):
    reply = await bot.say("/help check")
    assert "chain" in reply.text.lower() and "diagnos" in reply.text.lower()


async def _derivative_question(bot: ChatBot) -> Question:
    store = bot.app.services.store  # type: ignore[attr-defined]
    for _ in range(12):
        reply = await bot.say("/quiz chain rule")
        assert reply.error is None, reply.error
        if any(c.command.startswith("/answer") for c in reply.choices):
            continue
        learner = await store.get_or_create_user("console", "ana", "Ana", bot.clock())
        open_question = await store.get_open_question(learner.id, "console::general")
        question = Question.from_json(open_question.question_json)
        if question.solution_command.startswith("/derive"):
            return question
    raise AssertionError("no derivative question in 12 tries")


async def test_a_wrong_quiz_answer_to_a_derivative_question_is_diagnosed(bot):
    question = await _derivative_question(bot)
    f = parse(question.solution_command.removeprefix("/derive "))
    # built by hand: the correct derivative with the sign flipped everywhere
    wrong = -sympy.diff(f, x)
    reply = await bot.say(f"/answer {plain(wrong)}")
    assert reply.result == "False"
    assert reply.diagnosis is not None and reply.diagnosis.code in ("trig_sign", "sign_error"), reply.text
    assert "🔎" in reply.text


def test_the_console_json_carries_the_diagnosis_and_the_link_verdicts(tmp_path: Path) -> None:
    env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data")}
    lines = ["/check d/dx x^5 = x^4", "/check d/dx x^2 sin x = 2x sin x = 2x sin x", "/check d/dx x^2 = 2x"]
    run = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--db", str(tmp_path / "c.db")],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=120, env=env,
    )
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert replies[0]["diagnosis"] == {"code": "power_rule_coefficient_missing", "where": "x**5", "line": None}
    assert replies[1]["result"] == "[False, True]"
    assert replies[1]["diagnosis"] == {"code": "product_rule_term_missing", "where": "x**2*sin(x)", "line": 1}
    assert replies[2]["diagnosis"] is None and replies[2]["result"] == "True"


async def test_malformed_working_gets_a_usage_or_parse_error_never_internal(bot):
    too_long = "/check d/dx x^2 = " + " = ".join(["2x"] * 13)
    for text, code in [
        ("/check d/dx x^2 = = 3", "usage"),
        (too_long, "usage"),
        ("/check d/dx x^2 = 2x = 2*(x", "parse"),
        ("/check = 3 = 4", "usage"),
        ("/check d/dx x^2\n= ", "usage"),
    ]:
        reply = await bot.say(text)
        assert reply.error is not None and reply.error.code == code, (text, reply.text)


async def test_d_dx_against_a_bracket_is_a_derivative_claim(bot):
    reply = await bot.say("/check d/dx(sin(x^2)) = cos(x^2)")
    assert reply.result == "False"
    assert reply.diagnosis is not None and reply.diagnosis.code == "chain_rule_inner_missing"


async def test_working_is_echoed_as_the_learner_typed_it(bot):
    reply = await bot.say("/check d/dx(x^3 cos x) = 3x^2 cos x - x^3 sin x = x^2(3 cos x + x sin x)")
    assert "1. ✅ `d/dx(x^3 cos x) = 3x^2 cos x - x^3 sin x`" in reply.text
    assert "2. ❌ `3x^2 cos x - x^3 sin x = x^2(3 cos x + x sin x)`" in reply.text


async def test_a_later_line_without_an_equals_sign_is_the_next_step(bot):
    reply = await bot.say("/check d/dx x^2\n2x")
    assert reply.error is None and reply.result == "[True]"
