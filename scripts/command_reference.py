"""Print the README's command reference from the command declarations (the single source).

Run: .venv/bin/python scripts/command_reference.py > /tmp/commands.md, and paste it between the
markers in README.md; tests/test_readme.py fails when the two drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.commands import all_commands  # noqa: E402
from bot.commands.help import FAMILY_TITLES  # noqa: E402


def reference() -> str:
    lines: list[str] = []
    family = None
    for declared in all_commands():
        if declared.family != family:
            family = declared.family
            lines += ["", f"### {FAMILY_TITLES.get(family, family.title())}", ""]
            lines += ["| command | what it does | example |", "|---|---|---|"]
        usage = declared.usage.replace("|", "\\|")
        lines.append(f"| `{usage}` | {declared.summary} | `{declared.examples[0]}` |")
    return "\n".join(lines).strip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference())
