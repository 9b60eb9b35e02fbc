"""The organiser's view (issue 25): /cohort progress, export, the weekly digest and /leaderboard as an
image, in the real app on a real database file; the digest exactly once under concurrent schedulers."""

from __future__ import annotations

import ast
import asyncio
import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sympy

from bot.cohorts.digest import DigestPlan, Digests, latest_due, next_due, read_plan
from bot.cohorts.groups import Groups
from bot.cohorts.scheduler import Scheduler
from bot.cohorts.tables import daily_pushes
from bot.core.message import ChannelRef, UserRef
from bot.core.reply import Reply
from tests.cohorts.test_fair_daily import Recording

PNG = b"\x89PNG\r\n\x1a\n"


async def _cohort_with_tries(bot) -> None:
    """ana organises; bo answers every quiz question right, cy every one wrong, dee never practises."""
    await bot.say("/cohort create Calc Crew", user="ana", channel="study")
    for name in ("bo", "cy", "dee"):
        assert (await bot.say("/cohort join Calc Crew", user=name, channel="study", admin=False)).error is None
    for name in ("bo", "cy"):
        for topic in ("power-sum-rules", "chain-rule") * 3:
            asked = await bot.say(f"/quiz {topic}", user=name, channel=f"dm-{name}", admin=False)
            assert asked.error is None, asked.text
            question = _open_question(bot, name)
            if name == "bo":
                reply = await bot.say(f"/answer {question['answer']}", user=name, channel=f"dm-{name}")
                assert reply.result == "True", reply.text
            else:  # independently wrong: another letter, or one more than the answer (twice: the retry too)
                wrong = ("A" if question["answer"] != "A" else "B") if question["kind"] == "choice" \
                    else str(sympy.sympify(question["answer"]) + 1)
                for _ in range(1 if question["kind"] == "choice" else 2):
                    reply = await bot.say(f"/answer {wrong}", user=name, channel=f"dm-{name}")
                    assert reply.error is None and reply.result in ("False", None), reply.text
            bot.clock.advance(minutes=30)


def _open_question(bot, name: str) -> dict:
    row = sqlite3.connect(bot.db_path).execute(
        "SELECT o.question_json FROM open_questions o JOIN users u ON u.id = o.user_id "
        "WHERE u.platform_user_id = ? ORDER BY o.id DESC", (name,)).fetchone()
    return json.loads(row[0])


async def test_the_organiser_sees_every_member_struggling_first_and_a_member_only_their_row(bot):
    await _cohort_with_tries(bot)
    full = await bot.say("/cohort progress week", user="ana", channel="study")
    assert full.error is None, full.text
    seen = ast.literal_eval(full.result)
    assert set(seen) == {"members", "mastery", "daily", "inactive", "mistakes", "weakest"}
    assert seen["members"][-1] == "Bo" and set(seen["members"]) == {"Ana", "Bo", "Cy", "Dee"}
    assert seen["mastery"]["Cy"]["chain-rule"] < seen["mastery"]["Bo"]["chain-rule"]
    assert all(0 <= v <= 1 for row in seen["mastery"].values() for v in row.values())
    assert sorted(seen["inactive"]) == ["Ana", "Dee"]
    assert seen["daily"]["Bo"] == (0, 0) and set(seen["weakest"]) == {"power-sum-rules", "chain-rule"}
    assert full.images and full.images[0].png.startswith(PNG) and "Heatmap" in full.images[0].alt
    assert "No practice in the period: Ana, Dee." in full.text

    mine = await bot.say("/cohort progress", user="cy", channel="study", admin=False)
    own = ast.literal_eval(mine.result)
    assert own["members"] == ["Cy"] and list(own["mastery"]) == ["Cy"] and list(own["daily"]) == ["Cy"]
    assert own["weakest"] == seen["weakest"] and "Bo" not in mine.text and "creator" in mine.text
    outsider = await bot.say("/cohort progress Calc Crew", user="zed", channel="elsewhere", admin=False)
    assert outsider.error is not None and outsider.error.code == "forbidden"


async def test_the_export_is_a_csv_of_member_and_topic_rows_for_the_organiser_only(bot):
    await _cohort_with_tries(bot)
    refused = await bot.say("/cohort export", user="bo", channel="study", admin=False)
    assert refused.error is not None and refused.error.code == "forbidden"
    sent = await bot.say("/cohort export", user="ana", channel="study", admin=False)
    assert sent.private and len(sent.files) == 1 and sent.files[0].mime == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sent.files[0].data.decode())))
    assert {(r["member"], r["topic"], r["tries"], r["right"]) for r in rows} == {
        ("Bo", "power-sum-rules", "3", "3"), ("Bo", "chain-rule", "3", "3"),
        ("Cy", "power-sum-rules", "3", "0"), ("Cy", "chain-rule", "3", "0")}


async def test_the_leaderboard_as_an_image_and_its_button(bot):
    await _cohort_with_tries(bot)
    table = await bot.say("/leaderboard", user="ana", channel="study")
    assert table.choices and table.choices[0].label == "As an image" and not table.images
    picture = await bot.press(table.choices[0], channel="study")
    assert picture.images and picture.images[0].png.startswith(PNG)
    assert picture.result == table.result and "1. Bo" in picture.images[0].alt


async def test_the_digest_is_pushed_once_to_the_home_channel_with_the_aggregate_only(bot):
    await _cohort_with_tries(bot)
    refused = await bot.say("/cohort digest on friday 17:00", user="bo", channel="study", admin=False)
    assert refused.error is not None and refused.error.code == "forbidden"
    on = await bot.say("/cohort digest on friday 17:00 Europe/London", user="ana", channel="study", admin=False)
    assert on.error is None and on.result == "2026-03-06T17:00:00Z", on.text  # Mon 2 Mar → Fri 6 Mar, GMT
    platform = Recording()
    scheduler = bot.app.services.cohorts.scheduler
    await scheduler.run_due(platform, "console", datetime(2026, 3, 6, 16, 59, tzinfo=UTC))
    assert platform.sent == []
    await scheduler.run_due(platform, "console", datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    await scheduler.run_due(platform, "console", datetime(2026, 3, 6, 17, 30, tzinfo=UTC))
    assert [(c.id, kind) for c, _, kind in platform.sent] == [("study", "digest")]
    reply = platform.sent[0][1]
    seen = ast.literal_eval(reply.result)
    assert seen["members"] == [] and seen["daily"] == {} and "Bo" not in reply.text and reply.images
    private = await bot.say("/cohort digest on fri 18:00 private", user="ana", channel="study", admin=False)
    assert "privately" in private.text
    await scheduler.run_due(platform, "console", datetime(2026, 3, 13, 18, 1, tzinfo=UTC))
    assert [(c.id, kind) for c, _, kind in platform.sent][1:] == [("@ana", "digest")]
    assert "Bo" in platform.sent[1][1].text or "Bo" in (platform.sent[1][1].result or "")
    assert (await bot.say("/cohort digest off", user="ana", channel="study")).error is None


def test_digest_times_follow_the_local_clock_across_dst():
    plan = read_plan(["sun", "08:00", "Europe/London"])
    assert plan == DigestPlan(6, "08:00", "Europe/London", False)
    # the UK's clocks go forward on Sunday 28 March 2027: 08:00 is 08:00 GMT, then 07:00 UTC
    assert next_due(datetime(2027, 3, 15, tzinfo=UTC), plan) == datetime(2027, 3, 21, 8, 0, tzinfo=UTC)
    assert next_due(datetime(2027, 3, 22, tzinfo=UTC), plan) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    day, due = latest_due(datetime(2027, 3, 30, tzinfo=UTC), plan)
    assert (day.isoformat(), due) == ("2027-03-28", datetime(2027, 3, 28, 7, 0, tzinfo=UTC))


async def compose(row: dict, now: datetime) -> Reply:
    return Reply(text=f"{row['kind']} {row['local_date']}")


async def test_many_schedulers_send_each_digest_exactly_once(database):
    store = await database.open()
    others = [await database.open() for _ in range(2)]
    try:
        start = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)  # a Monday
        groups, digests = Groups(store), Digests(store)
        for n in range(40):
            channel = ChannelRef("console", "", f"c{n}")
            cohort = await groups.create(f"group {n}", UserRef("console", f"u{n}", f"u{n}"), channel, start)
            plan = DigestPlan(0, f"08:{n % 60:02d}", "UTC", n % 2 == 0)
            await digests.turn_on(cohort, channel, UserRef("console", f"u{n}", f"u{n}"), plan, start)
        platforms = [Recording() for _ in range(3)]
        schedulers = [Scheduler(s, lambda: start, compose, Digests(s)) for s in (store, *others)]
        for week in range(2):
            now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC) + timedelta(weeks=week)
            await asyncio.gather(*(s.run_due(p, "console", now) for s, p in zip(schedulers, platforms, strict=True)))
        sent = [(c.id, kind, r.text) for p in platforms for c, r, kind in p.sent]
        assert len(sent) == len(set(sent)) == 40 * 2
        assert {c for c, _, _ in sent} == {f"c{n}" for n in range(1, 40, 2)} | {f"@u{n}" for n in range(0, 40, 2)}
        async with store.snapshot() as db:
            counts = dict((await db.execute(sa.select(daily_pushes.c.status, sa.func.count())
                                            .group_by(daily_pushes.c.status))).all())
        assert counts == {"sent": 80}
    finally:
        for s in (store, *others):
            await s.close()
