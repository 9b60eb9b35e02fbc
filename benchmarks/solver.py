"""Solver latency through the real core, against bare SymPy doing the same work, in one run.

Run by hand:  .venv/bin/python benchmarks/solver.py [--repeat 30]

Each course-sized message goes through the router, the argument grammar, a worker process (parse, the
step engine or operation, formatting) and back.  The baseline is a plain SymPy script computing the
same answer in-process: build the expression (from Python source we wrote, not user text), do the
operation, simplify, and print it as text and LaTeX — what a bare-library bot would have to do.
The result cache is off, so every message is computed, and pictures are off (CALCBOT_FIGURES=0):
benchmarks/plots.py measures those against bare matplotlib.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.message import ChannelRef, Message, UserRef  # noqa: E402
from bot.solver.variables import symbol  # noqa: E402

x, y, t = symbol("x"), symbol("y"), symbol("t")


def _show(result: sympy.Basic) -> None:
    sympy.sstr(result)
    sympy.latex(result)


def bare_derive() -> None:
    _show(sympy.simplify(sympy.diff(x**2 * sympy.sin(x), x)))


def bare_derive_chain() -> None:
    _show(sympy.simplify(sympy.diff(sympy.exp(-x**2 / 2) * sympy.cos(3 * x), x)))


def bare_partial() -> None:
    _show(sympy.simplify(sympy.diff(x**2 * y**3, y)))


def bare_grad() -> None:
    f = x**2 * y + y**3
    g = sympy.Matrix([sympy.simplify(sympy.diff(f, v)) for v in (x, y)])
    _show(g)
    at = g.subs({x: 1, y: 2})
    _show(at)
    _show(sympy.sqrt(sum(v**2 for v in at)))


def bare_jacobian() -> None:
    jac = sympy.Matrix([x**2 * y, x + y]).jacobian([x, y]).applyfunc(sympy.simplify)
    _show(jac)
    _show(jac.subs({x: 1, y: 2}))


def bare_hessian() -> None:
    hess = sympy.hessian(x**3 + x * y**2, (x, y)).applyfunc(sympy.simplify)
    _show(hess)
    at = hess.subs({x: 1, y: 1})
    _show(at)
    _show(at.det())
    at.eigenvals()


def bare_chain() -> None:
    f = x**2 * y
    _show(sympy.simplify(f.subs({x: sympy.cos(t), y: sympy.sin(t)}).diff(t)))


def bare_taylor() -> None:
    _show(sympy.series(sympy.exp(x), x, 0, 5).removeO())


def bare_newton() -> None:
    f = x**2 - 2
    df = sympy.diff(f, x)
    step = sympy.lambdify(x, x - f / df, "mpmath")
    value = 1.0
    for _ in range(8):
        value = step(value)
    str(value)


def bare_stationary() -> None:
    f = x**2 + y**2 - 2 * x
    points = sympy.solve([sympy.diff(f, v) for v in (x, y)], [x, y], dict=True)
    hess = sympy.hessian(f, (x, y))
    for point in points:
        hess.subs(point).eigenvals()


def bare_lagrange() -> None:
    lam = symbol("lambda")
    f, g = x * y, x + y - 10
    lagrangian = [sympy.diff(f, v) - lam * sympy.diff(g, v) for v in (x, y)] + [g]
    for point in sympy.solve(lagrangian, [x, y, lam], dict=True):
        f.subs(point)


def bare_check() -> None:
    assert sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 - 1) == 0


CASES: list[tuple[str, str, Callable[[], None]]] = [
    ("derive", "/derive x^2 sin x", bare_derive),
    ("derive (chain)", "/derive e^(-x^2/2) cos(3x)", bare_derive_chain),
    ("partial", "/partial x^2 y^3 wrt y", bare_partial),
    ("grad", "/grad x^2 y + y^3 at (1, 2)", bare_grad),
    ("jacobian", "/jacobian [x^2 y, x + y] at (1, 2)", bare_jacobian),
    ("hessian", "/hessian x^3 + x y^2 at (1, 1)", bare_hessian),
    ("chain", "/chain x^2 y with x = cos t, y = sin t wrt t", bare_chain),
    ("taylor", "/taylor e^x at 0 order 4", bare_taylor),
    ("newton", "/newton x^2 - 2 from 1", bare_newton),
    ("stationary", "/stationary x^2 + y^2 - 2x", bare_stationary),
    ("lagrange", "/lagrange x y subject to x + y = 10", bare_lagrange),
    ("check", "/check sin(x)^2 + cos(x)^2 = 1", bare_check),
]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(repeat: int) -> None:
    from bot.app import build_app
    from bot.core.config import Settings
    from bot.workers import WorkerPool

    pool = WorkerPool(workers=2, timeout=30, cache_size=0)
    with TemporaryDirectory() as tmp:
        app = await build_app(Settings(figures=False), db_path=f"{tmp}/bench.db", workers=pool)
        channel = ChannelRef("console", "", "bench")
        users = (UserRef("console", f"learner{n}", f"learner{n}") for n in range(10**9))  # no rate limit
        print(f"{'command':<16}{'p50 ms':>9}{'p99 ms':>9}{'bare p50':>10}{'ratio':>8}")
        for name, text, bare in CASES:
            for _ in range(3):  # warm the workers and SymPy's caches
                reply = await app.handle(Message(next(users), channel, text))
                bare()
            if reply.error:
                print(f"{name:<16} error: {reply.error.message}")
                continue
            ours, theirs = [], []
            for _ in range(repeat):
                message = Message(next(users), channel, text)
                started = time.perf_counter()
                await app.handle(message)
                ours.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                bare()
                theirs.append((time.perf_counter() - started) * 1000)
            p50, p99, base = statistics.median(ours), percentile(ours, 0.99), statistics.median(theirs)
            print(f"{name:<16}{p50:>9.1f}{p99:>9.1f}{base:>10.1f}{p50 / base:>7.2f}×")
        await app.close()
    pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    asyncio.run(main(parser.parse_args().repeat))
