"""Regenerate ``content/words.txt`` and ``content/keywords.txt``: common English words that must never be read as products of
single-letter variables (``about`` is not a·b·o·u·t). Run by hand: ``pip install wordfreq`` first.

The list is the 20,000 most frequent English words (wordfreq's ranking) of three or more ASCII
letters, less the letter runs that are ordinary maths (``xyz``, ``abc``, ``xy``…: every letter one of
the usual variable names and no vowel-rich word) — and plus every word of the commands' help, so that
nothing calcbot itself tells a learner to type can be misread.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MATH_RUNS = {"xyz", "abc", "xyzt", "abcd", "uvw", "pqr", "rst", "ijk", "xxx", "xyy", "xxy"}


def main() -> None:
    from wordfreq import top_n_list

    from bot.commands import all_commands

    words = {w for w in top_n_list("en", 20_000) if re.fullmatch(r"[a-z]{3,}", w)}
    keywords: set[str] = set()
    for cmd in all_commands():
        text = " ".join([cmd.summary, cmd.usage, cmd.details, *cmd.examples])
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
        for keyword in cmd.keywords:
            for phrase in keyword.words:
                keywords |= {w.lower() for w in re.findall(r"[A-Za-z]+", phrase)}
    words -= MATH_RUNS
    content = Path(__file__).resolve().parents[1] / "content"
    (content / "words.txt").write_text("\n".join(sorted(words)) + "\n")
    keywords = {k for k in keywords if len(k) > 1}  # every keyword, however short: at, to, wrt
    (content / "keywords.txt").write_text("\n".join(sorted(keywords)) + "\n")
    print(f"{len(words)} words and {len(keywords)} keywords written to {content}")


if __name__ == "__main__":
    main()
