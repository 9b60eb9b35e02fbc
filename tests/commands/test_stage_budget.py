"""A slow answer says where its time went: one debug line per answer with each stage's ms."""

from __future__ import annotations

import logging
import re

from bot.core.config import Settings
from bot.stages import STAGES


async def test_derive_logs_its_stages_at_debug_level(bot, caplog, monkeypatch):
    monkeypatch.setenv("CALCBOT_LOG_LEVEL", "DEBUG")
    caplog.set_level(Settings().log_level.upper())  # what `calcbot` configures from the variable
    reply = await bot.say("/derive x^2 sin x plot")
    assert reply.error is None and reply.images
    lines = [r.getMessage() for r in caplog.records if r.name == "calcbot.stages"]
    assert len(lines) == 1, lines
    spent = {name: float(ms) for name, ms in re.findall(r"(\w+) ([\d.]+) ms", lines[0].split(":", 1)[1])}
    assert {"reading", "rules", "tidying", "presenting", "picture"} <= spent.keys() <= set(STAGES) | {"total"}
    assert all(ms >= 0 for ms in spent.values())
    assert abs(sum(v for k, v in spent.items() if k != "total") - spent["total"]) < 0.5


async def test_no_stage_line_above_debug(bot, caplog):
    caplog.set_level(logging.INFO)
    assert (await bot.say("/derive x^3")).error is None
    assert not [r for r in caplog.records if r.name == "calcbot.stages"]
