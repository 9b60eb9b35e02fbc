"""Every ``internal`` error is logged with the incident id the user was shown, the platform, user and
command — as one JSON object a line with ``CALCBOT_LOG_FORMAT=json``."""

from __future__ import annotations

import io
import json
import logging
import re

from bot.core.logs import JsonFormatter
from bot.core.message import ChannelRef, Message, UserRef
from bot.core.middleware import translate_errors
from bot.core.reply import Reply


async def test_an_internal_error_is_logged_as_json_with_the_incident_id_the_user_sees():
    async def broken(_message: Message) -> Reply:
        raise KeyError("a bug")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("calcbot")
    logger.addHandler(handler)
    try:
        message = Message(UserRef("slack", "U0ANA", "ana"), ChannelRef("slack", "T1", "C1"), "/derive x^2")
        reply = await translate_errors(message, broken)
    finally:
        logger.removeHandler(handler)
    assert reply.error is not None and reply.error.code == "internal"
    incident = re.search(r"incident ([0-9a-f]{8})", reply.error.message)
    assert incident
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["incident"] == incident.group(1) and line["level"] == "error"
    assert (line["platform"], line["user"], line["command"], line["error_type"]) == ("slack", "U0ANA", "/derive", "KeyError")
    assert "KeyError: 'a bug'" in line["traceback"]
