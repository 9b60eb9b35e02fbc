"""The /backprop job end to end: text in, Answer out, gradients checked by finite differences."""

from __future__ import annotations

import pickle
import re
import struct

import numpy as np
import pytest

from bot.errors import BadArgument, InputTooLarge
from bot.present.backprop import backprop

NUMBER = r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?"


def result_matrices(result: str) -> list[np.ndarray]:
    """Read "[Matrix([[..], [..]]), ...]" numerically (our own output, never sympified)."""
    matrices = []
    for body in re.findall(r"Matrix\(\[(.*?)\]\)", result):
        rows = re.findall(r"\[([^\[\]]*)\]", body)
        matrices.append(np.array([[float(v) for v in re.findall(NUMBER, row)] for row in rows]))
    return matrices


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def cost(
    weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, y: np.ndarray
) -> float:
    a = x
    for w, b in zip(weights, biases, strict=True):
        a = sigmoid(w @ a + b)
    return float(np.sum((a - y) ** 2))


GIVEN_W1 = np.array([[0.1, -0.4], [0.7, 0.2], [-0.3, 0.5]])
GIVEN_B1 = np.array([0.05, -0.1, 0.2])
GIVEN_W2 = np.array([[0.6, -0.8, 0.3]])
GIVEN_B2 = np.array([0.1])
GIVEN_TEXT = (
    "W1=[[0.1, -0.4], [0.7, 0.2], [-0.3, 0.5]] b1=[0.05, -0.1, 0.2] W2=[[0.6, -0.8, 0.3]] b2=[0.1]"
)


def test_result_gradients_match_finite_differences_of_the_cost() -> None:
    answer = backprop("2-3-1", "sigmoid", "(0.5, -1)", "1", weights_text=GIVEN_TEXT)
    gradients = result_matrices(answer.result or "")
    weights, biases = [GIVEN_W1.copy(), GIVEN_W2.copy()], [GIVEN_B1, GIVEN_B2]
    x, y, h = np.array([0.5, -1.0]), np.array([1.0]), 1e-6
    assert [g.shape for g in gradients] == [(3, 2), (1, 3)]
    for layer, gradient in enumerate(gradients):
        for index in np.ndindex(gradient.shape):
            original = weights[layer][index]
            weights[layer][index] = original + h
            up = cost(weights, biases, x, y)
            weights[layer][index] = original - h
            down = cost(weights, biases, x, y)
            weights[layer][index] = original
            assert gradient[index] == pytest.approx((up - down) / (2 * h), abs=1e-6)


def test_text_walks_the_forward_pass_with_the_cost() -> None:
    answer = backprop("2-3-1", "sigmoid", "(0.5, -1)", "1", weights_text=GIVEN_TEXT)
    expected = cost(
        [GIVEN_W1, GIVEN_W2], [GIVEN_B1, GIVEN_B2], np.array([0.5, -1.0]), np.array([1.0])
    )
    assert "**Forward pass**" in answer.text
    assert f"**{expected:.6g}**" in answer.text


def test_text_names_each_chain_rule_factor_for_every_layer() -> None:
    text = backprop("2-3-3-1", "tanh", "(0.5, -1)", "0.5").text
    for layer in "¹²³":
        assert f"∂C/∂W⁽{layer}⁾ = ∂C/∂z⁽{layer}⁾ · " in text
        assert f"∂a⁽{layer}⁾/∂z⁽{layer}⁾ = tanh′(z⁽{layer}⁾)" in text


def test_text_says_which_weights_were_given_and_which_seeded() -> None:
    text = backprop(
        "2-3-1", "sigmoid", "(0.5, -1)", "1", weights_text="W1=[[1, 2], [3, 4], [5, 6]]"
    ).text
    assert "W1 as you gave them; b1, W2, b2 drawn with seed 1" in text


def test_one_update_lowers_the_cost_and_reports_it() -> None:
    text = backprop("2-3-1", "sigmoid", "(0.5, -1)", "1", weights_text=GIVEN_TEXT, rate=0.5).text
    before = cost(
        [GIVEN_W1, GIVEN_W2], [GIVEN_B1, GIVEN_B2], np.array([0.5, -1.0]), np.array([1.0])
    )
    new_cost = float(re.search(rf"New cost C = \*\*({NUMBER})\*\*", text).group(1))  # type: ignore[union-attr]
    assert new_cost < before


def test_training_steps_add_a_cost_curve_png() -> None:
    answer = backprop("2-3-1", "sigmoid", "(0.5, -1)", "1", steps=100)
    (figure,) = answer.images
    assert figure.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", figure.png[16:24]) == (800, 600)
    assert "The cost fell." in answer.text


def test_no_steps_means_no_figure() -> None:
    assert backprop("2-3-1", "sigmoid", "(0.5, -1)", "1").images == ()


def test_answer_is_picklable_for_the_worker_pool() -> None:
    answer = backprop("2-3-1", "relu", "(0.5, -1)", "1", steps=3)
    assert pickle.loads(pickle.dumps(answer)) == answer


def test_same_seed_gives_the_same_answer() -> None:
    assert (
        backprop("2-3-1", x_text="(1, 2)", y_text="0", seed=5).result
        == backprop("2-3-1", x_text="(1, 2)", y_text="0", seed=5).result
    )


def test_unreachable_target_is_pointed_out() -> None:
    text = backprop("2-2-1", "sigmoid", "(1, 1)", "2").text
    assert "target outside [0, 1] can't be reached" in text


def test_too_many_units_are_refused() -> None:
    with pytest.raises(InputTooLarge, match="16 units"):
        backprop("2-17-1", "sigmoid", "(0.5, -1)", "1")


def test_too_many_steps_are_refused() -> None:
    with pytest.raises(InputTooLarge, match="2000"):
        backprop("2-3-1", "sigmoid", "(0.5, -1)", "1", steps=2001)


def test_missing_example_is_refused() -> None:
    with pytest.raises(BadArgument, match="x is missing"):
        backprop("2-3-1")
