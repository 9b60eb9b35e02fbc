"""What every handler returns: one Reply, rendered by each adapter in its platform's idiom."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Image:
    name: str  # file name, e.g. "tangent.png"
    png: bytes
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that is not a picture (a CSV export): the console writes it, the platforms upload it."""

    name: str  # file name, e.g. "progress.csv"
    data: bytes
    mime: str = "text/csv"


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """The quiz question a reply asks (a public JSON contract: the console's "question")."""

    id: str
    topic: str  # topic id
    skills: tuple[str, ...] = ()  # skill ids the question exercises
    aimed_at: str | None = None  # the mal-rule code an aimed question practises
    kind: str = "expression"  # how it is answered: "expression", "choice", "picture", …


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    """What /progress reports about the learner (a public JSON contract: the console's "learner")."""

    answered: int  # every answered try: first tries and retries, skips excluded
    correct: int  # right at the first try
    skipped: int
    mastery: tuple[tuple[str, float], ...] = ()  # (skill id, P(known) 0..1), in the course's skill order
    mistakes: tuple[tuple[str, int], ...] = ()  # (mal-rule code, times diagnosed), most frequent first


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: pressing it sends ``command`` as if the user had typed it."""

    id: str
    label: str
    command: str
    # A form: pressing opens a multi-line text box with this prompt (a Discord or Slack modal), and
    # the message sent is ``command``, a new line, then what was typed there.
    form: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyError:
    code: str  # stable, part of the public JSON contract
    message: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Which rule a learner misapplied, and where (a public JSON contract: the console's "diagnosis")."""

    code: str  # stable mal-rule code, e.g. "chain_rule_inner_missing"
    where: str  # the sub-expression where it happened, SymPy syntax
    line: int | None = None  # 1-based number of the wrong step in a chain or multi-line working


@dataclass(frozen=True, slots=True)
class Reply:
    text: str  # Markdown
    result: str | None = None  # the machine-readable answer, SymPy syntax
    latex: str | None = None
    images: tuple[Image, ...] = ()
    choices: tuple[Choice, ...] = ()
    error: ReplyError | None = None
    private: bool = False
    diagnosis: Diagnosis | None = None
    files: tuple[Attachment, ...] = ()
    question: QuestionInfo | None = None  # set on every reply that asks a quiz question
    learner: LearnerSummary | None = None  # set on /progress

    @classmethod
    def failure(cls, code: str, message: str, *, private: bool = True) -> Reply:
        return cls(text=f"⚠️ {message}", error=ReplyError(code, message), private=private)
