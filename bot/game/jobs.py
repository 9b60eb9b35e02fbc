"""Worker-pool jobs for the sandpit: a dip with its map, the start check, the reveal."""

from __future__ import annotations

from bot.game import play
from bot.game.landscapes import landscape
from plotting import sandpit as pictures


def start(name: str, mode: int, rule: str | None, seed: int) -> None:
    """Check the game can be played and survey its landscape (so the first dip is quick)."""
    play.check_start(name, mode, rule)
    landscape(name, seed)


def dip(game: play.Game, x: float, y: float, figures: bool) -> tuple[play.Dip, bytes | None]:
    """The next dip and, unless it ends the game, the map with it (the reveal comes separately)."""
    outcome = play.take_dip(game, x, y)
    after = game.with_dip(outcome)
    return outcome, (dip_map(after) if figures and not after.finished else None)


def dip_map(game: play.Game) -> bytes:
    dips = [(d.x, d.y, d.depth) for d in game.dips]
    title = f"Sandpit · {game.landscape} · mode {game.mode} · {game.dips_left} dips left"
    return pictures.dip_map(dips, arrows=[d.arrow for d in game.dips], paths=[d.path for d in game.dips], title=title)


def reveal(game: play.Game, headline: str) -> bytes:
    land = landscape(game.landscape, game.seed)
    xs, ys, depths = land.grid(161)
    dips = [(d.x, d.y, d.depth) for d in game.dips]
    return pictures.reveal(xs, ys, depths, dips, prize=land.prize, local_minima=land.local_minima,
                           paths=[d.path for d in game.dips], title=f"{game.landscape}: {headline}")
