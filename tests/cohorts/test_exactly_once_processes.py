"""Three real bot processes on one PostgreSQL deliver every push exactly once (issue 15).

They start together on an empty scratch database (the migrations take a lock), one of them schedules
many channels, and all three move their simulated clocks past the due times at the same moment.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cohorts.console_process import ConsoleProcess
from tests.store.conftest import PG_URL_VARIABLE, _pg_admin

CHANNELS = 40


@pytest.fixture
def scratch_database():
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(f"set {PG_URL_VARIABLE} to run the multi-process test on PostgreSQL")
    name = f"calcbot_procs_{secrets.token_hex(4)}"
    asyncio.run(_pg_admin(url, f'CREATE DATABASE "{name}"'))
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(_pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_three_processes_deliver_each_push_once(scratch_database, tmp_path):
    env = {"CALCBOT_DATABASE_URL": scratch_database, "CALCBOT_DATA_DIR": str(tmp_path)}
    bots = [ConsoleProcess("--clock", "2027-01-04T06:00:00Z", env=env) for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as pool:  # all three start (and migrate) at once
            assert all(r["error"] is None for r in pool.map(lambda b: b.say(text="/help"), bots))
        for n in range(CHANNELS):
            reply = bots[0].say(user="ana", channel=f"c{n}", text=f"/daily on 08:{n:02d} UTC")
            assert reply["error"] is None, reply
        counts: Counter[tuple[str, str]] = Counter()
        for instant in ("2027-01-04T09:00:00Z", "2027-01-04T21:00:00Z", "2027-01-05T09:00:00Z"):
            with ThreadPoolExecutor(3) as pool:
                lines = list(pool.map(lambda b, at=instant: b.say(at=at), bots))
            for line in lines:
                counts.update((p["channel"], f"{p['kind']} {p['text'].split('(')[1][:10]}") for p in line["pushes"])
        assert len(counts) == CHANNELS * 3  # day 1 daily + reveal, day 2 daily
        assert set(counts.values()) == {1}  # and not one of them twice
    finally:
        for bot in bots:
            bot.close()


def test_a_process_killed_between_claim_and_send_still_gets_each_push_out_once(scratch_database, tmp_path):
    import subprocess
    import sys

    from tests.cohorts.console_process import ROOT

    env = {"CALCBOT_DATABASE_URL": scratch_database, "CALCBOT_DATA_DIR": str(tmp_path)}
    survivor = ConsoleProcess("--clock", "2027-01-04T06:00:00Z", env=env)
    try:
        for n in range(5):
            assert survivor.say(user="ana", channel=f"c{n}", text="/daily on 08:00 UTC")["error"] is None
        killed = subprocess.run(
            [sys.executable, "-m", "tests.cohorts.claim_and_die", scratch_database,
             "2027-01-04T08:00:00Z"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
        assert killed.returncode == -9 and killed.stdout.strip() == "5"  # claimed all five, then died
        held = survivor.say(at="2027-01-04T08:01:00Z")  # its leases still hold: nothing goes out twice
        assert held["pushes"] == []
        after = survivor.say(at="2027-01-04T08:03:00Z")  # the leases expired: sent now, once each
        assert sorted(p["channel"] for p in after["pushes"]) == [f"c{n}" for n in range(5)]
        assert survivor.say(at="2027-01-04T08:10:00Z")["pushes"] == []
    finally:
        survivor.close()
