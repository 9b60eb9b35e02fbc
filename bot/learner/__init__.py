"""The learner model: tries in, mastery per skill and what to practise next out.

Pure (no store, no asyncio, no platform), like the FSRS scheduler beside it: the store keeps the
tries, the quiz engine asks this package what they mean, and ``benchmarks/learners.py`` drives
thousands of simulated learners through the very same functions. FSRS decides *when* to review;
this decides *what* to practise.
"""

from bot.learner.focus import Focus, choose_focus, current_aim, mistakes
from bot.learner.skills import (
    MISTAKE_CODES,
    SKILL_NAMES,
    SKILLS,
    lesson_of_malrule,
    mistake_words,
    skill_name,
    skill_of_malrule,
    skills_of_topic,
    topics_of_skill,
)
from bot.learner.tracing import DEFAULT_PARAMS, MASTERED, BKTParams, Try, mastery, observe

__all__ = [
    "DEFAULT_PARAMS",
    "MASTERED",
    "MISTAKE_CODES",
    "SKILLS",
    "SKILL_NAMES",
    "BKTParams",
    "Focus",
    "Try",
    "choose_focus",
    "current_aim",
    "lesson_of_malrule",
    "mastery",
    "mistake_words",
    "mistakes",
    "observe",
    "skill_name",
    "skill_of_malrule",
    "skills_of_topic",
    "topics_of_skill",
]
