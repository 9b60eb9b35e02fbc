"""Module 3 generators: the multivariate chain rule, single neurons, and backpropagation.

Networks follow the course: a⁽¹⁾ = σ(w⁽¹⁾a⁽⁰⁾ + b⁽¹⁾), cost C = (a⁽ᴸ⁾ − y)², σ the logistic function.
Gradients are found by differentiating the cost with SymPy, not by a hand-written backprop formula.
"""

from __future__ import annotations

import sympy

from bot.present.format import plain
from bot.solver.variables import symbol
from content.generators.base import (
    Draft,
    Generator,
    choice_draft,
    code,
    decimal,
    declares,
    nonzero,
    number_draft,
    pick,
    rounded,
    signed,
    t,
    x,
    y,
    z,
)

w1, b1, w2, b2, a0 = (symbol(name) for name in ("w1", "b1", "w2", "b2", "a0"))
u = symbol("u")

_TENTHS = tuple(sympy.Rational(n, 10) for n in range(-20, 21, 5) if n != 0)  # ±0.5, ±1, ±1.5, ±2
_INPUTS = tuple(sympy.Rational(n, 10) for n in (-10, -5, -2, 2, 5, 8, 10))
_TARGETS = (sympy.Integer(0), sympy.Integer(1))


def sigmoid(value: sympy.Expr) -> sympy.Expr:
    """The logistic function σ(z) = 1/(1 + e^(−z)), as the parser builds ``sigmoid``."""
    return 1 / (1 + sympy.exp(-value))


_ACTIVATIONS = {"σ": sigmoid, "tanh": sympy.tanh}


@declares("multivariate_chain_rule")
def vector_chain_at(seed: int) -> Draft:
    a, b, c, p, q, r, t0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), (1, 2, 3), nonzero(-3, 3), range(-2, 3), (-1, 1, 2))
    f = a * x * y + b * y * z + c * x**2
    path = {x: t**2 + r, y: p * t, z: t**3 + q}
    jac = [sympy.diff(f, v) for v in (x, y, z)]
    velocity = [sympy.diff(path[v], t) for v in (x, y, z)]
    at = {t: t0}
    point = {v: path[v].subs(at) for v in (x, y, z)}
    jac_values = [entry.subs(point) for entry in jac]
    velocity_values = [entry.subs(at) for entry in velocity]
    value = sympy.diff(f.subs(path), t).subs(at)
    return number_draft(
        f"f(x, y, z) = {code(f)} along the path x = {code(path[x])}, y = {code(path[y])}, z = {code(path[z])}. Find df/dt at t = {t0}.",
        value,
        hints=(
            "Multivariate chain rule: df/dt = J_f · dx/dt, the Jacobian of f times the velocity of the path.",
            f"At t = {t0} the point is ({point[x]}, {point[y]}), z = {point[z]}; dx/dt = {tuple(velocity_values)}.",
        ),
        solution=f"J_f = ({', '.join(plain(e) for e in jac)}) and dx/dt = ({', '.join(plain(e) for e in velocity)}). At t = {t0}: "
        f"J_f = {tuple(jac_values)}, dx/dt = {tuple(velocity_values)}, so df/dt = their dot product = **{value}**.",
        command=f"/chain {plain(f)} with x = {plain(path[x])}, y = {plain(path[y])}, z = {plain(path[z])} wrt t",
    )


@declares("multivariate_chain_rule")
def nested_chain_at(seed: int) -> Draft:
    a, b, p, q, c, t0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-2, 2), range(-2, 3), (2, 3), (-1, 1, 2))
    f = a * x**2 + b * x * y
    inner = {x: u + p, y: u**2 + q}
    outer_u = t**c + 1
    total = f.subs(inner).subs(u, outer_u)
    value = sympy.diff(total, t).subs(t, t0)
    u0 = outer_u.subs(t, t0)
    point = {v: e.subs(u, u0) for v, e in inner.items()}
    df = [sympy.diff(f, v).subs(point) for v in (x, y)]
    dx = [sympy.diff(inner[v], u).subs(u, u0) for v in (x, y)]
    du = sympy.diff(outer_u, t).subs(t, t0)
    return number_draft(
        f"f(x, y) = {code(f)}, where x = {code(inner[x])}, y = {code(inner[y])} and u = {code(outer_u)}. Find df/dt at t = {t0}.",
        value,
        hints=(
            "Chain the links: df/dt = (∂f/∂x, ∂f/∂y) · (dx/du, dy/du) · du/dt.",
            f"At t = {t0}: u = {u0}, (x, y) = ({point[x]}, {point[y]}).",
        ),
        solution=f"At t = {t0}: u = {u0}, (x, y) = ({point[x]}, {point[y]}). ∂f/∂(x, y) = {tuple(df)}, d(x, y)/du = {tuple(dx)}, "
        f"du/dt = {du}. df/dt = ({df[0]}·{dx[0]} + {df[1]}·{dx[1]})·{du} = **{value}**.",
        command=f"/chain {plain(f.subs(inner))} with u = {plain(outer_u)} wrt t",
    )


def _neuron(seed: int) -> tuple[str, sympy.Rational, sympy.Rational, sympy.Rational, sympy.Integer]:
    activation, w, b, a_in, target = pick(seed, tuple(_ACTIVATIONS), _TENTHS, _TENTHS, _INPUTS, _TARGETS)
    return activation, w, b, a_in, target


def _neuron_text(activation: str, w: sympy.Rational, b: sympy.Rational, a_in: sympy.Rational) -> str:
    return f"a⁽¹⁾ = {activation}(w·a⁽⁰⁾ + b) with w = {decimal(w)}, b = {decimal(b)} and input a⁽⁰⁾ = {decimal(a_in)}"


@declares("neural_networks")
def neuron_activation(seed: int) -> Draft:
    activation, w, b, a_in, _ = _neuron(seed)
    z_value = w * a_in + b
    value = _ACTIVATIONS[activation](z_value)
    formula = "σ(z) = 1/(1 + e^(−z))" if activation == "σ" else "tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))"
    return number_draft(
        f"A single neuron computes {_neuron_text(activation, w, b, a_in)}. What is its output a⁽¹⁾?",
        value,
        hints=("First the weighted sum z = w·a⁽⁰⁾ + b, then the activation.", f"z = {decimal(z_value)}; {formula}."),
        solution=f"z = {signed(w)}·{signed(a_in)} + {signed(b)} = {decimal(z_value)}; a⁽¹⁾ = {activation}({decimal(z_value)}) "
        f"= **{sympy.N(value, 6)}**.",
    )


def _neuron_gradient(seed: int, name: str) -> Draft:
    """∂C/∂w (``name == "w"``) or ∂C/∂b for one neuron, differentiating the whole cost with SymPy."""
    activation, w, b, a_in, target = _neuron(seed)
    weight, bias = symbol("w"), symbol("b")
    zed = weight * a_in + bias
    cost = (_ACTIVATIONS[activation](zed) - target) ** 2
    chosen = weight if name == "w" else bias
    values = {weight: w, bias: b}
    gradient = sympy.diff(cost, chosen).subs(values)
    output = _ACTIVATIONS[activation](zed).subs(values)
    link = "a⁽⁰⁾" if name == "w" else "1"
    return number_draft(
        f"A single neuron computes {_neuron_text(activation, w, b, a_in)}, with cost C = (a⁽¹⁾ − y)² for target y = {target}. "
        f"Find ∂C/∂{name}.",
        gradient,
        hints=(
            f"Chain rule: ∂C/∂{name} = ∂C/∂a⁽¹⁾ · ∂a⁽¹⁾/∂z · ∂z/∂{name}, where z = w·a⁽⁰⁾ + b.",
            "∂C/∂a⁽¹⁾ = 2(a⁽¹⁾ − y); "
            + ("σ'(z) = σ(z)(1 − σ(z))" if activation == "σ" else "tanh'(z) = 1 − tanh²(z)")
            + f"; ∂z/∂{name} = {link}.",
        ),
        solution=f"z = {decimal(w * a_in + b)} and a⁽¹⁾ ≈ {sympy.N(output, 6)}. ∂C/∂{name} = 2(a⁽¹⁾ − y)·{activation}'(z)·{link} "
        f"≈ **{sympy.N(gradient, 6)}**.",
        command=f"/backprop 1-1 {'sigmoid' if activation == 'σ' else 'tanh'} x=({decimal(a_in)}) y={target} "
        f"weights W1=[[{decimal(w)}]] b1=[{decimal(b)}]",
    )


@declares("backpropagation", "neural_networks")
def neuron_weight_gradient(seed: int) -> Draft:
    return _neuron_gradient(seed, "w")


@declares("backpropagation", "neural_networks")
def neuron_bias_gradient(seed: int) -> Draft:
    return _neuron_gradient(seed, "b")


def _two_layer(seed: int, parameter: sympy.Symbol) -> Draft:
    first_w, first_b, second_w, second_b, a_in, target = pick(seed, _TENTHS, _TENTHS, _TENTHS, _TENTHS, _INPUTS, _TARGETS)
    hidden = sigmoid(w1 * a0 + b1)
    output = sigmoid(w2 * hidden + b2)
    cost = (output - target) ** 2
    values = {w1: first_w, b1: first_b, w2: second_w, b2: second_b, a0: a_in}
    gradient = rounded(sympy.diff(cost, parameter).evalf(15, subs=values))
    a1_value, a2_value = hidden.evalf(15, subs=values), output.evalf(15, subs=values)
    chain = {
        w2: "∂C/∂a⁽²⁾ · σ'(z⁽²⁾) · a⁽¹⁾",
        w1: "∂C/∂a⁽²⁾ · σ'(z⁽²⁾) · w⁽²⁾ · σ'(z⁽¹⁾) · a⁽⁰⁾",
        b1: "∂C/∂a⁽²⁾ · σ'(z⁽²⁾) · w⁽²⁾ · σ'(z⁽¹⁾)",
    }[parameter]
    name = {w2: "w⁽²⁾", w1: "w⁽¹⁾", b1: "b⁽¹⁾"}[parameter]
    return number_draft(
        f"A 1-1-1 network: a⁽¹⁾ = σ(w⁽¹⁾a⁽⁰⁾ + b⁽¹⁾), a⁽²⁾ = σ(w⁽²⁾a⁽¹⁾ + b⁽²⁾), cost C = (a⁽²⁾ − y)², σ the logistic function. "
        f"With w⁽¹⁾ = {decimal(first_w)}, b⁽¹⁾ = {decimal(first_b)}, w⁽²⁾ = {decimal(second_w)}, b⁽²⁾ = {decimal(second_b)}, "
        f"input a⁽⁰⁾ = {decimal(a_in)} and target y = {target}, find ∂C/∂{name}.",
        gradient,
        hints=(
            "Run the network forwards first: a⁽¹⁾, then a⁽²⁾.",
            f"Backwards through the chain: ∂C/∂{name} = {chain}, with ∂C/∂a⁽²⁾ = 2(a⁽²⁾ − y) and σ'(z) = σ(z)(1 − σ(z)).",
        ),
        solution=f"Forward pass: a⁽¹⁾ ≈ {sympy.N(a1_value, 6)}, a⁽²⁾ ≈ {sympy.N(a2_value, 6)}. "
        f"Backward pass: ∂C/∂{name} = {chain} ≈ **{sympy.N(gradient, 6)}**.",
        command=f"/backprop 1-1-1 sigmoid x=({decimal(a_in)}) y={target} weights W1=[[{decimal(first_w)}]] "
        f"b1=[{decimal(first_b)}] W2=[[{decimal(second_w)}]] b2=[{decimal(second_b)}]",
    )


@declares("backpropagation", "multivariate_chain_rule")
def output_weight_gradient(seed: int) -> Draft:
    return _two_layer(seed, w2)


@declares("backpropagation", "multivariate_chain_rule")
def hidden_weight_gradient(seed: int) -> Draft:
    return _two_layer(seed, w1)


@declares("backpropagation", "multivariate_chain_rule")
def hidden_bias_gradient(seed: int) -> Draft:
    return _two_layer(seed, b1)


@declares("backpropagation")
def backprop_chain_choice(seed: int) -> Draft:
    """Which chain-rule product is ∂C/∂w⁽¹⁾, with the network's numbers plugged in symbolically."""
    first_w, second_w, a_in = pick(seed, _TENTHS, _TENTHS, _INPUTS)
    # Exact values of each link for b = 0 and target 1, then the typical wrong assemblies of them.
    hidden = sigmoid(first_w * a_in).evalf(15)
    output = sigmoid(second_w * hidden).evalf(15)
    d_cost = 2 * (output - 1)
    d_out = output * (1 - output)
    d_hidden = hidden * (1 - hidden)
    # Independent check of the assembled product: SymPy differentiates the whole cost.
    exact = sympy.diff((sigmoid(w2 * sigmoid(w1 * a0)) - 1) ** 2, w1).evalf(15, subs={w1: first_w, w2: second_w, a0: a_in})
    correct = rounded(exact)
    mistakes = [
        rounded(d_cost * d_out * d_hidden * a_in),  # forgot the weight linking the layers
        rounded(d_cost * d_out * second_w * a_in),  # forgot the hidden activation's derivative
        rounded(d_cost * d_out * hidden),  # used the output-layer formula
        rounded(d_cost * second_w * d_hidden * a_in),  # forgot the output activation's derivative
    ]
    return choice_draft(
        seed,
        f"In a 1-1-1 sigmoid network with w⁽¹⁾ = {decimal(first_w)}, w⁽²⁾ = {decimal(second_w)}, both biases 0, input "
        f"a⁽⁰⁾ = {decimal(a_in)} and target y = 1, which value is ∂C/∂w⁽¹⁾ for C = (a⁽²⁾ − y)²?",
        correct,
        mistakes,
        codes=("backprop_factor_missing",) * len(mistakes),
        hints=("∂C/∂w⁽¹⁾ = ∂C/∂a⁽²⁾ · ∂a⁽²⁾/∂z⁽²⁾ · ∂z⁽²⁾/∂a⁽¹⁾ · ∂a⁽¹⁾/∂z⁽¹⁾ · ∂z⁽¹⁾/∂w⁽¹⁾ — five links.",),
        solution="∂C/∂w⁽¹⁾ = 2(a⁽²⁾ − y) · σ'(z⁽²⁾) · w⁽²⁾ · σ'(z⁽¹⁾) · a⁽⁰⁾; leaving out a link (w⁽²⁾ or either σ') gives "
        f"the other options. Value: **{sympy.N(correct, 6)}**.",
        command=f"/backprop 1-1-1 sigmoid x=({decimal(a_in)}) y=1 weights W1=[[{decimal(first_w)}]] b1=[0] "
        f"W2=[[{decimal(second_w)}]] b2=[0]",
        render=lambda value: f"{float(sympy.N(value, 15)):.4g}",
    )


GENERATORS: dict[str, Generator] = {
    "vector_chain_at": vector_chain_at,
    "nested_chain_at": nested_chain_at,
    "neuron_activation": neuron_activation,
    "neuron_weight_gradient": neuron_weight_gradient,
    "neuron_bias_gradient": neuron_bias_gradient,
    "output_weight_gradient": output_weight_gradient,
    "hidden_weight_gradient": hidden_weight_gradient,
    "hidden_bias_gradient": hidden_bias_gradient,
    "backprop_chain_choice": backprop_chain_choice,
}
