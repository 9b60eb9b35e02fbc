"""Block Kit within Slack's limits, and Markdown as mrkdwn."""

from __future__ import annotations

import re

from bot.adapters.slack.blocks import MAX_BLOCKS, MAX_SECTION_TEXT, MAX_TEXT, render, split_text
from bot.adapters.slack.mrkdwn import to_mrkdwn
from bot.core.reply import Choice, Reply


def test_markdown_becomes_mrkdwn_where_they_differ():
    text = to_mrkdwn("# Gradient\n**Result**: `x^2*cos(x) + 2*x*sin(x)` is *right*\n- see [docs](https://x.org/a?b=1&c=2)")
    assert text.splitlines() == [
        "*Gradient*",
        "*Result*: `x^2*cos(x) + 2*x*sin(x)` is _right_",
        "• see <https://x.org/a?b=1&amp;c=2|docs>",
    ]


def test_products_outside_code_are_not_taken_for_emphasis():
    assert to_mrkdwn("d/dx(x^2*sin(x)) = x^2*d/dx(sin(x))") == "d/dx(x^2*sin(x)) = x^2*d/dx(sin(x))"


def test_slacks_control_characters_are_escaped_even_in_code():
    assert to_mrkdwn("if x < 1 & y > 2: `a<b`") == "if x &lt; 1 &amp; y &gt; 2: `a&lt;b`"


def test_a_table_becomes_aligned_columns_in_a_code_block():
    text = to_mrkdwn("| n | xₙ |\n|---|---|\n| 0 | 1 |\n| 10 | `1.5` |")
    assert text.splitlines() == ["```", "n   xₙ", "--  ---", "0   1", "10  1.5", "```"]


def test_code_blocks_keep_their_content_and_lose_the_language_tag():
    assert to_mrkdwn("```latex\n\\frac{**a**}{b}\n```") == "```\n\\frac{**a**}{b}\n```"


def test_a_long_working_is_split_across_sections_and_messages_and_nothing_is_lost():
    lines = [f"step {n}: `d/dx(x^{n}) = {n}*x^{n - 1}`" + " pad" * 20 for n in range(4000)]
    messages = render(Reply(text="\n".join(lines), choices=(Choice("again", "Again", "/derive x"),)))
    assert len(messages) > 1
    shown = []
    for n, message in enumerate(messages, start=1):
        assert len(message.blocks) <= MAX_BLOCKS and 0 < len(message.text) <= MAX_TEXT
        sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
        assert all(len(s) <= MAX_SECTION_TEXT for s in sections)
        shown += [line for s in sections for line in s.split("\n")]
        marker = message.blocks[-1] if n < len(messages) else message.blocks[-2]
        assert f"part {n} of {len(messages)}" in marker["elements"][0]["text"]
    assert shown == lines  # every line, in order, none cut
    assert messages[-1].blocks[-1]["type"] == "actions"  # the buttons close the last message


def test_a_split_inside_a_code_block_closes_and_reopens_it():
    text = "```\n" + "\n".join("1234567890" for _ in range(50)) + "\n```"
    pieces = split_text(text, 200)
    assert len(pieces) > 2
    for piece in pieces:
        assert len(piece) <= 200
        assert piece.startswith("```") and piece.endswith("```")
    assert sum(p.count("1234567890") for p in pieces) == 50


def test_a_line_longer_than_a_section_is_wrapped_not_dropped():
    line = " ".join(f"term{n}" for n in range(2000))
    pieces = split_text(line, MAX_SECTION_TEXT)
    assert all(len(p) <= MAX_SECTION_TEXT for p in pieces)
    assert " ".join(" ".join(pieces).split()) == line


def test_choices_become_buttons_carrying_their_command():
    [message] = render(Reply(text="Q", choices=tuple(Choice(f"c{n}", f"Option {n}", f"/answer {n}")
                                                    for n in range(30))))
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]  # 25 to an actions block
    buttons = [e for a in actions for e in a["elements"]]
    assert [b["value"] for b in buttons] == [f"/answer {n}" for n in range(30)]
    assert len({b["action_id"] for b in buttons}) == 30
    assert all(re.match(r"^calcbot\.", b["action_id"]) for b in buttons)
