"""'Check my working' on Slack: a form button opens a modal (views.open), its view_submission is
checked by the core's /check step by step, in HTTP mode (signed) and in Socket Mode."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import sympy

from bot.adapters.slack import forms
from bot.adapters.slack.blocks import render
from bot.commands.answers import check_my_working
from bot.core.reply import Choice, Reply
from tests.slack.conftest import close_world, open_world
from tests.slack.standin import TEAM
from tests.slack.world import SlackWorld, view_submission

x = sympy.Symbol("x")
RIGHT = "2x sin x + x^2 cos x\nx(2 sin x + x cos x)"
WRONG = "= 2x cos x\n= 2x cos x"


def test_the_working_below_is_right_and_wrong_by_sympy():
    """The two workings the tests type, checked independently of calcbot."""
    derivative = sympy.diff(x**2 * sympy.sin(x), x)
    step1 = 2 * x * sympy.sin(x) + x**2 * sympy.cos(x)
    assert sympy.simplify(derivative - step1) == 0
    assert sympy.simplify(step1 - x * (2 * sympy.sin(x) + x * sympy.cos(x))) == 0
    assert sympy.simplify(derivative - 2 * x * sympy.cos(x)) != 0


async def open_form(world: SlackWorld) -> tuple[dict, dict]:
    """/derive x^2 sin x, then press its 'Check my working': the modal Slack was asked to open."""
    answer = await world.command("/derive x^2 sin x")
    assert "Check my working" in answer.messages[-1].buttons
    pressed = await world.press(answer, "Check my working")
    assert pressed.messages == []  # a form button opens a modal, it says nothing in the channel
    [call] = world.standin.called("views.open")[-1:]
    opened = world.standin.views[next(reversed(world.standin.views))]
    return call.params, opened


@pytest.fixture(params=["http", "socket"])
async def world(request, standin, tmp_path, worker_pool) -> AsyncIterator[SlackWorld]:
    """The app in HTTP mode (signed requests) and in Socket Mode (envelopes), one test each."""
    opened = await open_world(standin, tmp_path, worker_pool, request.param)
    yield opened
    await close_world(opened)


async def test_check_my_working_opens_a_modal_and_the_working_is_checked_step_by_step(world):
    params, view = await open_form(world)
    assert params["trigger_id"] and params["trigger_id"] not in world.standin.triggers  # used, within 3 s
    assert view["type"] == "modal" and view["callback_id"] == forms.CALLBACK_ID
    assert view["title"]["text"] == "Check my working" and view["submit"]["type"] == "plain_text"
    [block] = view["blocks"]
    assert block["type"] == "input" and block["label"]["text"] == check_my_working("").form
    assert block["element"]["type"] == "plain_text_input" and block["element"]["multiline"] is True
    meta = json.loads(view["private_metadata"])
    press_hook = world.standin.responses[-1]["hook"]  # the /derive answer went to its own hook
    assert meta["command"] == "/check d/dx x^2 sin x" and meta["channel"] == "C0GEN" and meta["team"] == TEAM
    assert meta["response_url"].startswith("http://127.0.0.1:") and not meta["response_url"].endswith(press_hook)

    checked = await world.submit(view, RIGHT)
    assert world.acked(checked) == {}  # an empty ack closes the modal
    [shown] = checked.messages
    assert shown.via == "response_url" and not shown.ephemeral  # answered like the button press it came from
    text = shown.shown_text.replace("`", "")
    assert "1. ✅ d/dx(x^2 sin x) = 2x sin x + x^2 cos x" in text
    assert "2. ✅ 2x sin x + x^2 cos x = x(2 sin x + x cos x)" in text
    assert "Every step is right" in text

    _, again = await open_form(world)
    wrong = await world.submit(again, WRONG)
    text = wrong.seen().text.replace("`", "")
    assert "1. ❌ d/dx(x^2 sin x) = 2x cos x" in text and "2. ✅" in text
    assert "The first wrong step is step 1" in text and "product_rule_as_product" in text
    assert "Every step is right" not in text


@pytest.mark.parametrize("typed", [None, "  \n \n"])
async def test_an_empty_form_stays_open_with_the_reason_on_its_text_box(world, typed):
    _, view = await open_form(world)
    empty = await world.submit(view, typed)
    assert world.acked(empty) == {"response_action": "errors", "errors": {forms.INPUT_BLOCK: forms.EMPTY}}
    assert empty.messages == []  # nothing reached the channel; the learner can type and submit again
    checked = await world.submit(view, RIGHT)
    assert "Every step is right" in checked.seen().text


async def test_a_form_button_sent_before_a_restart_still_opens_its_form(standin, tmp_path, worker_pool):
    before = await open_world(standin, tmp_path, worker_pool, "http")
    answer = await before.command("/derive x^2 sin x")
    await close_world(before)
    after = await open_world(standin, tmp_path, worker_pool, "socket")
    try:
        button = next(e for b in answer.messages[-1].blocks if b["type"] == "actions" for e in b["elements"]
                      if e["text"]["text"] == "Check my working")
        assert button["action_id"].startswith("calcbot.form.") and button["action_id"].endswith(".work")
        await after.press(answer, "Check my working")
        view = standin.views[next(reversed(standin.views))]
        assert view["blocks"][0]["label"]["text"] == check_my_working("").form
        checked = await after.submit(view, RIGHT)
        assert "Every step is right" in checked.seen().text
    finally:
        await close_world(after)


async def test_when_slack_will_not_open_the_form_the_learner_is_told_privately(http_world):
    http_world.standin.fail("views.open", "expired_trigger_id")
    answer = await http_world.command("/derive x^2 sin x")
    pressed = await http_world.press(answer, "Check my working")
    [shown] = pressed.messages
    assert shown.ephemeral and "press the button again" in shown.shown_text
    assert http_world.standin.views == {}


def test_the_submission_is_one_message_the_command_a_new_line_then_the_working():
    from bot.adapters.slack.outbound import Where

    button = forms.FormButton("work", "/check d/dx x^2 sin x", "Your working")
    view = forms.modal(button, "Check my working", Where(team=TEAM, channel="C0GEN", user="U0ANA",
                                                         response_url="http://127.0.0.1:1/hooks/9"))
    payload = view_submission(view, "\n2x sin x + x^2 cos x\nx(2 sin x + x cos x)\n", user="U0BEN", trigger_id="t")
    submission = forms.read_submission(payload)
    message = forms.to_message(submission, "ben", admin=False)
    assert message.text == "/check d/dx x^2 sin x\n2x sin x + x^2 cos x\nx(2 sin x + x cos x)"
    assert message.action is not None and (message.action.id, message.action.payload) == ("work", message.text)
    assert (message.user.id, message.channel.id, message.channel.workspace) == ("U0BEN", "C0GEN", TEAM)
    assert submission.where.response_url == "http://127.0.0.1:1/hooks/9"


def test_a_long_label_and_prompt_are_cut_to_slacks_limits_and_the_button_still_says_it_is_a_form():
    choice = Choice("work", "Check my working on this very long question", "/check d/dx x", form="p" * 5000)
    [message] = render(Reply(text="x", choices=(choice, Choice("again", "Again", "/derive x"))))
    form_button, plain = message.blocks[-1]["elements"]
    assert form_button["action_id"] == "calcbot.form.0.work" and plain["action_id"] == "calcbot.1.again"
    assert len(form_button["value"]) == 2000 and form_button["value"].startswith("/check d/dx x\nppp")
    assert plain["value"] == "/derive x"
    from bot.adapters.slack.outbound import Where

    view = forms.modal(forms.read_button(form_button), form_button["text"]["text"],
                       Where(team=TEAM, channel="C0GEN", user="U0ANA", response_url="h" * 4000))
    assert len(view["title"]["text"]) <= 24 and view["title"]["text"].endswith("…")
    assert len(view["blocks"][0]["label"]["text"]) <= 2000
    assert len(view["private_metadata"]) <= 3000 and json.loads(view["private_metadata"])["response_url"] is None


async def test_wrong_quiz_feedback_on_a_derivative_question_carries_the_form_too(http_world):
    from sympy.parsing.sympy_parser import parse_expr

    for _ in range(12):  # the topic's questions are drawn at random: some are multiple choice
        question = await http_world.command("/quiz product_rule")
        wrong = ["A", "B"] if "A" in question.seen().buttons else ["0", "0"]  # a letter may happen to be right
        for answer in wrong:  # wrong twice: the worked solution, and the form
            feedback = await http_world.command(f"/answer {answer}")
        if "Check my working" in feedback.seen().buttons:
            break
        await http_world.command("/skip")
    assert "Worked solution" in feedback.seen().text and "Check my working" in feedback.messages[-1].buttons
    await http_world.press(feedback, "Check my working")
    view = http_world.standin.views[next(reversed(http_world.standin.views))]
    command = json.loads(view["private_metadata"])["command"]
    assert command.startswith("/check d/dx ")
    # the derivative of the question's function, by SymPy here (not by calcbot), as the learner's two steps
    f = parse_expr(command.removeprefix("/check d/dx ").replace("^", "**"), local_dict={"e": sympy.E, "x": x})
    derivative = sympy.diff(f, x)
    checked = await http_world.submit(view, f"{derivative}\n{sympy.factor(derivative)}")
    text = checked.seen().text
    assert "1. ✅" in text and "2. ✅" in text and "Every step is right" in text


async def test_working_calcbot_cannot_read_gets_a_private_error_and_the_form_can_be_opened_again(http_world):
    _, view = await open_form(http_world)
    unreadable = await http_world.submit(view, "2x sin x +\nimport os")
    assert http_world.acked(unreadable) == {}  # the modal closes: the reason comes as a reply
    [shown] = unreadable.messages
    assert shown.ephemeral and shown.shown_text.startswith("⚠️")
    assert "Every step is right" not in shown.shown_text


async def test_a_form_kept_open_past_its_response_url_is_answered_through_the_web_api(http_world):
    _, view = await open_form(http_world)
    hook = json.loads(view["private_metadata"])["response_url"].rsplit("/", 1)[-1]
    http_world.standin.expired_hooks.add(hook)  # Slack's response_url lives 30 minutes
    checked = await http_world.submit(view, RIGHT)
    shown = checked.messages[-1]
    assert shown.via == "chat.postMessage" and shown.channel == "C0GEN" and "Every step is right" in shown.shown_text
