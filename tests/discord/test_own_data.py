"""A learner's own data on Discord: the CSV of their tries attached, /forget me with its button."""

from __future__ import annotations

import csv
import io
import re

from tests.conversation.script import plain
from tests.discord.harness import shown
from tests.discord.test_buttons import answer_of, button


async def test_progress_export_attaches_the_learners_tries_as_csv_only_to_them(discord_bot):
    await discord_bot.say("/quiz power-sum-rules")
    await discord_bot.say("/skip")
    exported = await discord_bot.say("/progress export")
    assert exported.ephemeral
    rows = list(csv.DictReader(io.StringIO(exported.files["calcbot-tries.csv"].decode())))
    assert [(row["topic"], row["skipped"]) for row in rows] == [("power-sum-rules", "yes")]
    assert "calcbot-tries.csv" in {a["filename"] for a in exported.body["attachments"]}


async def test_forget_me_asks_first_then_the_button_deletes_everything(discord_bot):
    standin = discord_bot.standin
    await discord_bot.say("/quiz power-sum-rules")
    await discord_bot.say("/skip")
    asked = await discord_bot.say("/forget me")
    assert asked.ephemeral and "cannot be undone" in plain(shown(asked).text)
    done = await answer_of(standin, await standin.press(asked.message, button(asked, "Yes, delete everything")))
    assert "Deleted everything" in plain(shown(done).text) and "tries (every answer you gave, and skips): 1" in \
        plain(shown(done).text)
    after = await discord_bot.say("/progress export")
    assert after.files["calcbot-tries.csv"].decode().count("\n") == 1  # the header only


async def test_progress_shows_mastery_per_skill_with_its_chart(discord_bot):
    await discord_bot.say("/quiz power-sum-rules")
    for typed in ("12345*x^7", "A", "12345"):  # an expression, a pick or a number, whichever the question takes
        if not (await discord_bot.say(f"/answer {typed}")).ephemeral:  # not refused: a try, evidence on the power rule
            break
    progress = await discord_bot.say("/progress")
    text = plain(shown(progress).text)
    # one wrong try: every skill it was evidence on is listed, none mastered
    assert re.search(r"Mastery per skill \(0 of \d+ mastered\)\n[ █░]+ \d+% ", text) and "95%" in text, text
    assert progress.files["mastery.png"].startswith(b"\x89PNG\r\n\x1a\n")
