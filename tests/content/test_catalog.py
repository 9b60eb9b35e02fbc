"""The content linter for the curriculum data, and the lookups the chat commands rely on."""

from __future__ import annotations

import pytest

from bot.errors import BadArgument
from content.catalog import (
    KNOWN_COMMANDS,
    MAX_LESSON_CHARS,
    Curriculum,
    Module,
    Topic,
    curriculum,
    validate,
)
from content.generators import GENERATORS

TOPICS = curriculum().topics()
TOPIC_IDS = [topic.id for topic in TOPICS]


def test_the_course_has_six_modules_numbered_in_order() -> None:
    assert [module.number for module in curriculum().modules] == [1, 2, 3, 4, 5, 6]


def test_every_module_has_topics_that_know_their_module() -> None:
    for module in curriculum().modules:
        assert module.topics
        assert all(topic.module == module.number for topic in module.topics)


def test_topic_ids_are_unique() -> None:
    assert len(TOPIC_IDS) == len(set(TOPIC_IDS))


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_lesson_is_a_short_card_with_an_example(topic: Topic) -> None:
    assert 200 <= len(topic.lesson) <= MAX_LESSON_CHARS
    assert "`" in topic.lesson  # a tiny worked example in the students' notation


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_example_is_a_known_command_with_arguments(topic: Topic) -> None:
    name, _, arguments = topic.example_command.partition(" ")
    assert name.startswith("/") and name[1:] in KNOWN_COMMANDS
    assert arguments.strip()


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_topic_has_known_generators(topic: Topic) -> None:
    assert topic.generators
    assert all(name in GENERATORS for name in topic.generators)


def test_every_generator_belongs_to_some_topic() -> None:
    used = {name for topic in TOPICS for name in topic.generators}
    assert used == set(GENERATORS)


def test_prerequisites_exist() -> None:
    known = set(TOPIC_IDS)
    for topic in TOPICS:
        assert set(topic.prerequisites) <= known, topic.id


def test_prerequisites_form_no_cycle() -> None:
    graph = {topic.id: topic.prerequisites for topic in TOPICS}
    state: dict[str, str] = {}

    def visit(node: str) -> None:
        assert state.get(node) != "open", f"cycle through {node}"
        if state.get(node) == "done":
            return
        state[node] = "open"
        for prerequisite in graph[node]:
            visit(prerequisite)
        state[node] = "done"

    for node in graph:
        visit(node)


def test_the_course_lists_the_named_ideas() -> None:
    for expected in ("chain-rule", "jacobian", "hessian", "backpropagation", "newton-raphson", "lagrange-multipliers", "linear-regression"):
        assert expected in TOPIC_IDS


def test_example_commands_cover_the_calculus_commands() -> None:
    used = {topic.example_command.split()[0][1:] for topic in TOPICS}
    assert {"derive", "slope", "partial", "grad", "jacobian", "hessian", "chain", "taylor", "newton", "descent", "lagrange", "fit", "backprop"} <= used


def _topic(topic_id: str, prerequisites: tuple[str, ...] = (), lesson: str = "A lesson with `x^2`.", example: str = "/derive x^2") -> Topic:
    return Topic(topic_id, 1, topic_id.title(), prerequisites, lesson, example, ("power_rule",))


def test_validate_rejects_a_cycle() -> None:
    course = Curriculum((Module(1, "One", (_topic("a", ("b",)), _topic("b", ("a",)))),))
    with pytest.raises(ValueError, match="prerequisite 'b'"):
        validate(course)


def test_validate_rejects_a_long_lesson() -> None:
    course = Curriculum((Module(1, "One", (_topic("a", lesson="x" * (MAX_LESSON_CHARS + 1)),)),))
    with pytest.raises(ValueError, match="lesson"):
        validate(course)


def test_validate_rejects_an_unknown_command() -> None:
    course = Curriculum((Module(1, "One", (_topic("a", example="/integrate x"),)),))
    with pytest.raises(ValueError, match="example"):
        validate(course)


def test_topic_by_id() -> None:
    assert curriculum().topic("chain-rule").title == "The chain rule"


def test_unknown_topic_suggests_a_close_one() -> None:
    with pytest.raises(BadArgument, match=r"unknown topic 'hesian' — did you mean hessian\?.*/topics"):
        curriculum().topic("hesian")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hessian", "hessian"),
        ("  Chain Rule ", "chain-rule"),
        ("chain_rule", "chain-rule"),
        ("2.3", "jacobian"),
        ("1.1", "functions"),
        ("module 4", "power-series"),
        ("backprop", "backpropagation"),
        ("jacobian", "jacobian"),
        ("neural network", "neural-networks"),
        ("The Hessian", "hessian"),
        ("lagrange", "lagrange-multipliers"),
        ("multivariate chain rule", "multivariate-chain-rule"),
        ("sandpit", "jacobian-applications"),
    ],
)
def test_find_is_forgiving(text: str, expected: str) -> None:
    assert curriculum().find(text).id == expected


def test_find_rejects_a_topic_number_out_of_range() -> None:
    with pytest.raises(BadArgument, match="module 2 has topics 2.1 to 2.6"):
        curriculum().find("2.9")


def test_find_rejects_nonsense_with_a_pointer_to_the_list() -> None:
    with pytest.raises(BadArgument, match="/topics"):
        curriculum().find("quantum chromodynamics")


def test_find_rejects_empty_text() -> None:
    with pytest.raises(BadArgument, match="which topic"):
        curriculum().find("   ")


def test_position_numbers_topics_within_their_module() -> None:
    assert curriculum().position("hessian") == "2.6"


def test_next_topic_starts_at_the_beginning() -> None:
    assert curriculum().next_topic(set()) == TOPICS[0]


def test_next_topic_waits_for_prerequisites() -> None:
    learned = {"functions", "rise-over-run", "derivative-definition", "power-sum-rules", "chain-rule"}
    # product-rule is next in order and its prerequisite (power-sum-rules) is learned
    assert curriculum().next_topic(learned) == curriculum().topic("product-rule")


def test_next_topic_skips_a_topic_whose_prerequisites_are_missing() -> None:
    learned = set(TOPIC_IDS[:7]) - {"chain-rule"}
    # special-functions needs chain-rule; the first ready topic is chain-rule itself
    assert curriculum().next_topic(learned) == curriculum().topic("chain-rule")


def test_next_topic_falls_back_to_the_first_unlearned_one() -> None:
    # unvalidated data where no topic is ready: the first unlearned one is still offered
    course = Curriculum((Module(1, "One", (_topic("a", ("b",)), _topic("b", ("a",)))),))
    assert course.next_topic(set()) == course.topic("a")


def test_next_topic_is_none_when_everything_is_learned() -> None:
    assert curriculum().next_topic(set(TOPIC_IDS)) is None


def test_curriculum_is_loaded_once_per_process() -> None:
    assert curriculum() is curriculum()
