"""Turns a Message into a call of the declared command, through the middleware chain."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from bot.core.commands import Registry
from bot.core.context import Context, Services
from bot.core.message import Message
from bot.core.middleware import Middleware, Next
from bot.core.reply import Reply
from bot.errors import UnknownCommand

_COMMAND = re.compile(r"^\s*[/!]([A-Za-z][\w-]*)(?:\s+|$)(.*)$", re.DOTALL)


class Router:
    def __init__(self, registry: Registry, services: Services, middleware: Sequence[Middleware] = ()):
        self.registry = registry
        self.services = services
        chain: Next = self._route
        for step in reversed(middleware):
            chain = _link(step, chain)
        self._chain = chain

    async def dispatch(self, message: Message) -> Reply:
        """Answer one message; never raises (errors become error replies in the middleware)."""
        return await self._chain(message)

    async def _route(self, message: Message) -> Reply:
        text = message.action.payload if message.action and message.action.payload else message.text
        match = _COMMAND.match(text)
        if not match:
            if text.lstrip().startswith("="):  # a line of working sent on its own
                raise UnknownCommand(
                    "a line of working goes in the same message as its `/check`.",
                    hint="Send `/check d/dx …` and every `= …` line together: paste them at once, "
                    "or end each line with \\ on the console (Shift+Enter on Discord and Slack).",
                )
            raise UnknownCommand(
                "commands start with '/', e.g. `/derive x^2 sin x`.",
                hint="Type `/help` to see every command.",
            )
        name, rest = match.group(1).lower(), match.group(2)
        command = self.registry.get(name)
        if command is None:
            raise UnknownCommand(f"unknown command '/{name}'{self._suggestion(name)}",
                                 hint="Type `/help` to see every command.")
        args = command.parse(rest)
        context = Context(message=message, services=self.services, registry=self.registry,
                          dispatch=self._route)
        return await command.handler(context, args)

    def _suggestion(self, name: str) -> str:
        close = difflib.get_close_matches(name, self.registry.all_names(), n=1, cutoff=0.6)
        return f" — did you mean /{close[0]}?" if close else ""


def _link(step: Middleware, call_next: Next) -> Next:
    async def linked(message: Message) -> Reply:
        return await step(message, call_next)

    return linked
