"""Feedback that teaches (issue 23), through the real bot: a first wrong try names the mistake and
holds the answer back; the retry (or /skip) gives it, once; /check gives the quiz's term line."""

from __future__ import annotations

import re

import sympy

from bot.present.format import plain
from bot.solver.parser import parse
from bot.solver.variables import symbol

x = symbol("x")


async def _product_question(bot) -> sympy.Expr:
    for _ in range(12):
        reply = await bot.say("/quiz product-rule")
        found = re.search(r"Differentiate f\(x\) = `([^`]+)` with respect to x", reply.text)
        if found:
            return parse(found.group(1))
    raise AssertionError("no product-rule expression question in 12 tries")


async def test_a_first_wrong_try_names_the_mistake_and_holds_the_answer_back(bot):
    f = await _product_question(bot)
    factors = [factor for factor in sympy.Mul.make_args(f) if factor.has(x)]
    constant = f / sympy.Mul(*factors)
    as_product = constant * sympy.Mul(*(sympy.diff(factor, x) for factor in factors))  # (uv)' = u'v'
    right = sympy.diff(f, x)
    first = await bot.say(f"/answer {sympy.sstr(as_product)}")
    assert first.diagnosis is not None and first.diagnosis.code == "product_rule_as_product"
    assert "product rule" in first.text.lower() and "One more try" in first.text
    assert "the right step" not in first.text and "Expected" not in first.text
    assert plain(right) not in first.text and plain(sympy.expand(right)) not in first.text
    second = await bot.say(f"/answer {sympy.sstr(as_product)}")
    assert "the right step" in second.text and "Expected" in second.text
    assert "Corrected answer" not in second.text  # the answer is given once


async def test_a_first_wrong_try_corrects_no_term(bot):
    f = await _product_question(bot)
    right = sympy.expand(sympy.diff(f, x))
    terms = sympy.Add.make_args(right)
    wrong_text = " + ".join(f"({sympy.sstr(t)})" for t in terms[:-1]) + f" + ({sympy.sstr(2 * terms[-1])})"
    first = await bot.say(f"/answer {wrong_text}")
    if "Term by term" in first.text:
        line = next(line for line in first.text.splitlines() if "Term by term" in line)
        assert "should be" not in line


async def test_check_gives_the_same_term_by_term_line_as_the_quiz(bot):
    assert sympy.diff(x**3 + 3 * x**2, x) == 3 * x**2 + 6 * x  # independent: the right terms
    reply = await bot.say("/check d/dx (x^3 + 3x^2) = 3x^2 + 3x")
    assert "Term by term: your `3*x^2` is right; your `3*x` should be `6*x`." in reply.text


async def test_a_copied_term_and_a_constant_are_named_exactly(bot):
    reply = await bot.say("/check d/dx (x^2 + sin x) = 2x + sin x")
    assert reply.diagnosis is not None and reply.diagnosis.code == "term_not_differentiated"
    assert "`sin(x)` was copied" in reply.text
    reply = await bot.say("/check d/dx 5 = 5")
    assert reply.diagnosis is not None and reply.diagnosis.code == "constant_not_zero"
    reply = await bot.say("/check d/dx 3^x = 3^x")
    assert reply.diagnosis is not None and reply.diagnosis.code == "exponential_log_factor_missing"
    reply = await bot.say("/check d/dx (x^2 + y^3) = 2x + y^3")
    assert reply.diagnosis is not None and reply.diagnosis.code == "partial_other_variable_kept"
