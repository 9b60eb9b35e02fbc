"""Transcripts of /fit and /backprop, checked against numpy least squares, scipy and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

from tests.commands import matrix_of, parameters_of, top_level_items
from tests.plotting.pngcheck import assert_chat_sized_png

LINE_X = np.array([1.0, 2.0, 3.0, 4.0])
LINE_Y = np.array([2.1, 3.9, 6.2, 7.8])
EXP_X = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
EXP_Y = np.array([3.0, 4.6, 7.4, 13.0, 23.0])


# --- /fit ---------------------------------------------------------------------------------------


async def test_fit_line_matches_numpy_least_squares(bot):
    reply = await bot.say("/fit line data 1,2.1; 2,3.9; 3,6.2; 4,7.8")
    assert reply.error is None
    (m, c), *_ = np.linalg.lstsq(np.column_stack([LINE_X, np.ones(4)]), LINE_Y, rcond=None)
    assert parameters_of(reply.result) == pytest.approx({"m": m, "c": c}, rel=1e-12)
    assert "normal equations" in reply.text


async def test_fit_draws_the_data_and_the_curve(bot):
    reply = await bot.say("/fit line data 1,2.1; 2,3.9; 3,6.2; 4,7.8")
    assert [image.name for image in reply.images] == ["fit.png"]
    assert_chat_sized_png(reply.images[0].png)


async def test_fit_poly_2_matches_numpy_polyfit(bot):
    reply = await bot.say("/fit poly 2 data 0,1; 1,2; 2,5; 3,10")
    a2, a1, a0 = np.polyfit([0, 1, 2, 3], [1, 2, 5, 10], 2)
    assert parameters_of(reply.result) == pytest.approx({"a0": a0, "a1": a1, "a2": a2}, abs=1e-9)


async def test_fit_answer_does_not_show_rounding_noise_as_a_coefficient(bot):
    reply = await bot.say("/fit poly 2 data 0,1; 1,2; 2,5; 3,10")
    answer = reply.text.rsplit("**Answer:**", 1)[1]
    assert "e-1" not in answer  # 2.4e-16·x is noise: the exact fit is x^2 + 1
    assert answer.strip() == "y = `1.0*x^2 + 1.0`"


async def test_fit_exponential_model_matches_scipy_least_squares(bot):
    reply = await bot.say("/fit a*exp(b*x) + c data 0,3; 1,4.6; 2,7.4; 3,13; 4,23 guess a=1, b=1, c=1")
    expected = least_squares(lambda p: p[0] * np.exp(p[1] * EXP_X) + p[2] - EXP_Y, [1, 1, 1], xtol=1e-14).x
    got = parameters_of(reply.result)
    assert [got["a"], got["b"], got["c"]] == pytest.approx(expected, rel=1e-6)
    assert "Levenberg–Marquardt" in reply.text


async def test_fit_by_steepest_descent_reaches_the_least_squares_line(bot):
    reply = await bot.say("/fit line data 1,2; 2,3; 3,5 method descent")
    (m, c), *_ = np.linalg.lstsq(np.column_stack([[1, 2, 3], np.ones(3)]), [2, 3, 5], rcond=None)
    assert parameters_of(reply.result) == pytest.approx({"m": m, "c": c}, rel=1e-6)
    assert "steepest descent" in reply.text


async def test_fit_power_law_recovers_exact_parameters(bot):
    reply = await bot.say("/fit a*x^b data 1,2; 2,8; 3,18 guess a=1, b=1")
    assert parameters_of(reply.result) == pytest.approx({"a": 2.0, "b": 2.0}, rel=1e-9)


async def test_fit_with_fewer_points_than_parameters_is_refused(bot):
    reply = await bot.say("/fit line data 1,2")
    assert reply.error is not None and reply.error.code == "bad_argument"
    assert "at least 2 points" in reply.error.message


async def test_fit_of_an_unknown_model_name_lists_the_models(bot):
    reply = await bot.say("/fit cubic data 1,2; 2,3")
    assert reply.error is not None and reply.error.code == "bad_argument"
    assert "poly N" in reply.error.message


async def test_fit_without_data_shows_the_usage_line(bot):
    reply = await bot.say("/fit line")
    assert reply.error is not None and reply.error.code == "usage"
    assert "`/fit MODEL data X1,Y1; X2,Y2; … [guess A=1, B=2] [method descent]`" in reply.error.message


async def test_regress_is_an_alias_of_fit(bot):
    reply = await bot.say("/regress poly 1 data 0,1; 1,3; 2,5")
    assert parameters_of(reply.result) == pytest.approx({"a0": 1.0, "a1": 2.0})


# --- /backprop ----------------------------------------------------------------------------------


def gradients_of(result: str | None) -> list[np.ndarray]:
    """``[Matrix([[…]]), Matrix([[…]])]`` -> ∂C/∂W of each layer."""
    assert result is not None
    return [np.array(matrix_of(item), dtype=float) for item in top_level_items(result)]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def tanh_net_cost(w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray, x: np.ndarray, y: float) -> float:
    out = np.tanh(w2 @ np.tanh(w1 @ x + b1) + b2)
    return float(np.sum((out - y) ** 2))


async def test_backprop_single_neuron_matches_the_chain_rule_by_hand(bot):
    reply = await bot.say("/backprop 1-1 x=0.5 y=1 weights W1=[[0.3]] b1=[0.1]")
    a = sigmoid(np.array(0.3 * 0.5 + 0.1))
    expected = 2 * (a - 1) * a * (1 - a) * 0.5  # ∂C/∂a · σ′(z) · ∂z/∂w
    assert gradients_of(reply.result)[0][0, 0] == pytest.approx(expected, rel=1e-12)


async def test_backprop_result_note_for_one_layer_names_one_gradient(bot):
    reply = await bot.say("/backprop 1-1 x=0.5 y=1 weights W1=[[0.3]] b1=[0.1]")
    assert "`result` holds the weight gradient ∂C/∂W⁽¹⁾ of this first step." in reply.text


async def test_backprop_gradients_match_finite_differences_of_the_cost(bot):
    w1, b1 = np.array([[0.1, -0.2], [0.4, 0.3]]), np.array([0.05, -0.1])
    w2, b2 = np.array([[0.7, -0.5]]), np.array([0.2])
    x, y = np.array([0.5, -1.0]), 0.3
    reply = await bot.say(
        "/backprop 2-2-1 tanh x=(0.5, -1) y=0.3 "
        "weights W1=[[0.1, -0.2], [0.4, 0.3]] b1=[0.05, -0.1] W2=[[0.7, -0.5]] b2=[0.2]"
    )
    assert reply.error is None, reply.text
    got = gradients_of(reply.result)
    h = 1e-6
    for layer, weights in enumerate((w1, w2)):
        numeric = np.zeros_like(weights)
        for index in np.ndindex(weights.shape):
            plus, minus = weights.copy(), weights.copy()
            plus[index] += h
            minus[index] -= h
            params_plus = (plus, b1, w2, b2) if layer == 0 else (w1, b1, plus, b2)
            params_minus = (minus, b1, w2, b2) if layer == 0 else (w1, b1, minus, b2)
            numeric[index] = (tanh_net_cost(*params_plus, x, y) - tanh_net_cost(*params_minus, x, y)) / (2 * h)
        assert got[layer] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


async def test_backprop_one_step_lowers_the_cost(bot):
    reply = await bot.say("/backprop 2-3-1 sigmoid x=(0.5, -1) y=1")
    assert "New cost C = **0.214814** (was 0.282066" in reply.text


async def test_backprop_training_draws_the_cost_curve(bot):
    reply = await bot.say("/backprop 2-3-1 tanh x=(1, 0) y=0 steps 200 rate 0.2")
    assert [image.name for image in reply.images] == ["training.png"]
    assert_chat_sized_png(reply.images[0].png)
    assert "The cost fell" in reply.text


async def test_backprop_never_shows_a_negative_zero(bot):
    reply = await bot.say("/backprop 2-3-1 tanh x=(1, 0) y=0 steps 200 rate 0.2")
    assert "-0]" not in reply.text and "-0," not in reply.text


async def test_backprop_with_an_input_of_the_wrong_size_is_refused(bot):
    reply = await bot.say("/backprop 2-3-1 x=(1, 2, 3) y=1")
    assert reply.error is not None and reply.error.code == "bad_argument"
    assert "2 inputs" in reply.error.message


async def test_backprop_with_a_bad_shape_shows_the_usage_line(bot):
    reply = await bot.say("/backprop 2-x-1 x=(1, 2) y=1")
    assert reply.error is not None and reply.error.code == "usage"
    assert "not a layer shape like 2-3-1" in reply.error.message


async def test_nn_alias_with_relu(bot):
    reply = await bot.say("/nn 2-1 relu x=(1, 2) y=1 weights W1=[[0.35, 0.82]] b1=[0.1]")
    # relu is the identity here (z = 2.09 > 0): ∂C/∂W = 2(z − y) · x
    assert gradients_of(reply.result)[0].ravel() == pytest.approx([2.18, 4.36])


async def test_fit_reads_parenthesised_points_separated_by_spaces(bot):
    import numpy as np

    reply = await bot.say("/fit line data (0,1) (1,3) (2,5.5)")
    assert reply.error is None, reply.error
    slope, intercept = np.polyfit([0, 1, 2], [1, 3, 5.5], 1)
    assert f"{slope:g}" in reply.text and f"{intercept:g}" in reply.text
