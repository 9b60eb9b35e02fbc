import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadArgument, Undefined
from bot.solver.variables import symbol
from plotting import sampling

x, y = symbol("x"), symbol("y")
finite = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False)


@given(finite, finite)
def test_validate_range_accepts_exactly_the_increasing_ranges(a, b):
    if a < b and b - a <= sampling.MAX_WIDTH and b - a >= 1e-9 * max(1.0, abs(a), abs(b)):
        assert sampling.validate_range(a, b) == (a, b)
    else:
        with pytest.raises(BadArgument):
            sampling.validate_range(a, b)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, "two", sympy.I])
def test_validate_range_rejects_non_finite_or_non_real_ends(bad):
    with pytest.raises(BadArgument):
        sampling.validate_range(bad, 1)


def test_validate_range_rejects_an_absurdly_wide_range():
    with pytest.raises(BadArgument, match="too wide"):
        sampling.validate_range(-1e5, 1e5)


def test_default_range_is_two_periods_each_way_for_trig():
    assert sampling.default_range([sympy.sin(x) * x]) == pytest.approx((-2 * math.pi, 2 * math.pi))


def test_default_range_is_minus_five_to_five_otherwise():
    assert sampling.default_range([sympy.exp(x)]) == (-5.0, 5.0)


def test_numeric_function_gives_nan_where_there_is_no_real_value():
    values = sampling.numeric_function(sympy.sqrt(x), [x])(np.array([-1.0, 4.0]))
    assert math.isnan(values[0]) and values[1] == pytest.approx(2.0)


def test_numeric_function_broadcasts_a_constant():
    values = sampling.numeric_function(sympy.Integer(3), [x, y])(np.zeros((2, 3)), np.zeros((2, 3)))
    assert values.shape == (2, 3) and np.all(values == 3.0)


def test_numeric_function_refuses_unknown_functions():
    with pytest.raises(BadArgument, match="unknown function"):
        sampling.numeric_function(sympy.Function("f")(x), [x])


def test_robust_limits_ignore_the_spike_of_one_over_x():
    grid = np.linspace(-5, 5, 1200)
    lo, hi = sampling.robust_limits([1 / grid])
    assert -30 < lo < -2 and 2 < hi < 30


def test_robust_limits_keep_the_whole_range_of_a_smooth_function():
    grid = np.linspace(-5, 5, 1200)
    lo, hi = sampling.robust_limits([np.exp(grid)])
    assert lo <= math.exp(-5) and hi >= math.exp(5)


def test_robust_limits_of_nothing_real_is_undefined():
    with pytest.raises(Undefined):
        sampling.robust_limits([np.full(10, np.nan)])


def test_mask_outside_never_joins_across_the_asymptotes_of_tan():
    grid = np.linspace(-2 * math.pi, 2 * math.pi, 1200)
    values = np.tan(grid)
    limits = sampling.robust_limits([values])
    shown = sampling.mask_outside(values, limits)
    steps = np.abs(np.diff(shown))
    assert np.nanmax(steps) <= limits[1] - limits[0]


def test_two_variables_refuses_three():
    z = symbol("z")
    with pytest.raises(BadArgument, match="at most two"):
        sampling.two_variables(x + y + z)


def test_one_variable_refuses_two():
    with pytest.raises(BadArgument, match="one variable"):
        sampling.one_variable([x * y])
