"""A simulated cohort of 5 members over two weeks on the scripted console (`--clock`), for trying the
organiser's view as a new user would: `python scripts/simulate_cohort.py OUT_DIR`.

Each member has a skill level; every day the daily question is pushed at 08:00 London time, members
answer it (or not), and practise a few quiz questions on the course's first topics. Right answers are
read from the question the bot stored (as a learner who knows the answer would type it).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.cohorts.console_process import ConsoleProcess  # noqa: E402

MEMBERS = {"ana": 0.9, "bo": 0.6, "cy": 0.35, "dee": 0.75, "eli": 0.2}  # chance of a right answer
TOPICS = ("power-sum-rules", "product-rule", "chain-rule", "partial-derivatives", "functions")
START = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    db = out / "cohort.db"
    db.unlink(missing_ok=True)
    bot = ConsoleProcess("--db", str(db), "--clock", START.isoformat(), "--admins", "ana", "--images", str(out),
                         env={"CALCBOT_DATA_DIR": str(out)})
    rng = random.Random(25)
    log = (out / "transcript.jsonl").open("w")

    def say(**line):
        reply = bot.say(**line)
        log.write(json.dumps({"in": line, "out": reply}) + "\n")
        return reply

    say(user="ana", channel="study", text="/cohort create Calc Crew")
    for name in list(MEMBERS)[1:]:
        say(user=name, channel="study", text="/cohort join Calc Crew")
    say(user="ana", channel="study", text="/daily on 08:00 Europe/London auto")
    say(user="ana", channel="study", text="/cohort digest on sunday 18:00 Europe/London")
    for day in range(14):
        morning = START + timedelta(days=day, hours=1, minutes=5)
        say(at=morning.isoformat())
        question = sqlite3.connect(db).execute(
            "SELECT question_json FROM daily_pushes WHERE kind='daily' AND status='sent' "
            "ORDER BY id DESC LIMIT 1").fetchone()
        answer = json.loads(question[0])["answer"] if question else None
        for name, level in MEMBERS.items():
            if name == "eli" and day > 4:
                continue  # eli stops coming after the first week
            if answer and rng.random() < 0.8:
                text = answer if rng.random() < level else "0"
                say(user=name, channel="study", text=f"/daily answer {text}")
            for _ in range(rng.randint(1, 3)):
                topic = rng.choice(TOPICS[: 2 + day // 4])
                asked = say(user=name, channel=f"dm-{name}", text=f"/quiz {topic}")
                if asked.get("error"):
                    continue
                row = sqlite3.connect(db).execute(
                    "SELECT o.question_json FROM open_questions o JOIN users u ON u.id = o.user_id "
                    "WHERE u.platform_user_id = ? AND o.channel_key LIKE ?", (name, f"%dm-{name}")).fetchone()
                right = json.loads(row[0])["answer"]
                say(user=name, channel=f"dm-{name}", text=f"/answer {right if rng.random() < level else '0'}")
                if rng.random() > level:  # the retry after feedback
                    say(user=name, channel=f"dm-{name}", text=f"/answer {right if rng.random() < level else '1'}")
    evening = START + timedelta(days=13, hours=11, minutes=30)
    digest = say(at=evening.isoformat())
    progress = say(user="ana", channel="study", text="/cohort progress Calc Crew all")
    member_view = say(user="cy", channel="study", text="/cohort progress")
    export = say(user="ana", channel="study", text="/cohort export")
    board = say(user="ana", channel="study", text="/leaderboard all image")
    bot.close()
    for label, reply in (("digest", digest), ("progress", progress), ("member view", member_view),
                         ("export", export), ("leaderboard", board)):
        print(f"== {label}\n{json.dumps(reply, indent=1)[:3000]}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/calcbot-cohort"))
