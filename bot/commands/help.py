"""/help: every command's summary, usage and examples, read from the declarations themselves."""

from __future__ import annotations

import difflib

from bot.core.commands import Args, Command, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Reply
from bot.errors import UnknownCommand

registry = Registry()

FAMILY_TITLES = {
    "calculus": "Calculus — answers with the working",
    "plots": "Pictures",
    "regression": "Regression and neural networks",
    "learning": "Learning — lessons, quizzes, progress, study groups",
    "sandpit": "The sandpit — the course's gradient game",
    "help": "Help",
}


def command_help(declared: Command) -> str:
    lines = [f"**/{declared.name}** — {declared.summary}", f"Usage: `{declared.usage}`"]
    if declared.details:
        lines.append(declared.details)
    options = [a for a in declared.arguments() if a.help]
    if options:
        lines.append("Arguments:")
        lines += [f"- `{a.name}`: {a.help}" + ("" if a.optional else " (required)") for a in options]
    lines.append("Examples:")
    lines += [f"- `{example}`" for example in declared.examples]
    if declared.aliases:
        lines.append("Also: " + ", ".join(f"/{alias}" for alias in declared.aliases))
    return "\n".join(lines)


def overview(commands: Registry) -> str:
    lines = ["**calcbot** — multivariate calculus for machine learning, with the working shown.", ""]
    families: dict[str, list[Command]] = {}
    for declared in commands:
        families.setdefault(declared.family, []).append(declared)
    for family, members in families.items():
        lines.append(f"**{FAMILY_TITLES.get(family, family.title())}**")
        lines += [f"- `{m.usage}` — {m.summary}" for m in members]
        lines.append("")
    lines.append("`/help COMMAND` for examples; `/help notation` for how to type maths.")
    return "\n".join(lines)


@command(
    registry, "help",
    summary="List the commands, or explain one.",
    usage="/help [COMMAND | notation]",
    examples=("/help", "/help derive", "/help notation"),
    main=Text("topic", optional=True, help="a command name, or 'notation'"),
    family="help",
    aliases=("start", "commands"),
)
async def help_command(ctx: Context, args: Args) -> Reply:
    if not args.topic:
        return Reply(text=overview(ctx.registry))
    topic = args.topic.strip().lstrip("/!").lower()
    if topic in ("notation", "syntax", "typing", "maths", "math"):
        from bot.solver.parser import NOTATION_HELP

        return Reply(text=NOTATION_HELP)
    declared = ctx.registry.get(topic)
    if declared is None:
        close = difflib.get_close_matches(topic, ctx.registry.all_names(), n=1, cutoff=0.6)
        suggestion = f" — did you mean /{close[0]}?" if close else ""
        raise UnknownCommand(f"no command called '/{topic}'{suggestion}", hint="`/help` lists every command.")
    return Reply(text=command_help(declared))
