"""A real `calcbot console --json --clock` process, driven line by line as a script would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class ConsoleProcess:
    def __init__(self, *args: str, env: dict[str, str] | None = None):
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "CALCBOT_WORKERS": "1", **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            cwd=ROOT, env=environment,
        )

    def say(self, **line: Any) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(line) + "\n")
        self.process.stdin.flush()
        out = self.process.stdout.readline()
        assert out, "the console process ended"
        return json.loads(out)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)
