"""The README's command reference is generated from the declarations; it must not drift."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _reference_module():
    spec = importlib.util.spec_from_file_location("command_reference", ROOT / "scripts" / "command_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_command_reference_matches_the_declarations():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- commands:start -->")[1].split("<!-- commands:end -->")[0]
    assert _reference_module().reference().strip() in section, (
        "README is out of date: run `.venv/bin/python scripts/command_reference.py` and paste it in"
    )


def test_readme_quick_start_is_the_two_make_commands():
    quick_start = (ROOT / "README.md").read_text().split("## Quick start")[1].split("##")[0]
    assert re.search(r"^make run\b", quick_start, re.M) and re.search(r"^make test\b", quick_start, re.M)


def test_help_lists_exactly_the_declared_commands():
    from bot.commands import all_commands
    from bot.commands.help import overview

    registry = all_commands()
    listed = set(re.findall(r"`/(\w+)", overview(registry)))
    assert listed == set(registry.names())
