"""Rendering within Discord's limits: long working is never cut off silently."""

from __future__ import annotations

from bot.adapters.discord.render import (
    MAX_CONTENT,
    MAX_DESCRIPTION,
    MAX_EMBEDS,
    MAX_EMBEDS_TOTAL,
    render,
    split_working,
)
from bot.core.reply import Choice, Image, Reply
from tests.discord.harness import shown

STEP = "**{n}. chain rule**: d/dx f(g(x)) = f'(g(x))·g'(x)\n\u2003`d/dx(sin(x^{n})) = {n}*x^{m}*cos(x^{n})`"


def working(lines: int) -> str:
    return "\n".join(STEP.format(n=n, m=n - 1) for n in range(1, lines + 1))


def _within_limits(rendered) -> None:
    assert rendered.content is None or len(rendered.content) <= MAX_CONTENT
    assert len(rendered.embeds) <= MAX_EMBEDS
    assert all(len(e.description or "") <= MAX_DESCRIPTION for e in rendered.embeds)
    assert sum(len(e.description or "") for e in rendered.embeds) <= MAX_EMBEDS_TOTAL


async def test_working_that_fits_is_shown_whole_in_embeds():
    text = working(50)  # about 5000 characters: more than one embed holds, less than a message's embeds
    assert MAX_DESCRIPTION < len(text) < MAX_EMBEDS_TOTAL
    rendered = await render(Reply(text=text))
    _within_limits(rendered)
    assert len(rendered.embeds) == 2
    assert "\n".join(e.description or "" for e in rendered.embeds) == text
    assert not rendered.files


async def test_longer_working_is_attached_whole_and_the_message_says_so():
    text = working(400)  # about 40 000 characters
    rendered = await render(Reply(text=text))
    _within_limits(rendered)
    files = dict(rendered.files)
    assert files["working.md"].decode() == text  # all of it, in the file
    assert "working.md" in (rendered.embeds[0].description or "") and "800 lines" in rendered.embeds[0].description  # 2 a step
    assert text.startswith(rendered.embeds[0].description.split("\n\n📎")[0])


def test_a_line_longer_than_an_embed_is_split_at_spaces_and_nothing_is_lost():
    text = " ".join(f"term{n}" for n in range(2000))
    pieces = split_working(text)
    assert all(len(p) <= MAX_DESCRIPTION for p in pieces)
    assert " ".join(pieces) == text


async def test_an_error_is_ephemeral_content_and_a_private_reply_is_ephemeral_too():
    error = await render(Reply.failure("usage", "'order' must be between 1 and 10, not 11."))
    assert error.ephemeral and error.content == "⚠️ 'order' must be between 1 and 10, not 11." and not error.embeds
    private = await render(Reply(text="💡 Hint 1/2: use the chain rule", private=True))
    assert private.ephemeral and not error.buttons


async def test_choices_become_persistent_buttons_and_one_too_long_for_a_custom_id_is_offered_as_text():
    long_command = "/example " + "x" * 120
    rendered = await render(Reply(text="Quiz", choices=(Choice("A", "A", "/answer A"), Choice("skip", "Skip", "/skip"),
                                                          Choice("ex", "Example", long_command))))
    assert [b.item.custom_id for b in rendered.buttons] == ["calcbot:A:/answer A", "calcbot:skip:/skip"]
    assert f"`{long_command}`" in (rendered.embeds[-1].description or "")
    view = rendered.view()
    assert view is not None and view.timeout is None and view.is_persistent()


async def test_figures_past_discords_file_limit_are_listed_not_dropped_silently():
    big = b"\x89PNG" + b"0" * (4 * 1024 * 1024)
    images = tuple(Image(f"figure{n}.png", big, alt=f"figure {n}") for n in range(4))
    rendered = await render(Reply(text="Plots", images=images))
    assert sum(len(data) for _, data in rendered.files) <= 10 * 1024 * 1024
    assert len(rendered.files) == 2
    assert "figure 2" in (rendered.embeds[-1].description or "") and "figure 3" in rendered.embeds[-1].description


def test_what_a_learner_sees_includes_the_attached_working():
    from tests.discord.standin import Posted

    posted = Posted("edit", "1", "2", {"embeds": [{"description": "start"}]}, {"working.md": b"all of it"}, {}, 0.0)
    assert "all of it" in shown(posted).text
