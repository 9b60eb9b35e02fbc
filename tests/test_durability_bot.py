"""Kill the real bot process (SIGKILL) in the middle of a stream of answers: every answer it
acknowledged must be in the database afterwards — a skip, and a wrong first try whose question is
then replaced by the next /quiz, alike."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.store import Store
from bot.store.tries import tries_of

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


async def _kept_in(db: Path) -> tuple[int, int]:
    """(attempts, tries) stored for ana."""
    store = await Store.open(f"sqlite+aiosqlite:///{db}")
    try:
        from datetime import UTC, datetime

        user = await store.get_or_create_user("console", "ana", "ana", datetime.now(UTC))
        return len(await store.attempts(user.id, limit=10_000)), len(await tries_of(store, user.id))
    finally:
        await store.close()


def test_every_acknowledged_answer_survives_a_sigkill(tmp_path):
    db = tmp_path / "durable.db"
    env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--json", "--db", str(db), "--user", "ana"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    skips = first_tries = 0
    try:
        while skips + first_tries < ACKNOWLEDGED_BEFORE_KILL or not first_tries:
            _send(process, "/quiz chain rule")
            asked = _read_reply(process)
            assert asked["error"] is None and asked["question"] is not None, asked
            if asked["question"]["kind"] == "expression" and first_tries < ACKNOWLEDGED_BEFORE_KILL // 2:
                _send(process, "/answer 12345*x^7")  # certainly wrong: kept, then replaced by the next /quiz
                reply = _read_reply(process)
                assert reply["result"] == "False" and "One more try" in reply["text"], reply
                first_tries += 1
            else:
                _send(process, "/skip")  # an answer that always counts: recorded, with its card update
                reply = _read_reply(process)
                assert reply["error"] is None, reply
                skips += 1
        _send(process, "/quiz power rule")
        _read_reply(process)
        _send(process, "/skip")  # in flight when the process dies
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    attempts, tries = asyncio.run(_kept_in(db))
    assert skips <= attempts <= skips + 1
    assert skips + first_tries <= tries <= skips + first_tries + 1
