"""The interactive console's line editor (prompt_toolkit), driven through a pipe as a terminal would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bot.adapters.console import _terminal_reader

PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


@pytest.fixture
def terminal() -> Iterator[object]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


async def test_a_pasted_block_of_lines_is_one_message(terminal, tmp_path):
    read = _terminal_reader(tmp_path / "history", ["/fit", "/derive"])
    terminal.send_text(PASTE_START + "/fit line data\r\n1, 2\r\n2, 4.1\r\n3, 5.9" + PASTE_END + "\r")
    assert await read("you> ") == "/fit line data\n1, 2\n2, 4.1\n3, 5.9"


async def test_ctrl_c_and_ctrl_d_at_the_prompt_leave_cleanly(terminal, tmp_path):
    read = _terminal_reader(None, [])
    terminal.send_text("\x03")
    assert await read("you> ") is None
    terminal.send_text("\x04")
    assert await read("you> ") is None


async def test_history_persists_across_sessions(terminal, tmp_path):
    read = _terminal_reader(tmp_path / "history", ["/derive", "/lesson"])
    terminal.send_text("/lesson gradient\r")
    assert await read("you> ") == "/lesson gradient"
    again = _terminal_reader(tmp_path / "history", [])
    terminal.send_text("\x1b[A\r")  # up-arrow recalls the last line of the earlier session
    assert await again("you> ") == "/lesson gradient"
