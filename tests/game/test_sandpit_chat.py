"""The sandpit played in chat, as a learner would, through the real bot (router, worker pool, SQLite)."""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from bot.game.daily import daily_pit
from bot.game.landscapes import SIZE, landscape

ROOT = Path(__file__).resolve().parents[2]


def result(reply) -> dict:  # type: ignore[no-untyped-def]
    assert reply.error is None, reply.error
    return ast.literal_eval(reply.result)  # type: ignore[no-any-return]


def grid_prize(name: str, seed: int) -> tuple[float, float]:
    """Where the deepest point is, found independently on a 1 cm grid."""
    land = landscape(name, seed)
    xs = np.linspace(0, SIZE, 601)
    gx, gy = np.meshgrid(xs, xs)
    z = land.depth(gx, gy)
    i, j = np.unravel_index(np.argmin(z), z.shape)
    return float(gx[i, j]), float(gy[i, j])


async def test_following_the_arrows_in_chat_wins_the_bowl_and_reveals_it(bot) -> None:  # type: ignore[no-untyped-def]
    start = result(await bot.say("/sandpit start bowl seed 42"))
    assert start == {"status": "searching", "dips_left": 25, "mode": 0, "landscape": "bowl"}
    x, y = 0.5, 5.5
    for number in range(1, 26):
        reply = await bot.say(f"/dip {x:.4f}, {y:.4f}")
        dip = result(reply)
        assert set(dip) == {"x", "y", "depth", "arrow", "status", "dips_left"}
        assert dip["dips_left"] == 25 - number and -9 <= dip["depth"] <= -1
        assert len(reply.images) == 1
        if dip["status"] == "won":
            break
        assert reply.images[0].name == "sandpit-map.png"
        x, y = min(6, max(0, x + dip["arrow"][0])), min(6, max(0, y + dip["arrow"][1]))
    assert dip["status"] == "won" and "found the prize" in reply.text
    assert reply.images[0].name == "sandpit-reveal.png"
    assert math.dist((dip["x"], dip["y"]), grid_prize("bowl", 42)) <= 0.16
    assert (await bot.say("/dip 1, 1")).error.code == "no_game"  # the game is over


async def test_depth_only_random_dips_end_after_25_with_the_reveal(bot) -> None:  # type: ignore[no-untyped-def]
    assert result(await bot.say("/sandpit start random mode 1 seed 9"))["mode"] == 1
    prize = grid_prize("random", 9)
    rng = np.random.default_rng(3)
    points = [p for p in rng.uniform(0, 6, (60, 2)) if math.dist(p, prize) > 0.5][:25]
    for number, (x, y) in enumerate(points, start=1):
        reply = await bot.say(f"/dip {x:.3f} {y:.3f}")
        dip = result(reply)
        assert dip["arrow"] is None and "path" not in dip
        if number == 21:
            assert "Only 4 dips left" in reply.text
    assert dip["status"] == "over" and dip["dips_left"] == 0
    assert "over" in reply.text and reply.images[0].name == "sandpit-reveal.png"


async def test_a_local_minimum_of_many_minima_says_you_are_stuck(bot) -> None:  # type: ignore[no-untyped-def]
    land = landscape("many-minima", 4)
    xs = np.linspace(0, SIZE, 301)
    gx, gy = np.meshgrid(xs, xs)
    z = land.depth(gx, gy)
    core = z[1:-1, 1:-1]
    lower = np.all([core < np.roll(np.roll(z, dy, 0), dx, 1)[1:-1, 1:-1]
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dx or dy], axis=0)
    minima = sorted(zip(*np.nonzero(lower), strict=True), key=lambda ij: core[ij])
    i, j = minima[1]  # the second-deepest hollow: a local, not the global, minimum
    await bot.say("/sandpit start many-minima seed 4")
    reply = await bot.say(f"/dip {gx[i + 1, j + 1]:.3f}, {gy[i + 1, j + 1]:.3f}")
    assert result(reply)["status"] == "local_minimum"
    assert "stuck in a local optimum" in reply.text
    assert result(await bot.say("/dip 0.1, 0.1"))["dips_left"] == 23  # play goes on


async def test_bad_input_costs_no_dip(bot) -> None:  # type: ignore[no-untyped-def]
    await bot.say("/sandpit start rocky mode 2 rule -0.01*J seed 5")
    for text, code in [("/dip 7, 2", "bad_argument"), ("/dip -1 3", "bad_argument"), ("/dip two, three", "usage"),
                       ("/dip 1", "usage"), ("/dig 1, 2, 3", "usage")]:
        reply = await bot.say(text)
        assert reply.error is not None and reply.error.code == code, text
        assert "depth" not in reply.text.lower()
    assert result(await bot.say("/dig 1, 2"))["dips_left"] == 24
    assert (await bot.say("/sandpit start bowl")).error.code == "game_in_progress"
    await bot.say("/sandpit quit")
    for rule, code in [("J*H", "bad_argument"), ("H", "bad_argument"), ("2 J", "parse"), ("exec(J)", "parse")]:
        reply = await bot.say(f"/sandpit start bowl mode 2 rule {rule}")
        assert reply.error is not None and reply.error.code == code, rule
    assert (await bot.say("/sandpit start volcano")).error.code == "bad_argument"
    await bot.say("/sandpit start bowl mode 2 rule -inv(H - H)*J seed 1")  # singular everywhere
    reply = await bot.say("/dip 2, 2")
    assert reply.error.code == "no_convergence" and "No dip was used" in reply.text
    await bot.say("/sandpit quit")
    await bot.say("/sandpit start bowl mode 2 rule -1000*J seed 1")  # diverges
    assert (await bot.say("/dip 2, 2")).error.code == "no_convergence"
    assert result(await bot.say("/sandpit map"))["dips_left"] == 25


async def test_mode_2_walks_the_rule_and_the_path_ends_where_the_player_stands(bot) -> None:  # type: ignore[no-untyped-def]
    await bot.say("/sandpit start bowl mode 2 rule -0.1*J seed 3")
    dip = result(await bot.say("/dip 1, 1"))
    path = dip["path"]
    assert path[0][:2] == (1.0, 1.0) and len(path) == 11
    assert all(b[2] < a[2] for a, b in zip(path, path[1:], strict=False))  # gradient descent goes down
    land = landscape("bowl", 3)
    for px, py, depth in path:
        assert depth == round(float(land.depth(px, py)), 4)


async def test_newton_can_head_uphill_and_the_game_says_so(bot) -> None:  # type: ignore[no-untyped-def]
    await bot.say("/sandpit start many-minima mode 2 rule -inv(H)*J seed 5")
    uphill = []
    for x, y in [(1, 1), (1.5, 4.5), (4.5, 1.5), (5, 5), (3, 0.5), (2, 2), (2.5, 2), (0.5, 3)]:
        reply = await bot.say(f"/dip {x}, {y}")
        path = result(reply)["path"]
        uphill.append(path[-1][2] > path[0][2] + 0.01)
        assert ("uphill" in reply.text) == uphill[-1]
    assert any(uphill) and not all(uphill)


async def test_the_game_survives_a_restart(bot, worker_pool) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_app

    await bot.say("/sandpit start blind mode 1 seed 8")
    first = result(await bot.say("/dip 3, 3"))
    await bot.app.close()
    bot.app = await build_app(db_path=str(bot.db_path), clock=bot.clock, workers=worker_pool)
    again = result(await bot.say("/dip 3, 3"))
    assert again["depth"] == first["depth"] and again["dips_left"] == 23


async def test_two_players_of_the_daily_pit_see_the_same_depths_and_are_ranked(bot) -> None:  # type: ignore[no-untyped-def]
    ana = await bot.say("/sandpit daily", user="ana", channel="cohort")
    ben = await bot.say("/sandpit daily", user="ben", channel="cohort")
    assert ana.private and ben.private and "Today's sandpit" in ana.text
    assert result(ana) == result(ben)
    for x, y in [(1, 1), (4.5, 2), (3, 5)]:
        a = result(await bot.say(f"/dip {x}, {y}", user="ana", channel="cohort"))
        b = result(await bot.say(f"/dip {x}, {y}", user="ben", channel="cohort"))
        assert a == b
    elsewhere = await bot.say("/sandpit daily", user="ana", channel="other")
    assert result(elsewhere)["dips_left"] == 25
    await bot.say("/sandpit quit", user="ben", channel="cohort")
    assert "played today's pit" in (await bot.say("/sandpit daily", user="ben", channel="cohort")).text
    pit = daily_pit("console::cohort", bot.clock.now.date())
    px, py = grid_prize(pit.landscape, pit.seed)
    won = await bot.say(f"/dip {px:.3f}, {py:.3f}", user="ana", channel="cohort")
    assert result(won)["status"] == "won" and won.private
    assert "1. Ana — 4 dips" in won.text  # today's standings: Ben quit, so only Ana ranks
    bot.clock.advance(days=1)
    tomorrow = result(await bot.say("/sandpit daily", user="ben", channel="cohort"))
    assert tomorrow["dips_left"] == 25 and tomorrow["landscape"] != result(ana)["landscape"]


def test_the_console_json_mode_plays_a_game(tmp_path: Path) -> None:
    script = "/sandpit start narrow-well seed 12\n/dip 3, 3\n/dip 9, 9\n/dip 3, 3\n/sandpit quit\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALCBOT_DATA_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "bot", "console", "--json", "--db", str(tmp_path / "c.db"),
                          "--images", str(tmp_path)], input=script, capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120, check=True)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert ast.literal_eval(lines[0]["result"]) == {"status": "searching", "dips_left": 25, "mode": 0,
                                                    "landscape": "narrow-well"}
    first = ast.literal_eval(lines[1]["result"])
    assert first["x"] == 3.0 and first["dips_left"] == 24 and len(first["arrow"]) == 2
    assert lines[2]["error"]["code"] == "bad_argument"
    assert ast.literal_eval(lines[3]["result"])["dips_left"] == 23
    assert lines[4]["images"][0].endswith("sandpit-reveal.png") and Path(lines[4]["images"][0]).exists()


async def test_every_sandpit_example_and_the_help_work_in_a_game(bot) -> None:  # type: ignore[no-untyped-def]
    from bot.commands.sandpit import registry

    help_text = (await bot.say("/help sandpit")).text
    for name in ("bowl", "blind", "random", "many-minima", "rocky", "narrow-well", "mode 0", "mode 1", "mode 2"):
        assert name in help_text
    for declared in registry:
        for example in declared.examples:
            if example.startswith("/sandpit start") or example == "/sandpit daily":
                await bot.say("/sandpit quit")
            reply = await bot.say(example)
            assert reply.error is None, f"{example} -> {reply.text}"
    await bot.say("/sandpit quit")
    await bot.say("/sandpit start seed 1")
    assert result(await bot.say("/dig 4.2 1")) == {**result(await bot.say("/dip 4.2 1")), "dips_left": 24}


async def test_every_landscape_plays_in_every_mode(bot) -> None:  # type: ignore[no-untyped-def]
    from bot.game.landscapes import NAMES

    for name in NAMES:
        for mode, rule in ((0, ""), (1, ""), (2, " rule -0.05*J")):
            started = result(await bot.say(f"/sandpit start {name} mode {mode}{rule}"))
            assert started == {"status": "searching", "dips_left": 25, "mode": mode, "landscape": name}
            reply = await bot.say("/dip 3, 3")
            dip = result(reply)
            assert (dip["arrow"] is not None) == (mode == 0) and ("path" in dip) == (mode == 2)
            if dip["status"] == "won":  # a walk can end on the prize
                assert reply.images[0].name == "sandpit-reveal.png"
            else:
                assert (await bot.say("/sandpit quit")).images[0].name == "sandpit-reveal.png"


async def test_two_dips_at_once_never_lose_or_double_a_dip(bot) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    await bot.say("/sandpit start rocky mode 1 seed 4")
    replies = await asyncio.gather(*(bot.say(f"/dip {x}, 2") for x in (1, 2, 3)))
    landed = [r for r in replies if r.error is None]
    assert all(r.error.code == "conflict" for r in replies if r.error is not None)
    assert result(await bot.say("/sandpit map"))["dips_left"] == 25 - len(landed) and landed
