"""The sandpit's hidden surfaces: seeded smooth functions on the 6 m × 6 m pit, rescaled to −1…−9 m.

Each landscape kind draws its parameters from a seeded generator and is then *surveyed*: a fine grid
plus a bounded optimiser find the highest point, the global minimum and the interior local minima,
so the game knows exactly where the prize is and rescales depths so the highest point is −1 m and
the prize −9 m. A draw whose prize is not clearly the deepest (another minimum within a few
centimetres of depth) or sits against the wall is redrawn from the next sub-seed, so every game has
one well-defined prize.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SIZE = 6.0  # metres
TOP, BOTTOM = -1.0, -9.0
NAMES = ("bowl", "blind", "random", "many-minima", "rocky", "narrow-well")
DESCRIPTIONS = {
    "bowl": "a bowl with a well — follow the arrows",
    "blind": "one smooth, tilted valley — meant for depth-only play (mode 1)",
    "random": "a low-order cosine series on a bowl: a few hills and hollows",
    "many-minima": "a rotated sinc lattice: rings of hollows around the prize",
    "rocky": "high-frequency noise on a bowl: many small pits to get stuck in",
    "narrow-well": "a broad valley, and the prize in a narrow well somewhere else",
}
SURVEY_POINTS = 241  # grid points per side for the survey (2.5 cm spacing)
MIN_GAP = 0.15  # m: the prize must be this much deeper than any other minimum (rescaled depth)
WALL_MARGIN = 0.4  # m: the prize is at least this far from the walls

Raw = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _bowl(rng: np.random.Generator) -> Raw:
    cx, cy = rng.uniform(1.8, 4.2, 2)
    angle = rng.uniform(0, math.pi)
    offset = rng.uniform(0.2, 0.5)
    wx, wy = cx + offset * math.cos(angle), cy + offset * math.sin(angle)
    aspect = rng.uniform(1.0, 1.4)
    depth, width = rng.uniform(0.4, 0.7), rng.uniform(0.7, 1.0)

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        bowl = ((x - cx) ** 2 + aspect * (y - cy) ** 2) / 9.0
        well = depth * np.exp(-((x - wx) ** 2 + (y - wy) ** 2) / (2 * width**2))
        return bowl - well

    return raw


def _blind(rng: np.random.Generator) -> Raw:
    cx, cy = rng.uniform(1.5, 4.5, 2)
    angle = rng.uniform(0, math.pi)
    aspect = rng.uniform(1.5, 3.0)
    c, s = math.cos(angle), math.sin(angle)
    tilt = rng.uniform(-0.15, 0.15, 2)

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        u, v = c * (x - cx) + s * (y - cy), -s * (x - cx) + c * (y - cy)
        return np.sqrt(1 + u**2 + aspect * v**2) + tilt[0] * (x - cx) + tilt[1] * (y - cy)

    return raw


def _random(rng: np.random.Generator) -> Raw:
    cx, cy = rng.uniform(1.5, 4.5, 2)
    amplitudes = rng.normal(0, 0.12, (4, 4))
    phases = rng.uniform(0, 2 * math.pi, (4, 4))

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        total = ((x - cx) ** 2 + (y - cy) ** 2) / 18.0
        for j in range(4):
            for k in range(4):
                if j or k:
                    total = total + amplitudes[j, k] * np.cos(math.pi * (j * x + k * y) / SIZE + phases[j, k])
        return total

    return raw


def _many_minima(rng: np.random.Generator) -> Raw:
    cx, cy = rng.uniform(2.2, 3.8, 2)
    angle = rng.uniform(0, math.pi / 2)
    spacing = rng.uniform(0.9, 1.2)  # metres between hollows
    c, s = math.cos(angle), math.sin(angle)

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        u, v = c * (x - cx) + s * (y - cy), -s * (x - cx) + c * (y - cy)
        lattice = np.sinc(u / spacing) * np.sinc(v / spacing)  # np.sinc(t) = sin(πt)/(πt)
        ring = np.sinc(np.hypot(u, v) / spacing)
        return -(lattice + 0.6 * ring) + 0.004 * (u**2 + v**2)

    return raw


def _rocky(rng: np.random.Generator) -> Raw:
    cx, cy = rng.uniform(1.8, 4.2, 2)
    waves = [(rng.uniform(1.2, 1.8), rng.uniform(0, math.pi), rng.uniform(0, 2 * math.pi), rng.uniform(0.03, 0.05))
             for _ in range(5)]

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        total = ((x - cx) ** 2 + (y - cy) ** 2) / 9.0
        for frequency, direction, phase, amplitude in waves:
            along = math.cos(direction) * x + math.sin(direction) * y
            total = total + amplitude * np.cos(2 * math.pi * frequency * along + phase)
        return total

    return raw


def _narrow_well(rng: np.random.Generator) -> Raw:
    bx, by = rng.uniform(1.5, 4.5, 2)
    while True:
        wx, wy = rng.uniform(0.9, 5.1, 2)
        if math.hypot(wx - bx, wy - by) > 2.0:
            break
    width = rng.uniform(0.22, 0.3)

    def raw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        valley = ((x - bx) ** 2 + (y - by) ** 2) / 24.0
        return valley - 1.2 * np.exp(-((x - wx) ** 2 + (y - wy) ** 2) / (2 * width**2))

    return raw


KINDS: dict[str, Callable[[np.random.Generator], Raw]] = {
    "bowl": _bowl, "blind": _blind, "random": _random, "many-minima": _many_minima,
    "rocky": _rocky, "narrow-well": _narrow_well,
}


@dataclass(frozen=True)
class Landscape:
    """A surveyed surface: depth(x, y) in metres, −1 at the highest point, −9 at ``prize``."""

    name: str
    seed: int
    raw: Raw
    low: float  # raw value at the prize
    high: float  # raw value at the highest point
    prize: tuple[float, float]
    local_minima: tuple[tuple[float, float], ...]

    def depth(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        value = self.raw(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return BOTTOM + (TOP - BOTTOM) * (value - self.low) / (self.high - self.low)

    def gradient(self, x: float, y: float, h: float = 1e-5) -> np.ndarray:
        """∇ depth (m per m) by central differences: the surface is smooth, so this is exact to ~1e-9."""
        dx = (self.depth(x + h, y) - self.depth(x - h, y)) / (2 * h)
        dy = (self.depth(x, y + h) - self.depth(x, y - h)) / (2 * h)
        return np.array([float(dx), float(dy)])

    def hessian(self, x: float, y: float, h: float = 1e-4) -> np.ndarray:
        f = self.depth
        fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
        fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
        fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h**2)
        return np.array([[float(fxx), float(fxy)], [float(fxy), float(fyy)]])

    def grid(self, points: int = 121) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        xs = np.linspace(0.0, SIZE, points)
        gx, gy = np.meshgrid(xs, xs)
        return gx, gy, self.depth(gx, gy)


def _refine(raw: Raw, start: tuple[float, float], sign: float) -> tuple[tuple[float, float], float]:
    """A bounded local optimum of ``sign * raw`` from ``start`` (sign −1 finds a maximum)."""
    # Imported here: only the workers search, the chat process needs just the names.
    from scipy.optimize import minimize

    result = minimize(lambda p: sign * float(raw(np.array(p[0]), np.array(p[1]))), np.array(start),
                      method="L-BFGS-B", bounds=[(0.0, SIZE), (0.0, SIZE)], options={"ftol": 1e-14, "gtol": 1e-10})
    point = (float(result.x[0]), float(result.x[1]))
    return point, float(raw(np.array(point[0]), np.array(point[1])))


def _grid_minima(raw: Raw) -> list[tuple[tuple[float, float], float]]:
    """Interior grid points lower than their 8 neighbours, lowest first (candidates, not yet refined)."""
    xs = np.linspace(0.0, SIZE, SURVEY_POINTS)
    gx, gy = np.meshgrid(xs, xs)
    z = raw(gx, gy)
    core = z[1:-1, 1:-1]
    lowest = np.ones_like(core, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dx or dy:
                lowest &= core < z[1 + dy:z.shape[0] - 1 + dy, 1 + dx:z.shape[1] - 1 + dx]
    found = [((float(gx[i + 1, j + 1]), float(gy[i + 1, j + 1])), float(core[i, j])) for i, j in zip(*np.nonzero(lowest), strict=True)]
    return sorted(found, key=lambda item: item[1])


def _refined_minima(raw: Raw, candidates: list[tuple[tuple[float, float], float]]) -> list[tuple[tuple[float, float], float]]:
    """Each candidate refined by the optimiser; minima that slide onto the wall or merge are dropped."""
    found: list[tuple[tuple[float, float], float]] = []
    for start, _ in candidates:
        point, value = _refine(raw, start, 1.0)
        on_wall = min(point[0], point[1], SIZE - point[0], SIZE - point[1]) < 1e-6
        if on_wall or any(math.dist(point, p) < 0.05 for p, _ in found):
            continue
        found.append((point, value))
    return sorted(found, key=lambda item: item[1])


def _highest(raw: Raw) -> float:
    xs = np.linspace(0.0, SIZE, SURVEY_POINTS)
    gx, gy = np.meshgrid(xs, xs)
    z = raw(gx, gy)
    best = float(z.max())
    for index in np.argsort(z, axis=None)[-5:]:
        i, j = np.unravel_index(index, z.shape)
        _, value = _refine(raw, (float(gx[i, j]), float(gy[i, j])), -1.0)
        best = max(best, value)
    return best


@lru_cache(maxsize=64)
def landscape(name: str, seed: int) -> Landscape:
    """The surveyed landscape ``name`` for ``seed`` (deterministic; cached per worker process)."""
    if name not in KINDS:
        raise ValueError(f"unknown landscape {name!r}")
    for attempt in range(50):
        rng = np.random.default_rng([seed, NAMES.index(name), attempt])
        raw = KINDS[name](rng)
        candidates = _grid_minima(raw)
        if not candidates:
            continue
        high = _highest(raw)
        first = _refined_minima(raw, candidates[:3])
        if not first:
            continue
        (prize, low) = first[0]
        if min(prize[0], prize[1], SIZE - prize[0], SIZE - prize[1]) < WALL_MARGIN:
            continue
        second = first[1][1] if len(first) > 1 else (candidates[3][1] if len(candidates) > 3 else math.inf)
        if (TOP - BOTTOM) * (second - low) / (high - low) < MIN_GAP:
            continue
        # Other minima only decide 'stuck in a local optimum' within 0.15 m: the 2.5 cm grid is enough.
        others = [m for m in (*first[1:], *candidates[3:]) if math.dist(m[0], prize) > 0.05]
        return Landscape(name, seed, raw, low, high, prize, tuple(p for p, _ in others))
    raise RuntimeError(f"no well-posed {name} landscape for seed {seed}")  # never seen in practice
