"""Least-squares fitting, checked against numpy/scipy computed independently."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import curve_fit

from bot.errors import BadArgument, InputTooLarge, NoConvergence, Undefined
from bot.solver.regression import (
    MAX_POINTS,
    X,
    expression_model,
    fit_descent,
    fit_levenberg_marquardt,
    fit_model,
    line_model,
    parse_data,
    poly_model,
)
from bot.solver.variables import symbol

a, b, c, w = symbol("a"), symbol("b"), symbol("c"), symbol("w")


def noisy_line(n: int = 20, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.linspace(-3.0, 16.0, n)
    return x, 2.0 * x + 0.5 + rng.normal(0.0, 0.3, n)


def noisy_exponential(seed: int = 3) -> tuple[np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 2.0, 60)
    noise = 0.05
    return x, 2.0 * np.exp(0.7 * x) + 1.0 + rng.normal(0.0, noise, x.size), noise


# --- linear fits --------------------------------------------------------------------------


def test_line_fit_matches_numpy_lstsq() -> None:
    x, y = noisy_line()
    result = fit_model(line_model(), x, y)
    intercept, slope = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)[0]
    assert result.method == "exact"
    assert result.params == pytest.approx((intercept, slope), abs=1e-9)


def test_poly_2_matches_numpy_polyfit() -> None:
    rng = np.random.default_rng(11)
    x = np.linspace(-2.0, 5.0, 25)
    y = 0.3 * x**2 - 1.2 * x + 4.0 + rng.normal(0.0, 0.2, x.size)
    result = fit_model(poly_model(2), x, y)
    expected = np.polyfit(x, y, 2)[::-1]  # polyfit lists the highest power first
    assert result.params == pytest.approx(tuple(expected), abs=1e-9)


def test_poly_10_on_wide_x_range_matches_polyfit() -> None:
    rng = np.random.default_rng(5)
    x = np.linspace(0.0, 10.0, 60)
    y = np.sin(x) + rng.normal(0.0, 0.01, x.size)
    result = fit_model(poly_model(10), x, y)
    fitted = np.polyval(np.polyfit(x, y, 10), x)
    assert np.allclose(result.predict(x), fitted, atol=1e-6)


def test_line_standard_errors_match_polyfit_covariance() -> None:
    x, y = noisy_line()
    result = fit_model(line_model(), x, y)
    _, covariance = np.polyfit(x, y, 1, cov=True)
    slope_error, intercept_error = np.sqrt(np.diag(covariance))
    assert result.std_errors == pytest.approx((intercept_error, slope_error), rel=1e-9)


def test_r_squared_matches_its_definition() -> None:
    x, y = noisy_line()
    result = fit_model(line_model(), x, y)
    slope, intercept = np.polyfit(x, y, 1)
    expected = 1 - np.sum((y - slope * x - intercept) ** 2) / np.sum((y - y.mean()) ** 2)
    assert result.r_squared == pytest.approx(expected, rel=1e-12)


def test_expression_linear_in_parameters_is_solved_exactly() -> None:
    model = expression_model(a * sympy.sin(X) + b * X**2)
    assert model.linear


def test_expression_with_parameter_free_part_fits_like_lstsq_on_shifted_data() -> None:
    rng = np.random.default_rng(2)
    x = np.linspace(0.0, 4.0, 30)
    y = x**2 + 1.5 * x - 0.5 + rng.normal(0.0, 0.1, x.size)
    result = fit_model(expression_model(X**2 + a * X + b), x, y)
    expected = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y - x**2, rcond=None)[0]
    assert result.method == "exact"
    assert result.params == pytest.approx(tuple(expected), abs=1e-9)


def test_exponential_model_is_not_linear() -> None:
    assert not expression_model(a * sympy.exp(b * X) + c).linear


def test_exact_fit_through_as_many_points_as_parameters_has_no_standard_errors() -> None:
    result = fit_model(line_model(), np.array([0.0, 1.0]), np.array([1.0, 3.0]))
    assert result.params == pytest.approx((1.0, 2.0))
    assert result.std_errors is None


# --- non-linear fits ----------------------------------------------------------------------


def test_exponential_model_recovers_known_parameters() -> None:
    x, y, noise = noisy_exponential()
    result = fit_model(expression_model(a * sympy.exp(b * X) + c), x, y)
    assert result.method == "lm"
    assert result.std_errors is not None
    for value, error, truth in zip(result.params, result.std_errors, (2.0, 0.7, 1.0), strict=True):
        assert abs(value - truth) < 4 * error
    assert np.sqrt(result.chi2 / result.dof) == pytest.approx(noise, rel=0.3)


def test_nonlinear_standard_errors_match_scipy_curve_fit() -> None:
    x, y, _ = noisy_exponential()
    result = fit_model(expression_model(a * sympy.exp(b * X) + c), x, y)
    _, covariance = curve_fit(lambda t, p, q, r: p * np.exp(q * t) + r, x, y, p0=(1, 1, 1))
    assert result.std_errors == pytest.approx(tuple(np.sqrt(np.diag(covariance))), rel=1e-4)


def test_levenberg_marquardt_iterates_never_raise_chi2() -> None:
    x, y, _ = noisy_exponential()
    result = fit_model(expression_model(a * sympy.exp(b * X) + c), x, y)
    chi2 = [iterate.chi2 for iterate in result.iterations]
    assert len(chi2) >= 3
    assert all(later <= earlier for earlier, later in zip(chi2, chi2[1:], strict=False))


def test_levenberg_marquardt_starts_from_the_guess() -> None:
    x, y, _ = noisy_exponential()
    result = fit_model(expression_model(a * sympy.exp(b * X) + c), x, y, guess=(2.5, 0.5, 0.0))
    assert result.iterations[0].params == (2.5, 0.5, 0.0)


def test_sine_model_recovers_known_parameters_from_a_nearby_guess() -> None:
    p = symbol("p")
    x = np.linspace(0.0, 6.0, 80)
    y = 1.5 * np.sin(2.0 * x + 0.3)
    result = fit_model(expression_model(a * sympy.sin(w * X + p)), x, y, guess=(1.0, 0.2, 1.8))
    assert result.params == pytest.approx((1.5, 0.3, 2.0), abs=1e-6)


def test_levenberg_marquardt_out_of_evaluations_reports_the_last_iterate() -> None:
    x, y, _ = noisy_exponential()
    with pytest.raises(NoConvergence, match="last iterate: a = "):
        fit_levenberg_marquardt(
            expression_model(a * sympy.exp(b * X) + c), x, y, (1.0, 1.0, 1.0), max_evaluations=2
        )


# --- steepest descent ---------------------------------------------------------------------


def test_descent_converges_on_a_line_fit_to_the_lstsq_answer() -> None:
    x, y = noisy_line()
    result = fit_model(line_model(), x, y, method="descent")
    expected = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)[0]
    assert result.method == "descent"
    assert result.params == pytest.approx(tuple(expected), rel=1e-6)


def test_descent_converges_on_a_nonlinear_fit_to_the_levenberg_marquardt_answer() -> None:
    x, y, _ = noisy_exponential()
    model = expression_model(a * sympy.exp(b * X) + c)
    descent = fit_model(model, x, y, method="descent")
    marquardt = fit_model(model, x, y, method="lm")
    assert descent.params == pytest.approx(marquardt.params, rel=1e-4)


def test_descent_steps_never_go_uphill() -> None:
    x, y, _ = noisy_exponential()
    result = fit_model(expression_model(a * sympy.exp(b * X) + c), x, y, method="descent")
    chi2 = [iterate.chi2 for iterate in result.iterations]
    assert all(later <= earlier for earlier, later in zip(chi2, chi2[1:], strict=False))


def test_descent_out_of_steps_reports_the_last_iterate() -> None:
    x, y, _ = noisy_exponential()
    with pytest.raises(NoConvergence, match="last iterate"):
        fit_descent(
            expression_model(a * sympy.exp(b * X) + c), x, y, (1.0, 1.0, 1.0), max_iterations=3
        )


# --- data ---------------------------------------------------------------------------------


def test_data_accepts_semicolons_newlines_tabs_and_spaces() -> None:
    x, y = parse_data("0, 1; 1 3\n2\t5.5\r\n3,-7e-1;")
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert y.tolist() == [1.0, 3.0, 5.5, -0.7]


def test_data_skips_a_csv_header_row() -> None:
    x, y = parse_data("x,y\n1,2\n3,4\n")
    assert (x.tolist(), y.tolist()) == ([1.0, 3.0], [2.0, 4.0])


def test_data_accepts_quoted_csv_fields() -> None:
    x, y = parse_data('"height","count"\n"150.5","3"\n')
    assert (x.tolist(), y.tolist()) == ([150.5], [3.0])


def test_data_row_that_is_not_a_pair_names_the_row_and_the_text() -> None:
    with pytest.raises(BadArgument, match=r"row 3: '1,,2' is not a pair of numbers"):
        parse_data("0, 1; 1, 2; 1,,2; 4, 5")


def test_data_with_a_word_names_the_row() -> None:
    with pytest.raises(BadArgument, match=r"row 2: 'abc' is not a number"):
        parse_data("0, 1; abc, 2")


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "NaN"])
def test_data_refuses_nan_and_infinity(bad: str) -> None:
    with pytest.raises(BadArgument, match="NaN or infinity"):
        parse_data(f"0, 1; 1, {bad}")


def test_data_refuses_a_number_too_big_for_a_float() -> None:
    with pytest.raises(InputTooLarge):
        parse_data("0, 1; 1, 1e400")


def test_data_refuses_python_expressions() -> None:
    with pytest.raises(BadArgument, match="is not a number"):
        parse_data("0, 1; 1, 2**3")


def test_data_refuses_more_than_ten_thousand_points() -> None:
    text = ";".join(f"{i},{i}" for i in range(MAX_POINTS + 1))
    with pytest.raises(InputTooLarge, match="10,000"):
        parse_data(text)


def test_data_accepts_exactly_ten_thousand_points() -> None:
    x, _ = parse_data("\n".join(f"{i},{i}" for i in range(MAX_POINTS)))
    assert len(x) == MAX_POINTS


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_data_round_trips_every_finite_float(points: list[tuple[float, float]]) -> None:
    x, y = parse_data("; ".join(f"{px!r}, {py!r}" for px, py in points))
    assert x.tolist() == [px for px, _ in points]
    assert y.tolist() == [py for _, py in points]


# --- refusals -----------------------------------------------------------------------------


def test_fewer_points_than_parameters_is_refused() -> None:
    with pytest.raises(
        BadArgument, match="fewer points than parameters: 2 points for 3 parameters"
    ):
        fit_model(poly_model(2), np.array([0.0, 1.0]), np.array([1.0, 2.0]))


def test_all_x_equal_is_refused() -> None:
    with pytest.raises(BadArgument, match="all x values are equal"):
        fit_model(line_model(), np.array([2.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0]))


def test_too_few_distinct_x_makes_the_design_singular() -> None:
    with pytest.raises(Undefined, match="only 2 distinct x values for 3 parameters"):
        fit_model(poly_model(2), np.array([0.0, 0.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0, 4.0]))


def test_parameters_that_cannot_be_told_apart_make_the_design_singular() -> None:
    with pytest.raises(Undefined, match="singular"):
        fit_model(
            expression_model(a * X + b * 2 * X),
            np.array([0.0, 1.0, 2.0]),
            np.array([0.0, 1.0, 2.0]),
        )


def test_model_without_x_is_refused() -> None:
    with pytest.raises(BadArgument, match="has no x"):
        expression_model(a + b)


def test_model_without_parameters_is_refused() -> None:
    with pytest.raises(BadArgument, match="no parameters"):
        expression_model(X**2)


def test_more_than_eight_parameters_is_refused() -> None:
    params = [symbol(f"p{k}") for k in range(9)]
    with pytest.raises(InputTooLarge, match="at most 8"):
        expression_model(sympy.Add(*(p * X**k for k, p in enumerate(params))))


@pytest.mark.parametrize("degree", [0, 11])
def test_poly_degree_outside_one_to_ten_is_refused(degree: int) -> None:
    with pytest.raises(BadArgument, match="from 1 to 10"):
        poly_model(degree)


def test_unknown_method_is_refused() -> None:
    x, y = noisy_line()
    with pytest.raises(BadArgument, match="unknown method"):
        fit_model(line_model(), x, y, method="newton")


def test_exact_method_on_a_nonlinear_model_is_refused() -> None:
    x, y, _ = noisy_exponential()
    with pytest.raises(BadArgument, match="not linear"):
        fit_model(expression_model(a * sympy.exp(b * X) + c), x, y, method="exact")


def test_start_where_the_model_is_undefined_is_refused() -> None:
    x = np.linspace(0.0, 2.0, 10)
    with pytest.raises(Undefined, match="starting guess"):
        fit_model(expression_model(a * sympy.log(X - b)), x, np.log(x + 1.0))


def test_data_accepts_points_written_in_parentheses() -> None:
    x, y = parse_data("(0, 1); (1, 3); [2, 5]")
    assert (x.tolist(), y.tolist()) == ([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])


def test_model_x_is_recognised_whatever_its_assumptions() -> None:
    plain_x = sympy.Symbol("x")
    model = expression_model(a * plain_x + b)
    assert model.params == (a, b) and model.linear


@pytest.mark.parametrize("text", [
    "(0,1) (1,3) (2,5.5)", "(0, 1), (1, 3), (2, 5.5)", "[0,1] [1,3]; (2,5.5)", "(0,1)(1,3)(2,5.5)",
    "(0,1) (1,3)\n(2, 5.5)",
])
def test_bracketed_points_side_by_side_are_read_as_points(text):
    from bot.solver.regression import parse_data

    xs, ys = parse_data(text)
    assert list(xs) == [0.0, 1.0, 2.0] and list(ys) == [1.0, 3.0, 5.5]


def test_a_bracketed_point_that_is_not_a_pair_is_still_refused():
    from bot.solver.regression import parse_data

    with pytest.raises(BadArgument, match="row 2"):
        parse_data("(0,1) (1,2,3) (2,5)")
