"""Quiz questions and grades: the plain, picklable records the quiz engine stores and shows.

Canonical answers are text in SymPy syntax so the store can keep them as-is; they are re-read with
our own parser when graded (never ``sympify``). Formats by kind:

- ``expression``: ``sympy.sstr`` of the expression, e.g. ``2*x*cos(x**2)``.
- ``number``: ``sympy.sstr`` of the exact value, e.g. ``sqrt(2)/2`` or ``7/3``.
- ``vector``: a tuple, ``(a, b)``, each component in SymPy syntax.
- ``matrix``: nested lists by rows, ``[[a, b], [c, d]]`` (the course's row-by-row layout).
- ``choice``: the correct label, ``"A"``, ``"B"``, …; ``choices`` holds the texts in label order.
- ``picture``: the correct label of a lettered panel of the question's image; ``choices`` holds
  neutral names ("panel A", …), ``choice_notes`` what each panel shows (said after a pick), and
  ``figure`` the JSON spec the image is drawn from (``content.figures``), so it can be redrawn.

``skills`` are the learner model's skill ids (``bot.learner``) the question exercises, main one first;
question JSON stored before skills existed loads with its topic's skills.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.learner.skills import skills_of_topic
from bot.present.answer import Diagnosed

KINDS = ("expression", "number", "vector", "matrix", "choice", "picture")
CHOICE_KINDS = ("choice", "picture")  # answered by a letter (or a button)


@dataclass(frozen=True)
class Question:
    id: str  # f"{topic_id}/{generator_name}/{seed}", or f"aimed/{code}/{seed}" for an aimed question
    topic_id: str
    prompt: str  # Markdown
    kind: str  # one of KINDS
    answer: str  # canonical answer, see the module docstring for the format of each kind
    choices: tuple[str, ...] = ()  # labelled A, B, C… in this order
    hints: tuple[str, ...] = ()  # progressively stronger
    solution: str = ""  # Markdown worked solution
    solution_command: str = ""  # a bot command that shows the full working
    tolerance: float = 1e-6  # relative, for numbers (and numeric vector/matrix entries)
    # When > 0: a number (or numeric entry) is right if it agrees with the answer to this many
    # significant figures — what the prompt asks for — and ``tolerance`` is not used.
    significant_figures: int = 0
    skills: tuple[str, ...] = ()  # bot.learner skill ids, main one first
    choice_malrules: tuple[str | None, ...] = ()  # per choice: the mistake code that gives it, if any
    aimed_at: str | None = None  # the mistake code an aimed question practises
    choice_notes: tuple[str, ...] = ()  # per choice: what it is, said when it is picked (picture questions)
    figure: str = ""  # picture questions: the JSON spec the image is drawn from

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"question kind must be one of {KINDS}, not {self.kind!r}")
        if self.kind in CHOICE_KINDS and self.answer not in choice_labels(len(self.choices)):
            raise ValueError(f"choice answer {self.answer!r} is not one of the labels")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(s: str) -> Question:
        data = json.loads(s)
        data["choices"] = tuple(data.get("choices", ()))
        data["hints"] = tuple(data.get("hints", ()))
        data["skills"] = tuple(data.get("skills") or skills_of_topic(data.get("topic_id", "")))
        data["choice_malrules"] = tuple(data.get("choice_malrules", ()))
        data["choice_notes"] = tuple(data.get("choice_notes", ()))
        return Question(**data)


@dataclass(frozen=True)
class Grade:
    correct: bool
    feedback: str  # Markdown: right or wrong, and where a wrong answer goes astray
    expected: str  # the correct answer, readable
    diagnosis: Diagnosed | None = None  # the misapplied rule: a wrong derivative's, or a wrong pick's distractor


def choice_labels(count: int) -> tuple[str, ...]:
    """The labels A, B, C… for ``count`` choices."""
    if not 0 <= count <= 26:
        raise ValueError("a choice question has at most 26 choices")
    return tuple(chr(ord("A") + i) for i in range(count))
