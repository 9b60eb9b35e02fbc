"""When descent runs out of steps, the reply says why (issue 12 §7): oscillating, unbounded, slow."""

from __future__ import annotations

import sympy

from bot.solver.descent import descend

x, y = sympy.symbols("x y")


def test_a_rate_too_large_for_the_valley_is_called_oscillating():
    # x ← x − 0.95·2x = −0.9x: the sign flips every step (independent of the code: |1 − 2γ| < 1, negative)
    run = descend(x**2, [x], [3], rate=0.95, steps=30)
    assert not run.converged and not run.diverged
    assert "oscillating" in run.reason and "smaller" in run.reason


def test_a_function_unbounded_below_is_said_to_be():
    run = descend(-(x**2), [x], [0.5], rate=0.1, steps=30)
    assert "unbounded below" in run.reason
    run = descend(x - y, [x, y], [0, 0], rate=0.1, steps=30)
    assert "unbounded below" in run.reason


def test_slow_progress_is_said_to_be_slow():
    run = descend(x**2, [x], [3], rate=0.1, steps=30)
    assert "still descending" in run.reason
