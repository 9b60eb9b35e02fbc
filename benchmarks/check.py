"""/check speed: a right derivative, checked by the real job (``check_derivative``: parse both sides,
differentiate, decide), against the bare ``sympy.simplify(sympy.diff(f) - claim)`` on objects
already built. Target (issue 27, for issue 23's /check): the total within 3× of the bare figure.

Run by hand:
    .venv/bin/python -m benchmarks.check [--repeat 3]

Each timing is the best of ``--repeat`` runs with SymPy's cache cleared before every run, so no
run profits from the one before. A right claim is confirmed by a zero test on the difference
first; the worked derivative, domain wording and diagnosis are paid for only when needed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import sympy

from bot.present.check import check_derivative
from bot.solver.parser import parse
from bot.solver.variables import symbol

CASES = (  # (f, its derivative as a learner writes it)
    ("x^2 sin x", "2x sin x + x^2 cos x"),
    ("e^(x^2)", "2x e^(x^2)"),
    ("x^3 cos x", "3x^2 cos x - x^3 sin x"),
    ("ln(x^2 + 1)", "2x/(x^2 + 1)"),
    ("sin(x)/x", "(x cos x - sin x)/x^2"),
    ("sqrt(1 + x^2)", "x/sqrt(1 + x^2)"),
    ("tan x", "sec(x)^2"),
    ("x e^x", "e^x (x + 1)"),
    ("(x^2 + 1)^5", "10x (x^2 + 1)^4"),
    ("sin(x) cos(x)", "cos(x)^2 - sin(x)^2"),
)


def best_of(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        sympy.core.cache.clear_cache()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    x = symbol("x")
    check_derivative("x", "x^2", "2x")  # imports and first-use set-up, not measured
    total_check = total_bare = 0.0
    print(f"{'f':18} {'/check':>10} {'bare':>10} {'ratio':>6}")
    for f_text, claim_text in CASES:
        f, claim = parse(f_text), parse(claim_text)
        result = check_derivative("x", f_text, claim_text)
        assert result.result == "True", (f_text, result.text)
        ours = best_of(lambda f_text=f_text, claim_text=claim_text: check_derivative("x", f_text, claim_text), options.repeat)
        bare = best_of(lambda f=f, claim=claim: sympy.simplify(sympy.diff(f, x) - claim), options.repeat)
        total_check += ours
        total_bare += bare
        print(f"{f_text:18} {ours * 1000:8.1f}ms {bare * 1000:8.1f}ms {ours / bare:6.1f}")
    print(f"{'total':18} {total_check * 1000:8.1f}ms {total_bare * 1000:8.1f}ms {total_check / total_bare:6.2f}")


if __name__ == "__main__":
    main()
