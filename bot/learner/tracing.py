"""Mastery per skill by Bayesian Knowledge Tracing (Corbett & Anderson, 1995).

Each skill is known or not; a learner who knows it still slips, one who does not may guess right;
after every chance to practise, an unknown skill becomes known with probability ``p_learn``. The
model is the posterior P(known) after the learner's tries, oldest first. How each try counts:

- a **first try** is the evidence BKT is made for: right → evidence for every skill of the question;
  wrong with a diagnosed mistake → evidence against that mistake's skill only (the other skills were
  applied right as far as we can tell, so they are left as they were); wrong with no diagnosis →
  evidence against every skill of the question.
- a **retry** (the second try, after feedback that pointed at the mistake) is weaker evidence both
  ways: the feedback helps someone who does not know the skill to get it right, so it counts with the
  guess rate raised to ``RETRY_GUESS`` — a right retry moves mastery up little, a wrong one down less
  than a wrong first try. It is the same question, so no second chance to learn is added.
- a **skip** is no evidence at all: nothing changes.
- a **multiple-choice** pick can be right by luck: the guess rate is at least ``CHOICE_GUESS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.learner.skills import skill_of_malrule

MASTERED = 0.95
RETRY_GUESS = 0.5  # P(right retry | skill unknown): the feedback has shown where the mistake was
CHOICE_GUESS = 0.25  # one of four options picked at random


@dataclass(frozen=True, slots=True)
class BKTParams:
    """The four BKT parameters of one skill."""

    p_init: float  # P(known) before any try
    p_learn: float  # P(unknown → known) at each practised question
    p_slip: float  # P(wrong | known)
    p_guess: float  # P(right | unknown), for a typed answer

    def __post_init__(self) -> None:
        for name in ("p_init", "p_learn", "p_slip", "p_guess"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a probability, not {value}")
        if self.p_slip + self.p_guess >= 1.0:
            raise ValueError("p_slip + p_guess must be below 1 (else a right answer is evidence of not knowing)")


# The defaults, and why (README "How calcbot models what you know" has the measured figures):
# - p_init 0.15: most learners meet a skill in its lesson just before its first question.
# - p_learn 0.05: one question with feedback teaches a rule to about one learner in twenty.
# - p_slip 0.10: typed calculus answers go wrong for a learner who knows the rule about one time in ten
#   (a sign, a lost factor; the grader accepts every equivalent form, so slips are real mistakes).
# - p_guess 0.20: a typed expression or number is rarely right by pure chance, but hints and partial
#   knowledge get some right; set high on purpose, with p_learn low, so that a lucky run of three
#   right answers after repeated mistakes is not mastery (it takes four) — the simulated learners of
#   benchmarks/learners.py showed false mastery above 2% with p_learn 0.10 and p_guess 0.15.
# With these, a learner right at the first try every time is mastered after 3 typed answers (4
# multiple-choice picks) — within 8 — and one who keeps making a mistake stays near 0.06.
DEFAULT_PARAMS = BKTParams(p_init=0.15, p_learn=0.05, p_slip=0.10, p_guess=0.20)


@dataclass(frozen=True, slots=True)
class Try:
    """One stored try, as the model sees it."""

    skills: tuple[str, ...]  # the question's skills
    correct: bool
    retry: bool = False  # a second try after feedback (weaker evidence)
    skipped: bool = False  # a skip: not evidence of knowing, not counted as answered
    malrule: str | None = None  # diagnosed mistake code, if any
    aimed_at: str | None = None  # the mal-rule the question was aimed at, if any
    topic: str = ""
    kind: str = ""  # the question's kind ("choice" raises the guess rate); "" when not known


def observe(p_known: float, correct: bool, params: BKTParams, guess: float | None = None, learn: bool = True) -> float:
    """P(known) after one observed answer, then (``learn``) the chance to learn from it: the BKT update."""
    evidence_known, evidence_unknown = likelihoods(correct, params, params.p_guess if guess is None else guess)
    return continued(p_known, evidence_known, evidence_unknown, params.p_learn if learn else 0.0)


def likelihoods(correct: bool, params: BKTParams, guess: float) -> tuple[float, float]:
    """P(this answer | skill known), P(this answer | skill unknown)."""
    return (1.0 - params.p_slip, guess) if correct else (params.p_slip, 1.0 - guess)


def continued(prior: float, evidence_known: float, evidence_unknown: float, learn: float) -> float:
    """The update itself, from the answer's likelihoods: the one arithmetic the model, and the store's SQL
    operation for operation (``bot/store/learner_states.py``), run. ``learn`` 0.0 adds exactly nothing."""
    total = prior * evidence_known + (1.0 - prior) * evidence_unknown
    posterior = prior * evidence_known / total if total > 0 else prior
    return posterior + (1.0 - posterior) * learn


def guess_rate(attempt: Try, params: BKTParams) -> float:
    """The guess rate for this try: raised for a multiple-choice pick and for a retry."""
    guess = params.p_guess
    if attempt.kind == "choice":
        guess = max(guess, CHOICE_GUESS)
    if attempt.retry:
        guess = max(guess, RETRY_GUESS)
    return min(guess, 1.0 - params.p_slip - 1e-6)


def evidence(attempt: Try) -> tuple[str, ...]:
    """The skills a try says something about: none for a skip; for a diagnosed mistake, its skill only."""
    if attempt.skipped:
        return ()
    if not attempt.correct and attempt.malrule is not None:
        skill = skill_of_malrule(attempt.malrule)
        if skill is not None:
            return (skill,)
    return tuple(dict.fromkeys(attempt.skills))


def params_for(skill: str, params: Mapping[str, BKTParams] | BKTParams) -> BKTParams:
    if isinstance(params, BKTParams):
        return params
    return params.get(skill, DEFAULT_PARAMS)


def mastery(
    tries: Sequence[Try], params: Mapping[str, BKTParams] | BKTParams = DEFAULT_PARAMS,
    known: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """P(known) per skill seen in ``tries`` (oldest first); skills never seen are absent.

    ``known``: the result over the tries before these (BKT is a forward filter, so continuing from
    it gives exactly the result over all of them; the cohort view resumes from what it read before)."""
    known = dict(known or {})
    for attempt in tries:
        for skill in evidence(attempt):
            skill_params = params_for(skill, params)
            prior = known.get(skill, skill_params.p_init)
            guess = guess_rate(attempt, skill_params)
            known[skill] = observe(prior, attempt.correct, skill_params, guess, learn=not attempt.retry)
    return known
