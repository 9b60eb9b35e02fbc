"""Content found wrong in the trial (issue 12 §5), held right by independent computations."""

from __future__ import annotations

import re

import numpy as np

from content.catalog import curriculum


async def test_the_fitting_by_descent_example_converges_to_the_least_squares_line(bot):
    reply = await bot.say("/example fitting-by-descent")
    assert reply.error is None and "Converged" in reply.text and "Diverged" not in reply.text
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 5.0])
    (slope, intercept), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    final = re.search(r"Final point: \(([-\d.]+), ([-\d.]+)\)", reply.text)
    assert final is not None
    assert abs(float(final.group(1)) - slope) < 1e-4 and abs(float(final.group(2)) - intercept) < 1e-4


def test_the_fitting_lessons_stability_bound_is_the_hessians():
    hessian = 2 * np.array([[1 + 4 + 9, 1 + 2 + 3], [1 + 2 + 3, 3]])  # of Σ (yᵢ − m xᵢ − c)²
    largest = max(np.linalg.eigvalsh(hessian))
    lesson = curriculum().topic("fitting-by-descent").lesson
    assert "[[28, 12], [12, 6]]" in lesson and f"{largest:.1f}" in lesson and f"{2 / largest:.2f}" in lesson


def test_the_sandpit_lesson_has_minus_the_gradient_pointing_to_the_prize():
    """−∇f points to lower f, so the prize must be at the lowest f (f a height, not a depth)."""
    lesson = curriculum().topic("jacobian-applications").lesson
    assert "depth is f" not in lesson and "deepest point" not in lesson
    assert "height f(x, y)" in lesson and "lowest point" in lesson and "−J points along the steepest way down" in lesson
