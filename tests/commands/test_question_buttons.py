"""A question's buttons act on that asking of the question only: a press on an older question's
button, or on someone else's, is told so privately and changes nothing."""

from __future__ import annotations

from bot.commands.learning import STALE_BUTTON


def _button(reply, label):
    return next(choice for choice in reply.choices if choice.label == label)


async def test_a_button_on_the_open_question_works(bot):
    question = await bot.say("/quiz derivatives")
    skipped = await bot.press(_button(question, "Skip"))
    assert skipped.text.startswith("Skipped")


async def test_a_button_on_a_question_already_closed_is_told_so_and_changes_nothing(bot):
    first = await bot.say("/quiz derivatives")
    await bot.press(_button(first, "Skip"))
    second = await bot.say("/quiz derivatives")
    stale = await bot.press(_button(first, "Skip"))  # the old message's button, pressed later
    assert stale.private and stale.text == STALE_BUTTON
    assert (await bot.press(_button(second, "Skip"))).text.startswith("Skipped")  # the second was still open


async def test_someone_elses_button_does_not_touch_the_pressers_own_question(bot):
    anas = await bot.say("/quiz derivatives", user="ana")
    await bot.say("/quiz derivatives", user="bo")
    stale = await bot.press(_button(anas, "Skip"), user="bo")
    assert stale.private and stale.text == STALE_BUTTON
    # bo's own question is still open, and ana's too
    assert (await bot.say("/skip", user="bo")).text.startswith("Skipped")
    assert (await bot.press(_button(anas, "Skip"), user="ana")).text.startswith("Skipped")


async def test_typed_commands_are_not_buttons(bot):
    await bot.say("/quiz derivatives")
    await bot.say("/quiz derivatives")  # replaces the first
    assert (await bot.say("/skip")).text.startswith("Skipped")


class _Channel:
    """A delivery port that keeps what it is sent."""

    def __init__(self) -> None:
        self.replies: list = []

    async def deliver(self, channel, reply, *, kind: str) -> None:
        self.replies.append(reply)


async def test_a_daily_button_from_a_day_that_has_closed_is_told_so(bot):
    from bot.core.message import ChannelRef
    from bot.core.reply import Choice

    await bot.say("/daily on 10:00 derivatives")
    bot.clock.advance(hours=1, minutes=1)
    channel = _Channel()
    await bot.app.scheduler.run_due(channel, "console", bot.clock())
    assert channel.replies, "the daily question was posted"
    push = await bot.app.services.cohorts.daily.open_push(ChannelRef("console", "", "general"), bot.clock())
    old = Choice(f"d{push.id + 1000}.A", "A", "/daily answer A")  # another day's push
    stale = await bot.press(old, user="bo")
    assert stale.private and "closed" in stale.text
    import json

    right = json.loads(push.question_json)["answer"]  # a letter only where the question is a choice
    today = Choice(f"d{push.id}.A", "A", f"/daily answer {right}")
    answered = await bot.press(today, user="bo")
    assert "recorded" in answered.text
    assert "already answered" in (await bot.press(today, user="bo")).text


async def test_a_derivative_answer_offers_a_form_for_the_learners_own_working(bot):
    """The form's text goes after the command, one step per line; /check marks each step."""
    import sympy

    reply = await bot.say("/derive x^2 sin x")
    work = next(choice for choice in reply.choices if choice.label == "Check my working")
    assert work.form and work.command == "/check d/dx x^2 sin x"
    x = sympy.Symbol("x")
    right = sympy.diff(x**2 * sympy.sin(x), x)
    assert sympy.simplify(right - (2 * x * sympy.sin(x) + x**2 * sympy.cos(x))) == 0  # the steps below, by SymPy
    checked = await bot.say(f"{work.command}\n2x sin x + x^2 cos x\nx(2 sin x + x cos x)")
    assert checked.result == "[True, True]"
    wrong = await bot.say(f"{work.command}\n= 2x cos x\n= 2x cos x")
    assert wrong.result == "[False, True]" and wrong.diagnosis is not None


async def test_the_retry_after_a_wrong_derivative_answer_offers_the_form_too(bot):
    for _ in range(12):
        question = await bot.say("/quiz product rule")
        if any(c.command.startswith("/answer ") for c in question.choices):
            continue  # multiple choice: no working to check
        retry = await bot.say("/answer 0")
        assert "One more try" in retry.text
        forms = [c for c in retry.choices if c.form]
        assert len(forms) == 1 and forms[0].command.startswith("/check d/dx ")
        assert "Expected" not in retry.text  # the form names the function, never the answer
        return
    raise AssertionError("no typed-answer product-rule question in 12 tries")
