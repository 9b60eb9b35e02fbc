"""One scripted conversation, run through every surface (console, Discord, Slack): the same answers.

Each platform's test drives its real adapter with ``SCRIPT`` and turns what the platform showed into
``Seen``; ``check(turn, seen)`` holds it to the turn's expectations, which were written from the
mathematics (checked by hand and by SymPy in ``test_console.py``), not from any one surface's output.
Markup differs by platform (Slack's mrkdwn has single ``*``), so texts are compared after ``plain()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    say: str  # what the learner types, exactly as on the console
    contains: tuple[str, ...] = ()  # fragments the answer shows (compared after plain())
    images: int = 0  # at least this many pictures (figures; a platform may add a typeset formula)
    error: bool = False  # answered as an error (ephemeral on the platforms)
    buttons: tuple[str, ...] = ()  # at least these button labels


@dataclass
class Seen:
    """What a surface showed for one turn."""

    text: str
    images: int = 0
    error: bool = False
    buttons: list[str] = field(default_factory=list)


SCRIPT: tuple[Turn, ...] = (
    Turn("/derive x^2 sin x", ("product rule", "power rule", "x^2*cos(x) + 2*x*sin(x)")),
    Turn("/derive x^2 sin x order 2", ("Second derivative", "-x^2*sin(x) + 4*x*cos(x) + 2*sin(x)")),
    Turn("/partial x^2 y wrt y", ("∂f/∂y = x^2",)),
    Turn("/grad x^2 + y^2 at (1, 2)", ("∂f/∂x = 2*x", "∂f/∂y = 2*y"), images=1),
    Turn("/hessian x^2 y", ("∂²f/∂x² = 2*y", "∂²f/∂y² = 0")),
    Turn("/jacobian (x*y, x+y)", ("det J = -x + y",)),
    Turn("/taylor e^x about 0 order 3", ("Maclaurin",), images=1),
    Turn("/newton x^2 - 2 from 1", ("1.4142136",), images=1),
    Turn("/plot sin x", ("Graph of sin(x)",), images=1),
    Turn("/lagrange x*y subject to x+y=1", ("∇f = λ∇g", "1/2"), images=1),
    Turn("/fit line data 0,1; 1,3; 2,5", ("Least-squares fit", "2.0*x + 1.0"), images=1),
    Turn("/check d/dx sin(x^2) = cos(x^2)", ("Not quite", "2*x*cos(x^2)", "chain_rule_inner_missing")),
    Turn("/lesson", ("Module 1",), buttons=("Quiz me",)),
    Turn("/help derive", ("/derive",)),
    Turn("/derive about", ("a word",), error=True),
    Turn("/derive x^2 +", error=True),
)


def plain(text: str) -> str:
    """Text with the markup every surface writes differently removed: emphasis, code marks, escapes."""
    text = re.sub(r"[`]", "", text)
    text = re.sub(r"\*\*|(?<![\w)])\*(?=\S)|(?<=\S)\*(?![\w(])", "", text)  # emphasis, not x^2*sin(x)
    text = re.sub(r"(?<!\w)_(?=\S)|(?<=\S)_(?!\w)", "", text)
    text = text.replace("\\*", "*").replace("\\_", "_")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t\u2003]+", " ", text)


def check(turn: Turn, seen: Seen) -> None:
    shown = plain(seen.text)
    for fragment in turn.contains:
        assert plain(fragment) in shown, f"{turn.say!r}: {fragment!r} not in {shown[:600]!r}"
    assert seen.error == turn.error, f"{turn.say!r}: error={seen.error}, expected {turn.error}: {shown[:300]!r}"
    assert seen.images >= turn.images, f"{turn.say!r}: {seen.images} pictures, expected at least {turn.images}"
    for label in turn.buttons:
        assert label in seen.buttons, f"{turn.say!r}: no {label!r} button among {seen.buttons}"
