"""A study group's day on the scripted console: a cohort, a daily question, three answers, the reveal,
and the leaderboard in the right order (issue 15's transcript test)."""

from __future__ import annotations

import ast
import sqlite3

import sympy

from tests.cohorts.console_process import ConsoleProcess


def _right_answer(db: str) -> str:
    import json

    row = sqlite3.connect(db).execute(
        "SELECT question_json FROM daily_pushes WHERE kind = 'daily' AND status = 'sent'").fetchone()
    return json.loads(row[0])["answer"]


def test_a_cohort_day_from_question_to_leaderboard(tmp_path):
    db = str(tmp_path / "calcbot.db")
    bot = ConsoleProcess("--db", db, "--clock", "2027-03-26T07:00:00Z", "--admins", "ana",
                         env={"CALCBOT_DATA_DIR": str(tmp_path)})
    try:
        say = lambda user, text, **extra: bot.say(user=user, channel="study", text=text, **extra)  # noqa: E731
        assert say("ana", "/cohort create Calc Crew")["error"] is None
        assert say("bo", "/cohort join Calc Crew")["error"] is None
        assert say("cy", "/cohort join calc crew")["error"] is None  # names are case-insensitive
        refused = say("bo", "/daily on 08:00")
        assert refused["error"]["code"] == "forbidden"
        scheduled = say("ana", "/daily on 08:00 Europe/London power-sum-rules window 12")
        assert scheduled["result"] == "2027-03-26T08:00:00Z"  # 08:00 GMT, before the clocks change

        fired = bot.say(at="2027-03-26T08:00:00Z")
        assert fired["text"] == "" and [p["kind"] for p in fired["pushes"]] == ["daily"]
        assert fired["pushes"][0]["channel"] == "study" and fired["pushes"][0]["late"] is False
        assert fired["pushes"][0]["question"]["topic"] == "power-sum-rules"  # the push asks a question

        right = _right_answer(db)
        wrong = str(sympy.sympify(right) + 1)  # independently wrong: off by one everywhere
        assert say("ana", f"/daily answer {right}")["result"] == "True"
        assert say("bo", f"/daily answer {wrong}")["result"] == "False"
        again = say("bo", f"/daily answer {right}")
        assert again["error"]["code"] == "duplicate"  # the first answer stands
        assert say("bo", "/progress")["learner"]["answered"] == 1  # a daily answer is a try
        assert say("cy", f"/answer {right}")["result"] == "True"  # /answer reaches the daily question

        revealed = bot.say(at="2027-03-26T20:00:00Z", user="cy", channel="study", text="/leaderboard")
        assert [p["kind"] for p in revealed["pushes"]] == ["reveal"]
        assert "2 of 3 right" in revealed["pushes"][0]["text"]
        board = ast.literal_eval(revealed["result"])
        assert [(rank, user) for rank, user, _ in board] == [(1, "ana"), (1, "cy"), (3, "bo")]
        assert board[0][2] == board[1][2] > board[2][2] == 0  # equal points share a rank; 0 points listed

        status = say("ana", "/daily status")
        assert status["result"] == "2027-03-27T08:00:00Z"
        moved_back = bot.say(at="2027-03-26T09:00:00Z")
        assert moved_back["error"]["code"] == "usage"
    finally:
        bot.close()
