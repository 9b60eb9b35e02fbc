"""Names people chose (cohorts, display names) are echoed to whole channels: they must be safe to echo.

The rule: bidirectional controls (which reorder the text around them) and other invisible control
characters are removed from every name we store or show; whitespace runs become one space. Mentions
never ping because of how messages are sent, not because of the name: Discord messages go out with
allowed mentions set to none, and Slack text has ``<``, ``>`` and ``&`` escaped, so ``@everyone``,
``<@U123>`` or ``<!here>`` in a name is shown as typed and notifies nobody.
"""

from __future__ import annotations

import re
import unicodedata

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM, and the zero-width space and BOM
_INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\ufeff")


def clean_name(name: str) -> str:
    """``name`` without bidi overrides or control characters, whitespace collapsed (joiners in emoji stay)."""
    kept = "".join(ch for ch in name if ch not in _INVISIBLE and unicodedata.category(ch) != "Cc")
    return re.sub(r"\s+", " ", kept).strip()


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 member``, ``2 members``, ``0 channels``."""
    return f"{count} {word if count == 1 else many or word + 's'}"
