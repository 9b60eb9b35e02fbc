"""Kill the real bot process (SIGKILL) in the middle of a stream of answers: every answer it
acknowledged must be in the database afterwards."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.store import Store

ACKNOWLEDGED_BEFORE_KILL = 6


def _send(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdin is not None
    process.stdin.write(text + "\n")
    process.stdin.flush()


def _read_reply(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the bot closed its output"
    return json.loads(line)


async def _attempts_in(db: Path) -> int:
    store = await Store.open(f"sqlite+aiosqlite:///{db}")
    try:
        from datetime import UTC, datetime

        user = await store.get_or_create_user("console", "ana", "ana", datetime.now(UTC))
        return len(await store.attempts(user.id, limit=10_000))
    finally:
        await store.close()


def test_every_acknowledged_answer_survives_a_sigkill(tmp_path):
    db = tmp_path / "durable.db"
    env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--json", "--db", str(db), "--user", "ana"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    acknowledged = 0
    try:
        while acknowledged < ACKNOWLEDGED_BEFORE_KILL:
            _send(process, "/quiz power rule")
            assert _read_reply(process)["error"] is None
            _send(process, "/skip")  # an answer that always counts: recorded, with its card update
            reply = _read_reply(process)
            assert reply["error"] is None, reply
            acknowledged += 1
        _send(process, "/quiz power rule")
        _read_reply(process)
        _send(process, "/skip")  # in flight when the process dies
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    recorded = asyncio.run(_attempts_in(db))
    assert acknowledged <= recorded <= acknowledged + 1
