"""Log lines as JSON objects (``CALCBOT_LOG_FORMAT=json``), one a line, for log collectors: the time,
level, logger and message, the fields an error carries (its ``incident`` id, platform, user, command),
and the traceback."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TextIO

FIELDS = ("incident", "error_type", "platform", "user", "channel", "command")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: str, fmt: str, stream: TextIO) -> None:
    handler = logging.StreamHandler(stream)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler])
