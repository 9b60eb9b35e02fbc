import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument, Undefined
from bot.solver.descent import MAX_STEPS, descend
from bot.solver.parser import parse
from bot.solver.variables import symbol

x, y = symbol("x"), symbol("y")
BOWL = x**2 - x * y + 3 * y**2


def hand_rolled(start, rate, steps):
    point = np.array(start, dtype=float)
    path = [point.copy()]
    for _ in range(steps):
        point = point - rate * np.array([2 * point[0] - point[1], 6 * point[1] - point[0]])
        path.append(point.copy())
    return np.array(path)


def test_descent_on_a_convex_bowl_decreases_f_every_step():
    run = descend(BOWL, [x, y], (2.5, 2.0), rate=0.1, steps=30)
    assert np.all(np.diff(run.values) < 0)


def test_descent_matches_a_hand_rolled_numpy_descent():
    run = descend(BOWL, [x, y], (2.5, 2.0), rate=0.1, steps=30)
    np.testing.assert_allclose(
        np.array(run.iterates), hand_rolled((2.5, 2.0), 0.1, 30), rtol=1e-12, atol=1e-15
    )


def test_gradients_are_recorded_at_each_iterate():
    run = descend(BOWL, [x, y], (1, 1), rate=0.05, steps=3)
    for (px, py), gradient in zip(run.iterates, run.gradients, strict=True):
        assert gradient == pytest.approx((2 * px - py, 6 * py - px))


def test_descent_converges_to_the_minimum_and_stops_early():
    run = descend((x - 1) ** 2 + (y + 2) ** 2, [x, y], (4, 4), rate=0.25, steps=500)
    assert run.converged and not run.diverged
    assert run.steps < 500
    assert run.iterates[-1] == pytest.approx((1.0, -2.0), abs=1e-8)
    assert "converged" in run.reason


def test_exact_step_to_the_minimum_converges_in_one_step():
    run = descend(x**2, [x], (3,), rate=0.5, steps=10)
    assert run.converged and run.steps == 1 and run.iterates[-1] == (0.0,)


def test_too_large_a_rate_is_reported_as_divergence():
    run = descend(x**2 + y**2, [x, y], (1, 1), rate=1.5, steps=100)
    assert run.diverged and not run.converged
    assert "smaller" in run.reason
    assert run.steps < 100


def test_overflow_is_divergence_and_keeps_only_finite_iterates():
    run = descend(-sympy.exp(x), [x], (0,), rate=1.0, steps=100)
    assert run.diverged
    assert all(math.isfinite(v) for v in run.values)


def test_slow_progress_is_neither_converged_nor_diverged():
    run = descend(x**2, [x], (1,), rate=1e-4, steps=5)
    assert not run.converged and not run.diverged and run.steps == 5
    assert "stopped after 5 steps" in run.reason


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.floats(max_value=0.0), st.floats(min_value=10.000001), st.just(math.nan)))
def test_rates_outside_zero_to_ten_are_refused(rate):
    with pytest.raises(BadArgument, match="rate"):
        descend(x**2, [x], (1,), rate=rate)


@pytest.mark.parametrize("steps", [0, -3, MAX_STEPS + 1, 2.5])
def test_step_counts_outside_one_to_five_hundred_are_refused(steps):
    with pytest.raises(BadArgument, match="steps"):
        descend(x**2, [x], (1,), steps=steps)


def test_start_must_match_the_variables():
    with pytest.raises(BadArgument, match="coordinates"):
        descend(BOWL, [x, y], (1,))


def test_start_where_f_is_undefined_is_refused():
    with pytest.raises(Undefined):
        descend(sympy.log(x), [x], (-1,))


def test_other_free_symbols_are_refused():
    with pytest.raises(BadArgument, match="depends on"):
        descend(x * symbol("a"), [x], (1,))


def test_descent_result_pickles():
    import pickle

    run = descend(BOWL, [x, y], (1, 1))
    assert pickle.loads(pickle.dumps(run)) == run


@pytest.mark.parametrize(("text", "start", "kind"), [
    ("x^2 - y^2", (0, 0), "saddle point"),
    ("x*y", (0, 0), "saddle point"),
    ("-(x^2 + y^2)", (0, 0), "maximum"),
    ("cos(x) + y^2", (0, 0), "saddle point"),
    ("x^2 + y^2", (0, 0), "minimum"),
])
def test_descent_that_starts_at_a_stationary_point_says_what_it_is(text, start, kind):
    f = parse(text)
    variables = sorted(f.free_symbols, key=lambda s: s.name)
    at = dict(zip(variables, start, strict=True))
    hessian = sympy.hessian(f, variables).subs(at)  # independent classification
    eigenvalues = list(hessian.eigenvals())
    expected = ("minimum" if all(e > 0 for e in eigenvalues) else "maximum" if all(e < 0 for e in eigenvalues)
                else "saddle point")
    assert expected == kind
    run = descend(f, variables, start)
    assert run.steps == 0 and run.arrived_at == kind
    assert kind in run.reason and ("not a minimum" in run.reason) == (kind != "minimum")
