"""Skills and mistake codes: every code the solver can emit belongs to one skill; every topic has skills."""

from __future__ import annotations

from bot.learner import (
    MISTAKE_CODES,
    SKILL_NAMES,
    SKILLS,
    lesson_of_malrule,
    skill_of_malrule,
    skills_of_topic,
)
from bot.learner.skills import mistake_words
from bot.solver.malrules import CODES
from content.catalog import curriculum

ISSUE_SKILLS = (
    "power_rule", "product_rule", "quotient_rule", "chain_rule", "trig_derivatives", "exp_log_derivatives",
    "partial_derivatives", "gradient", "jacobian", "hessian", "multivariate_chain_rule", "taylor_series",
    "newton_raphson", "gradient_descent", "lagrange_multipliers", "least_squares", "backpropagation",
)

# Codes helper 23b adds to the solver (mapped ahead of the merge).
COMING_CODES = ("exponential_log_factor_missing", "term_not_differentiated", "power_rule_exponent_miscounted",
                "partial_other_variable_kept")


def test_the_skills_of_the_issue_are_all_there_spelled_exactly() -> None:
    assert set(ISSUE_SKILLS) <= set(SKILLS)
    assert len(SKILLS) == len(set(SKILLS))


def test_every_mistake_code_the_solver_can_emit_maps_to_a_skill() -> None:
    for code in (*CODES, "sign_error", "chain_rule_inner_missing", *COMING_CODES):
        assert skill_of_malrule(code) in SKILLS, code


def test_every_mistake_has_words_and_a_lesson() -> None:
    topics = {topic.id for topic in curriculum().topics()}
    for code in MISTAKE_CODES:
        assert skill_of_malrule(code) in SKILLS
        assert not mistake_words(code).startswith("made the mistake")
        assert lesson_of_malrule(code) in topics, code


def test_an_unknown_code_maps_to_nothing() -> None:
    assert skill_of_malrule("not_a_code") is None
    assert lesson_of_malrule("not_a_code") is None


def test_every_curriculum_topic_has_known_skills() -> None:
    for topic in curriculum().topics():
        skills = skills_of_topic(topic.id)
        assert skills, topic.id
        assert set(skills) <= set(SKILLS), topic.id


def test_every_skill_has_a_name_and_a_topic_that_exercises_it() -> None:
    exercised = {skill for topic in curriculum().topics() for skill in skills_of_topic(topic.id)}
    for skill in SKILLS:
        assert skill in SKILL_NAMES
        assert skill in exercised, skill
