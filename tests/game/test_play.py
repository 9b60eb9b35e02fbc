"""The rules played directly (no chat): a learner following the arrows wins the bowl from anywhere."""

from __future__ import annotations

import itertools
import math

import numpy as np

from bot.game import play
from bot.game.landscapes import SIZE, landscape


def follow_the_arrows(seed: int, start: tuple[float, float]) -> list[play.Dip]:
    game = play.Game("bowl", seed, 0)
    x, y = start
    while not game.finished:
        dip = play.take_dip(game, x, y)
        game = game.with_dip(dip)
        assert dip.arrow is not None
        x, y = (min(SIZE, max(0.0, x + dip.arrow[0])), min(SIZE, max(0.0, y + dip.arrow[1])))
    return list(game.dips)


def test_following_the_arrow_from_any_start_wins_the_bowl_within_25_dips() -> None:
    starts = [(float(a), float(b)) for a, b in itertools.product(np.linspace(0, SIZE, 5), repeat=2)]
    for seed in (1, 2, 3, 40, 500):
        for start in starts:
            dips = follow_the_arrows(seed, start)
            assert dips[-1].status == "won", (seed, start, len(dips))
            assert len(dips) <= play.MAX_DIPS
            # and the game's "won" is a real win: within 0.15 m of the deepest grid point
            land = landscape("bowl", seed)
            xs = np.linspace(0, SIZE, 301)
            gx, gy = np.meshgrid(xs, xs)
            z = land.depth(gx, gy)
            i, j = np.unravel_index(np.argmin(z), z.shape)
            assert math.dist((dips[-1].x, dips[-1].y), (gx[i, j], gy[i, j])) <= play.WIN_RADIUS + 0.02


def test_arrows_point_downhill_and_are_capped_at_one_metre() -> None:
    land = landscape("rocky", 3)
    for x, y in itertools.product(np.linspace(0.3, 5.7, 7), repeat=2):
        ax, ay = play.arrow_at("rocky", 3, float(x), float(y))
        assert math.hypot(ax, ay) <= 1.0 + 1e-4  # rounded to 4 decimals
        step = 1e-3 / max(1e-12, math.hypot(ax, ay))
        assert land.depth(x + ax * step, y + ay * step) <= land.depth(x, y) + 1e-12


def test_a_walk_that_reaches_the_wall_stops_on_it() -> None:
    from bot.game.rule import compile_rule

    path = play.walk("bowl", 1, compile_rule("J"), 3.0, 3.0)  # uphill, out of the bowl
    assert len(path) < play.RULE_STEPS + 1
    x, y, _ = path[-1]
    assert min(x, y, SIZE - x, SIZE - y) < 1e-6
    assert all(0 <= px <= SIZE and 0 <= py <= SIZE for px, py, _ in path)
