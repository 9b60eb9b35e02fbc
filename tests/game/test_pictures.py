"""The sandpit's pictures: the map is drawn from what the player was told and nothing else."""

from __future__ import annotations

import io

from matplotlib.image import imread

from bot.game import jobs, play


def pixels(png: bytes):  # type: ignore[no-untyped-def]
    return imread(io.BytesIO(png), format="png")


def told(seed: int) -> play.Game:
    dips = (play.Dip(1.0, 1.0, -4.2, "searching", (0.3, 0.4)), play.Dip(2.5, 3.0, -6.1, "searching", (0.1, -0.2)))
    return play.Game("bowl", seed, 0, None, dips)


def test_the_map_does_not_depend_on_the_hidden_surface() -> None:
    # Two different pits, the same dips reported: the maps must be pixel-identical.
    assert jobs.dip_map(told(1)) == jobs.dip_map(told(2))
    image = pixels(jobs.dip_map(told(1)))
    assert image.shape[:2] == (560, 560)  # chat-sized


def test_the_reveal_shows_the_surface() -> None:
    first, second = pixels(jobs.reveal(told(1), "revealed")), pixels(jobs.reveal(told(2), "revealed"))
    assert first.shape == second.shape and (first != second).any()
    assert first.std() > pixels(jobs.dip_map(told(1))).std() * 0.8  # contours fill the pit
