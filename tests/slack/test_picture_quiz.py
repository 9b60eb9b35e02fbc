"""A picture quiz on Slack: one image uploaded with its alt text, buttons A–D that answer it."""

from __future__ import annotations


async def test_a_picture_question_is_uploaded_with_alt_text_and_letter_buttons(http_world):
    asked = await http_world.command("/quiz graphs")
    seen = asked.seen()
    assert seen.images == 1 and not seen.error
    assert {"A", "B", "C", "D"} <= set(seen.buttons)
    requested = [c for c in http_world.standin.calls if c.method == "files.getUploadURLExternal"]
    alt = str(requested[-1].params.get("alt_txt"))
    assert all(f"{letter}: " in alt for letter in "ABCD") or all(f"point {letter} at" in alt for letter in "ABCD")
    assert 100 < len(alt) <= 1000
