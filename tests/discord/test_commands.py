"""The app-command tree: generated from the registry, within Discord's limits, synced once at start."""

from __future__ import annotations

import logging
import re

from bot.adapters.discord.commands import command_text, tree_payload
from bot.commands import all_commands
from bot.commands.help import overview
from bot.core.commands import Choice, Flag, Int, Number, Registry, Text, command
from bot.core.reply import Reply
from tests.discord.harness import running_bot, shown
from tests.discord.standin import APP_ID, GUILD_ID, TOKEN

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")  # Discord's rule for command and option names (lower case)


def test_every_command_is_generated_with_its_declared_name_help_and_options():
    registry = all_commands()
    payload = tree_payload(registry)
    assert [c["name"] for c in payload] == registry.names()
    for generated, declared in zip(payload, registry, strict=True):
        assert generated["description"] == declared.summary  # what /help says, word for word
        assert {o["name"] for o in generated["options"]} == {a.name for a in declared.arguments()}
        for option in generated["options"]:
            arg = next(a for a in declared.arguments() if a.name == option["name"])
            assert option["required"] is (not arg.optional)
            expected_type = {Int: 4, Number: 10, Flag: 5}.get(type(arg), 3)
            assert option["type"] == expected_type
            if isinstance(arg, Int | Number):
                assert (option["min_value"], option["max_value"]) == (arg.low, arg.high)


def test_the_generated_tree_is_within_discords_limits():
    payload = tree_payload(all_commands())
    assert len(payload) <= 100
    for generated in payload:
        assert NAME.match(generated["name"])
        assert 1 <= len(generated["description"]) <= 100
        assert len(generated["options"]) <= 25
        required = [o["required"] for o in generated["options"]]
        assert required == sorted(required, reverse=True), f"/{generated['name']}: required options first"
        for option in generated["options"]:
            assert NAME.match(option["name"])
            assert 1 <= len(option["description"]) <= 100
            assert len(option.get("choices", [])) <= 25
        assert generated["integration_types"] == [0, 1]  # server install and user install
        assert generated["contexts"] == [0, 1, 2]  # servers, DMs with the bot, group DMs


def test_the_help_overview_lists_exactly_the_generated_commands():
    registry = all_commands()
    listed = set(re.findall(r"^- `/([a-z0-9]+)", overview(registry), re.MULTILINE))
    assert listed == {c["name"] for c in tree_payload(registry)}


def test_an_admin_command_is_hidden_from_members_without_manage_channels():
    registry = Registry()

    @command(registry, "reset", summary="Reset the channel's daily question.", usage="/reset", examples=("/reset",),
             admin=True)
    async def reset(ctx, args):  # pragma: no cover - only declared
        return Reply(text="")

    @command(registry, "hello", summary="Say hello.", usage="/hello", examples=("/hello",))
    async def hello(ctx, args):  # pragma: no cover - only declared
        return Reply(text="")

    reset_payload, hello_payload = tree_payload(registry)
    assert reset_payload["default_member_permissions"] == str(1 << 4)  # MANAGE_CHANNELS
    assert "default_member_permissions" not in hello_payload


def test_options_are_joined_back_into_the_commands_own_grammar():
    registry = all_commands()
    derive = registry.get("derive")
    assert command_text(derive, {"expr": "x^2 sin x", "order": 2}) == "/derive x^2 sin x order 2"
    assert command_text(derive, {"expr": "e^(2t)", "dvar": "t"}) == "/derive d/dt e^(2t)"
    assert command_text(derive, {"expr": "x^3", "plot": True}) == "/derive x^3 plot"
    assert command_text(derive, {"expr": "x^3", "plot": False}) == "/derive x^3"
    backprop = registry.get("backprop")
    assert command_text(backprop, {"shape": "2-2-1", "x": "(1,2)", "y": "1", "rate": 0.5}) == \
        "/backprop 2-2-1 x=(1,2) y=1 rate 0.5"
    for declared in registry:  # the joined text parses back to the same values
        values = {a.name: _sample(a) for a in declared.arguments() if not a.optional}
        parsed = declared.parse(command_text(declared, values).split(" ", 1)[1] if values else "")
        for name, value in values.items():
            assert str(parsed[name]) == str(value), (declared.name, name)


def _sample(arg):
    if isinstance(arg, Int):
        return arg.low
    if isinstance(arg, Number):
        return arg.low
    if isinstance(arg, Choice):
        return arg.options[0]
    return "x^2" if isinstance(arg, Text) else "on"


async def test_the_commands_are_synced_once_to_the_guild_and_the_start_is_logged(standin, tmp_path, worker_pool,
                                                                                  caplog):
    caplog.set_level(logging.INFO, logger="calcbot.discord")
    async with running_bot(standin, tmp_path, worker_pool):
        syncs = [c for c in standin.calls if c.method == "PUT"]
        assert [c.path for c in syncs] == [f"/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands"]
        assert syncs[0].json == tree_payload(all_commands())
        assert standin.identifies[0]["intents"] & (1 << 1 | 1 << 8 | 1 << 15) == 0  # no privileged intent
    log = caplog.text
    assert f"synced {len(all_commands())} commands to guild {GUILD_ID}" in log
    assert "connected as calcbot" in log and f"id {APP_ID}" in log
    assert TOKEN not in log


async def test_a_sync_discord_refuses_is_logged_with_its_reason_and_the_bot_stays_up(standin, tmp_path,
                                                                                       worker_pool, caplog):
    standin.refuse_sync = {"message": "Invalid Form Body", "code": 50035,
                           "errors": {"0": {"description": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                                                         "message": "Must be 100 or fewer."}]}}}}
    async with running_bot(standin, tmp_path, worker_pool) as harness:
        assert "Invalid Form Body" in caplog.text and "50035" in caplog.text
        answer = await harness.answer(await standin.slash("partial", {"expr": "x y^2", "wrt": "y"}))
        assert "2*x*y" in shown(answer).text


async def test_admins_are_told_apart_by_their_permissions(discord_bot):
    member = await discord_bot.answer(await discord_bot.standin.slash("daily", {"request": "on 08:00"}, user="bo"))
    assert member.ephemeral and "admin" in member.body["content"].lower()
    admin = await discord_bot.answer(await discord_bot.standin.slash("daily", {"request": "on 08:00"}, user="ana",
                                                                     admin=True))
    assert not admin.ephemeral and "Daily question on at 08:00" in shown(admin).text
