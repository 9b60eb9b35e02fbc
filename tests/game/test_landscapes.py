"""Every landscape is what the game says: depths span −1…−9 m and the prize is at the global minimum.

Checked by an independent fine-grid search and scipy's differential evolution, not the game's survey.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import differential_evolution

from bot.game.landscapes import NAMES, SIZE, landscape

SEEDS = (0, 11, 2026)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_depths_span_minus_one_to_minus_nine_and_the_prize_is_the_global_minimum(name: str, seed: int) -> None:
    land = landscape(name, seed)
    xs = np.linspace(0.0, SIZE, 601)  # 1 cm grid
    gx, gy = np.meshgrid(xs, xs)
    depths = land.depth(gx, gy)
    assert depths.max() == pytest.approx(-1.0, abs=2e-3)
    assert depths.min() == pytest.approx(-9.0, abs=2e-3)
    assert depths.max() <= -1.0 + 1e-9 and depths.min() >= -9.0 - 1e-9
    i, j = np.unravel_index(np.argmin(depths), depths.shape)
    assert math.dist((gx[i, j], gy[i, j]), land.prize) < 0.03
    best = differential_evolution(lambda p: float(land.depth(p[0], p[1])), [(0, SIZE), (0, SIZE)], seed=1, tol=1e-10)
    assert best.fun == pytest.approx(-9.0, abs=1e-4)
    assert math.dist(best.x, land.prize) < 0.02


@pytest.mark.parametrize("name", NAMES)
def test_the_same_seed_gives_the_same_pit_and_another_seed_another(name: str) -> None:
    assert landscape(name, 5).prize == landscape(name, 5).prize
    assert landscape(name, 5).prize != landscape(name, 6).prize


def test_many_minima_and_rocky_really_have_local_minima_and_the_bowl_has_none() -> None:
    for seed in SEEDS:
        assert len(landscape("many-minima", seed).local_minima) >= 4
        assert len(landscape("rocky", seed).local_minima) >= 4
        assert landscape("bowl", seed).local_minima == ()
