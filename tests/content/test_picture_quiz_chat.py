"""A picture quiz in chat, through the real app: /quiz graphs, a button press (also after a restart),
/review the next day, and the daily push — each with its one image and alt text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import build_app
from bot.cohorts.daily import Daily
from content.catalog import curriculum
from content.generate import generate_from
from content.questions import Question
from tests.plotting.pngcheck import png_size

LETTERS = ("A", "B", "C", "D")


def _is_picture_question(reply) -> None:
    assert reply.error is None, reply.text
    assert len(reply.images) == 1
    image = reply.images[0]
    assert image.png.startswith(b"\x89PNG") and png_size(image.png)[0] >= 800
    assert len(image.alt) > 100 and image.alt != image.name
    assert reply.question is not None and reply.question.kind == "picture"
    assert all(f"**{letter}" in reply.text or f" {letter}" in reply.text for letter in LETTERS)  # the letters, named
    assert set(LETTERS) <= {choice.label for choice in reply.choices}


async def test_quiz_graphs_asks_a_picture_question_and_a_wrong_button_says_what_it_showed(bot):
    asked = await bot.say("/quiz graphs")
    _is_picture_question(asked)
    question_id = asked.question.id
    assert question_id.startswith("graphs/")
    topic, name, seed = question_id.split("/")
    question = generate_from(topic, name, int(seed))
    wrong = next(i for i, letter in enumerate(LETTERS) if letter != question.answer)
    pressed = await bot.press(next(c for c in asked.choices if c.label == LETTERS[wrong]))
    assert pressed.result == "False"
    assert f"{LETTERS[wrong]} is {question.choice_notes[wrong]}" in pressed.text
    assert f"The answer is {question.answer}" in pressed.text

    bot.clock.advance(days=2)
    review = await bot.say("/review")
    _is_picture_question(review)  # the graphs topic is due again: another picture


async def test_a_button_press_after_a_restart_is_graded_from_the_stored_question(bot, worker_pool):
    asked = await bot.say("/quiz graphs")
    _is_picture_question(asked)
    topic, name, seed = asked.question.id.split("/")
    right = generate_from(topic, name, int(seed)).answer
    await bot.app.close()  # type: ignore[attr-defined]
    bot.app = await build_app(db_path=str(bot.db_path), clock=bot.clock, workers=worker_pool)  # type: ignore[arg-type]
    pressed = await bot.press(next(c for c in asked.choices if c.label == right))
    assert pressed.result == "True" and "Correct" in pressed.text


async def test_the_daily_push_of_a_picture_question_carries_its_image(worker_pool):
    question = generate_from("graphs", "descent_basins", 4)
    daily = Daily(None, None, worker_pool.run, curriculum())  # type: ignore[attr-defined]
    row = {"kind": "daily", "question_json": question.to_json(), "id": 7, "local_date": "2027-01-04",
           "closes_at": datetime(2027, 1, 4, 20, tzinfo=UTC), "schedule_id": 1}
    pushed = await daily.compose(row, datetime(2027, 1, 4, 8, tzinfo=UTC))
    assert len(pushed.images) == 1 and "point A at" in pushed.images[0].alt
    assert [choice.command for choice in pushed.choices] == [f"/daily answer {letter}" for letter in LETTERS]
    assert Question.from_json(row["question_json"]) == question  # nothing but the stored JSON was needed
    assert "panel" not in pushed.text.lower() or "lettered panels" in pushed.text  # no option texts leaked
    for note in question.choice_notes:
        assert note not in pushed.text  # what each panel shows is said only after the answer
