"""A picture quiz in words, for a screen reader (Discord's image description, Slack's ``alt_text``).

Each panel is described from the numbers it draws — where a curve starts, turns and ends, where it
crosses zero; which way the arrows point at a few places; where a path goes — the same facts a
sighted learner reads off the picture, and no more (nothing says which panel is right).
"""

from __future__ import annotations

import math

import numpy as np

from plotting.quiz_panels import Arrows, Curve, Panel, Path, QuizFigure

MAX_ALT = 1000  # Discord allows 1024 characters of description; Slack's alt text is cut at the same
_COMPASS = ("right", "up and right", "up", "up and left", "left", "down and left", "down", "down and right")


def number(value: float) -> str:
    if abs(value) < 0.005:
        return "0"
    text = f"{value:.2g}" if abs(value) < 0.1 else f"{value:.1f}"
    text = text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text
    return "0" if text in ("-0", "-0.0", "") else text.replace("-", "−")


def curve_words(curve: Curve) -> str:
    """Start, turning points, end and zero crossings of a sampled curve."""
    x, y = np.asarray(curve.x, dtype=float), np.asarray(curve.y, dtype=float)
    ok = np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2:
        return "nothing is drawn"
    span = float(np.ptp(y))
    if span < 1e-9:
        return f"a flat line at y = {number(float(y[0]))}"
    turns: list[tuple[str, float, float]] = []
    for i in range(1, len(y) - 1):
        if (y[i] - y[i - 1]) * (y[i + 1] - y[i]) < 0:
            kind = "a peak" if y[i] > y[i - 1] else "a dip"
            if not turns or abs(y[i] - turns[-1][2]) > 0.02 * span:
                turns.append((kind, float(x[i]), float(y[i])))
    parts = [f"starts at y = {number(float(y[0]))} (x = {number(float(x[0]))})"]
    if len(turns) <= 4:
        parts += [f"{kind} of {number(ty)} at x = {number(tx)}" for kind, tx, ty in turns]
    else:
        parts.append(f"waves up and down ({len(turns)} turns) between {number(float(y.min()))} and {number(float(y.max()))}")
    parts.append(f"ends at y = {number(float(y[-1]))} (x = {number(float(x[-1]))})")
    if not turns:
        parts.insert(1, "rising all the way" if y[-1] > y[0] else "falling all the way")
    zeros = [float(x[i] - y[i] * (x[i + 1] - x[i]) / (y[i + 1] - y[i]))
             for i in range(len(y) - 1) if y[i] == 0 or y[i] * y[i + 1] < 0]
    if zeros and len(zeros) <= 5:
        parts.append("crosses zero at x = " + ", ".join(number(z) for z in zeros))
    elif not zeros:
        parts.append("always above zero" if y.min() > 0 else "always below zero")
    return "; ".join(parts)


def direction(u: float, v: float) -> str:
    angle = math.degrees(math.atan2(v, u)) % 360
    return _COMPASS[int(((angle + 22.5) % 360) // 45)]


def arrows_words(arrows: Arrows, xlim: tuple[float, float], ylim: tuple[float, float]) -> str:
    """Which way the arrows point at five places: the four quarter-points and the centre."""
    cx, cy = (xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2
    wx, wy = (xlim[1] - xlim[0]) / 4, (ylim[1] - ylim[0]) / 4
    places = [(cx + wx, cy + wy), (cx - wx, cy + wy), (cx - wx, cy - wy), (cx + wx, cy - wy), (cx + wx, cy)]
    x, y, u, v = (np.asarray(a, dtype=float).ravel() for a in (arrows.x, arrows.y, arrows.u, arrows.v))
    said = []
    for px, py in places:
        i = int(np.argmin((x - px) ** 2 + (y - py) ** 2))
        if math.hypot(u[i], v[i]) < 1e-12:
            said.append(f"at ({number(x[i])}, {number(y[i])}) no arrow")
        else:
            said.append(f"at ({number(x[i])}, {number(y[i])}) {direction(u[i], v[i])}")
    return "arrows point " + "; ".join(said)


def path_words(path: Path, xlim: tuple[float, float], ylim: tuple[float, float]) -> str:
    x, y = np.asarray(path.x, dtype=float), np.asarray(path.y, dtype=float)
    steps = len(x) - 1
    inside = (x >= xlim[0]) & (x <= xlim[1]) & (y >= ylim[0]) & (y <= ylim[1])
    turns = 0
    for i in range(1, steps):
        a = np.array([x[i] - x[i - 1], y[i] - y[i - 1]])
        b = np.array([x[i + 1] - x[i], y[i + 1] - y[i]])
        if float(a @ b) < 0:
            turns += 1
    words = f"a path of {steps} steps from ({number(x[0])}, {number(y[0])})"
    if not inside.all():
        first_out = int(np.argmin(inside))
        words += f" that leaves the map after step {first_out}"
    else:
        words += f" ending at ({number(x[-1])}, {number(y[-1])})"
    gaps = np.hypot(np.diff(x), np.diff(y))
    if turns >= steps // 2:
        words += ", doubling back at almost every step (zigzag)"
    if gaps.size >= 2 and gaps[-1] > 1.05 * gaps[0]:
        words += ", its steps growing longer"
    elif gaps.size >= 2 and gaps[-1] < 0.5 * gaps[0]:
        words += ", its steps shrinking"
    return words


def _in_view(curve: Curve, ylim: tuple[float, float]) -> Curve:
    """The part of a curve the panel shows: what runs off the top or bottom is not described."""
    y = np.asarray(curve.y, dtype=float)
    return Curve(curve.x, np.where((y >= ylim[0]) & (y <= ylim[1]), y, np.nan), curve.role)


def panel_words(panel: Panel) -> str:
    parts = []
    candidates = [curve for curve in panel.curves if curve.role == "candidate"]
    given = [curve for curve in panel.curves if curve.role in ("given", "reference")]
    lines = [curve for curve in panel.curves if curve.role == "line"]
    if given and candidates:
        parts.append("the dashed grey curve is f")
    for curve in candidates or given:
        parts.append("the curve " + curve_words(_in_view(curve, panel.ylim)))
    for curve in lines:
        parts.append("a straight line " + curve_words(_in_view(curve, panel.ylim)))
    if panel.contours is not None:
        parts.append("contour lines of f")
    if panel.arrows is not None:
        parts.append(arrows_words(panel.arrows, panel.xlim, panel.ylim))
    for path in panel.paths:
        parts.append(path_words(path, panel.xlim, panel.ylim))
    for marker in panel.markers:
        what = "the marked minimum ★" if marker.kind == "target" else f"point {marker.text}"
        parts.append(f"{what} at ({number(marker.x)}, {number(marker.y)})")
    if panel.vline is not None:
        parts.append(f"a dashed line at x = {number(panel.vline)}")
    return ", ".join(parts)


def alt_text(figure: QuizFigure, limit: int = MAX_ALT) -> str:
    """Every panel in words, within ``limit`` characters (the panels share what is left evenly)."""
    head = [figure.title]
    if figure.given is not None:
        head.append("Top: " + (figure.given.caption + ", " if figure.given.caption else "") + panel_words(figure.given) + ".")
    head += list(figure.notes)
    head_text = " ".join(head)
    panels = [(f"{p.label}: " if p.label else "") + panel_words(p) + "." for p in figure.panels]
    share = max(60, (limit - len(head_text) - len(panels)) // max(1, len(panels)))
    if len(head_text) > limit // 3:
        head_text = head_text[: limit // 3 - 1] + "…"
        share = max(60, (limit - len(head_text) - len(panels)) // max(1, len(panels)))
    cut = [text if len(text) <= share else text[: share - 1] + "…" for text in panels]
    return " ".join([head_text, *cut])[:limit]
