"""Every command family answers through the real bolt app, in Socket Mode and in HTTP mode."""

from __future__ import annotations

import pytest
import sympy

from tests.slack.conftest import close_world, open_world


@pytest.fixture(params=["socket", "http"])
async def world(request, standin, tmp_path, worker_pool):
    opened = await open_world(standin, tmp_path, worker_pool, request.param)
    yield opened
    await close_world(opened)


async def test_every_family_answers_in_both_modes(world):
    x = sympy.Symbol("x")
    derived = (await world.command("/derive x^3 + x")).seen()
    assert str(sympy.diff(x**3 + x, x)).replace("**", "^") in derived.text and derived.images >= 1  # typeset
    plotted = (await world.command("/plot cos x")).seen()
    assert plotted.images >= 1 and not plotted.error
    fitted = (await world.command("/fit line data 0,1; 1,2; 2,3")).seen()
    assert "x + 1.0" in fitted.text and fitted.images >= 1
    cohort = (await world.command("/cohort create Study Group")).seen()
    assert "Study Group" in cohort.text and not cohort.error
    pit = (await world.command("/sandpit start bowl seed 3")).seen()
    assert not pit.error
    dipped = (await world.command("/dip 3, 3")).seen()
    assert "m" in dipped.text and not dipped.error
    helped = (await world.command("/help")).seen()
    assert "/derive" in helped.text and "/sandpit" in helped.text


async def test_buttons_work_in_both_modes(world):
    lesson = await world.command("/lesson")
    quiz = await world.press(lesson, "Quiz me")
    assert quiz.messages and "Quiz" in quiz.seen().text
    hint = await world.press(quiz, "Hint")
    [shown] = hint.messages
    assert shown.ephemeral and "Hint 1/" in shown.shown_text  # a hint is for the asker alone
