"""The terminal adapter: lines in, Replies out — a readable chat, or one JSON object per line.

The JSON mode is a public, stable contract (see the README): for every input line exactly one line
``{"text", "result", "latex", "images", "error", "diagnosis", "files", "question", "learner"}`` is
written and flushed.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import IO, Any

from bot.core.message import ChannelRef, Message, UserRef
from bot.core.reply import Reply
from bot.errors import UsageError

log = logging.getLogger("calcbot.console")

Handle = Callable[[Message], Awaitable[Reply]]

WELCOME = (
    "calcbot — multivariate calculus with the working shown.\n"
    "Try: /derive x^2 sin x    /grad x^2 y at (1, 2)    /lesson    /help\n"
    "Paste several lines at once, or end a line with \\ to continue it; Tab completes commands and\n"
    "topics; Ctrl-C, Ctrl-D or /quit to leave."
)


class ImageWriter:
    """Writes reply images to files (the console can't show them) and returns their paths."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._count = 0
        self._session = time.strftime("%Y%m%d-%H%M%S")  # a later session never overwrites these

    def write(self, reply: Reply) -> list[str]:
        return [self._save(image.name, image.png, "figure.png") for image in reply.images]

    def write_files(self, reply: Reply) -> list[str]:
        """Non-image attachments (a CSV export), beside the pictures."""
        return [self._save(file.name, file.data, "file") for file in reply.files]

    def _save(self, name: str, data: bytes, fallback: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._count += 1
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", name) or fallback
        path = self.directory / f"{self._session}-{self._count:04d}-{stem}"
        path.write_bytes(data)
        return str(path.resolve())


def reply_to_json(reply: Reply, image_paths: list[str], file_paths: list[str] | None = None) -> dict[str, Any]:
    return {
        "text": reply.text,
        "result": reply.result,
        "latex": reply.latex,
        "images": image_paths,
        "error": {"code": reply.error.code, "message": reply.error.message} if reply.error else None,
        "diagnosis": _diagnosis_json(reply),
        "files": file_paths or [],
        "question": _question_json(reply),
        "learner": _learner_json(reply),
    }


def _learner_json(reply: Reply) -> dict[str, Any] | None:
    learner = reply.learner
    if learner is None:
        return None
    return {"answered": learner.answered, "correct": learner.correct, "skipped": learner.skipped,
            "mastery": dict(learner.mastery),
            "mistakes": [{"code": code, "count": count} for code, count in learner.mistakes]}


def _question_json(reply: Reply) -> dict[str, Any] | None:
    q = reply.question
    if q is None:
        return None
    return {"id": q.id, "topic": q.topic, "skills": list(q.skills), "aimed_at": q.aimed_at, "kind": q.kind}


def _diagnosis_json(reply: Reply) -> dict[str, Any] | None:
    d = reply.diagnosis
    return None if d is None else {"code": d.code, "where": d.where, "line": d.line}


def render_text(reply: Reply, image_paths: list[str], *, color: bool,
                file_paths: list[str] | None = None) -> str:
    """Markdown made readable in a terminal: bold kept (or shown in ANSI), code marks dropped."""
    text = reply.text
    if color:
        text = re.sub(r"\*\*(.+?)\*\*", "\033[1m\\1\033[0m", text)
    else:
        text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"\1", text)
    text = re.sub(r"(?<![\w`])_([^_\n]+)_(?![\w`])", r"\1", text)
    lines = [text]
    for choice in reply.choices:
        then = " then your working, one step per line" if choice.form else ""
        lines.append(f"  [{choice.label}]  → {choice.command}{then}")
    for path in image_paths:
        lines.append(f"  🖼  {path}")
    for path in file_paths or []:
        lines.append(f"  📎  {path}")
    return "\n".join(lines)


def message_from_line(line: str, *, user: str, channel: str, admins: frozenset[str] | None = None) -> Message:
    """A plain line is the text; a JSON object may also say who and where. Every console user is an
    admin unless ``--admins`` names them."""
    stripped = line.strip()
    data = _object(stripped)
    if data is not None and isinstance(data.get("text"), str):
        user = str(data.get("user") or user)
        channel = str(data.get("channel") or channel)
        stripped = data["text"]
    admin = admins is None or user in admins
    return Message(
        user=UserRef("console", user, user, admin=admin),
        channel=ChannelRef("console", "", channel),
        text=stripped,
    )


def _object(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def push_to_json(sent: Any, images: ImageWriter) -> dict[str, Any]:
    reply = sent.reply
    return {"channel": sent.channel.id, "text": reply.text, "result": reply.result,
            "images": images.write(reply), "kind": sent.kind, "late": sent.late,
            "question": _question_json(reply)}


async def run_json(handle: Handle, *, user: str, channel: str, images: ImageWriter,
                   stdin: IO[str], stdout: IO[str], scheduler: Any = None, clock: Any = None,
                   admins: frozenset[str] | None = None) -> None:
    """One JSON line out per line in. With a simulated ``clock``, ``"at"`` moves it and due pushes go
    out first, listed in the line's ``"pushes"``; without one, pushes are their own ``{"push": …}`` lines."""
    from bot.adapters.console_clock import read_instant

    lines = InputLines(stdin)
    background = None
    if scheduler is not None and clock is None:
        background = asyncio.create_task(_push_lines(scheduler, images, stdout))
    try:
        while True:
            line = await lines.next()
            if not line:
                return
            if not line.strip():
                continue
            data = _object(line.strip()) or {}
            pushes: list[dict[str, Any]] = []
            try:
                if "at" in data:
                    if clock is None:
                        raise UsageError('"at" needs a simulated clock: start with --clock ISO')
                    clock.move_to(read_instant(str(data["at"])))
                if scheduler is not None and clock is not None:
                    pushes = [push_to_json(s, images) for s in await _due_pushes(scheduler, clock())]
                if "at" in data and not str(data.get("text") or "").strip():
                    reply = Reply(text="")
                else:
                    reply = await handle(message_from_line(line, user=user, channel=channel, admins=admins))
            except UsageError as error:
                reply = Reply.failure(error.code, error.user_message())
            out = reply_to_json(reply, images.write(reply), images.write_files(reply))
            out["pushes"] = pushes
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            stdout.flush()
    finally:
        if background is not None:
            await cancel_and_wait(background)


async def _push_lines(scheduler: Any, images: ImageWriter, stdout: IO[str], every: float = 5.0) -> None:
    while True:
        for sent in await _due_pushes(scheduler, None):
            stdout.write(json.dumps({"push": push_to_json(sent, images)}, ensure_ascii=False) + "\n")
            stdout.flush()
        await asyncio.sleep(every)


async def _due_pushes(scheduler: Any, now: Any) -> list[Any]:
    """The pushes due now; none this round when the database cannot be reached (they go out on the first
    round after it is back: the scheduler catches up), so an outage never ends the loop or the process."""
    from bot.adapters.console_clock import Collect

    try:
        return list(await scheduler.run_due(Collect(), "console", now))
    except Exception as exc:
        log.warning("pushes not run this round (%s: %s); tried again next round", type(exc).__name__, exc)
        return []


async def run_chat(handle: Handle, *, user: str, channel: str, images: ImageWriter,
                   stdin: IO[str], stdout: IO[str], history: Path | None,
                   completions: Sequence[str] = ()) -> None:
    """A readable chat. At a terminal, prompt_toolkit reads the lines: a pasted block (bracketed
    paste) arrives as one message, history persists, Tab completes commands and topics, and Ctrl-C
    or Ctrl-D leaves cleanly. Piped input is read line by line."""
    interactive = stdin.isatty() and stdout.isatty()
    color = stdout.isatty()
    read = _terminal_reader(history, completions) if interactive else _pipe_reader(stdin)
    if interactive:
        stdout.write(WELCOME + "\n\n")
        stdout.flush()
    pending = ""
    while True:
        prompt = ("… " if pending else "you> ") if interactive else ""
        line = await read(prompt)
        if line is None:
            return
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + "\n"
            continue
        text, pending = pending + line, ""
        if not text.strip():
            continue
        if text.strip() in ("/quit", "/exit"):
            return
        reply = await handle(message_from_line(text, user=user, channel=channel))
        stdout.write(render_text(reply, images.write(reply), color=color,
                                 file_paths=images.write_files(reply)) + "\n\n")
        stdout.flush()


Reader = Callable[[str], Awaitable["str | None"]]


def _pipe_reader(stdin: IO[str]) -> Reader:
    lines = InputLines(stdin)

    async def read_line(_prompt: str) -> str | None:
        line = await lines.next()
        return line.rstrip("\n") if line else None

    return read_line


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Stop a background task and let it unwind (release its database connection) before the caller
    closes what the task was using; closing the store under a task still unwinding hangs the exit."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class InputLines:
    """Lines of piped input, read by a daemon thread so that a read still waiting never holds up the
    exit: Ctrl-C or SIGTERM while the input is open, or the end of input at any moment.

    A real file descriptor is read with ``os.read`` rather than through ``sys.stdin``: a daemon thread
    left inside the buffered reader at exit would make the interpreter abort while closing it. An
    empty string means the input ended.
    """

    def __init__(self, stdin: IO[str]):
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        fd = _file_descriptor(stdin)
        chunks = _fd_chunks(fd, getattr(stdin, "encoding", None) or "utf-8") if fd is not None else iter(stdin.readline, "")
        threading.Thread(target=self._pump, args=(chunks, loop), daemon=True, name="console-input").start()

    async def next(self) -> str:
        """The next line with its newline; "" at the end of the input."""
        return await self._queue.get()

    def _pump(self, chunks: Any, loop: asyncio.AbstractEventLoop) -> None:
        pending = ""
        try:
            for chunk in chunks:
                pending += chunk.replace("\r\n", "\n")
                *complete, pending = pending.split("\n")
                for line in complete:
                    loop.call_soon_threadsafe(self._queue.put_nowait, line + "\n")
            if pending:
                loop.call_soon_threadsafe(self._queue.put_nowait, pending)
            loop.call_soon_threadsafe(self._queue.put_nowait, "")
        except RuntimeError:  # the loop has closed: nobody is reading any more
            return


def _file_descriptor(stdin: IO[str]) -> int | None:
    try:
        return stdin.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def _fd_chunks(fd: int, encoding: str) -> Any:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    while True:
        try:
            data = os.read(fd, 65536)
        except InterruptedError:
            continue
        except OSError:
            data = b""
        text = decoder.decode(data, final=not data)
        if text:
            yield text
        if not data:
            return


def _terminal_reader(history: Path | None, completions: Sequence[str]) -> Reader:
    """prompt_toolkit, a well-kept line editor, rather than hand-rolled readline handling."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    if history is not None:
        history.parent.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(history)) if history is not None else InMemoryHistory(),
        completer=WordCompleter(sorted(set(completions)), sentence=True) if completions else None,
        complete_while_typing=False,
    )

    async def ask(prompt: str) -> str | None:
        try:
            return await session.prompt_async(prompt)
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C at the prompt: leave cleanly
            return None

    return ask


async def run_console(handle: Handle, *, json_mode: bool, user: str, channel: str, images_dir: Path,
                      history: Path | None, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                      completions: Sequence[str] = (), scheduler: Any = None, clock: Any = None,
                      admins: frozenset[str] | None = None) -> None:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    images = ImageWriter(images_dir)
    if json_mode:
        await run_json(handle, user=user, channel=channel, images=images, stdin=stdin, stdout=stdout,
                       scheduler=scheduler, clock=clock, admins=admins)
    else:
        await run_chat(handle, user=user, channel=channel, images=images, stdin=stdin, stdout=stdout,
                       history=history, completions=completions)
