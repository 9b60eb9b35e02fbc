"""/progress from a learner's stored tries: counts, mastery per skill, repeated mistakes, reviews.

Everything is derived from the tries (one source of truth, nothing to drift): the counts, the
mastery per skill (``bot.learner``, Bayesian Knowledge Tracing) and the mistakes; FSRS cards say only
when each topic comes back for review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.learner import (
    MASTERED,
    SKILLS,
    lesson_of_malrule,
    mastery,
    mistake_words,
    mistakes,
    skill_name,
)
from bot.quiz.choosing import model_tries
from bot.quiz.results import (
    DueTopic,
    MistakeSeen,
    ModuleProgress,
    ProgressResult,
    SkillMastery,
    TopicProgress,
    TopicRef,
    TryCounts,
)
from bot.quiz.srs import SpacedRepetition
from bot.store.rows import CardRow, TryEvidence, User

if TYPE_CHECKING:
    from bot.learner import Try
    from content.catalog import Curriculum, Topic


def count_tries(tries: Iterable[TryEvidence]) -> TryCounts:
    answered = correct = retried = skipped = 0
    for given in tries:
        if given.skipped:
            skipped += 1
            continue
        answered += 1
        if given.retry:
            retried += 1
        elif given.correct:
            correct += 1
    return TryCounts(answered=answered, correct=correct, retried=retried, skipped=skipped)


def build_progress(
    *,
    user: User,
    streak_days: int,
    tries: Sequence[TryEvidence],
    cards: Sequence[CardRow],
    learned: set[str],
    curriculum: Curriculum,
    srs: SpacedRepetition,
    ref: Callable[[Topic], TopicRef],
    next_review: DueTopic | None,
    now: datetime,
) -> ProgressResult:
    by_topic: dict[str, list[TryEvidence]] = {}
    for given in tries:
        by_topic.setdefault(given.topic_id, []).append(given)
    card_of = {card.topic_id: card for card in cards}
    modules = []
    due_now = []
    for module in curriculum.modules:
        topics = []
        for topic in module.topics:
            card = card_of.get(topic.id)
            progress = TopicProgress(
                topic=ref(topic),
                learned=topic.id in learned,
                counts=count_tries(by_topic.get(topic.id, ())),
                retrievability=srs.retrievability(card.state_json, now) if card is not None else None,
                due=card.due if card else None,
            )
            topics.append(progress)
            if card is not None and card.due <= now:
                due_now.append(DueTopic(progress.topic, card.due))
        modules.append(ModuleProgress(number=module.number, title=module.title, topics=tuple(topics)))
    topic_ids = {topic.id for topic in curriculum.topics()}
    model = model_tries(tries)
    next_lesson = curriculum.next_topic(learned)
    return ProgressResult(
        display_name=user.display_name,
        xp=user.xp,
        streak_days=streak_days,
        counts=count_tries(tries),
        lessons_read=len(learned & topic_ids),
        modules=tuple(modules),
        skills=skill_mastery(model),
        mistakes=mistakes_seen(model, curriculum, ref),
        due_now=tuple(sorted(due_now, key=lambda item: item.due)),
        next_review=next_review,
        next_lesson=None if next_lesson is None else ref(next_lesson),
    )


def skill_mastery(tries: Sequence[Try]) -> tuple[SkillMastery, ...]:
    """P(known) per skill with evidence, in the course's skill order."""
    known = mastery(tries)
    order = {skill: index for index, skill in enumerate(SKILLS)}
    return tuple(
        SkillMastery(skill, skill_name(skill), value, value >= MASTERED)
        for skill, value in sorted(known.items(), key=lambda item: order.get(item[0], len(order)))
    )


def mistakes_seen(
    tries: Sequence[Try], curriculum: Curriculum, ref: Callable[[Topic], TopicRef]
) -> tuple[MistakeSeen, ...]:
    """The diagnosed mistakes, most frequent first, each with the lesson that fixes it."""
    topics = {topic.id: topic for topic in curriculum.topics()}
    found = []
    for code, count in mistakes(tries):
        lesson = lesson_of_malrule(code)
        found.append(MistakeSeen(code, count, mistake_words(code),
                                 ref(topics[lesson]) if lesson in topics else None))
    return tuple(found)
