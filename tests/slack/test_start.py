"""``calcbot slack`` as a real process against the loopback Slack: refuses a bad token clearly, and
logs which workspace and bot it is — never a token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time

from tests.slack.standin import APP_TOKEN, BOT_TOKEN


def _env(standin, tmp_path, **tokens: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CALCBOT_"))}
    env.update({"CALCBOT_SLACK_API_URL": standin.api_url, "CALCBOT_DATA_DIR": str(tmp_path), "CALCBOT_WORKERS": "1",
                "XDG_DATA_HOME": str(tmp_path)}, **tokens)
    return env


async def _run(env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "slack", *args, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), timeout)
    return process.returncode or 0, err.decode()


async def _socket_mode_process(standin, env: dict[str, str]) -> asyncio.subprocess.Process:
    """``calcbot slack`` started, once it has opened its Socket Mode connection."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "slack", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    for _ in range(600):
        if standin.sockets or process.returncode is not None:
            break
        await asyncio.sleep(0.05)
    return process


async def test_a_bad_bot_token_is_refused_with_a_clear_message(standin, tmp_path):
    code, err = await _run(_env(standin, tmp_path, SLACK_BOT_TOKEN="xoxb-wrong", SLACK_APP_TOKEN=APP_TOKEN))
    assert code == 1
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in err and "Traceback" not in err
    assert [c.method for c in standin.calls] == ["auth.test"]  # on CALCBOT_SLACK_API_URL
    assert "xoxb-wrong" not in err


async def test_a_bad_app_token_is_refused_after_the_bot_token_passes(standin, tmp_path):
    code, err = await _run(_env(standin, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-wrong"))
    assert code == 1 and "Slack refused SLACK_APP_TOKEN (invalid_auth)" in err
    assert [c.method for c in standin.calls] == ["auth.test", "apps.connections.open"]
    assert "workspace Loopback Academy" in err  # the bot token was fine, and said whose it is


async def test_http_mode_without_a_signing_secret_says_what_is_missing(standin, tmp_path):
    code, err = await _run(_env(standin, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN), "--http", "0")
    assert code == 1 and "SLACK_SIGNING_SECRET is not set" in err


async def test_socket_mode_logs_the_workspace_and_bot_and_stops_cleanly(standin, tmp_path):
    env = _env(standin, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    process = await _socket_mode_process(standin, env)
    try:
        assert standin.sockets, "the app never opened its Socket Mode connection"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err_bytes = await asyncio.wait_for(process.communicate(), 60)
    err = err_bytes.decode()
    assert "workspace Loopback Academy (T0LOOP), bot @calcbot" in err
    assert BOT_TOKEN not in err and APP_TOKEN not in err
    assert "will be unused" not in err  # bolt's warning about the token it read from the environment
    assert process.returncode == 0, err[-2000:]


async def test_sigterm_lets_the_answers_in_flight_go_out(standin, tmp_path):
    from tests.slack.world import slash

    env = _env(standin, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    process = await _socket_mode_process(standin, env)
    try:
        await standin.envelope("slash_commands", slash("/taylor e^(sin x) * cos(7x) at 0 order 12", user="U0ANA",
                                                       channel="C0GEN", response_url=standin.hook_url("late")),
                               timeout=10)
    finally:
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)  # while the answer is still being worked out
        _, err = await asyncio.wait_for(process.communicate(), 90)
    [answer] = [r for r in standin.responses if r["hook"] == "late"]
    assert answer["at"] > signalled  # it was still in flight when the signal came
    assert "Maclaurin" in answer["body"]["text"] and answer["body"]["response_type"] == "in_channel"
    assert process.returncode == 0, err.decode()[-2000:]
