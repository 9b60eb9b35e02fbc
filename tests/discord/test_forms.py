""""Check my working": a form button opens a modal; its submission is checked step by step, even after a restart."""

from __future__ import annotations

import re

import sympy

from bot.adapters.discord.forms import button_custom_id, form_of
from bot.adapters.discord.render import render
from bot.core.reply import Choice, Reply
from tests.conversation.script import plain
from tests.discord.bot_process import BotProcess
from tests.discord.harness import shown
from tests.discord.standin import DiscordStandIn, OpenedModal, Posted
from tests.discord.test_buttons import answer_of, button

FORM = "Check my working"
PARAGRAPH = 2  # TextInputStyle.Paragraph, developer docs "Text Input"
RIGHT_WORKING = "2x sin x + x^2 cos x\nx(2 sin x + x cos x)"
WRONG_WORKING = "= 2x cos x\n= 2x cos x"  # the product rule forgotten: d/dx x^2 times d/dx sin x


def _x() -> sympy.Symbol:
    return sympy.Symbol("x")


def test_the_steps_used_below_are_right_and_wrong_by_sympy():
    """The working the tests type, checked independently: both right lines equal d/dx x^2 sin x; 2x cos x does not."""
    x = _x()
    derivative = sympy.diff(x**2 * sympy.sin(x), x)
    assert sympy.simplify(derivative - (2 * x * sympy.sin(x) + x**2 * sympy.cos(x))) == 0
    assert sympy.simplify(derivative - x * (2 * sympy.sin(x) + x * sympy.cos(x))) == 0
    assert sympy.simplify(derivative - 2 * x * sympy.cos(x)) != 0


def assert_is_the_working_form(modal: OpenedModal) -> None:
    """The modal Discord shows: titled with the button's label, one paragraph box under the form's prompt."""
    assert modal.data["title"] == FORM
    assert modal.data["custom_id"].startswith("calcbot-form:") and len(modal.data["custom_id"]) <= 100
    assert len(modal.data["components"]) == 1 and modal.data["components"][0]["type"] == 1
    [box] = modal.inputs
    assert box["type"] == 4 and box["style"] == PARAGRAPH and box["required"] is True
    assert box["label"] == "Your working, one step per line"  # the prompt, ended at a clause within 45
    assert box["placeholder"].startswith("Your working, one step per line (")  # more, as the custom id holds
    assert 1 <= box["max_length"] <= 2000  # no more than /check's argument may hold


async def open_form(standin: DiscordStandIn, answer: Posted) -> tuple[dict, OpenedModal]:
    press = await standin.press(answer.message, button(answer, FORM))
    return press, await standin.opened_by(press)


async def test_check_my_working_opens_a_form_whose_lines_are_checked_step_by_step(discord_bot):
    standin = discord_bot.standin
    derived = await discord_bot.say("/derive x^2 sin x")
    assert FORM in shown(derived).buttons
    press, modal = await open_form(standin, derived)
    assert_is_the_working_form(modal)
    assert modal.inputs[0]["placeholder"] == "Your working, one step per line (each line is the next…"
    callback = next(c for c in standin.calls if c.path.startswith(f"/api/v10/interactions/{press['id']}/"))
    assert callback.json["type"] == 9  # the modal IS the response: no defer, nothing posted for the press
    assert standin.answers_to(press) == []

    checked = await answer_of(standin, await standin.submit(modal, RIGHT_WORKING))
    text = plain(shown(checked).text)
    assert "Every step is right" in text and "❌" not in text
    assert text.count("✅") >= 3  # both typed lines, and the verdict
    assert "2x sin x + x^2 cos x" in text or "2*x*sin(x) + x^2*cos(x)" in text
    assert not checked.ephemeral  # answered like the button press itself: in the channel

    press, modal = await open_form(standin, derived)  # the same button, pressed again: a fresh form
    wrong = await answer_of(standin, await standin.submit(modal, WRONG_WORKING))
    text = plain(shown(wrong).text)
    assert "The first wrong step is step 1" in text and "Every step is right" not in text
    assert re.search(r"product rule", text, re.IGNORECASE)  # the diagnosis names the rule that was missed
    assert not wrong.ephemeral


async def test_an_empty_or_unreadable_form_gets_a_private_error_and_nothing_is_checked(discord_bot):
    standin = discord_bot.standin
    derived = await discord_bot.say("/derive x^2 sin x")
    _press, modal = await open_form(standin, derived)
    empty = await answer_of(standin, await standin.submit(modal, "  \n \n"))
    assert empty.ephemeral and empty.via == "callback"
    assert "empty" in empty.body["content"] and "one step per line" in empty.body["content"]
    assert not any("step by step" in plain(shown(p).text) for p in standin.posted)  # no check ran

    unreadable = OpenedModal(modal.interaction, {**modal.data, "custom_id": "calcbot-form:work"}, modal.at)
    refused = await answer_of(standin, await standin.submit(unreadable, RIGHT_WORKING))
    assert refused.ephemeral and "press its button again" in refused.body["content"]
    assert not any("step by step" in plain(shown(p).text) for p in standin.posted)


async def test_a_form_opened_before_a_restart_is_checked_by_the_new_process(standin, tmp_path):
    db = tmp_path / "shared.db"
    first = BotProcess(standin, db, tmp_path / "one", tmp_path / "one.log")
    await first.start()
    try:
        derived = await answer_of(standin, await standin.slash("derive", {"expr": "x^2 sin x"}))
        _press, modal = await open_form(standin, derived)  # the learner starts typing...
    finally:
        await first.stop()  # ...and the bot restarts
    second = BotProcess(standin, db, tmp_path / "two", tmp_path / "two.log")
    await second.start()
    try:
        checked = await answer_of(standin, await standin.submit(modal, RIGHT_WORKING))
        assert "Every step is right" in plain(shown(checked).text), (tmp_path / "two.log").read_text()[-2000:]
        _press, again = await open_form(standin, derived)  # the old message's button, in the new process
        assert_is_the_working_form(again)
        wrong = await answer_of(standin, await standin.submit(again, WRONG_WORKING))
        assert "The first wrong step is step 1" in plain(shown(wrong).text)
    finally:
        await second.stop()


async def test_a_form_button_says_it_is_a_form_and_carries_its_command_and_prompt():
    prompt = "Your working, one step per line (each line is the next step; = is optional)"
    rendered = await render(Reply("d/dx …", choices=(Choice("work", FORM, "/check d/dx x^2 sin x", form=prompt),
                                                     Choice("more", "More", "/derive x^3"))))
    [form_button, plain_button] = rendered.buttons
    found = form_of(form_button.custom_id)
    assert found is not None and found.command == "/check d/dx x^2 sin x" and found.choice_id == "work"
    assert found.prompt == "Your working, one step per line (each line is the next…"  # as much as fits, cut at a word
    assert form_button.custom_id.startswith("calcbot-form:work:") and len(form_button.custom_id) <= 100
    assert plain_button.custom_id == "calcbot:more:/derive x^3"  # an ordinary choice is unchanged


async def test_a_form_whose_command_leaves_no_room_is_offered_as_a_command_to_type():
    command = "/check d/dx " + "x^2 + " * 14 + "x"  # 95 characters: no room left for the prompt
    prompt = "Your working, one step per line"
    assert button_custom_id("work", command, prompt) is None
    rendered = await render(Reply("d/dx …", choices=(Choice("work", FORM, command, form=prompt),)))
    assert rendered.buttons == []
    assert f"→ `{command}` — {prompt}" in rendered.embeds[0].description



async def test_a_wrong_quiz_answer_to_a_derivative_question_offers_the_form_too(discord_bot):
    """Feedback that closes a derivative question wrongly carries the form for that question's function;
    the function's derivative, worked out here by SymPy, is checked right."""
    standin = discord_bot.standin
    for _ in range(12):  # a typed-answer question (not multiple choice), as the course deals them
        quiz = plain(shown(await discord_bot.say("/quiz power-sum-rules")).text)
        asked = re.search(r"Differentiate (.+?) with respect to x\.", quiz)
        if asked and "/answer …" in quiz:
            break
        await discord_bot.say("/skip")
    assert asked is not None, quiz
    await discord_bot.say("/answer 0")  # no question on sums of powers of x has derivative 0
    closed = await discord_bot.say("/answer 0")  # the second try closes it
    assert "Expected:" in plain(shown(closed).text) and FORM in shown(closed).buttons
    _press, modal = await open_form(standin, closed)
    assert_is_the_working_form(modal)
    assert modal.data["custom_id"] == f"calcbot-form:work:/check d/dx {asked[1]}"  # the question's own function
    function = sympy.sympify(asked[1].replace("^", "**"), locals={"x": _x()})  # the test's own reading
    derivative = str(sympy.diff(function, _x())).replace("**", "^")
    checked = await answer_of(standin, await standin.submit(modal, derivative))
    assert "Every step is right" in plain(shown(checked).text)
    _press, modal = await open_form(standin, closed)
    checked = await answer_of(standin, await standin.submit(modal, "0"))
    assert "The first wrong step is step 1" in plain(shown(checked).text)
