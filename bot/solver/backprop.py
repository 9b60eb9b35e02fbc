"""A small fully connected network trained by backpropagation (course week 3).

Forward: z(l) = W(l) a(l-1) + b(l), a(l) = sigma(z(l)); cost C = sum (a(L) - y)^2. Backward, by the
multivariate chain rule: dC/dW(l) = dC/da(l) * da(l)/dz(l) * dz(l)/dW(l). Every intermediate factor
is kept in ``LayerGradient`` so that the presentation layer can show the product term by term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import expit

from bot.errors import BadArgument, InputTooLarge, NoConvergence
from bot.solver.regression import parse_number

MAX_WEIGHT_LAYERS = 4
MAX_UNITS = 16
MAX_STEPS = 2000
MAX_RATE = 100.0
ACTIVATIONS = ("sigmoid", "tanh", "relu")
_ACTIVATION_ALIASES = {
    "sigmoid": "sigmoid",
    "logistic": "sigmoid",
    "σ": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
}


@dataclass(frozen=True, eq=False)
class Network:
    sizes: tuple[int, ...]  # units per layer, input first: (2, 3, 1)
    activation: str
    weights: tuple[np.ndarray, ...]  # W(l) has shape (sizes[l], sizes[l-1])
    biases: tuple[np.ndarray, ...]  # b(l) has shape (sizes[l],)

    @property
    def depth(self) -> int:
        return len(self.weights)


@dataclass(frozen=True, eq=False)
class ForwardPass:
    z: tuple[np.ndarray, ...]  # z(1) .. z(L)
    a: tuple[np.ndarray, ...]  # a(0) = x, a(1) .. a(L)
    cost: float


@dataclass(frozen=True, eq=False)
class LayerGradient:
    """The chain-rule factors for one layer l."""

    layer: int  # 1-based
    dcost_da: np.ndarray  # dC/da(l)
    da_dz: np.ndarray  # sigma'(z(l)), elementwise
    delta: np.ndarray  # dC/dz(l) = dC/da(l) * sigma'(z(l))
    previous_a: np.ndarray  # dz(l)/dW(l) brings in a(l-1)
    weights: np.ndarray  # dC/dW(l) = delta a(l-1)^T
    biases: np.ndarray  # dC/db(l) = delta


# ---------------------------------------------------------------------------------------------
# Input


def parse_activation(text: str) -> str:
    name = _ACTIVATION_ALIASES.get(text.strip().lower())
    if name is None:
        raise BadArgument(f"unknown activation '{text.strip()}'", hint="use sigmoid, tanh or relu")
    return name


def parse_shape(text: str) -> tuple[int, ...]:
    """ "2-3-1" -> (2, 3, 1): input units, hidden layers, output units."""
    parts = [part.strip() for part in re.split(r"[-–x×,\s]+", text.strip()) if part.strip()]
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        raise BadArgument(
            f"'{text.strip()}' is not a network shape",
            hint="give units per layer joined by '-', input first, e.g. 2-3-1",
        )
    sizes = tuple(int(part) for part in parts)
    if any(size == 0 for size in sizes):
        raise BadArgument("every layer needs at least one unit")
    if len(sizes) - 1 > MAX_WEIGHT_LAYERS:
        raise InputTooLarge(
            f"at most {MAX_WEIGHT_LAYERS} weight layers (e.g. 2-4-4-4-1), not {len(sizes) - 1}"
        )
    if max(sizes) > MAX_UNITS:
        raise InputTooLarge(f"at most {MAX_UNITS} units per layer, not {max(sizes)}")
    return sizes


class _ListReader:
    """A strict reader for nested lists of number literals: [[0.1, -2], [3, 4e-1]]."""

    _TOKEN = re.compile(r"\s*(?:([\[\]()])|(,)|([^\s\[\](),]+))")

    def __init__(self, text: str, where: str):
        self.where = where
        self.tokens: list[str] = []
        position = 0
        while position < len(text):
            match = self._TOKEN.match(text, position)
            if match is None or match.end() == position:
                break
            self.tokens.append(match.group(0).strip())
            position = match.end()
        self.tokens = [token for token in self.tokens if token]
        self.index = 0

    def read(self) -> list[object]:
        value = self._value()
        if self.index != len(self.tokens):
            raise BadArgument(f"{self.where}: unexpected '{self.tokens[self.index]}'")
        return value if isinstance(value, list) else [value]

    def _value(self) -> object:
        if self.index >= len(self.tokens):
            raise BadArgument(f"{self.where}: the list ends too early")
        token = self.tokens[self.index]
        self.index += 1
        if token not in "[(":
            return parse_number(token, self.where)
        items: list[object] = []
        while True:
            if self.index >= len(self.tokens):
                raise BadArgument(f"{self.where}: a bracket is not closed")
            if self.tokens[self.index] in "])":
                self.index += 1
                return items
            items.append(self._value())
            if self.index < len(self.tokens) and self.tokens[self.index] == ",":
                self.index += 1


def parse_vector(text: str, name: str) -> np.ndarray:
    """ "(0.5, -1)", "[0.5 -1]", "0.5, -1" or "1" -> a flat float vector."""
    stripped = re.sub(rf"^\s*{re.escape(name)}\s*=", "", text).strip()
    if not stripped:
        raise BadArgument(f"{name} is missing", hint="e.g. x=(0.5, -1) y=1")
    wrapped = stripped if stripped[0] in "[(" else f"[{stripped}]"
    items = _ListReader(wrapped, name).read()
    if not all(isinstance(item, float) for item in items):
        raise BadArgument(f"{name} must be a flat list of numbers, e.g. (0.5, -1)")
    return np.array(items, dtype=float)


def parse_weights(text: str, sizes: Sequence[int]) -> dict[str, np.ndarray]:
    """ "W1=[[..],[..]] b1=[..] W2=..." -> arrays checked against the network's shape."""
    depth = len(sizes) - 1
    found: dict[str, np.ndarray] = {}
    pieces = re.split(r"(?:^|[\s,;]+)([A-Za-z]+\d*)\s*=", text.strip())
    if pieces[0].strip():
        raise BadArgument(
            f"can't read the weights '{pieces[0].strip()}'",
            hint="write them as W1=[[0.1, 0.2], [0.3, 0.4]] b1=[0, 0.1] ...",
        )
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        match = re.fullmatch(r"([Wb])(\d+)", name)
        if match is None or not 1 <= int(match.group(2)) <= depth:
            names = ", ".join(f"W{k}, b{k}" for k in range(1, depth + 1))
            raise BadArgument(f"unknown weight '{name}'", hint=f"this network has {names}")
        layer = int(match.group(2))
        rows, columns = sizes[layer], sizes[layer - 1]
        values = _ListReader(body.strip().rstrip(",;"), name).read()
        if match.group(1) == "W":
            found[name] = _as_matrix(values, rows, columns, name)
        else:
            found[name] = _as_vector(values, rows, name)
    return found


def _as_matrix(values: list[object], rows: int, columns: int, name: str) -> np.ndarray:
    shape_hint = f"{name} must be {rows}×{columns} (rows: units in layer {name[1:]}, columns: units feeding it)"
    if (
        all(isinstance(v, float) for v in values)
        and len(values) == rows * columns
        and 1 in (rows, columns)
    ):
        return np.array(values, dtype=float).reshape(rows, columns)
    if len(values) != rows or not all(isinstance(v, list) and len(v) == columns for v in values):
        raise BadArgument(f"{name} has the wrong shape", hint=shape_hint)
    if not all(isinstance(item, float) for row in values for item in row):  # type: ignore[attr-defined]
        raise BadArgument(f"{name} must contain numbers only", hint=shape_hint)
    return np.array(values, dtype=float)


def _as_vector(values: list[object], length: int, name: str) -> np.ndarray:
    flat = [v[0] if isinstance(v, list) and len(v) == 1 else v for v in values]
    if len(flat) != length or not all(isinstance(v, float) for v in flat):
        raise BadArgument(f"{name} must be a list of {length} number{'s' if length != 1 else ''}")
    return np.array(flat, dtype=float)


def check_rate_and_steps(rate: float, steps: int) -> None:
    if not (np.isfinite(rate) and 0.0 < rate <= MAX_RATE):
        raise BadArgument(
            f"the learning rate must be a number in (0, {MAX_RATE:g}], not {rate:g}",
            hint="e.g. rate 0.5",
        )
    if not 0 <= steps <= MAX_STEPS:
        raise InputTooLarge(f"steps must be from 1 to {MAX_STEPS}, not {steps}")


# ---------------------------------------------------------------------------------------------
# The network


def seeded_network(sizes: Sequence[int], activation: str, seed: int) -> Network:
    """Weights ~ N(0, 1/fan-in) (2/fan-in for relu), rounded to 2 decimals so learners can redo the sums."""
    generator = np.random.default_rng(seed)
    weights, biases = [], []
    for fan_in, units in zip(sizes[:-1], sizes[1:], strict=True):
        scale = np.sqrt((2.0 if activation == "relu" else 1.0) / fan_in)
        weights.append(np.round(generator.normal(0.0, scale, (units, fan_in)), 2))
        if activation == "relu":
            biases.append(
                np.full(units, 0.1)
            )  # a small positive bias keeps relu units alive at the start
        else:
            biases.append(np.round(generator.normal(0.0, 0.5, units), 2))
    return Network(tuple(sizes), activation, tuple(weights), tuple(biases))


def with_weights(network: Network, given: dict[str, np.ndarray]) -> Network:
    weights = tuple(given.get(f"W{k}", w) for k, w in enumerate(network.weights, start=1))
    biases = tuple(given.get(f"b{k}", b) for k, b in enumerate(network.biases, start=1))
    return replace(network, weights=weights, biases=biases)


def activate(activation: str, z: np.ndarray) -> np.ndarray:
    if activation == "sigmoid":
        return np.asarray(expit(z))
    if activation == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def activation_slope(activation: str, z: np.ndarray) -> np.ndarray:
    """sigma'(z); relu's slope at exactly 0 is taken as 0."""
    if activation == "sigmoid":
        s = expit(z)
        return np.asarray(s * (1.0 - s))
    if activation == "tanh":
        return 1.0 - np.tanh(z) ** 2
    return (z > 0).astype(float)


def forward(network: Network, x: np.ndarray, y: np.ndarray) -> ForwardPass:
    a = [np.asarray(x, dtype=float)]
    z: list[np.ndarray] = []
    for weights, biases in zip(network.weights, network.biases, strict=True):
        z.append(weights @ a[-1] + biases)
        a.append(activate(network.activation, z[-1]))
    return ForwardPass(tuple(z), tuple(a), float(np.sum((a[-1] - y) ** 2)))


def backward(network: Network, run: ForwardPass, y: np.ndarray) -> tuple[LayerGradient, ...]:
    """The chain rule from the output back: each layer passes dC/da(l-1) = W(l)^T delta(l) down."""
    dcost_da = 2.0 * (run.a[-1] - y)
    layers: list[LayerGradient] = []
    for index in range(network.depth - 1, -1, -1):
        slope = activation_slope(network.activation, run.z[index])
        delta = dcost_da * slope
        previous = run.a[index]
        layers.append(
            LayerGradient(
                index + 1, dcost_da, slope, delta, previous, np.outer(delta, previous), delta
            )
        )
        dcost_da = network.weights[index].T @ delta
    return tuple(reversed(layers))


def descend(network: Network, gradients: Sequence[LayerGradient], rate: float) -> Network:
    """One step p <- p - rate dC/dp for every weight and bias."""
    weights = tuple(w - rate * g.weights for w, g in zip(network.weights, gradients, strict=True))
    biases = tuple(b - rate * g.biases for b, g in zip(network.biases, gradients, strict=True))
    return replace(network, weights=weights, biases=biases)


def check_example(network: Network, x: np.ndarray, y: np.ndarray) -> None:
    if len(x) != network.sizes[0]:
        raise BadArgument(
            f"x has {len(x)} value{'s' if len(x) != 1 else ''} but the network has {network.sizes[0]} inputs"
        )
    if len(y) != network.sizes[-1]:
        raise BadArgument(
            f"y has {len(y)} value{'s' if len(y) != 1 else ''} but the network has {network.sizes[-1]} outputs"
        )


def unreachable_target(activation: str, y: np.ndarray) -> str | None:
    """Why the cost can't reach 0 (a target outside the activation's range), or None."""
    if activation == "sigmoid" and np.any((y < 0) | (y > 1)):
        return "sigmoid outputs lie between 0 and 1, so a target outside [0, 1] can't be reached"
    if activation == "tanh" and np.any((y < -1) | (y > 1)):
        return "tanh outputs lie between -1 and 1, so a target outside [-1, 1] can't be reached"
    if activation == "relu" and np.any(y < 0):
        return "relu outputs are never negative, so a negative target can't be reached"
    return None


def train(
    network: Network, x: np.ndarray, y: np.ndarray, rate: float, steps: int
) -> tuple[Network, tuple[float, ...]]:
    """``steps`` steps of gradient descent; returns the trained network and the cost before each step and after the last."""
    costs = []
    for step in range(steps):
        run = forward(network, x, y)
        costs.append(run.cost)
        network = descend(network, backward(network, run, y), rate)
        if not all(np.all(np.isfinite(w)) for w in network.weights):
            raise NoConvergence(
                f"training diverged at step {step + 1}", hint=f"try a smaller rate than {rate:g}"
            )
    costs.append(forward(network, x, y).cost)
    return network, tuple(costs)
