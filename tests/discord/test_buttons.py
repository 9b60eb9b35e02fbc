"""Reply choices as buttons: pressed in the same process, and in a NEW bot process after a restart."""

from __future__ import annotations

from tests.conversation.script import plain
from tests.discord.bot_process import BotProcess
from tests.discord.harness import is_answer, shown
from tests.discord.standin import DiscordStandIn, Posted

CLOSED = "no longer open for you"  # a press on a closed question's button


def button(posted: Posted, label: str) -> str:
    """The custom id of the button labelled ``label`` on a message the bot posted."""
    for row in posted.body.get("components") or []:
        for component in row["components"]:
            if component.get("label") == label:
                return str(component["custom_id"])
    raise AssertionError(f"no {label!r} button among {shown(posted).buttons}")


async def answer_of(standin: DiscordStandIn, interaction: dict, timeout: float = 60.0) -> Posted:
    return await standin.wait_for(
        lambda: next((p for p in reversed(standin.answers_to(interaction)) if is_answer(p)), None), timeout)


async def test_a_lesson_leads_to_a_quiz_and_a_skip_without_typing(discord_bot):
    standin = discord_bot.standin
    lesson = await discord_bot.say("/lesson")
    quiz = await answer_of(standin, await standin.press(lesson.message, button(lesson, "Quiz me")))
    assert "Quiz —" in plain(shown(quiz).text) and "Skip" in shown(quiz).buttons
    skipped = await answer_of(standin, await standin.press(quiz.message, button(quiz, "Skip")))
    assert "Skipped" in plain(shown(skipped).text) and "Answer:" in plain(shown(skipped).text)
    assert not skipped.ephemeral
    again = await answer_of(standin, await standin.press(quiz.message, button(quiz, "Skip")))
    assert again.ephemeral and CLOSED in plain(shown(again).text)  # the question is closed: said politely


async def test_a_button_pressed_after_a_restart_is_answered_by_the_new_process(standin, tmp_path):
    db = tmp_path / "shared.db"
    first = BotProcess(standin, db, tmp_path / "one", tmp_path / "one.log")
    await first.start()
    try:
        quiz = await answer_of(standin, await standin.slash("quiz", {"topic": "power-sum-rules"}))
        assert "Skip" in shown(quiz).buttons
    finally:
        await first.stop()
    second = BotProcess(standin, db, tmp_path / "two", tmp_path / "two.log")
    await second.start()
    try:
        skipped = await answer_of(standin, await standin.press(quiz.message, button(quiz, "Skip")))
        assert "Skipped" in plain(shown(skipped).text), (tmp_path / "two.log").read_text()[-2000:]
        again = await answer_of(standin, await standin.press(quiz.message, button(quiz, "Skip")))
        assert again.ephemeral and CLOSED in plain(shown(again).text)
    finally:
        await second.stop()
    assert len(standin.identifies) == 2  # two processes, each identified once


async def test_a_hint_is_shown_only_to_the_learner_who_asked(discord_bot):
    quiz = await discord_bot.say("/quiz power-sum-rules")
    assert not quiz.ephemeral
    hint = await discord_bot.say("/hint")
    assert hint.ephemeral and ("Hint" in shown(hint).text or "no hints" in shown(hint).text)
    assert hint.body["embeds"]  # a private answer is still an answer: the working in an embed, not an error line
