"""A picture quiz on Discord: the image attached with its description (alt text), buttons A–D."""

from __future__ import annotations

import json


async def test_a_picture_question_is_attached_with_its_description_and_letter_buttons(discord_bot):
    answer = await discord_bot.say("/quiz graphs")
    pngs = [a for a in answer.body["attachments"] if a["filename"].endswith(".png")]
    assert len(pngs) == 1
    alt = pngs[0].get("description") or ""
    assert all(f"{letter}: " in alt for letter in "ABCD") or all(f"point {letter} at" in alt for letter in "ABCD")
    assert 100 < len(alt) <= 1024
    labels = [c.get("label") for row in answer.body.get("components") or [] for c in row.get("components", [])]
    assert {"A", "B", "C", "D"} <= set(labels), json.dumps(answer.body.get("components"))[:300]
