"""The organiser's view (issue 25): /cohort progress, export, the weekly digest and /leaderboard as an
image, in the real app on a real database file; the digest exactly once under concurrent schedulers."""

from __future__ import annotations

import ast
import asyncio
import csv
import io
import json
import re
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
from bot.learner import Try, mastery
from tests.cohorts.test_fair_daily import Recording

PNG = b"\x89PNG\r\n\x1a\n"


async def _cohort_with_tries(bot) -> list[dict]:
    """ana organises; bo answers every quiz question right, cy every one wrong (and leaves out the
    inside's derivative on two chain-rule questions), dee never practises. Bo's questions, in order."""
    bos: list[dict] = []
    await bot.say("/cohort create Calc Crew", user="ana", channel="study")
    for name in ("bo", "cy", "dee"):
        assert (await bot.say("/cohort join Calc Crew", user=name, channel="study", admin=False)).error is None
    for name in ("bo", "cy"):
        for topic in ("power-sum-rules", "chain-rule") * 3:
            asked = await bot.say(f"/quiz {topic}", user=name, channel=f"dm-{name}", admin=False)
            assert asked.error is None, asked.text
            question = _open_question(bot, name)
            if name == "bo":
                bos.append(question)
                reply = await bot.say(f"/answer {question['answer']}", user=name, channel=f"dm-{name}")
                assert reply.result == "True", reply.text
            else:  # independently wrong: another letter (not the inside-dropping distractor: that mistake
                # is made on purpose below), or one more than the answer (twice: the retry too)
                wrong = _other_letter(question) if question["kind"] == "choice" \
                    else str(sympy.sympify(question["answer"]) + 1)
                for _ in range(1 if question["kind"] == "choice" else 2):
                    reply = await bot.say(f"/answer {wrong}", user=name, channel=f"dm-{name}")
                    assert reply.error is None and reply.result in ("False", None), reply.text
            bot.clock.advance(minutes=30)
    for _ in range(2):
        await _drop_the_inside(bot, "cy")
    return bos


INNER = "chain_rule_inner_missing"


async def _drop_the_inside(bot, name: str) -> None:
    """A chain-rule question answered with the inner derivative left out (the right derivative divided
    by the inner function's, computed here with sympy), then skipped: one try diagnosed INNER."""
    for _ in range(20):
        asked = await bot.say("/quiz chain-rule", user=name, channel=f"dm-{name}", admin=False)
        assert asked.error is None, asked.text
        question = _open_question(bot, name)
        inner = re.search(r"The inner function is `([^`]+)`", " ".join(question["hints"]))
        command = re.fullmatch(r"/derive (.+)", question["solution_command"])
        if question["kind"] != "expression" or inner is None or command is None:
            await bot.say("/skip", user=name, channel=f"dm-{name}")
            continue
        x = sympy.Symbol("x")
        f = sympy.sympify(command.group(1).replace("^", "**"))
        wrong = sympy.simplify(sympy.diff(f, x) / sympy.diff(sympy.sympify(inner.group(1).replace("^", "**")), x))
        reply = await bot.say(f"/answer {sympy.sstr(wrong)}", user=name, channel=f"dm-{name}")
        assert reply.result == "False" and "inside" in reply.text.lower() + "inner", reply.text
        await bot.say("/skip", user=name, channel=f"dm-{name}")
        bot.clock.advance(minutes=30)
        return
    raise AssertionError("no chain-rule question with an inner function in 20 tries")


def _other_letter(question: dict) -> str:
    malrules = question.get("choice_malrules") or []
    for index, letter in enumerate("ABCDEF"[:len(question["choices"])]):
        if letter != question["answer"] and (index >= len(malrules) or malrules[index] != INNER):
            return letter
    raise AssertionError(question)


def _open_question(bot, name: str) -> dict:
    row = sqlite3.connect(bot.db_path).execute(
        "SELECT o.question_json FROM open_questions o JOIN users u ON u.id = o.user_id "
        "WHERE u.platform_user_id = ? ORDER BY o.id DESC", (name,)).fetchone()
    return json.loads(row[0])


async def test_the_organiser_sees_every_member_struggling_first_and_a_member_only_their_row(bot):
    bos = await _cohort_with_tries(bot)
    full = await bot.say("/cohort progress week", user="ana", channel="study")
    assert full.error is None, full.text
    seen = ast.literal_eval(full.result)
    assert set(seen) == {"members", "mastery", "daily", "inactive", "mistakes", "weakest"}
    assert seen["members"][-1] == "Bo" and set(seen["members"]) == {"Ana", "Bo", "Cy", "Dee"}
    # mastery per skill: the learner model over Bo's tries as built here (all right at the first try)
    expected = mastery([Try(tuple(q["skills"]), True, topic=q["topic_id"], kind=q["kind"]) for q in bos])
    assert seen["mastery"]["Bo"] == {skill: round(value, 3) for skill, value in expected.items()}
    assert seen["mastery"]["Bo"]["chain_rule"] >= 0.9 and seen["mastery"]["Cy"]["chain_rule"] < 0.2
    both = set(seen["mastery"]["Cy"]) & set(seen["mastery"]["Bo"])  # right only vs wrong only
    assert "chain_rule" in both and all(seen["mastery"]["Cy"][s] < seen["mastery"]["Bo"][s] for s in both)
    assert seen["mastery"]["Ana"] == seen["mastery"]["Dee"] == {}
    assert all(0 <= v <= 1 for row in seen["mastery"].values() for v in row.values())
    assert sorted(seen["inactive"]) == ["Ana", "Dee"]
    assert seen["daily"]["Bo"] == (0, 0)
    # the 3 skills with the lowest group mean, among the members who practised each
    skills = {s for row in seen["mastery"].values() for s in row}
    means = {s: sum(row[s] for row in seen["mastery"].values() if s in row)
             / sum(1 for row in seen["mastery"].values() if s in row) for s in skills}
    assert [round(means[s], 2) for s in seen["weakest"]] == sorted(round(v, 2) for v in means.values())[:3]
    # Cy left out the inside's derivative on two questions: one member, twice; words, example, lesson
    mistakes = {code: (members, count) for code, members, count in seen["mistakes"]}
    assert mistakes[INNER] == (1, 2), seen["mistakes"]
    counts = [count for _, _, count in seen["mistakes"]]
    assert counts == sorted(counts, reverse=True)
    assert f"(`{INNER}`) — 1 member, 2 times; e.g. `" in full.text and "/lesson chain-rule" in full.text
    assert "left out the inside" in full.text.lower() and "none diagnosed" not in full.text
    assert full.images and full.images[0].png.startswith(PNG) and "Heatmap" in full.images[0].alt
    assert "No practice in the period: Ana, Dee." in full.text
    later = await bot.say("/cohort progress week", user="ana", channel="study")  # no new tries: the same
    assert ast.literal_eval(later.result) == seen
    bot.clock.advance(days=8)
    quiet = ast.literal_eval((await bot.say("/cohort progress week", user="ana", channel="study")).result)
    assert quiet["mistakes"] == [] and sorted(quiet["inactive"]) == ["Ana", "Bo", "Cy", "Dee"]
    assert quiet["mastery"] == seen["mastery"]  # mastery is now, from every try; the period bounds activity
    # a new try after the states kept between views counts: one wrong typed answer lowers Bo's mastery of
    # that question's skills (all of them, or the diagnosed mistake's), and leaves the others as they were
    for _ in range(12):
        await bot.say("/quiz chain-rule", user="bo", channel="dm-bo", admin=False)
        question = _open_question(bot, "bo")
        if question["kind"] == "expression":
            break
        await bot.say("/skip", user="bo", channel="dm-bo")
    wrong = str(sympy.sympify(question["answer"]) + 1)
    assert (await bot.say(f"/answer {wrong}", user="bo", channel="dm-bo")).result == "False"
    after = ast.literal_eval((await bot.say("/cohort progress week", user="ana", channel="study")).result)
    lowered = {s for s, v in after["mastery"]["Bo"].items() if v < seen["mastery"]["Bo"].get(s, 1.0)}
    assert lowered and lowered <= set(question["skills"]), (question["skills"], after["mastery"]["Bo"])
    assert all(after["mastery"]["Bo"][s] == v for s, v in seen["mastery"]["Bo"].items() if s not in lowered)

    mine = await bot.say("/cohort progress", user="cy", channel="study", admin=False)
    own = ast.literal_eval(mine.result)
    assert own["members"] == ["Cy"] and list(own["mastery"]) == ["Cy"] and list(own["daily"]) == ["Cy"]
    assert own["weakest"] == after["weakest"] and "Bo" not in mine.text and "creator" in mine.text
    outsider = await bot.say("/cohort progress Calc Crew", user="zed", channel="elsewhere", admin=False)
    assert outsider.error is not None and outsider.error.code == "forbidden"


async def test_the_export_is_a_csv_of_member_and_skill_rows_for_the_organiser_only(bot):
    bos = await _cohort_with_tries(bot)
    refused = await bot.say("/cohort export", user="bo", channel="study", admin=False)
    assert refused.error is not None and refused.error.code == "forbidden"
    sent = await bot.say("/cohort export", user="ana", channel="study", admin=False)
    assert sent.private and len(sent.files) == 1 and sent.files[0].mime == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sent.files[0].data.decode())))
    assert set(rows[0]) == {"member", "user", "skill", "skill_name", "mastery", "tries", "right", "last_practised"}
    on_skill = {skill: sum(skill in q["skills"] for q in bos) for q in bos for skill in q["skills"]}
    assert {(r["skill"], r["tries"], r["right"]) for r in rows if r["member"] == "Bo"} == {
        (skill, str(n), str(n)) for skill, n in on_skill.items()}
    assert {r["member"] for r in rows} == {"Bo", "Cy"}
    assert all(r["right"] == "0" and int(r["tries"]) > 0 for r in rows if r["member"] == "Cy")
    assert all(r["last_practised"] for r in rows)


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


async def test_the_cohort_view_shows_the_mastery_progress_computes_from_each_members_tries(bot):
    """The organiser reads the stored states; /progress traces the tries: they agree, member by member."""
    from bot.quiz.choosing import model_tries
    from bot.quiz.progress import skill_mastery
    from bot.store.rows import TryEvidence

    await _cohort_with_tries(bot)
    seen = ast.literal_eval((await bot.say("/cohort progress all", user="ana", channel="study")).result)
    for name in ("bo", "cy", "dee"):
        rows = sqlite3.connect(bot.db_path).execute(
            "SELECT t.topic_id, t.kind, t.skills, t.aimed_at, t.correct, t.retry, t.skipped, t.malrule FROM tries t"
            " JOIN users u ON u.id = t.user_id WHERE u.platform_user_id = ? ORDER BY t.id", (name,)).fetchall()
        traced = skill_mastery(model_tries(TryEvidence(*row) for row in rows))
        assert seen["mastery"][name.title()] == {one.skill: round(one.mastery, 3) for one in traced}
    assert seen["mastery"]["Cy"] and seen["mastery"]["Dee"] == {}
