"""The command families. Each module declares its commands on its own Registry; the app merges them."""

from __future__ import annotations

from bot.core.commands import Registry


def all_commands() -> Registry:
    """Every command, in the order /help lists them."""
    from bot.commands import calculus, cohorts, help, learning, own_data, plots, regression, sandpit

    merged = Registry()
    for family in (calculus, plots, regression, learning, own_data, cohorts, sandpit, help):
        for declared in family.registry:
            merged.add(declared)
    return merged
