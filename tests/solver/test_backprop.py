"""Backpropagation, checked against central finite differences of the cost."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadArgument, InputTooLarge
from bot.solver.backprop import (
    Network,
    backward,
    check_example,
    check_rate_and_steps,
    forward,
    parse_activation,
    parse_shape,
    parse_vector,
    parse_weights,
    seeded_network,
    train,
    with_weights,
)


def numeric_cost(network: Network, x: np.ndarray, y: np.ndarray) -> float:
    """C = sum (a(L) - y)^2, computed here independently of the module's forward pass."""
    functions: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
    }
    a = x
    for weights, biases in zip(network.weights, network.biases, strict=True):
        a = functions[network.activation](weights @ a + biases)
    return float(np.sum((a - y) ** 2))


def finite_difference_gradients(
    network: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    def nudge(arrays: tuple[np.ndarray, ...]) -> list[np.ndarray]:
        gradients = []
        for array in arrays:
            gradient = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + h
                up = numeric_cost(network, x, y)
                array[index] = original - h
                down = numeric_cost(network, x, y)
                array[index] = original
                gradient[index] = (up - down) / (2 * h)
            gradients.append(gradient)
        return gradients

    return nudge(network.weights), nudge(network.biases)


def assert_gradients_match_finite_differences(
    network: Network, x: np.ndarray, y: np.ndarray
) -> None:
    layers = backward(network, forward(network, x, y), y)
    weight_fd, bias_fd = finite_difference_gradients(network, x, y)
    for layer, dw, db in zip(layers, weight_fd, bias_fd, strict=True):
        assert layer.weights.shape == dw.shape
        assert np.allclose(layer.weights, dw, atol=1e-6, rtol=0)
        assert np.allclose(layer.biases, db, atol=1e-6, rtol=0)


@pytest.mark.parametrize(
    ("sizes", "activation", "x", "y"),
    [
        ((2, 3, 1), "sigmoid", [0.5, -1.0], [1.0]),
        ((2, 3, 2), "tanh", [0.5, -1.0], [0.3, -0.6]),
        ((3, 4, 2), "relu", [1.0, -0.5, 2.0], [0.4, 1.5]),
        ((2, 4, 3, 1), "sigmoid", [0.2, 0.9], [0.0]),
        ((3, 5, 4, 3, 2), "tanh", [0.1, -0.4, 0.8], [0.5, -0.5]),
    ],
)
def test_gradients_match_central_finite_differences(
    sizes: tuple[int, ...], activation: str, x: list[float], y: list[float]
) -> None:
    network = seeded_network(sizes, activation, seed=4)
    assert_gradients_match_finite_differences(network, np.array(x), np.array(y))


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple),
    activation=st.sampled_from(["sigmoid", "tanh"]),
    seed=st.integers(0, 10_000),
)
def test_gradients_match_finite_differences_for_any_small_network(
    sizes: tuple[int, ...], activation: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    network = seeded_network(sizes, activation, seed)
    x = rng.uniform(-1, 1, sizes[0])
    y = rng.uniform(0, 1, sizes[-1])
    assert_gradients_match_finite_differences(network, x, y)


def test_single_neuron_gradient_matches_the_course_formula() -> None:
    # a1 = sigma(w a0 + b); dC/dw = 2 (a1 - y) sigma'(z) a0, as in the week-3 quizzes
    network = with_weights(
        seeded_network((1, 1), "sigmoid", 0), {"W1": np.array([[1.3]]), "b1": np.array([-0.1])}
    )
    a0, y = 0.7, 0.2
    z = 1.3 * a0 - 0.1
    a1 = 1 / (1 + np.exp(-z))
    layer = backward(network, forward(network, np.array([a0]), np.array([y])), np.array([y]))[0]
    assert layer.weights[0, 0] == pytest.approx(2 * (a1 - y) * a1 * (1 - a1) * a0, rel=1e-12)
    assert layer.biases[0] == pytest.approx(2 * (a1 - y) * a1 * (1 - a1), rel=1e-12)


def test_training_reduces_the_cost() -> None:
    network = seeded_network((2, 3, 1), "sigmoid", seed=1)
    x, y = np.array([0.5, -1.0]), np.array([1.0])
    _, costs = train(network, x, y, rate=0.5, steps=200)
    assert len(costs) == 201
    assert costs[-1] < 0.1 * costs[0]


def test_training_a_relu_network_reduces_the_cost() -> None:
    network = seeded_network((3, 4, 4, 2), "relu", seed=2)
    x, y = np.array([0.3, -0.2, 0.9]), np.array([0.5, 1.0])
    _, costs = train(network, x, y, rate=0.05, steps=100)
    assert costs[-1] < costs[0]


def test_seeded_weights_are_reproducible_and_depend_on_the_seed() -> None:
    first, again, other = (seeded_network((2, 3, 1), "sigmoid", s) for s in (1, 1, 2))
    assert all(np.array_equal(p, q) for p, q in zip(first.weights, again.weights, strict=True))
    assert not np.array_equal(first.weights[0], other.weights[0])


def test_seeded_weights_are_rounded_to_two_decimals() -> None:
    network = seeded_network((4, 5, 3), "tanh", seed=9)
    for weights in network.weights:
        assert np.allclose(weights * 100, np.round(weights * 100))


# --- input and limits ---------------------------------------------------------------------


def test_shape_reads_units_per_layer() -> None:
    assert parse_shape("2-3-1") == (2, 3, 1)


def test_more_than_four_weight_layers_is_refused() -> None:
    with pytest.raises(InputTooLarge, match="at most 4 weight layers"):
        parse_shape("2-3-3-3-3-1")


def test_more_than_sixteen_units_is_refused() -> None:
    with pytest.raises(InputTooLarge, match="at most 16 units"):
        parse_shape("2-17-1")


@pytest.mark.parametrize("text", ["2", "2-a-1", "", "2--"])
def test_malformed_shape_is_refused(text: str) -> None:
    with pytest.raises(BadArgument, match="not a network shape"):
        parse_shape(text)


def test_zero_unit_layer_is_refused() -> None:
    with pytest.raises(BadArgument, match="at least one unit"):
        parse_shape("2-0-1")


def test_unknown_activation_is_refused() -> None:
    with pytest.raises(BadArgument, match="unknown activation 'softmax'") as error:
        parse_activation("softmax")
    assert "sigmoid, tanh or relu" in error.value.user_message()


@pytest.mark.parametrize("steps", [-1, 2001])
def test_steps_outside_the_limit_are_refused(steps: int) -> None:
    with pytest.raises(InputTooLarge, match="2000"):
        check_rate_and_steps(0.5, steps)


@pytest.mark.parametrize("rate", [0.0, -0.1, float("nan"), 1e6])
def test_rate_outside_the_limit_is_refused(rate: float) -> None:
    with pytest.raises(BadArgument, match="learning rate"):
        check_rate_and_steps(rate, 0)


@pytest.mark.parametrize("text", ["(0.5, -1)", "[0.5 -1]", "0.5, -1"])
def test_vector_accepts_brackets_and_plain_lists(text: str) -> None:
    assert parse_vector(text, "x").tolist() == [0.5, -1.0]


@pytest.mark.parametrize("text", ["(1, nan)", "(1+1, 2)", "((1, 2))", "(1, __import__)"])
def test_vector_refuses_anything_but_numbers(text: str) -> None:
    with pytest.raises(BadArgument):
        parse_vector(text, "x")


def test_example_must_match_the_layer_sizes() -> None:
    network = seeded_network((2, 3, 1), "sigmoid", 1)
    with pytest.raises(BadArgument, match="x has 3 values but the network has 2 inputs"):
        check_example(network, np.array([1.0, 2.0, 3.0]), np.array([1.0]))


def test_weights_are_read_by_name_and_shape() -> None:
    given = parse_weights(
        "W1=[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]] b1=[0, 0.1, 0.2], W2=[0.7, 0.8, 0.9]", (2, 3, 1)
    )
    assert given["W1"].tolist() == [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    assert given["b1"].tolist() == [0.0, 0.1, 0.2]
    assert given["W2"].tolist() == [[0.7, 0.8, 0.9]]


def test_weights_of_the_wrong_shape_are_refused_with_the_expected_shape() -> None:
    with pytest.raises(BadArgument, match="wrong shape") as error:
        parse_weights("W1=[[0.1, 0.2, 0.3]]", (2, 3, 1))
    assert "3×2" in error.value.user_message()


def test_weights_for_a_layer_the_network_lacks_are_refused() -> None:
    with pytest.raises(BadArgument, match="unknown weight 'W3'"):
        parse_weights("W3=[[1]]", (2, 3, 1))


def test_weights_that_are_not_numbers_are_refused() -> None:
    with pytest.raises(BadArgument, match="not a number"):
        parse_weights("b1=[0, x, 1]", (2, 3, 1))


def test_vector_may_repeat_its_name() -> None:
    assert parse_vector("x=(0.5, -1)", "x").tolist() == [0.5, -1.0]
