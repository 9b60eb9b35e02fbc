"""The /fit job end to end: model and data as text, Answer out, numbers checked with numpy."""

from __future__ import annotations

import pickle
import re
import struct

import numpy as np
import pytest

from bot.errors import BadArgument, EmptyInput, InputTooLarge, Undefined

pytest.importorskip("bot.solver.parser")  # the model and the guess go through our parser

from bot.present.regression import fit  # noqa: E402

NUMBER = r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?"


def result_values(result: str | None) -> dict[str, float]:
    """Read "{c: 0.49, m: 2.0}" numerically (our own output, never sympified)."""
    assert result is not None
    return {name: float(value) for name, value in re.findall(rf"(\w+): ({NUMBER})", result)}


def data_text(x: np.ndarray, y: np.ndarray, separator: str = "; ") -> str:
    return separator.join(f"{float(px)!r}, {float(py)!r}" for px, py in zip(x, y, strict=True))


def line_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(21)
    x = np.arange(20.0)
    return x, 2.0 * x + 0.5 + rng.normal(0.0, 0.4, x.size)


def test_line_result_matches_numpy_lstsq() -> None:
    x, y = line_data()
    values = result_values(fit("line", data_text(x, y)).result)
    intercept, slope = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)[0]
    assert values == pytest.approx({"c": intercept, "m": slope}, abs=1e-9)


def test_line_working_shows_design_matrix_and_normal_equations() -> None:
    x, y = line_data()
    text = fit("line", data_text(x, y)).text
    assert "Design matrix A (first 6 of 20 rows)" in text
    assert "Normal equations AᵀA p = Aᵀy" in text
    assert f"{np.sum(x**2):.6g}" in text  # the (m, m) entry of AᵀA


def test_line_reply_reports_r_squared_and_residuals() -> None:
    x, y = line_data()
    text = fit("line", data_text(x, y)).text
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (slope * x + intercept)
    r_squared = 1 - np.sum(residuals**2) / np.sum((y - y.mean()) ** 2)
    assert f"R² = {r_squared:.6f}" in text
    assert f"max |r| = {np.max(np.abs(residuals)):.6g}" in text


def test_standard_errors_in_the_reply_match_polyfit_covariance() -> None:
    x, y = line_data()
    text = fit("line", data_text(x, y)).text
    _, covariance = np.polyfit(x, y, 1, cov=True)
    slope_error, intercept_error = np.sqrt(np.diag(covariance))
    assert re.search(rf"\| m \| {NUMBER} \| {slope_error:.3g} \|", text)
    assert re.search(rf"\| c \| {NUMBER} \| {intercept_error:.3g} \|", text)


def test_poly_2_result_matches_numpy_polyfit() -> None:
    rng = np.random.default_rng(4)
    x = np.linspace(-1.0, 3.0, 15)
    y = 0.5 * x**2 - x + 2 + rng.normal(0.0, 0.1, x.size)
    values = result_values(fit("poly 2", data_text(x, y, "\n")).result)
    high, middle, low = np.polyfit(x, y, 2)
    assert values == pytest.approx({"a0": low, "a1": middle, "a2": high}, abs=1e-9)


def test_exponential_model_recovers_known_parameters() -> None:
    rng = np.random.default_rng(8)
    x = np.linspace(0.0, 2.0, 50)
    y = 2.0 * np.exp(0.7 * x) + 1.0 + rng.normal(0.0, 0.05, x.size)
    answer = fit("a*exp(b*x) + c", data_text(x, y))
    assert result_values(answer.result) == pytest.approx({"a": 2.0, "b": 0.7, "c": 1.0}, abs=0.15)
    assert "Levenberg–Marquardt" in answer.text
    assert "no guess given, so 1 for each parameter" in answer.text


def test_model_may_be_written_as_y_equals() -> None:
    x, y = line_data()
    values = result_values(fit("y = k*x + d", data_text(x, y)).result)
    slope, intercept = np.polyfit(x, y, 1)
    assert values == pytest.approx({"d": intercept, "k": slope}, abs=1e-9)


def test_sine_model_with_a_guess_recovers_known_parameters() -> None:
    x = np.linspace(0.0, 6.0, 60)
    y = 1.5 * np.sin(2.0 * x + 0.3)
    answer = fit("A sin(w x + p)", data_text(x, y), guess_text="A=1, w=1.8, p=0.2")
    assert result_values(answer.result) == pytest.approx({"A": 1.5, "p": 0.3, "w": 2.0}, abs=1e-6)
    assert "from your guess" in answer.text


def test_descent_method_converges_on_a_line_to_the_lstsq_answer() -> None:
    x, y = line_data()
    answer = fit("line", data_text(x, y), method="descent")
    slope, intercept = np.polyfit(x, y, 1)
    assert result_values(answer.result) == pytest.approx({"c": intercept, "m": slope}, rel=1e-6)
    assert "∂χ²/∂m = −2 Σᵢ (yᵢ − f(xᵢ)) · ∂f/∂m" in answer.text


def test_figure_is_an_800_by_600_png() -> None:
    x, y = line_data()
    (figure,) = fit("line", data_text(x, y)).images
    assert figure.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", figure.png[16:24]) == (800, 600)
    assert figure.alt


def test_answer_is_picklable_for_the_worker_pool() -> None:
    x, y = line_data()
    answer = fit("line", data_text(x, y))
    assert pickle.loads(pickle.dumps(answer)) == answer


def test_csv_text_with_header_is_accepted() -> None:
    values = result_values(fit("line", "x,y\n0,1\n1,3\n2,5\n").result)
    assert values == pytest.approx({"c": 1.0, "m": 2.0}, abs=1e-12)


def test_bad_row_names_the_row_and_its_text() -> None:
    with pytest.raises(BadArgument, match=r"row 3: '1,,2' is not a pair of numbers"):
        fit("line", "0, 1; 1, 2; 1,,2")


def test_nan_in_the_data_is_refused() -> None:
    with pytest.raises(BadArgument, match="NaN"):
        fit("line", "0, 1; 1, nan; 2, 3")


def test_fewer_points_than_parameters_is_refused() -> None:
    with pytest.raises(BadArgument, match="fewer points than parameters"):
        fit("poly 3", "0, 1; 1, 2; 2, 3")


def test_all_x_equal_is_refused() -> None:
    with pytest.raises(BadArgument, match="all x values are equal"):
        fit("line", "1, 1; 1, 2; 1, 3")


def test_duplicate_x_singular_design_is_refused() -> None:
    with pytest.raises(Undefined, match="singular"):
        fit("poly 2", "0, 1; 0, 2; 1, 3; 1, 4")


def test_too_many_points_are_refused() -> None:
    with pytest.raises(InputTooLarge):
        fit("line", "\n".join(f"{i}, {i}" for i in range(10_001)))


def test_unknown_model_keyword_is_refused() -> None:
    with pytest.raises(BadArgument, match="unknown model 'quadratic'"):
        fit("quadratic", "0, 1; 1, 2; 2, 5")


def test_poly_without_a_degree_is_refused() -> None:
    with pytest.raises(BadArgument, match="whole-number degree"):
        fit("poly", "0, 1; 1, 2; 2, 5")


def test_model_without_x_is_refused() -> None:
    with pytest.raises(BadArgument, match="has no x"):
        fit("a + b", "0, 1; 1, 2; 2, 5")


def test_too_many_parameters_are_refused() -> None:
    with pytest.raises(InputTooLarge, match="at most 8"):
        fit("a + b*x + c*x^2 + d*x^3 + f*x^4 + g*x^5 + h*x^6 + k*x^7 + q*x^8", "0, 1; 1, 2")


def test_empty_model_is_refused() -> None:
    with pytest.raises(EmptyInput):
        fit("  ", "0, 1; 1, 2")


def test_guess_for_an_unknown_parameter_is_refused() -> None:
    with pytest.raises(BadArgument, match="'q', which is not a parameter"):
        fit("a*exp(b*x)", "0, 1; 1, 2; 2, 5", guess_text="q=1")


def test_unknown_method_is_refused() -> None:
    with pytest.raises(BadArgument, match="unknown method 'newton'"):
        fit("line", "0, 1; 1, 2; 2, 5", method="newton")


def test_starting_guess_where_the_model_is_undefined_is_refused() -> None:
    with pytest.raises(Undefined, match="starting guess"):
        fit("a*log(x - b)", "0, 1; 1, 2; 2, 3; 3, 3.5")
