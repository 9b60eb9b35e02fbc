"""The app-command tree, generated from the command declarations, and typed options joined back into text.

Every declared command becomes one slash command (aliases stay text-only: Discord's own command picker
makes them unnecessary); every declared argument becomes one typed option named after it. What the
learner fills in is joined back into the command's own text grammar, so Discord runs exactly the
router the console runs: ``/derive expr:x^2 sin x order:2`` becomes ``/derive x^2 sin x order 2``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core.commands import Arg, Choice, Command, Flag, Int, Keyword, Number, Prefix, Registry

# Discord's limits on application commands (developer docs, "Application Commands").
MAX_DESCRIPTION = 100
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_COMMANDS = 100
NAME_PATTERN = re.compile(r"^[-_a-z0-9]{1,32}$")

STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10
GUILD_INSTALL, USER_INSTALL = 0, 1
IN_GUILD, IN_BOT_DM, IN_PRIVATE_CHANNEL = 0, 1, 2
MANAGE_CHANNELS = 1 << 4  # the weaker of the two admin permissions: Manage Server admins hold it too

_OPTION_TYPES = {"text": STRING, "int": INTEGER, "number": NUMBER, "flag": BOOLEAN}


def _shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def command_description(declared: Command) -> str:
    """The summary /help shows, within Discord's 100 characters."""
    return _shorten(declared.summary)


def option_description(arg: Arg, keyword: Keyword | None, prefix: Prefix | None) -> str:
    if arg.help:
        return _shorten(arg.help)
    if prefix is not None:
        return _shorten(f"the variable of {prefix.shown}, e.g. t for d/dt")
    if keyword is not None:
        return _shorten(f"the value after '{keyword.words[0]}'")
    return _shorten(arg.name.replace("_", " "))


def _option(declared: Command, arg: Arg, keyword: Keyword | None, prefix: Prefix | None) -> dict[str, Any]:
    option: dict[str, Any] = {
        "type": _OPTION_TYPES[arg.kind],
        "name": arg.name,
        "description": option_description(arg, keyword, prefix),
        "required": not arg.optional,
    }
    if isinstance(arg, Int | Number):
        option["min_value"], option["max_value"] = arg.low, arg.high
    if isinstance(arg, Choice):
        option["choices"] = [{"name": o, "value": o} for o in arg.options[:MAX_CHOICES]]
    elif arg.kind == "text" and autocomplete_kind(declared, arg) is not None:
        option["autocomplete"] = True
    if arg.kind == "text":
        option["max_length"] = 2000  # MAX_ARGUMENT_LENGTH; the core refuses longer with a clear error
    return option


def _declared_options(declared: Command) -> list[tuple[Arg, Keyword | None, Prefix | None]]:
    found: list[tuple[Arg, Keyword | None, Prefix | None]] = []
    prefix_args = declared.arguments()[: len(declared.prefixes)]
    found += [(arg, None, prefix) for arg, prefix in zip(prefix_args, declared.prefixes, strict=True)]
    if declared.main is not None:
        found.append((declared.main, None, None))
    found += [(keyword.arg, keyword, None) for keyword in declared.keywords]
    return found


def command_payload(declared: Command) -> dict[str, Any]:
    """One slash command, as ``PUT /applications/{id}/commands`` takes it."""
    options = [_option(declared, arg, keyword, prefix) for arg, keyword, prefix in _declared_options(declared)]
    options.sort(key=lambda option: not option["required"])  # Discord wants required options first
    payload: dict[str, Any] = {
        "type": 1,
        "name": declared.name,
        "description": command_description(declared),
        "options": options[:MAX_OPTIONS],
        "integration_types": [GUILD_INSTALL, USER_INSTALL],
        "contexts": [IN_GUILD, IN_BOT_DM, IN_PRIVATE_CHANNEL],
        "nsfw": False,
    }
    if declared.admin:
        payload["default_member_permissions"] = str(MANAGE_CHANNELS)
    return payload


def tree_payload(registry: Registry) -> list[dict[str, Any]]:
    """The whole tree, for one bulk overwrite at start."""
    commands = [command_payload(declared) for declared in registry]
    if len(commands) > MAX_COMMANDS:
        raise ValueError(f"{len(commands)} commands declared; Discord allows {MAX_COMMANDS}")
    return commands


def autocomplete_kind(declared: Command, arg: Arg) -> str | None:
    """Where suggestions help: topic names for a topic argument, command names for /help."""
    if declared.name == "help" and arg is declared.main:
        return "commands"
    if arg.name == "topic":
        return "topics"
    return None


def command_text(declared: Command, options: Mapping[str, Any]) -> str:
    """The typed options joined into the command's own grammar (prefix, main, then keyword clauses)."""
    parts = [f"/{declared.name}"]
    for arg, keyword, prefix in _declared_options(declared):
        value = options.get(arg.name)
        if value is None or value == "":
            continue
        if prefix is not None:
            parts.append(_fill_prefix(prefix, str(value).strip()))
        elif keyword is None:
            parts.append(str(value).strip())
        elif isinstance(arg, Flag):
            if value is True:
                parts.append(keyword.words[0])
        elif keyword.equals:
            parts.append(f"{keyword.words[0]}={_number(value)}")
        else:
            parts.append(f"{keyword.words[0]} {_number(value)}")
    return " ".join(parts)


def _fill_prefix(prefix: Prefix, value: str) -> str:
    """``d/dVAR`` with ``t`` -> ``d/dt``: the placeholder in the shown form, replaced."""
    placeholder = re.search(r"[A-Z]+", prefix.shown)
    if placeholder is None:
        return value
    return prefix.shown[: placeholder.start()] + value + prefix.shown[placeholder.end():]


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value).strip()
