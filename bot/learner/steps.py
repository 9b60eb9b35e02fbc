"""What one try changes in a learner's stored state, so the state can be kept as tries are written.

BKT is a forward filter: the state after a learner's tries, continued by one more try, is the state
after all of them. ``step_of`` says what a try does to each skill it touches; ``tracing.continued`` is the one
BKT update the store's SQL repeats (the same IEEE arithmetic, operation for operation, so a state
kept in the database equals ``mastery`` over the tries in order); ``fold`` runs the steps in Python
(the migration that fills in older databases, and the tests that hold the two to each other).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.learner.tracing import (
    DEFAULT_PARAMS,
    BKTParams,
    Try,
    continued,
    evidence,
    guess_rate,
    likelihoods,
)


@dataclass(frozen=True, slots=True)
class SkillStep:
    """One skill a try touches."""

    skill: str
    known: float | None  # P(known) after this try for a skill with no evidence yet; None: no evidence here
    answered: int  # answers (not skips) this try gives on a question exercising the skill
    right: int  # of those, right at the first try


@dataclass(frozen=True, slots=True)
class TryStep:
    """One try's BKT update (the same for every skill it is evidence on) and the skills it touches."""

    evidence_known: float  # P(this answer | skill known)
    evidence_unknown: float  # P(this answer | skill unknown)
    learn: float  # P(unknown -> known) after it; 0.0 for a retry (no new chance to learn)
    skills: tuple[SkillStep, ...]


@dataclass(frozen=True, slots=True)
class SkillState:
    """A learner's record on one skill, as stored: P(known) (None: never evidence), answers, last answered."""

    known: float | None = None
    answered: int = 0
    right: int = 0
    last: datetime | None = None


def step_of(attempt: Try, params: BKTParams = DEFAULT_PARAMS) -> TryStep:
    """What ``attempt`` does, with one set of parameters for every skill (the bot's)."""
    known, unknown = likelihoods(attempt.correct, params, guess_rate(attempt, params))
    learn = 0.0 if attempt.retry else params.p_learn
    traced = evidence(attempt)
    answered = () if attempt.skipped else attempt.skills
    first_right = int(attempt.correct and not attempt.retry)
    steps = []
    for skill in dict.fromkeys((*answered, *traced)):
        count = answered.count(skill)
        fresh = continued(params.p_init, known, unknown, learn) if skill in traced else None
        steps.append(SkillStep(skill, fresh, count, count * first_right))
    return TryStep(known, unknown, learn, tuple(steps))


def fold(tries: Iterable[tuple[Try, datetime]], params: BKTParams = DEFAULT_PARAMS,
         states: dict[str, SkillState] | None = None) -> dict[str, SkillState]:
    """Each skill's state after ``tries`` (oldest first, with when each was given), from ``states``."""
    found = dict(states or {})
    for attempt, at in tries:
        step = step_of(attempt, params)
        for one in step.skills:
            old = found.get(one.skill, SkillState())
            known = old.known
            if one.known is not None:
                known = one.known if known is None else continued(
                    known, step.evidence_known, step.evidence_unknown, step.learn)
            found[one.skill] = SkillState(known, old.answered + one.answered, old.right + one.right,
                                          at if one.answered else old.last)
    return found
