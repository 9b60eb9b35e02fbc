"""What people type in Slack reaches the router as they typed it."""

from __future__ import annotations

from bot.adapters.slack.inbound import command_text, is_from_person, unescape


def test_our_mention_is_removed_and_a_slash_added():
    assert command_text("<@U0BOT> derive x^2 sin x", bot_user_id="U0BOT") == "/derive x^2 sin x"
    assert command_text("<@U0BOT|calcbot>  /grad x^2 y", bot_user_id="U0BOT") == "/grad x^2 y"
    assert command_text("<@U0BOT>", bot_user_id="U0BOT") == "/help"


def test_slacks_escapes_and_link_wrapping_are_undone():
    assert unescape("x &lt; 2 &amp;&amp; y &gt; 1") == "x < 2 && y > 1"
    assert unescape("see <https://example.org|the notes> or <https://x.org>") == "see the notes or https://x.org"
    assert command_text("check x&lt;y") == "/check x<y"


def test_only_messages_people_typed_are_answered():
    assert is_from_person({"user": "U1", "text": "derive x"})
    assert not is_from_person({"user": "U1", "bot_id": "B1", "text": "derive x"})
    assert not is_from_person({"subtype": "message_changed", "message": {"user": "U1"}})
    assert not is_from_person({"user": "U1", "subtype": "channel_join"})
