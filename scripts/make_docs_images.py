"""Write one example PNG per figure kind into docs/images/ (run: .venv/bin/python scripts/make_docs_images.py).

The examples are the course's own where it has one (Newton–Raphson on the sextic from x₀ = −4,
Lagrange on the ellipse). Images are palette-quantised for the docs only, to stay small.
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import numpy as np
import sympy
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotting  # noqa: E402
from bot.solver.descent import descend  # noqa: E402
from bot.solver.variables import symbol  # noqa: E402

OUT = ROOT / "docs" / "images"
MAX_BYTES = 80_000
x, y = symbol("x"), symbol("y")


def newton_iterates(expr: sympy.Expr, start: float, steps: int) -> list[float]:
    f, df = sympy.lambdify(x, expr), sympy.lambdify(x, sympy.diff(expr, x))
    points = [start]
    for _ in range(steps):
        points.append(points[-1] - f(points[-1]) / df(points[-1]))
    return points


def ellipse_optima(expr: sympy.Expr) -> list[tuple[float, float]]:
    """Stationary points of f on x² + 3(y + 1)² = 1, by the parametrisation (cos t, −1 + sin t/√3)."""
    t = np.linspace(0, 2 * math.pi, 200_001)[:-1]
    px, py = np.cos(t), -1 + np.sin(t) / math.sqrt(3)
    values = sympy.lambdify((x, y), expr, "numpy")(px, py)
    previous, following = np.roll(values, 1), np.roll(values, -1)
    extreme = ((values > previous) & (values > following)) | (
        (values < previous) & (values < following)
    )
    return [(float(px[i]), float(py[i])) for i in np.nonzero(extreme)[0]]


def compact(png: bytes) -> bytes:
    """A 256-colour palette PNG: the figures use few colours, so this is visually lossless."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buffer, format="png", optimize=True
    )
    return buffer.getvalue()


def examples() -> dict[str, bytes]:
    sextic = (
        x**6 / 6
        - 3 * x**4
        - sympy.Rational(2, 3) * x**3
        + sympy.Rational(27, 2) * x**2
        + 18 * x
        - 30
    )
    bowl = x**2 - x * y + 3 * y**2
    run = descend(bowl, [x, y], (2.5, 2.0), rate=0.1, steps=30)
    gaussian = sympy.exp(-(2 * x**2 + y**2 - x * y) / 2)
    return {
        "functions": plotting.render_functions([sympy.sin(x), sympy.tan(x), 1 / x]),
        "tangent": plotting.render_tangent(x**3 - 2 * x, 1.5, derivative=True),
        "taylor": plotting.render_taylor(sympy.cos(x), 0, 6),
        "taylor_2d": plotting.render_taylor_2d(sympy.sin(x) * sympy.cos(y), (0.5, 0.3), 2),
        "gradient_field": plotting.render_gradient_field(
            sympy.sin(x) * sympy.cos(y) + x**2 / 10, point=(1, 0.5)
        ),
        "surface": plotting.render_surface(sympy.sin(x) * sympy.cos(y) + x**2 / 10),
        "descent": plotting.render_descent(bowl, run.iterates),
        "newton": plotting.render_newton(sextic, newton_iterates(sextic, -4.0, 5)),
        "stationary": plotting.render_stationary(
            x**3 - 3 * x + y**2, [((1, 0), "minimum"), ((-1, 0), "saddle")]
        ),
        "stationary_1d": plotting.render_stationary(
            x**3 - 3 * x, [(1, "minimum"), (-1, "maximum")]
        ),
        "lagrange": plotting.render_lagrange(
            gaussian,
            x**2 + 3 * (y + 1) ** 2,
            ellipse_optima(gaussian),
            level=1,
            bounds=(-2, 2, -2.5, 1.5),
        ),
        "latex": plotting.render_latex(
            sympy.latex(sympy.Integral(sympy.exp(-(x**2)), (x, -sympy.oo, sympy.oo)))
            + r" = \sqrt{\pi}"
        ),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, png in examples().items():
        data = compact(png)
        (OUT / f"{name}.png").write_bytes(data)
        flag = "" if len(data) <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB!)"
        print(f"docs/images/{name}.png  {len(data) / 1000:.1f} KB{flag}")


if __name__ == "__main__":
    main()
