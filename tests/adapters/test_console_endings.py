"""Every way a console session ends exits at once, with status 0, leaving no process behind.

The hang this holds: input ending while the push loop was inside a database query closed the store
under it, and the exit then waited forever for a query no thread would answer. The in-process test
ends the input at many moments over a real app (real SQLite file, real worker pool); the process
tests end real ``calcbot console`` processes by end of input, SIGTERM and Ctrl-C, several at once.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.console import run_console
from bot.app import build_app
from bot.core.config import Settings
from bot.store import Store

# Far above any real exit (well under a second); only a hang gets near it.
EXIT_LIMIT = 60.0


class SlowInput(io.StringIO):
    """Piped input whose lines arrive ``delay`` seconds apart, so the end comes at a chosen moment."""

    def __init__(self, text: str, delay: float):
        super().__init__(text)
        self.delay = delay

    def readline(self, size: int | None = -1) -> str:
        time.sleep(self.delay)
        return super().readline(size)


def test_input_ending_at_any_moment_closes_the_app_and_leaves_nothing_running(tmp_path, worker_pool):
    """Each session runs as ``calcbot console`` runs it: its own event loop, closed at the end (which
    waits for every task left) — on a thread, so that a hang fails the test instead of stalling it."""
    settings = Settings(data_dir=tmp_path / "data")
    db = str(tmp_path / "c.db")
    asyncio.run(_create(Path(db)))  # a returning user's database
    for step in range(24):
        before = set(threading.enumerate())
        out = io.StringIO()
        text = "/help\n" if step % 2 else ""

        async def session(out=out, text=text, delay=step * 0.003) -> None:
            app = await build_app(settings, db_path=db, workers=worker_pool)
            try:
                await run_console(app.handle, json_mode=True, user="ana", channel="c",
                                  images_dir=tmp_path / "img", history=None,
                                  stdin=SlowInput(text, delay), stdout=out, scheduler=app.scheduler)
            finally:
                await app.close()

        runner = threading.Thread(target=asyncio.run, args=(session(),), daemon=True)
        runner.start()
        runner.join(EXIT_LIMIT)
        assert not runner.is_alive(), f"ending {step} never finished"
        assert out.getvalue().count("\n") == step % 2
        left = [t for t in set(threading.enumerate()) - before if t.is_alive() and not t.daemon]
        for thread in left:
            thread.join(timeout=2)
        assert not [t for t in left if t.is_alive()], f"ending {step}: threads left {left}"


# -- real processes --------------------------------------------------------------------------


def _session_members(session: int) -> list[int]:
    """Processes still in the session the console started (its workers and fork server are in it)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry.name))
    return members


class Console:
    """``calcbot console --json`` in its own session, fed through a pipe."""

    def __init__(self, tmp_path: Path, name: str):
        env = {**os.environ, "CALCBOT_DATA_DIR": str(tmp_path / "data"), "CALCBOT_WORKERS": "2"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", "--db", str(tmp_path / "c.db"),
             "--images", str(tmp_path / f"img-{name}")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            start_new_session=True)
        self.name = name

    def say(self, line: str) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())  # type: ignore[no-any-return]

    def end_input(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def signal_group(self, sig: int) -> None:
        """As a terminal's Ctrl-C does: the signal goes to every process of the session."""
        os.killpg(self.process.pid, sig)

    def finish(self) -> tuple[int, str, str]:
        """Wait for the exit; the exit status, the rest of the output, and the error output."""
        code = self.process.wait(timeout=EXIT_LIMIT)
        assert self.process.stdout is not None and self.process.stderr is not None
        return code, self.process.stdout.read(), self.process.stderr.read()


def _ends_cleanly(console: Console) -> str:
    code, out, err = console.finish()
    assert code == 0, f"{console.name}: exit status {code}\n{err}"
    assert "Traceback" not in err, f"{console.name}: {err}"
    deadline = time.monotonic() + 10
    while _session_members(console.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _session_members(console.process.pid), f"{console.name}: processes left behind"
    return out


@pytest.fixture
def returning_user(tmp_path: Path) -> Path:
    """A database that already exists, as it does for every returning user."""
    asyncio.run(_create(tmp_path / "c.db"))
    return tmp_path


async def _create(db: Path) -> None:
    await (await Store.open(f"sqlite+aiosqlite:///{db}")).close()


Ending = Callable[[Console], None]


def _nothing_typed(console: Console) -> None:
    console.end_input()


def _help_then_end(console: Console) -> None:
    assert console.process.stdin is not None
    console.process.stdin.write("/help\n")
    console.end_input()


def _answer_then_end(console: Console) -> None:
    assert console.say("/derive x^2 sin x")["error"] is None
    console.end_input()


def _sigterm_before_workers_are_up(console: Console) -> None:
    time.sleep(0.3)
    console.process.send_signal(signal.SIGTERM)


def _sigterm_while_waiting_for_input(console: Console) -> None:
    assert console.say("/derive e^(3x)")["error"] is None
    console.process.send_signal(signal.SIGTERM)


def _ctrl_c_while_waiting_for_input(console: Console) -> None:
    assert console.say("/help derive")["error"] is None
    console.signal_group(signal.SIGINT)


def _ctrl_c_before_workers_are_up(console: Console) -> None:
    time.sleep(0.3)
    console.signal_group(signal.SIGINT)


ENDINGS: dict[str, Ending] = {
    "nothing typed": _nothing_typed,
    "/help then end of input": _help_then_end,
    "an answer then end of input": _answer_then_end,
    "SIGTERM before the workers are up": _sigterm_before_workers_are_up,
    "SIGTERM while waiting for input": _sigterm_while_waiting_for_input,
    "Ctrl-C while waiting for input": _ctrl_c_while_waiting_for_input,
    "Ctrl-C before the workers are up": _ctrl_c_before_workers_are_up,
}


def test_every_ending_exits_with_status_0_and_leaves_no_process(returning_user):
    """All endings at once (a busy machine, as when it hung), each on its own process."""
    consoles = {name: Console(returning_user, name.replace(" ", "-").replace("/", "")) for name in ENDINGS}
    for name, end in ENDINGS.items():
        end(consoles[name])
    outputs = {name: _ends_cleanly(console) for name, console in consoles.items()}
    help_line = json.loads(outputs["/help then end of input"].splitlines()[0])
    assert "/derive" in help_line["text"]
