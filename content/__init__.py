"""The curriculum: modules, topics and lesson cards (YAML data), and seeded question generators.

Public API:
- ``curriculum()`` -> ``Curriculum`` (``content.catalog``): topics in course order, lookups, what to learn next.
- ``generate_question(topic_id, seed)`` and ``grade_answer(question_json, answer_text)``
  (``content.generate``): both run in worker processes. ``generate_aimed(code, seed)`` and
  ``generate_for_skill(skill, seed)`` make practice aimed at a mistake or a skill (``bot.learner``);
  ``question_from_id`` regenerates any question from its id.
- ``Question`` and ``Grade`` (``content.questions``): the records the quiz engine stores.
"""

import importlib
from typing import Any

# Where each public name lives. They load on first use: the generators load SymPy, which the chat
# process never needs (it reads the course; the workers generate and grade).
_HOMES = {
    "Curriculum": "content.catalog", "Module": "content.catalog", "Topic": "content.catalog",
    "curriculum": "content.catalog",
    "generate_aimed": "content.generate", "generate_for_skill": "content.generate",
    "generate_from": "content.generate", "generate_question": "content.generate",
    "grade_answer": "content.generate", "question_from_id": "content.generate",
    "Grade": "content.questions", "Question": "content.questions",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'content' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


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
