"""Commands are declared once; routing, /help and the Discord/Slack definitions all read the declaration.

A command's text is ``HEAD [keyword VALUE]…``: the head holds the positional arguments (an optional
prefix such as ``d/dx`` and then the main argument), and each keyword clause (``wrt``, ``at``,
``order``…) runs to the next keyword.  Keywords are whole words outside brackets, so an expression's
own letters never collide with them.  The argument grammar only splits and validates text; the maths
is parsed later, in a worker process.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.reply import Reply

MAX_ARGUMENT_LENGTH = 2000


class Arg:
    """One declared argument: its name, what it accepts, and how it is shown in help and on platforms."""

    kind = "text"  # "text" | "int" | "number" | "flag": how platforms type the option

    def __init__(self, name: str, *, help: str = "", optional: bool = False, default: Any = None):
        if not re.fullmatch(r"[a-z][a-z_]*", name):
            raise ValueError(f"argument name {name!r} must be lower-case letters")
        self.name = name
        self.help = help
        self.optional = optional or default is not None
        self.default = default

    def convert(self, text: str, command: Command) -> Any:
        text = text.strip()
        if not text:
            raise command.usage_error(f"'{self.name}' needs a value")
        if len(text) > MAX_ARGUMENT_LENGTH:
            raise command.usage_error(f"'{self.name}' is too long (at most {MAX_ARGUMENT_LENGTH} characters)")
        return text


class Text(Arg):
    """Free text, handed as-is to the worker job that parses it (expressions, points, data)."""


class Int(Arg):
    kind = "int"

    def __init__(self, name: str, low: int, high: int, **kw: Any):
        super().__init__(name, **kw)
        if kw.get("default") is not None and not low <= kw["default"] <= high:
            raise ValueError(f"default of {name!r} is outside {low}..{high}")
        self.low, self.high = low, high

    def convert(self, text: str, command: Command) -> int:
        text = super().convert(text, command)
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise command.usage_error(f"'{self.name}' must be a whole number, not '{text}'")
        value = int(text)
        if not self.low <= value <= self.high:
            raise command.usage_error(f"'{self.name}' must be between {self.low} and {self.high}, not {value}")
        return value


class Number(Arg):
    kind = "number"

    def __init__(self, name: str, low: float, high: float, **kw: Any):
        super().__init__(name, **kw)
        self.low, self.high = low, high

    def convert(self, text: str, command: Command) -> float:
        text = super().convert(text, command)
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?", text):
            raise command.usage_error(f"'{self.name}' must be a number, not '{text}'")
        value = float(text)
        if not self.low <= value <= self.high:
            raise command.usage_error(f"'{self.name}' must be between {self.low:g} and {self.high:g}, not {value:g}")
        return value


class Choice(Arg):
    def __init__(self, name: str, options: tuple[str, ...], **kw: Any):
        super().__init__(name, **kw)
        self.options = options

    def convert(self, text: str, command: Command) -> str:
        value = super().convert(text, command).lower()
        if value not in self.options:
            raise command.usage_error(f"'{self.name}' must be one of {', '.join(self.options)}, not '{text}'")
        return value


class Flag(Arg):
    """A bare keyword that switches something on: ``/derive x^2 plot``."""

    kind = "flag"

    def __init__(self, name: str, **kw: Any):
        super().__init__(name, optional=True, **kw)
        self.default = False


@dataclass(frozen=True)
class Prefix:
    """An optional positional form before the main argument, e.g. ``d/dt`` -> ``wrt = t``."""

    name: str
    pattern: str  # regex with one group: the value
    shown: str  # how usage/help shows it, e.g. "d/dVAR"


@dataclass(frozen=True)
class Keyword:
    """A keyword clause: ``words`` introduce it (``("subject to", "s.t.")``); ``arg`` reads its value."""

    words: tuple[str, ...]
    arg: Arg
    equals: bool = False  # written as ``x=VALUE`` rather than ``x VALUE``


class Args(Mapping[str, Any]):
    """The converted arguments of one invocation, by name (``args.expr`` or ``args["expr"]``)."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Args({self._values!r})"


Handler = Callable[["Context", Args], Awaitable["Reply"]]


@dataclass
class Command:
    name: str
    summary: str
    usage: str
    examples: tuple[str, ...]
    handler: Handler
    main: Arg | None = None
    prefixes: tuple[Prefix, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    aliases: tuple[str, ...] = ()
    family: str = "calculus"
    details: str = ""
    admin: bool = False  # workspace admins only; platforms hide it from others (Discord permissions)
    _keyword_re: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name in (self.name, *self.aliases):
            if not re.fullmatch(r"[a-z][a-z0-9]*", name):
                raise ValueError(f"command name {name!r} must be a lower-case letter, then letters and digits")
        if not self.usage.startswith(f"/{self.name}"):
            raise ValueError(f"usage of /{self.name} must start with '/{self.name}'")
        if not self.examples or any(not e.startswith(f"/{self.name}") for e in self.examples):
            raise ValueError(f"/{self.name} needs examples that start with '/{self.name}'")
        names = [a.name for a in self.arguments()]
        if len(names) != len(set(names)):
            raise ValueError(f"/{self.name} declares an argument twice")
        alternatives: list[str] = []
        for keyword in self.keywords:
            for word in keyword.words:
                spaced = r"\s+".join(re.escape(w) for w in word.split())
                tail = r"\s*=" if keyword.equals else r"(?=\s|$)"
                alternatives.append(rf"(?P<k{len(alternatives)}>{spaced}){tail}")
        self._keyword_re = re.compile(r"(?:^|(?<=\s))(?:" + "|".join(alternatives) + ")", re.IGNORECASE) if alternatives else re.compile(r"(?!x)x")

    def arguments(self) -> list[Arg]:
        found: list[Arg] = [Text(p.name, optional=True) for p in self.prefixes]
        if self.main is not None:
            found.append(self.main)
        found += [k.arg for k in self.keywords]
        return found

    def usage_error(self, problem: str) -> UsageError:
        return UsageError(f"{problem}.", hint=f"Usage: `{self.usage}` — e.g. `{self.examples[0]}`")

    def parse(self, text: str) -> Args:
        """Split ``text`` (everything after the command name) into converted arguments."""
        values: dict[str, Any] = {a.name: a.default for a in self.arguments()}
        head, clauses = self._split(text)
        for prefix in self.prefixes:
            match = re.match(prefix.pattern + r"(?:\s+|$|(?=\())", head)  # d/dx x^2, d/dx(x^2)
            if match:
                values[prefix.name] = match.group(1)
                head = head[match.end():]
        seen: set[str] = set()
        for keyword, value in clauses:
            arg = keyword.arg
            if arg.name in seen:
                raise self.usage_error(f"'{keyword.words[0]}' is given twice")
            seen.add(arg.name)
            if isinstance(arg, Flag):
                if value.strip():
                    raise self.usage_error(f"unexpected '{value.strip()}' after '{keyword.words[0]}'")
                values[arg.name] = True
            else:
                if not value.strip():
                    raise self.usage_error(f"'{keyword.words[0]}' needs a value")
                values[arg.name] = arg.convert(value, self)
        if self.main is not None:
            if head.strip():
                values[self.main.name] = self.main.convert(head, self)
            elif not self.main.optional:
                raise self.usage_error(f"missing {self.main.name}")
        elif head.strip():
            raise self.usage_error(f"unexpected '{head.strip()[:40]}'")
        for arg in self.arguments():
            if not arg.optional and values.get(arg.name) is None:
                raise self.usage_error(f"missing '{arg.name}'")
        return Args(values)

    def _split(self, text: str) -> tuple[str, list[tuple[Keyword, str]]]:
        """Find keyword clauses at bracket depth 0; return the head and each (keyword, value)."""
        depth_at = _bracket_depths(text)
        marks: list[tuple[int, int, Keyword]] = []
        for match in self._keyword_re.finditer(text):
            if depth_at[match.start()] != 0:
                continue
            index = int(next(k for k, v in match.groupdict().items() if v is not None)[1:])
            marks.append((match.start(), match.end(), self._keyword_at(index)))
        head = text[: marks[0][0]] if marks else text
        clauses = []
        for i, (_, end, keyword) in enumerate(marks):
            stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            clauses.append((keyword, text[end:stop]))
        return head.strip(), clauses

    def _keyword_at(self, index: int) -> Keyword:
        for keyword in self.keywords:
            if index < len(keyword.words):
                return keyword
            index -= len(keyword.words)
        raise IndexError(index)


def _bracket_depths(text: str) -> list[int]:
    depths, depth = [], 0
    for char in text:
        if char in ")]}":
            depth = max(0, depth - 1)
        depths.append(depth)
        if char in "([{":
            depth += 1
    depths.append(depth)
    return depths


class Registry:
    """Every declared command, in declaration order; the single source for routing and help."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}
        self._aliases: dict[str, str] = {}

    def add(self, command: Command) -> Command:
        for name in (command.name, *command.aliases):
            if name in self._commands or name in self._aliases:
                raise ValueError(f"command /{name} is declared twice")
        self._commands[command.name] = command
        for alias in command.aliases:
            self._aliases[alias] = command.name
        return command

    def get(self, name: str) -> Command | None:
        name = name.lower()
        return self._commands.get(self._aliases.get(name, name))

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def __len__(self) -> int:
        return len(self._commands)

    def names(self) -> list[str]:
        return list(self._commands)

    def all_names(self) -> list[str]:
        return [*self._commands, *self._aliases]


def command(
    registry: Registry,
    name: str,
    *,
    summary: str,
    usage: str,
    examples: tuple[str, ...],
    main: Arg | None = None,
    prefixes: tuple[Prefix, ...] = (),
    keywords: tuple[Keyword, ...] = (),
    aliases: tuple[str, ...] = (),
    family: str = "calculus",
    details: str = "",
    admin: bool = False,
) -> Callable[[Handler], Handler]:
    """Declare a command on ``registry``; a bad declaration fails at import, not at first use."""

    def register(handler: Handler) -> Handler:
        registry.add(
            Command(
                name=name,
                summary=summary,
                usage=usage,
                examples=examples,
                handler=handler,
                main=main,
                prefixes=prefixes,
                keywords=keywords,
                aliases=aliases,
                family=family,
                details=details,
                admin=admin,
            )
        )
        return handler

    return register
