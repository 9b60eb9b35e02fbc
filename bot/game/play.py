"""The rules of the sandpit, pure: one dip in, its outcome out (runs in a worker process).

A game is its landscape (name + seed), its mode, the mode 2 rule, and the dips so far — nothing else,
so it round-trips through the store as JSON and the same dip always gives the same answer.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from bot.errors import BadArgument, NoConvergence
from bot.game import rule as rules
from bot.game.landscapes import NAMES, SIZE, landscape

MAX_DIPS = 25
WARN_AT = 5  # dips left when the warning starts
WIN_RADIUS = 0.15  # m
ARROW_SCALE = 0.25  # m of arrow per (m of depth per m): arrow = −0.25 ∇f, capped
ARROW_CAP = 1.0  # m
RULE_STEPS = 10
DIVERGED = 100.0  # m: a single step longer than this is an overflow, not a walk
MODES = (0, 1, 2)
MODE_NAMES = {0: "arrows (−∇f at each dip)", 1: "depth only", 2: "your own step rule, 10 steps per dip"}


@dataclass(frozen=True)
class Dip:
    x: float
    y: float
    depth: float
    status: str  # searching | local_minimum | won | over
    arrow: tuple[float, float] | None = None
    path: tuple[tuple[float, float, float], ...] | None = None  # mode 2: the rule's walk, start included

    @property
    def stands(self) -> tuple[float, float]:
        """Where the player ends up: the end of the rule's walk in mode 2, else the dip itself."""
        return (self.path[-1][0], self.path[-1][1]) if self.path else (self.x, self.y)

    def result(self, dips_left: int) -> dict[str, object]:
        """The console's Python-literal result (a public contract)."""
        out: dict[str, object] = {"x": self.x, "y": self.y, "depth": round(self.depth, 4), "arrow": self.arrow,
                                  "status": self.status, "dips_left": dips_left}
        if self.path is not None:
            out["path"] = list(self.path)
        return out


@dataclass(frozen=True)
class Game:
    landscape: str
    seed: int
    mode: int
    rule: str | None = None
    dips: tuple[Dip, ...] = field(default=())

    @property
    def dips_left(self) -> int:
        return MAX_DIPS - len(self.dips)

    @property
    def finished(self) -> bool:
        return bool(self.dips) and self.dips[-1].status in ("won", "over")

    def with_dip(self, dip: Dip) -> Game:
        return Game(self.landscape, self.seed, self.mode, self.rule, (*self.dips, dip))

    def to_json(self) -> str:
        return json.dumps([asdict(d) for d in self.dips])

    @staticmethod
    def dips_from_json(text: str) -> tuple[Dip, ...]:
        def dip(values: dict[str, Any]) -> Dip:
            arrow, path = values.get("arrow"), values.get("path")
            return Dip(float(values["x"]), float(values["y"]), float(values["depth"]), str(values["status"]),
                       (float(arrow[0]), float(arrow[1])) if arrow else None,
                       tuple((float(p[0]), float(p[1]), float(p[2])) for p in path) if path else None)
        return tuple(dip(values) for values in json.loads(text))


def check_start(name: str, mode: int, rule: str | None) -> None:
    """Refuse a game that cannot be played: unknown landscape, a rule outside mode 2, a bad rule."""
    if name not in NAMES:
        raise BadArgument(f"there is no landscape called '{name}'", hint=f"Choose one of {', '.join(NAMES)}.")
    if mode == 2 and not rule:
        raise BadArgument("mode 2 needs your step rule", hint=f"e.g. `/sandpit start bowl mode 2 rule -0.2*J` ({rules.EXAMPLES}).")
    if mode != 2 and rule:
        raise BadArgument("a step rule is only used in mode 2", hint="Add `mode 2`, or leave the rule out.")
    if rule:
        rules.compile_rule(rule)


def arrow_at(name: str, seed: int, x: float, y: float) -> tuple[float, float]:
    """−0.25 ∇f, capped at 1 m: it points downhill, and is longer where the sand is steeper."""
    gradient = landscape(name, seed).gradient(x, y)
    arrow = -ARROW_SCALE * gradient
    length = float(np.hypot(*arrow))
    if length > ARROW_CAP:
        arrow *= ARROW_CAP / length
    return (round(float(arrow[0]), 4), round(float(arrow[1]), 4))


def walk(name: str, seed: int, tree: rules.Node, x: float, y: float) -> tuple[tuple[float, float, float], ...]:
    """Ten steps of the player's rule from (x, y); the walk stops where it reaches the wall."""
    land = landscape(name, seed)
    point = np.array([x, y])
    path = [(x, y, float(land.depth(x, y)))]
    for step in range(1, RULE_STEPS + 1):
        f = float(land.depth(*point))
        try:
            delta = rules.evaluate(tree, land.gradient(*point), land.hessian(*point), f).ravel()
        except rules.RuleBreakdown:
            raise NoConvergence(f"your rule broke down at step {step}: it gave no number there "
                                "(a division by zero, a singular matrix or an overflow). No dip was used.",
                                hint="Try a rule that is defined everywhere, e.g. `-0.2*J` or `-inv(H + 2*I)*J`.") from None
        length = float(np.hypot(*delta))
        if length > DIVERGED:
            raise NoConvergence(f"your rule diverged: step {step} was {length:.3g} m long, far outside the 6 m pit. "
                                "No dip was used.", hint="Take smaller steps, e.g. multiply by 0.1.")
        target = point + delta
        hits_wall = not (0.0 <= target[0] <= SIZE and 0.0 <= target[1] <= SIZE)
        if hits_wall:
            target = np.clip(point + _to_wall(point, delta) * delta, 0.0, SIZE)
        point = np.round(target, 4)  # the walk goes on from the point it reports
        path.append((float(point[0]), float(point[1]), float(land.depth(*point))))
        if hits_wall:
            break
    return tuple((px, py, round(d, 4)) for px, py, d in path)


def _to_wall(point: np.ndarray, delta: np.ndarray) -> float:
    """The fraction of the step that reaches the first wall it crosses."""
    fraction = 1.0
    for axis in (0, 1):
        if delta[axis] > 0 and point[axis] + delta[axis] > SIZE:
            fraction = min(fraction, (SIZE - point[axis]) / delta[axis])
        elif delta[axis] < 0 and point[axis] + delta[axis] < 0:
            fraction = min(fraction, -point[axis] / delta[axis])
    return fraction


def status_at(name: str, seed: int, point: tuple[float, float], number: int) -> str:
    """won over local_minimum over searching; the last dip that does not win is over."""
    land = landscape(name, seed)
    if math.dist(point, land.prize) <= WIN_RADIUS:
        return "won"
    if number >= MAX_DIPS:
        return "over"
    if any(math.dist(point, m) <= WIN_RADIUS for m in land.local_minima):
        return "local_minimum"
    return "searching"


def take_dip(game: Game, x: float, y: float) -> Dip:
    """The outcome of the next dip at (x, y) (checked by the caller to lie in the pit)."""
    land = landscape(game.landscape, game.seed)
    depth = float(land.depth(x, y))
    arrow = arrow_at(game.landscape, game.seed, x, y) if game.mode == 0 else None
    path = walk(game.landscape, game.seed, rules.compile_rule(game.rule), x, y) if game.mode == 2 and game.rule else None
    stands = (path[-1][0], path[-1][1]) if path else (x, y)
    return Dip(x, y, depth, status_at(game.landscape, game.seed, stands, len(game.dips) + 1), arrow, path)


def prize_of(name: str, seed: int) -> tuple[float, float]:
    """Only for the reveal and for tests: where the prize is."""
    return landscape(name, seed).prize
