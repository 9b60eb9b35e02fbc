"""Tried as a new user, through the real console in --json: a learner who repeats one mistake sees
the bot notice it, aim practice at it, and let go once it is fixed; /progress says so, with a chart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sympy

from content.aimed import derivative_task, malrule_answers
from content.generate import question_from_id

CODE = "chain_rule_inner_missing"


class Console:
    def __init__(self, tmp_path: Path):
        env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", "--db", str(tmp_path / "c.db"), "--user", "ana",
             "--images", str(tmp_path / "images")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)

    def say(self, text: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the console closed its output"
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _typed(expr: sympy.Expr) -> str:
    return str(expr).replace("**", "^")


def test_a_repeated_mistake_is_noticed_practised_and_let_go(tmp_path: Path) -> None:
    console = Console(tmp_path)
    try:
        for _ in range(20):
            asked = console.say("/quiz chain rule")
            assert asked["question"]["topic"] == "chain-rule" and asked["learner"] is None
            task = derivative_task(question_from_id(asked["question"]["id"]))
            if task is not None and malrule_answers(CODE, *task):
                break
        wrong = _typed(malrule_answers(CODE, *task)[0])
        for _ in range(2):  # the first try and the retry, the same mistake
            assert console.say(f"/answer {wrong}")["diagnosis"]["code"] == CODE
        for _ in range(2):
            aimed = console.say("/quiz")
            assert aimed["question"]["aimed_at"] == CODE and "inside's derivative" in aimed["text"]
            task = derivative_task(question_from_id(aimed["question"]["id"]))
            assert task is not None
            assert console.say(f"/answer {_typed(sympy.diff(*task))}")["result"] == "True"
        assert console.say("/quiz")["question"]["aimed_at"] is None
        progress = console.say("/progress")
        learner = progress["learner"]
        assert (learner["answered"], learner["correct"], learner["skipped"]) == (4, 2, 0)
        assert learner["mistakes"] == [{"code": CODE, "count": 2}]
        assert 0 < learner["mastery"]["chain_rule"] < 1 and progress["question"] is None
        assert "/lesson chain-rule" in progress["text"] and "95%" in progress["text"]
        [chart] = progress["images"]
        assert Path(chart).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    finally:
        console.close()
