"""The curriculum: six modules of topics, loaded once from ``module_N.yaml`` and validated.

Each topic carries a lesson card (Markdown, at most ``MAX_LESSON_CHARS``), one worked example given as
a bot command (the bot runs it through its solver, so no answer is ever hard-coded), prerequisites,
and the names of its question generators. Loading fails loudly (``ValueError``) on any broken
reference, so a bad edit to the data is caught by the first test run, not by a learner.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bot.errors import BadArgument

MAX_LESSON_CHARS = 1200

# Command names a topic's example may use (the bot's calculus, optimisation and fitting commands).
KNOWN_COMMANDS = frozenset(
    {"derive", "slope", "partial", "grad", "jacobian", "hessian", "chain", "taylor", "newton",
     "stationary", "lagrange", "descent", "fit", "backprop", "check"}
)

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_POSITION = re.compile(r"^(?:module\s*)?(\d+)(?:\s*\.\s*(\d+))?$")
_STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "by", "with", "to", "for", "in", "on", "as", "its", "topic"})


@dataclass(frozen=True)
class Topic:
    id: str
    module: int
    title: str
    prerequisites: tuple[str, ...]
    lesson: str
    example_command: str
    generators: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    number: int
    title: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Curriculum:
    modules: tuple[Module, ...]

    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in course order."""
        return tuple(topic for module in self.modules for topic in module.topics)

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics():
            if topic.id == topic_id:
                return topic
        raise BadArgument(f"unknown topic '{topic_id}'{self._suggestion(topic_id)} (/topics lists them)")

    def position(self, topic_id: str) -> str:
        """The topic's number as the course lists it, e.g. ``"2.3"``."""
        for module in self.modules:
            for index, topic in enumerate(module.topics, start=1):
                if topic.id == topic_id:
                    return f"{module.number}.{index}"
        raise BadArgument(f"unknown topic '{topic_id}'{self._suggestion(topic_id)} (/topics lists them)")

    def find(self, text: str) -> Topic:
        """A forgiving lookup: an id, a number like ``2.3`` (or ``2`` for a module's first topic), or title words."""
        query = text.strip().strip("`'\"").strip().lower()
        if not query:
            raise BadArgument("which topic? Give its name or number, e.g. 'chain rule' or '2.3' (/topics lists them)")
        by_position = self._find_by_position(query)
        if by_position is not None:
            return by_position
        slug = re.sub(r"[\s_]+", "-", query)
        for topic in self.topics():
            if topic.id == slug or topic.title.lower() == query:
                return topic
        by_words = self._find_by_words(query)
        if by_words is not None:
            return by_words
        raise BadArgument(f"unknown topic '{text.strip()}'{self._suggestion(query)} (/topics lists them)")

    def next_topic(self, learned: set[str]) -> Topic | None:
        """The first unlearned topic whose prerequisites are all learned; else the first unlearned one."""
        unlearned = [topic for topic in self.topics() if topic.id not in learned]
        for topic in unlearned:
            if all(prerequisite in learned for prerequisite in topic.prerequisites):
                return topic
        return unlearned[0] if unlearned else None

    def _find_by_position(self, query: str) -> Topic | None:
        match = _POSITION.match(query)
        if match is None:
            return None
        number, index = int(match.group(1)), match.group(2)
        module = next((m for m in self.modules if m.number == number), None)
        if module is None:
            raise BadArgument(f"there is no module {number}: modules run from 1 to {len(self.modules)} (/topics lists them)")
        position = int(index) if index is not None else 1
        if not 1 <= position <= len(module.topics):
            raise BadArgument(
                f"module {number} has topics {number}.1 to {number}.{len(module.topics)} (/topics lists them)"
            )
        return module.topics[position - 1]

    def _find_by_words(self, query: str) -> Topic | None:
        words = [w for w in re.findall(r"[a-z0-9]+", query) if w not in _STOP_WORDS]
        if not words:
            return None
        best: tuple[int, int] | None = None
        found: Topic | None = None
        for order, topic in enumerate(self.topics()):
            vocabulary = _words(topic)
            if all(any(_word_matches(word, known) for known in vocabulary) for word in words):
                extra = sum(1 for known in vocabulary if not any(_word_matches(word, known) for word in words))
                score = (extra, order)
                if best is None or score < best:
                    best, found = score, topic
        return found

    def _suggestion(self, text: str) -> str:
        names = {topic.id: topic.id for topic in self.topics()}
        names.update({topic.title.lower(): topic.id for topic in self.topics()})
        close = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.5)
        ids = list(dict.fromkeys(names[name] for name in close))
        return f" — did you mean {' or '.join(ids)}?" if ids else ""


def _words(topic: Topic) -> set[str]:
    """The words that name a topic: its id's parts and its title's words, minus filler."""
    words = set(topic.id.split("-")) | set(re.findall(r"[a-z0-9]+", topic.title.lower()))
    return words - _STOP_WORDS


def _word_matches(word: str, known: str) -> bool:
    """Exact, a prefix of at least 3 letters ('backprop'), or a plural of the known word."""
    return word == known or (len(word) >= 3 and known.startswith(word)) or (word.endswith("s") and word[:-1] == known)


@functools.cache
def curriculum() -> Curriculum:
    """The course, read from the package's YAML files on first use and kept for the process."""
    folder = resources.files("content")
    names = sorted(
        (entry.name for entry in folder.iterdir() if re.fullmatch(r"module_\d+\.yaml", entry.name)),
        key=lambda name: int(re.findall(r"\d+", name)[0]),
    )
    if not names:
        raise ValueError("no module_N.yaml files found in the content package")
    modules = tuple(_load_module(name, yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8"))) for name in names)
    result = Curriculum(modules=modules)
    validate(result)
    return result


def _load_module(source: str, data: Any) -> Module:
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping with number, title and topics")
    try:
        number, title, raw_topics = int(data["number"]), str(data["title"]), data["topics"]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{source}: missing or bad module field ({error})") from error
    if not isinstance(raw_topics, list) or not raw_topics:
        raise ValueError(f"{source}: a module needs a non-empty list of topics")
    return Module(number=number, title=title, topics=tuple(_load_topic(source, number, raw) for raw in raw_topics))


def _load_topic(source: str, module: int, raw: Any) -> Topic:
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: each topic must be a mapping")
    missing = {"id", "title", "prerequisites", "example", "generators", "lesson"} - raw.keys()
    if missing:
        raise ValueError(f"{source}: topic {raw.get('id', '?')!r} is missing {sorted(missing)}")
    return Topic(
        id=str(raw["id"]),
        module=module,
        title=str(raw["title"]),
        prerequisites=tuple(str(p) for p in raw["prerequisites"] or ()),
        lesson=str(raw["lesson"]).strip(),
        example_command=str(raw["example"]).strip(),
        generators=tuple(str(g) for g in raw["generators"] or ()),
    )


def validate(course: Curriculum, generators: Collection[str] | None = None) -> None:
    """Raise ValueError on anything a learner would trip over: dangling names, cycles, oversized lessons;
    and, given the generators' names, a topic naming an unknown one. (The chat process reads the course
    without the generators — they load SymPy — so ``content.generate``, which the workers load, checks
    the names when it loads.)"""
    numbers = [module.number for module in course.modules]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"modules must be numbered 1..{len(numbers)} in order, found {numbers}")
    seen: set[str] = set()
    for topic in course.topics():
        where = f"topic {topic.id!r}"
        if not _ID_PATTERN.match(topic.id):
            raise ValueError(f"{where}: ids are lowercase words joined by hyphens")
        if topic.id in seen:
            raise ValueError(f"{where}: defined twice")
        for prerequisite in topic.prerequisites:
            # Requiring prerequisites to come earlier in the course also rules out cycles.
            if prerequisite not in seen:
                raise ValueError(f"{where}: prerequisite {prerequisite!r} is unknown or comes later in the course")
        seen.add(topic.id)
        if not topic.lesson or len(topic.lesson) > MAX_LESSON_CHARS:
            raise ValueError(f"{where}: the lesson has {len(topic.lesson)} characters (1..{MAX_LESSON_CHARS} allowed)")
        command = topic.example_command.split(maxsplit=1)
        if not command or not command[0].startswith("/") or command[0][1:] not in KNOWN_COMMANDS or len(command) < 2:
            raise ValueError(f"{where}: example {topic.example_command!r} must be a known command with arguments")
        if not topic.generators:
            raise ValueError(f"{where}: needs at least one question generator")
        unknown = [name for name in topic.generators if generators is not None and name not in generators]
        if unknown:
            raise ValueError(f"{where}: unknown generators {unknown}")
