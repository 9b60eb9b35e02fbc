"""Replies are written in Markdown; Slack speaks mrkdwn. This converts one to the other.

Where they differ: ``**bold**`` is ``*bold*``, ``*italic*`` is ``_italic_``, headings do not exist
(shown bold), links are ``<url|text>``, tables do not exist (shown aligned in a code block), and
``&``, ``<``, ``>`` must be escaped everywhere. Code spans and code blocks are left alone.
"""

from __future__ import annotations

import re

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
# a single * around a word: emphasis, not the product in x^2*sin(x)
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-+*]\s+(?=\S)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def escape(text: str) -> str:
    """The three characters Slack treats as control characters in any message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    out: list[str] = []
    lines = markdown.split("\n")
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().startswith("```"):
            in_code = not in_code
            out.append("```")  # Slack shows no language tag; ```latex would print "latex"
            i += 1
            continue
        if in_code:
            out.append(escape(line))
            i += 1
            continue
        if _is_table_row(line):
            rows = []
            while i < len(lines) and _is_table_row(lines[i]):
                rows.append(lines[i])
                i += 1
            out += _table_as_code(rows)
            continue
        out.append(_line(line))
        i += 1
    if in_code:
        out.append("```")
    return "\n".join(out)


def to_plain(mrkdwn: str) -> str:
    """A message's plain-text fallback (notifications, screen readers): the words without markup."""
    text = re.sub(r"^```\n?|\n?```$", "", mrkdwn, flags=re.MULTILINE)
    text = _SLACK_LINK.sub(r"\2 (\1)", text)
    text = text.replace("`", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", r"\1", text)
    return text


def _line(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:
        inner = heading.group(1).replace("**", "")
        return f"*{_inline(inner)}*" if inner.strip() else ""
    prefix = ""
    bullet = _BULLET.match(line)
    if bullet:
        prefix, line = f"{bullet.group(1)}• ", line[bullet.end():]
    return prefix + _inline(line)


def _inline(text: str) -> str:
    parts = _CODE_SPAN.split(text)
    for n, part in enumerate(parts):
        if n % 2:  # a code span: only escaped
            parts[n] = escape(part)
            continue
        part = escape(part)
        part = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", part)
        part = _ITALIC.sub(r"_\1_", part)
        part = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", part)
        part = _STRIKE.sub(r"~\1~", part)
        parts[n] = part.replace("\\*", "*").replace("\\_", "_")
    return "".join(parts)


def _is_table_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and stripped.startswith("|") and stripped.endswith("|")


def _table_as_code(rows: list[str]) -> list[str]:
    """A Markdown table as aligned columns in a code block: Slack has no tables."""
    cells = [[c.strip().replace("`", "") for c in row.strip().strip("|").split("|")]
             for row in rows if not _TABLE_RULE.match(row)]
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    sizes = [max(len(r[k]) for r in cells) for k in range(width)]
    lines = ["  ".join(cell.ljust(size) for cell, size in zip(r, sizes, strict=True)).rstrip() for r in cells]
    if len(lines) > 1:
        lines.insert(1, "  ".join("-" * size for size in sizes))
    return ["```", *(escape(line) for line in lines), "```"]
