"""Every acknowledged answer survives the writer being SIGKILLed mid-stream (SQLite file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]
ACKS_BEFORE_KILL = 40


async def test_acknowledged_answers_survive_sigkill(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'durable.db'}"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.store.durability_writer", url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked: list[int] = []
    try:
        assert writer.stdout is not None
        for line in writer.stdout:
            acked.append(int(line.split()[1]))
            if len(acked) >= ACKS_BEFORE_KILL:
                break
        writer.send_signal(signal.SIGKILL)  # mid-stream: it is already recording the next answer
        writer.wait(timeout=10)
        # Lines it printed before dying are acknowledgements too.
        acked += [int(line.split()[1]) for line in writer.stdout.read().splitlines() if line.startswith("ack ")]
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL, writer.stderr.read() if writer.stderr else ""
    assert len(acked) >= ACKS_BEFORE_KILL

    store = await Store.open(url)
    try:
        user = await store.get_or_create_user("console", "durable", "Durable", datetime(2026, 3, 2, tzinfo=UTC))
        answers = {attempt.answer_text for attempt in await store.attempts(user.id, limit=100_000)}
        assert {f"answer {number}" for number in acked} <= answers
        card = await store.get_card(user.id, "chain-rule")
        assert card is not None and card.reps == len(answers)  # no half-recorded answer
        assert user.xp == len(answers)
    finally:
        await store.close()

