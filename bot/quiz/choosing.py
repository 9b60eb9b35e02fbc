"""What the learner model reads from stored tries, and what ``/quiz`` with no topic asks next.

FSRS decides *when* a topic comes back (due reviews keep their place); the learner model
(``bot.learner``) decides *what* to practise otherwise: a question aimed at a mistake the learner
keeps making, else their weakest skill among the topics they have reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bot.learner import Try, skills_of_topic
from bot.store.learner_states import model_try
from bot.store.rows import TryEvidence

if TYPE_CHECKING:
    from content.catalog import Curriculum


def model_tries(tries: Iterable[TryEvidence]) -> list[Try]:
    return [model_try(given) for given in tries]


def reached_topics(curriculum: Curriculum, learned: set[str], tried: set[str]) -> list[str]:
    """Topics whose lesson was read or that were practised, and the next lesson's: in course order."""
    upcoming = curriculum.next_topic(learned)
    reached = learned | tried | ({upcoming.id} if upcoming is not None else set())
    return [topic.id for topic in curriculum.topics() if topic.id in reached]


def reached_skills(topics: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(skill for topic in topics for skill in skills_of_topic(topic)))
