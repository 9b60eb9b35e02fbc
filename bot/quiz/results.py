"""What each quiz operation returns: small frozen records the chat commands format into replies."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.reply import Image, QuestionInfo
from bot.present.answer import Diagnosed

if TYPE_CHECKING:
    from content.questions import Question


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: str
    title: str
    module: int
    module_title: str


@dataclass(frozen=True, slots=True)
class AnswerChoice:
    """One option of a multiple-choice question; answering with the label picks it."""

    label: str  # "A", "B", …
    text: str


@dataclass(frozen=True, slots=True)
class LessonResult:
    topic: TopicRef | None  # None: every lesson has been read (``complete``)
    lesson: str  # Markdown
    example_command: str  # a command the learner can run to see the idea worked ("" if complete)
    first_time: bool  # the lesson was newly marked as read
    next_topic: TopicRef | None  # what ``/lesson`` offers next
    complete: bool = False


def question_tag(question_id: str, asked_at: datetime) -> str:
    """A short name for one asking of a question, carried by its buttons: a press on an older
    question's button (answered, skipped, replaced) or on someone else's is told so, never applied to
    whatever question the presser has open now."""
    return hashlib.sha1(f"{question_id}|{asked_at.isoformat()}".encode()).hexdigest()[:8]


def question_info(question: Question) -> QuestionInfo:
    """What a reply that asks ``question`` says about it (the console's "question")."""
    return QuestionInfo(
        id=question.id,
        topic=question.topic_id,
        skills=tuple(getattr(question, "skills", ()) or ()),
        aimed_at=getattr(question, "aimed_at", None),
        kind=question.kind,
    )


@dataclass(frozen=True, slots=True)
class QuestionResult:
    topic: TopicRef
    question_id: str
    prompt: str  # Markdown
    kind: str  # "expression" | "number" | "vector" | "matrix" | "choice" | "picture"
    choices: tuple[AnswerChoice, ...]
    hints_available: int
    expires_at: datetime
    replaced: TopicRef | None  # the topic of the open question this one replaced, if any
    tag: str = ""  # question_tag of this asking
    info: QuestionInfo | None = None  # id, topic, skills, aim and kind, for the reply
    why: str | None = None  # one line saying why this question was chosen (an aimed one, a weak skill)
    image: Image | None = None  # a picture question's one image (its panels A–D), with alt text


@dataclass(frozen=True, slots=True)
class AnswerResult:
    topic: TopicRef
    correct: bool
    feedback: str  # Markdown, from grading
    expected: str  # the right answer, readable
    solution: str  # Markdown worked solution
    solution_command: str  # a command that shows the full working
    rating: str  # the FSRS rating given: "Again" | "Hard" | "Good" | "Easy"
    xp_gained: int
    xp_total: int
    streak_days: int
    streak_extended: bool  # the first answer of a new UTC day moved the streak on (or started it)
    next_review: datetime | None  # when this topic comes back for review (None while a retry is open)
    diagnosis: Diagnosed | None = None  # the misapplied rule behind a wrong derivative
    retry_open: bool = False  # a wrong first answer: the question stays open for one more try
    second_try: bool = False  # this answer was the retry


@dataclass(frozen=True, slots=True)
class HintResult:
    topic: TopicRef
    hint: str  # Markdown; when ``exhausted``, the last hint again
    number: int  # 1-based; 0 when the question has no hints
    total: int
    exhausted: bool  # no new hint was left to give


@dataclass(frozen=True, slots=True)
class SkipResult:
    topic: TopicRef
    expected: str  # the right answer, readable
    solution: str
    solution_command: str
    next_review: datetime


@dataclass(frozen=True, slots=True)
class DueTopic:
    topic: TopicRef
    due: datetime


@dataclass(frozen=True, slots=True)
class ReviewResult:
    due: tuple[DueTopic, ...]  # every due topic, most overdue first
    question: QuestionResult | None  # a question on the most overdue topic; None if nothing is due
    next_review: DueTopic | None  # when nothing is due: the next topic to fall due, if any card exists


@dataclass(frozen=True, slots=True)
class TryCounts:
    """How a learner's tries add up; the same definitions everywhere /progress counts."""

    answered: int = 0  # every answered try: first tries and retries (a skip is not an answer)
    correct: int = 0  # right at the first try
    retried: int = 0  # second tries, after feedback on a wrong first one
    skipped: int = 0

    @property
    def first_tries(self) -> int:
        return self.answered - self.retried

    @property
    def accuracy(self) -> float | None:
        """Right first time, out of the questions answered at a first try; None before any."""
        return self.correct / self.first_tries if self.first_tries else None


@dataclass(frozen=True, slots=True)
class TopicProgress:
    topic: TopicRef
    learned: bool  # the lesson has been read
    counts: TryCounts
    retrievability: float | None  # FSRS chance of recall now; None before the first review
    due: datetime | None


@dataclass(frozen=True, slots=True)
class ModuleProgress:
    number: int
    title: str
    topics: tuple[TopicProgress, ...]


@dataclass(frozen=True, slots=True)
class SkillMastery:
    skill: str  # skill id
    name: str  # in words
    mastery: float  # P(known), 0..1 (Bayesian Knowledge Tracing over the learner's tries)
    mastered: bool  # mastery >= bot.learner.MASTERED


@dataclass(frozen=True, slots=True)
class MistakeSeen:
    code: str  # mal-rule code
    count: int  # times diagnosed in the learner's tries
    words: str  # the mistake in words, to follow "You've …"
    lesson: TopicRef | None  # the lesson that fixes it


@dataclass(frozen=True, slots=True)
class ProgressResult:
    display_name: str
    xp: int
    streak_days: int  # current streak: 0 once a whole UTC day has passed without an answer
    counts: TryCounts
    lessons_read: int
    modules: tuple[ModuleProgress, ...]
    skills: tuple[SkillMastery, ...]  # every skill with evidence, in the course's order
    mistakes: tuple[MistakeSeen, ...]  # most frequent first
    due_now: tuple[DueTopic, ...]  # most overdue first
    next_review: DueTopic | None  # the next topic to fall due after now
    next_lesson: TopicRef | None
