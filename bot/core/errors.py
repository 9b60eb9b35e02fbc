"""The one place where exceptions become error replies.

Domain errors (``bot.errors.CalcbotError``) carry a message written for the learner; anything else is
a bug: it is logged with its traceback under a short correlation id, and the user sees only the id.
"""

from __future__ import annotations

import logging
import secrets

from bot.core.message import Message
from bot.core.reply import Reply
from bot.errors import CalcbotError

log = logging.getLogger("calcbot")


def error_reply(exc: BaseException, message: Message | None = None) -> Reply:
    if isinstance(exc, CalcbotError):
        return Reply.failure(exc.code, exc.user_message())
    incident = secrets.token_hex(4)
    where: dict[str, str] = {"incident": incident, "error_type": type(exc).__name__}
    if message is not None:
        text = message.action.payload if message.action and message.action.payload else message.text
        where.update(platform=message.platform, user=message.user.id, channel=message.channel.key,
                     command=text.split(maxsplit=1)[0][:20] if text.strip() else "-")
    log.error("unexpected error [%s]", incident, exc_info=exc, extra=where)
    return Reply.failure(
        "internal",
        f"Something went wrong on our side (incident {incident}). Nothing was saved from this message; "
        "please try again, and tell the organiser the incident id if it keeps happening.",
    )
