"""The /backprop job: a forward pass, the chain rule backwards layer by layer, and a descent step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy

from bot.present.answer import Answer, Figure
from bot.present.format import fmt_table
from bot.solver.backprop import (
    ForwardPass,
    LayerGradient,
    Network,
    backward,
    check_example,
    check_rate_and_steps,
    descend,
    forward,
    parse_activation,
    parse_shape,
    parse_vector,
    parse_weights,
    seeded_network,
    train,
    unreachable_target,
    with_weights,
)
from plotting.training import cost_curve_data, render_cost_curve

_SUPERSCRIPTS = str.maketrans("0123456789L", "⁰¹²³⁴⁵⁶⁷⁸⁹ᴸ")
_MAX_SHOWN_ROWS = 6  # a bigger matrix shows its first rows; `result` always has all of it
_MAX_UPDATED_ENTRIES = 40  # updated weights are listed only for small networks
_NAME = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}
_SLOPE = {
    "sigmoid": "σ′(z) = σ(z)(1 − σ(z)) = a(1 − a)",
    "tanh": "tanh′(z) = 1 − tanh²(z) = 1 − a²",
    "relu": "relu′(z) = 1 where z > 0, else 0",
}


def backprop(
    shape_text: str,
    activation: str = "sigmoid",
    x_text: str = "",
    y_text: str = "",
    weights_text: str | None = None,
    rate: float = 0.5,
    steps: int = 0,
    seed: int = 1,
) -> Answer:
    """Worker job for /backprop."""
    sizes = parse_shape(shape_text)
    act = parse_activation(activation)
    check_rate_and_steps(rate, steps)
    x, y = parse_vector(x_text, "x"), parse_vector(y_text, "y")
    given = parse_weights(weights_text, sizes) if weights_text and weights_text.strip() else {}
    network = with_weights(seeded_network(sizes, act, seed), given)
    check_example(network, x, y)

    run = forward(network, x, y)
    gradients = backward(network, run, y)
    updated = descend(network, gradients, rate)
    new_cost = forward(updated, x, y).cost

    sections = [
        _heading(network, x, y),
        _weights_section(network, given, seed),
        _forward_section(network, run),
        _backward_section(network, gradients),
        _update_section(network, updated, run.cost, new_cost, rate),
    ]
    images: tuple[Figure, ...] = ()
    if steps > 0:
        trained, costs = train(network, x, y, rate, steps)
        sections.append(_training_section(trained, x, y, costs, rate))
        title = f"Training a {'-'.join(map(str, sizes))} {act} network (rate {rate:g})"
        png = render_cost_curve(cost_curve_data(costs), title=title)
        alt = f"cost over {steps} training steps, from {costs[0]:.4g} to {costs[-1]:.4g}"
        images = (Figure("training.png", png, alt),)
    note = unreachable_target(act, y)
    if note:
        sections.append(f"_Note: {note}._")
    held = (
        f"∂C/∂W{_sup(1)}, …, ∂C/∂W{_sup(network.depth)} of this first step, in layer order"
        if network.depth > 1
        else f"∂C/∂W{_sup(1)} of this first step"
    )
    sections.append(f"`result` holds the weight gradient{'s' if network.depth > 1 else ''} {held}.")
    return Answer(
        text="\n\n".join(sections),
        result="[" + ", ".join(_matrix_result(g.weights) for g in gradients) + "]",
        latex=r"\frac{\partial C}{\partial W^{(l)}} = \frac{\partial C}{\partial a^{(l)}}"
        r"\frac{\partial a^{(l)}}{\partial z^{(l)}}\frac{\partial z^{(l)}}{\partial W^{(l)}}",
        images=images,
    )


def _sup(layer: int | str) -> str:
    return f"⁽{str(layer).translate(_SUPERSCRIPTS)}⁾"


def _num(value: float) -> str:
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0.0 (a zero gradient times a negative) into 0


def _vector(values: np.ndarray) -> str:
    if len(values) == 1:
        return _num(float(values[0]))
    return "(" + ", ".join(_num(float(v)) for v in values) + ")"


def _matrix_lines(name: str, matrix: np.ndarray) -> list[str]:
    """A matrix as aligned rows (only the first rows if it is tall), its shape on the last line."""
    cells = [[_num(float(v)) for v in row] for row in matrix]
    width = max(len(cell) for row in cells for cell in row)
    shown = cells[:_MAX_SHOWN_ROWS]
    prefix = f"{name} = "
    lines = []
    for i, row in enumerate(shown):
        lead = prefix + "[" if i == 0 else " " * len(prefix) + " "
        lines.append(lead + "[" + ", ".join(cell.rjust(width) for cell in row) + "],")
    if len(cells) > len(shown):
        lines.append(" " * (len(prefix) + 1) + f"… {len(cells) - len(shown)} more rows")
    lines[-1] = lines[-1].rstrip(",") + f"]   ({matrix.shape[0]}×{matrix.shape[1]})"
    return lines


def _code(lines: Sequence[str]) -> str:
    return "```\n" + "\n".join(lines) + "\n```"


def _layer_parameters(network: Network) -> str:
    lines: list[str] = []
    for k, (weights, biases) in enumerate(
        zip(network.weights, network.biases, strict=True), start=1
    ):
        lines += _matrix_lines(f"W{_sup(k)}", weights)
        lines.append(f"b{_sup(k)} = {_vector(biases)}")
    return _code(lines)


def _matrix_result(matrix: np.ndarray) -> str:
    """SymPy syntax with round-trip floats: Matrix([[0.1, -0.02], ...])."""
    rows = (
        "[" + ", ".join(sympy.sstr(sympy.Float(repr(float(v)))) for v in row) + "]"
        for row in matrix
    )
    return "Matrix([" + ", ".join(rows) + "])"


def _heading(network: Network, x: np.ndarray, y: np.ndarray) -> str:
    shape = "-".join(map(str, network.sizes))
    last = _sup(network.depth)
    return (
        f"**Backpropagation** on a {shape} network ({network.depth} weight layer"
        f"{'s' if network.depth != 1 else ''}, {network.activation} activations) for one example "
        f"x = {_vector(x)} with target y = {_vector(y)}.\n"
        f"Cost C = Σ(a{last} − y)², where a{_sup(0)} = x and each layer computes "
        f"z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = {_NAME[network.activation]}(z⁽ˡ⁾)."
    )


def _weights_section(network: Network, given: dict[str, np.ndarray], seed: int) -> str:
    names = [f"{kind}{k}" for k in range(1, network.depth + 1) for kind in ("W", "b")]
    seeded = [name for name in names if name not in given]
    if not given:
        origin = f"Starting weights, drawn at random with seed {seed} and rounded to 2 decimals:"
    elif not seeded:
        origin = "Starting weights, as you gave them:"
    else:
        origin = f"Starting weights: {', '.join(sorted(given))} as you gave them; {', '.join(seeded)} drawn with seed {seed}:"
    return origin + "\n" + _layer_parameters(network)


def _forward_section(network: Network, run: ForwardPass) -> str:
    lines = ["**Forward pass**"]
    for k in range(1, network.depth + 1):
        lines.append(
            f"- z{_sup(k)} = W{_sup(k)}a{_sup(k - 1)} + b{_sup(k)} = {_vector(run.z[k - 1])}; "
            f"a{_sup(k)} = {_NAME[network.activation]}(z{_sup(k)}) = {_vector(run.a[k])}"
        )
    lines.append(f"- C = Σ(a{_sup(network.depth)} − y)² = **{_num(run.cost)}**")
    return "\n".join(lines)


def _backward_section(network: Network, gradients: Sequence[LayerGradient]) -> str:
    depth = network.depth
    lines = [
        "**Backward pass** (the multivariate chain rule, from the output back):\n"
        "∂C/∂W⁽ˡ⁾ = ∂C/∂a⁽ˡ⁾ · ∂a⁽ˡ⁾/∂z⁽ˡ⁾ · ∂z⁽ˡ⁾/∂W⁽ˡ⁾ and ∂C/∂b⁽ˡ⁾ = ∂C/∂a⁽ˡ⁾ · ∂a⁽ˡ⁾/∂z⁽ˡ⁾ · 1, "
        f"with {_SLOPE[network.activation]}."
    ]
    for gradient in reversed(gradients):
        k, s, p = gradient.layer, _sup(gradient.layer), _sup(gradient.layer - 1)
        if k == depth:
            source = f"∂C/∂a{s} = 2(a{s} − y) = {_vector(gradient.dcost_da)}"
        else:
            n = _sup(k + 1)
            source = f"∂C/∂a{s} = (W{n})ᵀ · ∂C/∂z{n} = {_vector(gradient.dcost_da)}"
        lines.append(
            f"Layer {k}:\n"
            f"- {source}\n"
            f"- ∂a{s}/∂z{s} = {_NAME[network.activation]}′(z{s}) = {_vector(gradient.da_dz)}\n"
            f"- ∂C/∂z{s} = ∂C/∂a{s} ⊙ ∂a{s}/∂z{s} = {_vector(gradient.delta)}\n"
            f"- ∂C/∂b{s} = ∂C/∂z{s} = {_vector(gradient.biases)}\n"
            f"- ∂z{s}/∂W{s} brings in a{p} = {_vector(gradient.previous_a)}, so ∂C/∂W{s} = ∂C/∂z{s} · (a{p})ᵀ:\n"
            + _code(_matrix_lines(f"∂C/∂W{s}", gradient.weights))
        )
    return "\n\n".join(lines)


def _update_section(
    network: Network, updated: Network, cost: float, new_cost: float, rate: float
) -> str:
    lines = [
        f"**One gradient-descent step** with learning rate η = {rate:g}: W⁽ˡ⁾ ← W⁽ˡ⁾ − η ∂C/∂W⁽ˡ⁾, b⁽ˡ⁾ ← b⁽ˡ⁾ − η ∂C/∂b⁽ˡ⁾."
    ]
    entries = sum(w.size + b.size for w, b in zip(network.weights, network.biases, strict=True))
    if entries <= _MAX_UPDATED_ENTRIES:
        lines.append(_layer_parameters(updated))
    change = "down" if new_cost < cost else "up"
    lines.append(
        f"New cost C = **{_num(new_cost)}** (was {_num(cost)}: {change} by {_num(abs(cost - new_cost))})."
    )
    if new_cost > cost:
        lines.append(f"The cost went up: the step overshot. Try a smaller rate than {rate:g}.")
    return "\n\n".join(lines)


def _training_section(
    trained: Network, x: np.ndarray, y: np.ndarray, costs: Sequence[float], rate: float
) -> str:
    steps = len(costs) - 1
    marks = sorted(
        {0, steps, *(m for m in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if m < steps)}
    )
    table = fmt_table(["step", "cost C"], [[str(m), _num(costs[m])] for m in marks])
    output = forward(trained, x, y).a[-1]
    verdict = (
        "The cost fell."
        if costs[-1] < costs[0]
        else f"The cost did not fall: try a smaller rate than {rate:g}."
    )
    return (
        f"**Training** for {steps} step{'s' if steps != 1 else ''} (the first is the step above):\n\n{table}\n\n"
        f"After training the output is a{_sup(trained.depth)} = {_vector(output)} for target y = {_vector(y)}. {verdict}"
    )
