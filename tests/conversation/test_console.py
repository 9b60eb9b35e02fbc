"""The shared conversation through the real console process (JSON mode); the maths checked by SymPy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sympy

from tests.conversation.script import SCRIPT, Seen, check


def run_console(tmp_path: Path) -> list[Seen]:
    lines = "\n".join(turn.say for turn in SCRIPT) + "\n"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--db", str(tmp_path / "c.db"), "--user", "ana",
         "--images", str(tmp_path / "images")],
        input=lines, capture_output=True, text=True, timeout=300, env=env, check=True)
    seen = []
    for line in done.stdout.splitlines():
        data = json.loads(line)
        seen.append(Seen(text=data["text"], images=len(data["images"]), error=data["error"] is not None))
    return seen


def test_the_conversation_on_the_console(tmp_path):
    seen = run_console(tmp_path)
    assert len(seen) == len(SCRIPT)
    for turn, shown in zip(SCRIPT, seen, strict=True):
        if not turn.buttons:  # the console shows choices as text lines, not labels
            check(turn, shown)


def test_the_scripts_expected_answers_are_right():
    """The fragments the script expects, recomputed by SymPy on its own."""
    x, y = sympy.symbols("x y")
    f = x**2 * sympy.sin(x)
    assert sympy.expand(sympy.diff(f, x) - (x**2 * sympy.cos(x) + 2 * x * sympy.sin(x))) == 0
    assert sympy.expand(sympy.diff(f, x, 2) - (-(x**2) * sympy.sin(x) + 4 * x * sympy.cos(x) + 2 * sympy.sin(x))) == 0
    assert sympy.Matrix([x * y, x + y]).jacobian([x, y]).det() == -x + y
    assert abs(float(sympy.sqrt(2)) - 1.41421356) < 1e-8
    assert sympy.solve([y - sympy.Symbol("l"), x - sympy.Symbol("l"), x + y - 1], [x, y, sympy.Symbol("l")]) == {
        x: sympy.Rational(1, 2), y: sympy.Rational(1, 2), sympy.Symbol("l"): sympy.Rational(1, 2)}
