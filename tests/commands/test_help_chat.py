"""/help, unknown commands, and the declarations themselves: every example and alias must work in chat."""

from __future__ import annotations

import pytest

from bot.commands import all_commands

REGISTRY = all_commands()
TOOLS = [declared for declared in REGISTRY if declared.family != "learning"]
EXAMPLES = [example for declared in TOOLS for example in declared.examples]
ALIASES = [(alias, declared) for declared in TOOLS for alias in declared.aliases]


@pytest.mark.parametrize("example", EXAMPLES)
async def test_every_example_in_the_help_answers_without_error(bot, example):
    reply = await bot.say(example)
    assert reply.error is None, f"{example} -> {reply.text}"
    assert reply.text.strip()


@pytest.mark.parametrize(("alias", "declared"), ALIASES, ids=[alias for alias, _ in ALIASES])
async def test_every_alias_answers_like_its_command(bot, alias, declared):
    example = declared.examples[0]
    by_name = await bot.say(example)
    by_alias = await bot.say(f"/{alias}" + example[len(f"/{declared.name}") :])
    assert by_alias.error is None, f"/{alias} -> {by_alias.text}"
    assert (by_alias.text, by_alias.result) == (by_name.text, by_name.result)


async def test_help_lists_every_command_with_its_usage(bot):
    reply = await bot.say("/help")
    assert reply.error is None
    for declared in REGISTRY:
        assert f"`{declared.usage}`" in reply.text


async def test_help_groups_commands_by_family(bot):
    reply = await bot.say("/help")
    text = reply.text
    assert text.index("**Pictures**") < text.index("`/plot") < text.index("**Regression and neural networks**")


async def test_help_for_one_command_shows_usage_arguments_examples_and_aliases(bot):
    reply = await bot.say("/help derive")
    assert "Usage: `/derive EXPR [wrt VAR] [order N] [at A] [plot]`" in reply.text
    assert "- `order`: 1 to 10" in reply.text
    assert "- `/derive d/dt e^(2t)`" in reply.text
    assert "Also: /d, /diff, /differentiate, /derivative" in reply.text


async def test_help_accepts_a_command_written_with_its_slash(bot):
    reply = await bot.say("/help /fit")
    assert reply.text.startswith("**/fit**")


async def test_help_by_an_alias_explains_the_command(bot):
    reply = await bot.say("/help jac")
    assert reply.text.startswith("**/jacobian**")


async def test_help_marks_required_arguments(bot):
    reply = await bot.say("/help partial")
    assert "- `wrt`: a variable, or x,y for a mixed partial (required)" in reply.text


async def test_help_notation_explains_how_to_type_maths(bot):
    reply = await bot.say("/help notation")
    assert reply.error is None
    assert "`x^2`" in reply.text and "`sqrt`" in reply.text


async def test_help_for_a_misspelt_command_suggests_the_closest(bot):
    reply = await bot.say("/help derve")
    assert reply.error is not None and reply.error.code == "unknown_command"
    assert "did you mean /derive?" in reply.error.message


async def test_help_for_nonsense_points_back_to_help(bot):
    reply = await bot.say("/help nonsense")
    assert reply.error is not None and reply.error.code == "unknown_command"
    assert "did you mean" not in reply.error.message
    assert "`/help`" in reply.error.message


async def test_commands_is_an_alias_of_help(bot):
    assert (await bot.say("/commands")).text == (await bot.say("/help")).text


async def test_unknown_command_suggests_the_closest_command(bot):
    reply = await bot.say("/hesian x^2 y")
    assert reply.error is not None and reply.error.code == "unknown_command"
    assert "did you mean /hessian?" in reply.error.message


async def test_text_without_a_slash_explains_how_commands_start(bot):
    reply = await bot.say("derive x^2")
    assert reply.error is not None and reply.error.code == "unknown_command"
    assert "start with '/'" in reply.error.message


def test_every_alias_is_a_name_a_user_can_type():
    """The router reads a letter, then letters, digits, '_' or '-': an alias like '3d' is unreachable."""
    import re

    unreachable = [name for name in REGISTRY.all_names() if not re.fullmatch(r"[a-z][\w-]*", name)]
    assert unreachable == []
