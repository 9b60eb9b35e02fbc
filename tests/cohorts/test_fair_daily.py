"""A fair and safe daily game, in the real app (issue 25): a typo does not spend the one answer,
zones and topics are read as people write them, the shared pit keeps its secret, names never ping."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from datetime import UTC, datetime

import sympy

from bot.cohorts.clock import read_zone
from bot.cohorts.leaderboard import shared_ranks
from bot.cohorts.names import clean_name
from bot.core.message import ChannelRef
from bot.core.reply import Reply
from content.catalog import curriculum


class Recording:
    """The platform's side of the delivery port: what it was asked to post."""

    def __init__(self) -> None:
        self.sent: list[tuple[ChannelRef, Reply, str]] = []

    async def deliver(self, channel: ChannelRef, reply: Reply, *, kind: str) -> None:
        self.sent.append((channel, reply, kind))


async def _push_daily(bot, topic: str) -> dict:
    assert (await bot.say("/cohort create Calc Crew", channel="study")).error is None
    on = await bot.say(f"/daily on 08:00 UTC {topic}", channel="study")
    assert on.error is None, on.text
    bot.clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    platform = Recording()
    await bot.app.services.cohorts.scheduler.run_due(platform, "console", bot.clock.now)
    assert [kind for _, _, kind in platform.sent] == ["daily"]
    row = sqlite3.connect(bot.db_path).execute(
        "SELECT question_json FROM daily_pushes WHERE kind = 'daily' AND status = 'sent'").fetchone()
    return json.loads(row[0])


def _answers(bot) -> int:
    return sqlite3.connect(bot.db_path).execute("SELECT COUNT(*) FROM daily_answers").fetchone()[0]


async def test_a_letter_for_a_number_is_refused_and_the_answer_is_not_spent(bot):
    question = await _push_daily(bot, "functions")  # "what is f(0)?": a value, no letters in it
    assert "q" not in question["prompt"]
    letter = await bot.say("/daily answer q", user="bo", channel="study")
    assert letter.error is not None and letter.error.code == "bad_argument"
    assert "q" in letter.text and "Nothing was recorded" in letter.text
    unreadable = await bot.say("/daily answer ((", user="bo", channel="study")
    assert unreadable.error is not None and unreadable.error.code == "parse"
    assert "Nothing was recorded" in unreadable.text
    assert _answers(bot) == 0
    right = sympy.sympify(question["answer"])  # an independent reading of the stored answer
    answered = await bot.say(f"/daily answer {right}", user="bo", channel="study")
    assert answered.result == "True" and _answers(bot) == 1


async def test_daily_reads_topics_like_quiz_and_names_the_title(bot):
    for words in ("chain rule", "chain-rule", "UTC chain rule"):
        reply = await bot.say(f"/daily on 08:00 {words}", channel="room")
        assert reply.error is None, reply.text
        assert f"topic {curriculum().topic('chain-rule').title} (`chain-rule`)" in reply.text, reply.text


async def test_time_zones_as_people_write_them(bot):
    # now: Mon 2026-03-02 09:00 UTC, so 08:00 in New York (13:00 UTC) is still to come today
    expected = {"EST": "2026-03-02T13:00:00Z", "UTC+2": "2026-03-03T06:00:00Z", "GMT-5": "2026-03-02T13:00:00Z",
                "CET": "2026-03-03T07:00:00Z", "Asia/Kolkata": "2026-03-03T02:30:00Z",
                "utc+05:30": "2026-03-03T02:30:00Z"}
    for zone, due in expected.items():
        reply = await bot.say(f"/daily on 08:00 {zone} auto", channel="room")
        assert reply.error is None, reply.text
        assert reply.result == due, (zone, reply.result)
        # independently: 08:00 local on the next day in that zone, as Python's zoneinfo sees it
        local = datetime.fromisoformat(due.replace("Z", "+00:00")).astimezone(read_zone(zone))
        assert local.strftime("%H:%M") == "08:00"
    status = await bot.say("/daily status", channel="room")
    assert "08:00 UTC+05:30" in status.text and "(Tue 03 Mar 02:30 UTC)" in status.text, status.text
    wrong = await bot.say("/daily on 08:00 ESTT chain rule", channel="room")
    assert wrong.error is not None and "unknown time zone 'ESTT'" in wrong.text and "topic" not in wrong.text
    assert "EST" in wrong.text  # a suggestion


async def test_quitting_the_daily_pit_keeps_the_prize_secret_and_replays_tomorrow(bot):
    started = await bot.say("/sandpit daily", user="bo", channel="study")
    assert started.error is None, started.text
    quit_ = await bot.say("/sandpit quit", user="bo", channel="study")
    assert "prize was at" not in quit_.text and not quit_.images
    assert "secret" in quit_.text
    bot.clock.advance(days=1)
    tomorrow = await bot.say("/sandpit daily", user="cy", channel="study")
    replay = re.search(r"`(/sandpit start [^`]+)`", tomorrow.text)
    assert replay is not None and "prize at (" in tomorrow.text, tomorrow.text
    await bot.say("/sandpit quit", user="cy", channel="study")
    replayed = await bot.say(replay.group(1), user="cy", channel="study")
    assert replayed.error is None, replayed.text  # the seed it printed is a seed it takes


async def test_names_are_safe_and_cohort_commands_read_well(bot):
    evil = "Calc\u202eCrew @everyone <@123>"
    created = await bot.say(f"/cohort create {evil}", channel="study")
    assert created.error is None
    assert "\u202e" not in created.text and created.result == "CalcCrew @everyone <@123>"
    assert clean_name("a\u2066b\u200fc\n d") == "abc d"
    joined = await bot.say("/cohort join calccrew @everyone <@12>", user="bo", channel="elsewhere")
    assert joined.error is not None and "did you mean **CalcCrew @everyone <@123>**" in joined.text
    info = await bot.say("/cohort info", channel="study")
    assert "1 member:" in info.text and "1 channel." in info.text
    refused = await bot.say("/cohort delete CalcCrew @everyone <@123>", user="bo", channel="study", admin=False)
    assert refused.error is not None and refused.error.code == "forbidden"
    asked = await bot.say("/cohort delete CalcCrew @everyone <@123>", channel="study")
    assert "1 member" in asked.text and "cannot be undone" in asked.text and asked.choices
    still = await bot.say("/cohort list", channel="study")
    assert "CalcCrew" in still.text
    done = await bot.press(asked.choices[0], channel="study")
    assert done.text.startswith("Deleted cohort")
    assert ast.literal_eval((await bot.say("/cohort list", channel="study")).result or "[]") == []


def test_equal_points_share_a_rank():
    assert shared_ranks([30, 30, 10, 10, 10, 0]) == [1, 1, 3, 3, 3, 6]
