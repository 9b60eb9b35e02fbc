"""Generated answers checked against independent numerics: finite differences, numpy, mpmath.

The function in each prompt is read back with our parser and evaluated numerically; the canonical
answer is parsed the same way. Nothing here reuses the generators' own SymPy differentiation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import mpmath
import numpy as np
import pytest
import sympy

from bot.solver.parser import parse, parse_list
from bot.solver.variables import symbol
from content.generate import generate_from, read_matrix

x, y, z, t = (symbol(name) for name in "xyzt")
SAMPLE = range(0, 50, 5)
STEP = 1e-5


def code_spans(prompt: str) -> list[sympy.Expr]:
    """The expressions quoted in a prompt (the typing example for matrices, ``[[a, b], …]``, is skipped)."""
    return [parse(span) for span in re.findall(r"`([^`]+)`", prompt) if not span.startswith("[[")]


def numeric(expr: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> Callable[..., float]:
    return sympy.lambdify(variables, expr, modules="mpmath")


def derivative(f: Callable[[float], float], at: float) -> float:
    return float(mpmath.diff(f, at))


def value(text: str, at: dict[sympy.Symbol, float] | None = None) -> float:
    return float(parse(text).evalf(30, subs=at or {}))


@pytest.mark.parametrize("name", ["power_rule", "product_rule", "chain_rule", "special_derivative", "quotient_rule", "all_rules"])
@pytest.mark.parametrize("seed", SAMPLE)
def test_derivative_answers_match_numeric_differentiation(name: str, seed: int) -> None:
    topic = {"power_rule": "power-sum-rules", "product_rule": "product-rule", "chain_rule": "chain-rule"}.get(name, "special-functions")
    question = generate_from(topic, name, seed)
    f = numeric(code_spans(question.prompt)[0], (x,))
    for at in (0.7, 1.3):
        assert value(question.answer, {x: at}) == pytest.approx(derivative(f, at), rel=1e-8, abs=1e-8)


@pytest.mark.parametrize("seed", SAMPLE)
def test_tangent_gradient_matches_a_central_difference(seed: int) -> None:
    question = generate_from("rise-over-run", "tangent_gradient", seed)
    f = numeric(code_spans(question.prompt)[0], (x,))
    at = float(re.search(r"at x = (-?\d+)", question.prompt).group(1))  # type: ignore[union-attr]
    central = (f(at + STEP) - f(at - STEP)) / (2 * STEP)
    assert value(question.answer) == pytest.approx(float(central), rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("seed", SAMPLE)
def test_partial_derivative_matches_numeric_differentiation(seed: int) -> None:
    question = generate_from("partial-derivatives", "partial_derivative", seed)
    wrt = symbol(re.search(r"∂f/∂([xy])", question.prompt).group(1))  # type: ignore[union-attr]
    f = numeric(code_spans(question.prompt)[0], (x, y))
    point = {x: 0.6, y: 1.4}
    numeric_partial = mpmath.diff(f, (point[x], point[y]), (1, 0) if wrt == x else (0, 1))
    assert value(question.answer, point) == pytest.approx(float(numeric_partial), rel=1e-8, abs=1e-8)


@pytest.mark.parametrize("seed", SAMPLE)
def test_total_derivative_matches_differentiating_along_the_path(seed: int) -> None:
    question = generate_from("total-derivative", "total_derivative", seed)
    f_expr, x_of_t, y_of_t = code_spans(question.prompt)[:3]
    f = numeric(f_expr, (x, y))
    path_x, path_y = numeric(x_of_t, (t,)), numeric(y_of_t, (t,))
    along = derivative(lambda s: f(path_x(s), path_y(s)), 0.8)
    assert value(question.answer, {t: 0.8}) == pytest.approx(along, rel=1e-8, abs=1e-8)


@pytest.mark.parametrize("seed", SAMPLE)
def test_jacobian_at_a_point_matches_finite_differences(seed: int) -> None:
    question = generate_from("jacobian", "jacobian_row_at", seed)
    f = numeric(code_spans(question.prompt)[0], (x, y))
    px, py = (int(n) for n in re.search(r"point \((-?\d+), (-?\d+)\)", question.prompt).groups())  # type: ignore[union-attr]
    expected = [mpmath.diff(f, (px, py), (1, 0)), mpmath.diff(f, (px, py), (0, 1))]
    assert [float(e) for e in parse_list(question.answer)] == pytest.approx([float(e) for e in expected], abs=1e-8)


@pytest.mark.parametrize("seed", SAMPLE)
def test_hessian_at_a_point_matches_finite_differences(seed: int) -> None:
    question = generate_from("hessian", "hessian_at_point", seed)
    f = numeric(code_spans(question.prompt)[0], (x, y))
    px, py = (int(n) for n in re.search(r"at \((-?\d+), (-?\d+)\)", question.prompt).groups())  # type: ignore[union-attr]
    expected = [[mpmath.diff(f, (px, py), (2, 0)), mpmath.diff(f, (px, py), (1, 1))], [mpmath.diff(f, (px, py), (1, 1)), mpmath.diff(f, (px, py), (0, 2))]]
    got = [[float(e) for e in row] for row in read_matrix(question.answer)]
    assert np.allclose(got, np.array(expected, dtype=float), atol=1e-6)


@pytest.mark.parametrize("seed", SAMPLE)
def test_stationary_point_has_zero_gradient(seed: int) -> None:
    question = generate_from("jacobian-applications", "stationary_point", seed)
    f = numeric(code_spans(question.prompt)[0], (x, y))
    px, py = (float(e) for e in parse_list(question.answer))
    assert float(mpmath.diff(f, (px, py), (1, 0))) == pytest.approx(0, abs=1e-8)
    assert float(mpmath.diff(f, (px, py), (0, 1))) == pytest.approx(0, abs=1e-8)


@pytest.mark.parametrize("seed", SAMPLE)
def test_newton_step_matches_a_float_iteration(seed: int) -> None:
    question = generate_from("newton-raphson", "newton_step", seed)
    f = numeric(code_spans(question.prompt)[0], (x,))
    x0 = float(re.search(r"x₀ = (-?\d+)", question.prompt).group(1))  # type: ignore[union-attr]
    assert value(question.answer) == pytest.approx(x0 - float(f(x0)) / derivative(f, x0), rel=1e-9)


@pytest.mark.parametrize("seed", SAMPLE)
def test_descent_step_matches_a_numeric_gradient_step(seed: int) -> None:
    question = generate_from("gradient-descent", "descent_step", seed)
    f = numeric(code_spans(question.prompt)[0], (x, y))
    px, py = (float(n) for n in re.search(r"from \((-?\d+), (-?\d+)\)", question.prompt).groups())  # type: ignore[union-attr]
    rate = float(re.search(r"γ = (\d+(?:\.\d+)?)", question.prompt).group(1))  # type: ignore[union-attr]
    expected = [px - rate * float(mpmath.diff(f, (px, py), (1, 0))), py - rate * float(mpmath.diff(f, (px, py), (0, 1)))]
    assert [float(e) for e in parse_list(question.answer)] == pytest.approx(expected, abs=1e-9)


def data_points(prompt: str) -> np.ndarray:
    return np.array([(float(a), float(b)) for a, b in re.findall(r"\((-?[\d.]+), (-?[\d.]+)\)", prompt.split(" by ")[0])])


@pytest.mark.parametrize("seed", SAMPLE)
def test_least_squares_line_matches_numpy_polyfit(seed: int) -> None:
    question = generate_from("linear-regression", "least_squares_line", seed)
    points = data_points(question.prompt)
    slope, intercept = np.polyfit(points[:, 0], points[:, 1], 1)
    assert [float(e) for e in parse_list(question.answer)] == pytest.approx([slope, intercept], abs=1e-9)


@pytest.mark.parametrize("seed", SAMPLE)
def test_chi_squared_matches_numpy(seed: int) -> None:
    question = generate_from("linear-regression", "chi_squared", seed)
    points = data_points(question.prompt.split(" and the line")[0])
    line = numeric(code_spans(question.prompt)[0], (x,))
    expected = sum((py - float(line(px))) ** 2 for px, py in points)
    assert value(question.answer) == pytest.approx(expected, rel=1e-12)


def numbers_after(prompt: str, *names: str) -> list[float]:
    return [float(re.search(re.escape(name) + r" = (-?[\d.]+)", prompt).group(1)) for name in names]  # type: ignore[union-attr]


def logistic(value: float) -> float:
    return 1.0 / (1.0 + np.exp(-value))


@pytest.mark.parametrize("seed", SAMPLE)
def test_single_neuron_weight_gradient_matches_a_finite_difference(seed: int) -> None:
    question = generate_from("neural-networks", "neuron_weight_gradient", seed)
    w, b, a0 = numbers_after(question.prompt, "w", "b", "a⁽⁰⁾")
    target = numbers_after(question.prompt, "target y")[0]
    activation = logistic if "σ(" in question.prompt else np.tanh

    def cost(weight: float) -> float:
        return float((activation(weight * a0 + b) - target) ** 2)

    central = (cost(w + STEP) - cost(w - STEP)) / (2 * STEP)
    assert value(question.answer) == pytest.approx(central, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("seed", SAMPLE)
def test_hidden_weight_gradient_matches_a_finite_difference(seed: int) -> None:
    question = generate_from("backpropagation", "hidden_weight_gradient", seed)
    w1, b1, w2, b2, a0 = numbers_after(question.prompt, "w⁽¹⁾", "b⁽¹⁾", "w⁽²⁾", "b⁽²⁾", "a⁽⁰⁾")
    target = numbers_after(question.prompt, "target y")[0]

    def cost(weight: float) -> float:
        return float((logistic(w2 * logistic(weight * a0 + b1) + b2) - target) ** 2)

    central = (cost(w1 + STEP) - cost(w1 - STEP)) / (2 * STEP)
    assert value(question.answer) == pytest.approx(central, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("seed", SAMPLE)
def test_maclaurin_coefficient_matches_mpmath_taylor(seed: int) -> None:
    question = generate_from("power-series", "maclaurin_coefficient", seed)
    power = int(re.search(r"x\^(\d+)", question.prompt).group(1))  # type: ignore[union-attr]
    f = numeric(code_spans(question.prompt)[0], (x,))
    coefficients = mpmath.taylor(f, 0, power)
    assert value(question.answer) == pytest.approx(float(coefficients[power]), rel=1e-8, abs=1e-10)


@pytest.mark.parametrize("seed", SAMPLE)
def test_linear_estimate_matches_value_plus_slope_times_step(seed: int) -> None:
    question = generate_from("linearisation", "linear_estimate", seed)
    f = numeric(code_spans(question.prompt)[0], (x,))
    a = float(re.search(r"at x = (\d+)", question.prompt).group(1))  # type: ignore[union-attr]
    target = float(re.search(r"estimate f\(([\d.]+)\)", question.prompt).group(1))  # type: ignore[union-attr]
    expected = float(f(a)) + derivative(f, a) * (target - a)
    assert value(question.answer) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("seed", SAMPLE)
def test_lagrange_point_is_on_the_constraint_with_parallel_gradients(seed: int) -> None:
    question = generate_from("lagrange-multipliers", "lagrange_point", seed)
    objective, constraint = code_spans(question.prompt)[:2]
    level = float(re.search(r"` = (-?\d+)", question.prompt).group(1))  # type: ignore[union-attr]
    px, py = (float(e) for e in parse_list(question.answer))
    f, g = numeric(objective, (x, y)), numeric(constraint, (x, y))
    assert float(g(px, py)) == pytest.approx(level, rel=1e-12)
    grad_f = [float(mpmath.diff(f, (px, py), order)) for order in ((1, 0), (0, 1))]
    grad_g = [float(mpmath.diff(g, (px, py), order)) for order in ((1, 0), (0, 1))]
    assert grad_f[0] * grad_g[1] - grad_f[1] * grad_g[0] == pytest.approx(0, abs=1e-8)
