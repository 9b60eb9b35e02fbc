"""Time every figure kind against a bare matplotlib script drawing the same figure.

Run by hand: ``.venv/bin/python benchmarks/plots.py [N]`` (N warm runs per figure, default 20).
The bare script gets the data precomputed (same arrays, same size, same artists), so the ratio
is what our layer costs on top of matplotlib: sampling, lambdify, checks and styling.
Targets: ratio ≤ 1.3×, contour + quiver (gradient field) p50 < 250 ms.
"""

from __future__ import annotations

import io
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import sympy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotting  # noqa: E402
from bot.solver.variables import symbol  # noqa: E402
from plotting import fields, style  # noqa: E402

x, y = symbol("x"), symbol("y")
BUMPY = sympy.sin(x) * sympy.cos(y) + x**2 / 10
BOWL = x**2 - x * y + 3 * y**2
NEWTON = (
    x**6 / 6 - 3 * x**4 - sympy.Rational(2, 3) * x**3 + sympy.Rational(27, 2) * x**2 + 18 * x - 30
)


def bare_figure() -> Figure:
    figure = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def bare_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def newton_iterates() -> list[float]:
    f, df = sympy.lambdify(x, NEWTON), sympy.lambdify(x, sympy.diff(NEWTON, x))
    points = [-4.0]
    for _ in range(5):
        points.append(points[-1] - f(points[-1]) / df(points[-1]))
    return points


def descent_path() -> list[tuple[float, float]]:
    point, path = np.array([2.5, 2.0]), [(2.5, 2.0)]
    for _ in range(30):
        point = point - 0.1 * np.array([2 * point[0] - point[1], 6 * point[1] - point[0]])
        path.append((float(point[0]), float(point[1])))
    return path


# --- bare matplotlib versions: same data, same artists ----------------------------------------


def bare_functions() -> Callable[[], bytes]:
    exprs = [sympy.sin(x), sympy.tan(x), 1 / x]
    data = plotting.functions_data(exprs)

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        ax.axhline(0)
        ax.axvline(0)
        for e, values in zip(exprs, data.ys, strict=True):
            ax.plot(data.x, values, label=style.formula(e, "y"))
        ax.set_xlim(*data.xlim)
        ax.set_ylim(*data.ylim)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.grid(True)
        ax.set_title("3 functions of $x$")
        ax.legend()
        figure.tight_layout()
        return bare_png(figure)

    return draw


def bare_tangent() -> Callable[[], bytes]:
    expr = x**3 - 2 * x
    data = plotting.tangent_data(expr, 1, derivative=True)
    c = data.curve

    def draw() -> bytes:
        figure = bare_figure()
        ax, ax_d = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        ax.axhline(0)
        ax.axvline(0)
        ax_d.axhline(0)
        ax_d.axvline(0)
        ax.plot(c.x, c.ys[0], label=style.formula(expr, "y"))
        ax.plot(c.x, data.tangent, "--", label="tangent, slope $f'(1) = 1$")
        ax.plot([data.at], [data.value], "o")
        ax.set_xlim(*c.xlim)
        ax.set_ylim(*c.ylim)
        ax.legend()
        ax.grid(True)
        ax_d.plot(c.x, c.ys[1], label=style.formula(sympy.diff(expr, x), "y'"))
        ax_d.plot([data.at], [data.slope], "o")
        ax_d.set_xlabel("$x$")
        ax_d.set_ylabel("$y'$")
        ax_d.legend()
        ax_d.grid(True)
        ax.set_title(f"Tangent to {style.formula(expr, 'y')} at $x = 1$")
        figure.tight_layout()
        return bare_png(figure)

    return draw


def bare_taylor() -> Callable[[], bytes]:
    data = plotting.taylor_data(sympy.sin(x), 0, 7)
    c = data.curve

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        ax.axhline(0)
        ax.axvline(0)
        ax.fill_between(c.x, c.ys[0], np.clip(c.ys[-1], -5, 5), alpha=0.15, label="$|f - P_7|$")
        ax.plot(c.x, c.ys[0], label=r"$f = \sin{\left(x \right)}$")
        for k, values in enumerate(c.ys[1:], start=1):
            ax.plot(
                c.x,
                values,
                label=f"$P_{{{k}}} = {sympy.latex(data.polynomials[k - 1], order='rev-lex')}$",
            )
        ax.plot([0], [0], "o")
        ax.axvline(0, linestyle=":")
        ax.set_xlim(*c.xlim)
        ax.set_ylim(*c.ylim)
        ax.grid(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(r"Taylor polynomials of $f = \sin{\left(x \right)}$ about $x = 0$")
        figure.tight_layout()
        return bare_png(figure)

    return draw


def bare_newton() -> Callable[[], bytes]:
    data = plotting.newton_data(NEWTON, newton_iterates())
    c = data.curve

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        ax.axhline(0)
        ax.plot(c.x, c.ys[0], label="$y = f(x)$")
        for step in data.steps:
            if step.next_x is None:
                continue
            ax.plot([step.x, step.next_x], [step.value, 0.0])
            ax.plot([step.next_x, step.next_x], [0.0, 1.0], ":")
        ax.plot(data.iterates, np.zeros(len(data.iterates)), "o", label="iterates $x_n$")
        for i, point in enumerate(data.iterates[:3]):
            ax.annotate(f"$x_{{{i}}}$", (point, 0.0))
        ax.set_xlim(*c.xlim)
        ax.set_ylim(*c.ylim)
        ax.grid(True)
        ax.legend()
        ax.set_title(f"Newton–Raphson on {style.formula(NEWTON, 'y')}")
        figure.tight_layout()
        return bare_png(figure)

    return draw


def _bare_field(ax: Any, field: Any) -> Any:
    filled = ax.contourf(
        field.x, field.y, field.z, levels=field.levels, cmap=style.FIELD_CMAP, alpha=0.8
    )
    ax.contour(field.x, field.y, field.z, levels=field.levels, colors="#555555", linewidths=0.6)
    ax.set_aspect("equal", adjustable="box")
    return filled


def bare_gradient_field() -> Callable[[], bytes]:
    data = plotting.gradient_field_data(BUMPY, point=(1, 0.5))
    u, v = fields._arrow_scale(data.u, data.v, 6 / 17)

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        filled = _bare_field(ax, data.field)
        figure.colorbar(filled, ax=ax, shrink=0.85)
        ax.quiver(data.arrow_x, data.arrow_y, u, v, angles="xy", scale_units="xy", scale=1.0)
        ax.quiver(
            [1], [0.5], [0.5], [-0.3], angles="xy", scale_units="xy", scale=1.0, label=r"$\nabla f$"
        )
        ax.plot([1], [0.5], "o")
        ax.legend(loc="upper left")
        ax.set_title(rf"$\nabla f$ on the contours of {style.formula(BUMPY, 'f')}")
        figure.tight_layout()
        return bare_png(figure)

    return draw


def bare_surface() -> Callable[[], bytes]:
    data = plotting.surface_data(BUMPY)

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot(projection="3d")
        ax.plot_surface(
            data.x,
            data.y,
            data.z,
            cmap=style.FIELD_CMAP,
            rstride=1,
            cstride=1,
            linewidth=0,
            antialiased=False,
        )
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.set_zlabel("$z$")
        figure.suptitle(style.formula(BUMPY, "z"))
        return bare_png(figure)

    return draw


def bare_descent() -> Callable[[], bytes]:
    data = plotting.descent_path_data(BOWL, descent_path())

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        filled = _bare_field(ax, data.field)
        figure.colorbar(filled, ax=ax, shrink=0.85)
        ax.plot(data.path[:, 0], data.path[:, 1], "-", color="white", linewidth=4)
        ax.plot(data.path[:, 0], data.path[:, 1], "-o", label="30 steps")
        ax.plot(*data.path[0], "o", label="start")
        ax.plot(*data.path[-1], "*", label="end")
        ax.legend(loc="upper left")
        ax.set_title(f"Gradient descent on {style.formula(BOWL, 'f')}")
        figure.tight_layout()
        return bare_png(figure)

    return draw


def bare_taylor_2d() -> Callable[[], bytes]:
    expr = sympy.cos(x) * sympy.exp(y / 3)
    data = plotting.taylor_2d_data(expr, (0.5, 0.5), 2)

    def draw() -> bytes:
        figure = Figure(figsize=(8, 6), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        left, right = figure.subplots(1, 2, sharey=True)
        filled = _bare_field(left, data.field)
        right.contourf(
            data.field.x,
            data.field.y,
            data.approximation,
            levels=data.field.levels,
            cmap=style.FIELD_CMAP,
            alpha=0.8,
        )
        right.contour(
            data.field.x,
            data.field.y,
            data.approximation,
            levels=data.field.levels,
            colors="#555555",
        )
        right.set_aspect("equal", adjustable="box")
        for ax in (left, right):
            ax.plot(0.5, 0.5, "o")
            ax.set_xlabel("$x$")
        left.set_ylabel("$y$")
        left.set_title("$f$")
        right.set_title("order-2 Taylor polynomial")
        figure.colorbar(filled, ax=[left, right], orientation="horizontal", shrink=0.8)
        figure.suptitle(
            f"Order-2 Taylor approximation of {style.formula(expr, 'f')} about $(0.5, 0.5)$"
        )
        return bare_png(figure)

    return draw


STATIONARY = x**3 - 3 * x + y**2
STATIONARY_POINTS = [((1, 0), "min"), ((-1, 0), "saddle")]


def bare_stationary() -> Callable[[], bytes]:
    data = plotting.stationary_data(STATIONARY, STATIONARY_POINTS)

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        filled = _bare_field(ax, data.field)
        figure.colorbar(filled, ax=ax, shrink=0.85)
        for point, marker in zip(data.points, ("v", "X"), strict=True):
            ax.plot(*point.coordinates, marker, markersize=15, label=point.kind)
            ax.annotate(
                str(point.coordinates),
                (point.coordinates[0], point.coordinates[1]),
                bbox={"facecolor": "white"},
            )
        ax.legend(loc="upper left")
        ax.set_title(f"Stationary points of {style.formula(STATIONARY, 'f')}")
        figure.tight_layout()
        return bare_png(figure)

    return draw


LAGRANGE = (
    x + y,
    x**2 + y**2,
    [(1 / math.sqrt(2), 1 / math.sqrt(2)), (-1 / math.sqrt(2), -1 / math.sqrt(2))],
)


def bare_lagrange() -> Callable[[], bytes]:
    expr, constraint, points = LAGRANGE
    data = plotting.lagrange_data(expr, constraint, points, level=1)

    def draw() -> bytes:
        figure = bare_figure()
        ax = figure.add_subplot()
        filled = _bare_field(ax, data.field)
        figure.colorbar(filled, ax=ax, shrink=0.85)
        ax.contour(data.field.x, data.field.y, data.constraint, levels=[0.0], linewidths=3.2)
        ax.plot([], [], label="constraint $x^{2} + y^{2} = 1$")
        for p in data.points:
            ax.quiver([p[0]], [p[1]], [0.4], [0.4], angles="xy", scale_units="xy", scale=1.0)
            ax.quiver([p[0]], [p[1]], [0.3], [0.3], angles="xy", scale_units="xy", scale=1.0)
            ax.annotate("f = 1.41", p, bbox={"facecolor": "white"})
        ax.plot(*zip(*data.points, strict=True), "*", markersize=18, label="optima")
        ax.legend(loc="upper left")
        ax.set_title(f"{style.formula(expr, 'f')} on the constraint")
        figure.tight_layout()
        return bare_png(figure)

    return draw


LATEX = sympy.latex(sympy.Integral(sympy.exp(-(x**2)), (x, -sympy.oo, sympy.oo))) + r" = \sqrt{\pi}"


def bare_latex() -> Callable[[], bytes]:
    text = "$" + style.mathtext_compatible(LATEX) + "$"

    def draw() -> bytes:
        figure = Figure(figsize=(1, 1), dpi=100)
        FigureCanvasAgg(figure)
        figure.text(0, 0, text, fontsize=22)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", pad_inches=0.12)
        return buffer.getvalue()

    return draw


CASES: list[tuple[str, Callable[[], bytes], Callable[[], Callable[[], bytes]]]] = [
    (
        "functions",
        lambda: plotting.render_functions([sympy.sin(x), sympy.tan(x), 1 / x]),
        bare_functions,
    ),
    ("tangent", lambda: plotting.render_tangent(x**3 - 2 * x, 1, derivative=True), bare_tangent),
    ("taylor", lambda: plotting.render_taylor(sympy.sin(x), 0, 7), bare_taylor),
    ("newton", lambda: plotting.render_newton(NEWTON, newton_iterates()), bare_newton),
    (
        "gradient_field",
        lambda: plotting.render_gradient_field(BUMPY, point=(1, 0.5)),
        bare_gradient_field,
    ),
    ("surface", lambda: plotting.render_surface(BUMPY), bare_surface),
    ("descent", lambda: plotting.render_descent(BOWL, descent_path()), bare_descent),
    (
        "taylor_2d",
        lambda: plotting.render_taylor_2d(sympy.cos(x) * sympy.exp(y / 3), (0.5, 0.5), 2),
        bare_taylor_2d,
    ),
    (
        "stationary",
        lambda: plotting.render_stationary(STATIONARY, STATIONARY_POINTS),
        bare_stationary,
    ),
    ("lagrange", lambda: plotting.render_lagrange(*LAGRANGE, level=1), bare_lagrange),
    ("latex", lambda: plotting.render_latex(LATEX), bare_latex),
]


def timings(function: Callable[[], bytes], runs: int) -> list[float]:
    for _ in range(2):  # warm: imports, font cache, mathtext cache
        function()
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        result.append(time.perf_counter() - start)
    return result


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    only = set(sys.argv[2:])  # e.g. `benchmarks/plots.py 15 taylor_2d gradient_field`
    print(f"{runs} warm runs each; times in ms")
    print(
        f"{'figure':<16}{'ours p50':>10}{'ours p99':>10}{'bare p50':>10}{'bare p99':>10}{'ratio':>8}"
    )
    worst = 0.0
    for name, ours, make_bare in CASES:
        if only and name not in only:
            continue
        mine = timings(ours, runs)
        bare = timings(make_bare(), runs)
        ratio = statistics.median(mine) / statistics.median(bare)
        worst = max(worst, ratio)
        print(
            f"{name:<16}{1000 * percentile(mine, 50):>10.1f}{1000 * percentile(mine, 99):>10.1f}"
            f"{1000 * percentile(bare, 50):>10.1f}{1000 * percentile(bare, 99):>10.1f}{ratio:>7.2f}×"
        )
    print(f"worst ratio {worst:.2f}× (target ≤ 1.3×)")


if __name__ == "__main__":
    main()
