"""A cohort's daily pit is one surface across its channels, and /leaderboard sandpit ranks it."""

from __future__ import annotations

import ast


async def test_the_cohorts_channels_share_one_daily_pit_and_its_board(bot):
    assert (await bot.say("/cohort create Calc Crew", user="ana", channel="one")).error is None
    assert (await bot.say("/cohort link Calc Crew", user="ana", channel="two")).error is None
    first = await bot.say("/sandpit daily", user="bo", channel="one")
    second = await bot.say("/sandpit daily", user="cy", channel="two")
    assert first.error is None and second.error is None
    assert ast.literal_eval(first.result)["landscape"] == ast.literal_eval(second.result)["landscape"]
    dip_one = ast.literal_eval((await bot.say("/dip 2, 3", user="bo", channel="one")).result)
    dip_two = ast.literal_eval((await bot.say("/dip 2, 3", user="cy", channel="two")).result)
    assert dip_one["depth"] == dip_two["depth"]  # the same surface in both channels
    board = await bot.say("/leaderboard sandpit week", user="bo", channel="one")
    assert board.error is None and ast.literal_eval(board.result) == []  # nobody has won yet
    bad = await bot.say("/leaderboard sandpit fortnight", user="bo", channel="one")
    assert bad.error is not None and bad.error.code == "usage"
