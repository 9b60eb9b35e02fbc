"""The curriculum: modules, topics and lesson cards (YAML data), and seeded question generators.

Public API:
- ``curriculum()`` -> ``Curriculum`` (``content.catalog``): topics in course order, lookups, what to learn next.
- ``generate_question(topic_id, seed)`` and ``grade_answer(question_json, answer_text)``
  (``content.generate``): both run in worker processes.
- ``Question`` and ``Grade`` (``content.questions``): the records the quiz engine stores.
"""

from content.catalog import Curriculum, Module, Topic, curriculum
from content.generate import generate_from, generate_question, grade_answer
from content.questions import Grade, Question

__all__ = [
    "Curriculum",
    "Grade",
    "Module",
    "Question",
    "Topic",
    "curriculum",
    "generate_from",
    "generate_question",
    "grade_answer",
]
