"""What the store hands out and takes in: frozen dataclasses, never ORM objects or DB rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class User:
    id: int
    platform: str
    platform_user_id: str
    display_name: str
    xp: int
    streak_days: int  # consecutive UTC days with an answer, as of last_active_day
    last_active_day: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CardRow:
    """One user's spaced-repetition card for one topic; ``state_json`` is an fsrs card."""

    user_id: int
    topic_id: str
    state_json: str
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    version: int  # pass back as ``expected_card_version`` when recording the next answer


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    id: int
    user_id: int
    channel_key: str
    topic_id: str
    question_id: str
    question_json: str
    hints_used: int
    asked_at: datetime
    expires_at: datetime
    first_answer: str | None = None  # set after a wrong first answer: the one retry is open


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    user_id: int
    topic_id: str
    question_id: str
    channel_key: str
    answer_text: str
    correct: bool
    skipped: bool
    hints_used: int
    rating: int
    xp_gained: int
    answered_at: datetime
    retry_answer: str | None = None  # the second try, when the first (answer_text) was wrong
    retry_correct: bool | None = None


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """The card state the quiz computed; written only if the card is still at ``expected_version``.

    ``expected_version`` is the ``CardRow.version`` the state was computed from, or 0 for a new card.
    """

    state_json: str
    due: datetime
    last_review: datetime
    expected_version: int


@dataclass(frozen=True, slots=True)
class TryRecord:
    """One answer a learner gave (or a skip), kept whatever happens to its question afterwards:
    the learner model's evidence (``bot.learner``)."""

    topic_id: str
    question_id: str
    channel_key: str
    answer_text: str  # "" for a skip
    correct: bool
    answered_at: datetime
    kind: str = "expression"
    skills: tuple[str, ...] = ()  # the question's skills; () in tries kept before skills existed
    aimed_at: str | None = None  # the mal-rule an aimed question practised
    retry: bool = False  # the second try, after feedback on a wrong first one
    skipped: bool = False
    hints_used: int = 0
    malrule: str | None = None  # the diagnosed mistake's code
    malrule_where: str | None = None  # where it happened, SymPy syntax

    def evidence(self) -> TryEvidence:
        """What the learner model reads of this try, as it is read back from the database."""
        return TryEvidence(self.topic_id, self.kind, " ".join(self.skills), self.aimed_at, self.correct,
                           self.retry, self.skipped, self.malrule)


class TryEvidence(NamedTuple):
    """What the learner model and /progress read of one try (a plain tuple: a learner may have
    thousands, read on every /quiz and /progress)."""

    topic_id: str
    kind: str
    skills: str  # space-separated skill ids ("" before skills existed)
    aimed_at: str | None
    correct: bool
    retry: bool
    skipped: bool
    malrule: str | None


@dataclass(frozen=True, slots=True)
class StoredTry:
    """A try as read back: its record, its id (the order tries were given in) and its learner."""

    id: int
    user_id: int
    record: TryRecord


@dataclass(frozen=True, slots=True)
class FirstTryRecord:
    """A wrong first try that leaves its question open for the retry, recorded in one transaction:
    the try itself, the card rated on it (the topic is scheduled on the first try) and the streak."""

    user_id: int
    open_question_id: int  # it must still be open and without a first answer
    given: TryRecord
    card: CardUpdate  # rated Again


@dataclass(frozen=True, slots=True)
class FirstTryOutcome:
    user: User
    card: CardRow


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """Everything one answer (or skip) changes, recorded in a single transaction."""

    user_id: int
    open_question_id: int  # the open question being answered; it must still exist
    topic_id: str
    question_id: str
    channel_key: str
    answer_text: str
    correct: bool
    hints_used: int
    rating: int  # fsrs.Rating value
    xp_gained: int
    answered_at: datetime
    card: CardUpdate | None  # None: the card was rated on the wrong first try already (it must exist)
    skipped: bool = False  # a skip is no answer: it does not extend the streak
    retry_answer: str | None = None  # the second try; answer_text and correct are the first
    retry_correct: bool | None = None
    given: TryRecord | None = None  # the try this answer (or skip) is, kept for the learner model


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    attempt_id: int
    user: User  # after the answer: new XP and streak
    card: CardRow  # after the answer (as it was, when the answer did not rate it)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """Per-topic totals for one user: any topic with an attempt, a card or a lesson read."""

    topic_id: str
    attempts: int  # including skips
    correct: int
    skipped: int
    hints_used: int
    last_answered_at: datetime | None
    learned_at: datetime | None
    card: CardRow | None
