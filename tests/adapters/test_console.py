"""The console adapter, run as a real process: the JSON contract and the readable chat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sympy

from bot.solver.parser import parse, parse_list
from bot.solver.variables import symbol

KEYS = {"text", "result", "latex", "images", "error", "diagnosis", "pushes", "files", "question", "learner"}


def _console(tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "c.db"), *extra],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=120, env=env,
    )


def test_json_mode_writes_exactly_one_json_line_per_message(tmp_path):
    run = _console(tmp_path, [
        "/derive x^2 sin x",
        '{"user": "ana", "channel": "c", "text": "/grad x^2 y at (1, 2)"}',
        "/derive x +* 2",
    ], "--json")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 3
    replies = [json.loads(line) for line in lines]
    assert all(set(reply) == KEYS for reply in replies)
    x, y = symbol("x"), symbol("y")
    assert sympy.simplify(parse(replies[0]["result"]) - sympy.diff(x**2 * sympy.sin(x), x)) == 0
    assert replies[0]["error"] is None
    assert replies[1]["result"].startswith("Matrix(")
    rows = parse_list(replies[1]["result"].removeprefix("Matrix(").removesuffix(")"))
    expected = [sympy.diff(x**2 * y, v).subs({x: 1, y: 2}) for v in (x, y)]
    assert [row[0] if isinstance(row, (list, tuple, sympy.Tuple)) else row for row in rows] == expected
    assert replies[2]["error"]["code"] == "parse"
    assert "column" in replies[2]["error"]["message"]


def test_json_mode_writes_images_to_files_and_reports_their_paths(tmp_path):
    run = _console(tmp_path, ["/slope x^2 at 3"], "--json", "--images", str(tmp_path / "img"))
    reply = json.loads(run.stdout.splitlines()[0])
    assert reply["error"] is None and reply["result"] == "6"
    assert reply["images"], reply
    for path in reply["images"]:
        assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert Path(path).parent == tmp_path / "img"


def test_piped_chat_answers_each_line_and_exits(tmp_path):
    run = _console(tmp_path, ["/derive x^2*sin(x)", "/help derive"])
    assert run.returncode == 0, run.stderr
    assert "product rule" in run.stdout.lower()
    assert "/derive EXPR" in run.stdout


def test_progress_survives_a_restart_of_the_console(tmp_path):
    first = _console(tmp_path, ["/lesson", "/quiz product rule", "/skip"], "--json")
    assert all(json.loads(line)["error"] is None for line in first.stdout.splitlines()), first.stdout
    second = _console(tmp_path, ["/progress"], "--json")
    progress = json.loads(second.stdout.splitlines()[0])
    assert progress["error"] is None
    assert "lessons read 1" in progress["text"]
