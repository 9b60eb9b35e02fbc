"""The curriculum: modules, topics and lesson cards (YAML data), and seeded question generators.

Public API:
- ``curriculum()`` -> ``Curriculum`` (``content.catalog``): topics in course order, lookups, what to learn next.
- ``generate_question(topic_id, seed)`` and ``grade_answer(question_json, answer_text)``
  (``content.generate``): both run in worker processes. ``generate_aimed(code, seed)`` and
  ``generate_for_skill(skill, seed)`` make practice aimed at a mistake or a skill (``bot.learner``);
  ``question_from_id`` regenerates any question from its id.
- ``Question`` and ``Grade`` (``content.questions``): the records the quiz engine stores.
"""

from content.catalog import Curriculum, Module, Topic, curriculum
from content.generate import (
    generate_aimed,
    generate_for_skill,
    generate_from,
    generate_question,
    grade_answer,
    question_from_id,
)
from content.questions import Grade, Question

__all__ = [
    "Curriculum",
    "Grade",
    "Module",
    "Question",
    "Topic",
    "curriculum",
    "generate_aimed",
    "generate_for_skill",
    "generate_from",
    "generate_question",
    "grade_answer",
    "question_from_id",
]
