"""A learner's journey through the course, in chat: lesson, quiz, feedback, review, progress."""

from __future__ import annotations

import sympy

from bot.app import build_app
from bot.present.format import plain
from bot.solver.parser import parse
from content.questions import Question
from tests.conftest import ChatBot

WRONG = "12345*x^7"


async def _expression_question(bot: ChatBot, topic: str) -> str:
    """Ask until the question wants an expression (some are multiple choice)."""
    for _ in range(12):
        reply = await bot.say(f"/quiz {topic}")
        assert reply.error is None, reply.error
        if not any(c.command.startswith("/answer") for c in reply.choices):
            return reply.text
    raise AssertionError("no expression question in 12 tries")


async def test_first_lesson_is_the_start_of_the_course_and_offers_the_next(bot):
    reply = await bot.say("/lesson")
    assert reply.error is None
    assert "Module 1" in reply.text
    assert any(choice.command.startswith("/quiz") for choice in reply.choices)


async def test_a_wrong_answer_gets_feedback_then_one_more_try(bot):
    await _expression_question(bot, "product rule")
    reply = await bot.say(f"/answer {WRONG}")
    assert reply.error is None and reply.result == "False"
    assert "Not quite" in reply.text and "One more try" in reply.text
    assert "Expected" not in reply.text and "Worked solution" not in reply.text
    commands = [c.command for c in reply.choices]
    assert commands[:2] == ["/hint", "/skip"]
    assert [c.label for c in reply.choices[2:]] == ["Check my working"]  # a derivative question: the form too


async def test_a_second_wrong_answer_gets_the_worked_solution_and_no_xp(bot):
    await _expression_question(bot, "product rule")
    await bot.say(f"/answer {WRONG}")
    reply = await bot.say(f"/answer {WRONG}")
    assert reply.error is None
    assert reply.result == "False"
    assert "Not quite" in reply.text and "Expected" in reply.text and "One more try" not in reply.text
    assert "+0 XP" in reply.text


async def test_an_answer_that_does_not_parse_is_pointed_at_and_not_counted(bot):
    await _expression_question(bot, "product rule")
    reply = await bot.say("/answer 3x^2 +* 2")
    assert reply.error is not None and reply.error.code == "parse"
    progress = await bot.say("/progress")
    assert progress.learner is not None and progress.learner.answered == 0


async def test_answering_with_no_open_question_says_so(bot):
    reply = await bot.say("/answer 2x")
    assert reply.error is not None
    assert "/quiz" in reply.error.message


async def test_a_question_belongs_to_its_asker(bot):
    await _expression_question(bot, "chain rule")
    reply = await bot.say(f"/answer {WRONG}", user="ben")
    assert reply.error is not None  # ben has no open question here; ana's is untouched
    assert "Ana's, not yours" in reply.error.message
    assert (await bot.say(f"/answer {WRONG}", user="ana")).error is None


async def test_a_missed_topic_comes_back_for_review_the_next_day_and_progress_survives_a_restart(bot):
    await bot.say("/lesson product rule")
    await _expression_question(bot, "product rule")
    assert "One more try" in (await bot.say(f"/answer {WRONG}")).text
    assert (await bot.say(f"/answer {WRONG}")).result == "False"

    bot.clock.advance(days=1)
    review = await bot.say("/review")
    assert review.error is None
    assert "Product rule" in review.text or "product" in review.text.lower()
    assert "Quiz" in review.text

    before = await bot.say("/progress")
    assert "Answered 2 tries" in before.text and "right first time 0 (0% of first tries)" in before.text
    assert (before.learner.answered, before.learner.correct, before.learner.skipped) == (2, 0, 0)

    await bot.app.close()  # type: ignore[attr-defined]
    restarted = await build_app(db_path=str(bot.db_path), clock=bot.clock,
                                workers=bot.app.services.workers)  # type: ignore[attr-defined]
    bot.app = restarted
    after = await bot.say("/progress")
    assert "Answered 2 tries" in after.text and "lessons read 1" in after.text


async def _open_question(bot: ChatBot, user: str = "ana", channel: str = "general") -> Question:
    """Read the open question back from the real store (what the bot will grade against)."""
    store = bot.app.services.store  # type: ignore[attr-defined]
    learner = await store.get_or_create_user("console", user, user.title(), bot.clock())
    open_question = await store.get_open_question(learner.id, f"console::{channel}")
    assert open_question is not None
    return Question.from_json(open_question.question_json)


async def test_a_correct_multiple_choice_answer_earns_xp_and_starts_the_streak(bot):
    for _ in range(12):
        if (await bot.say("/quiz product rule")).choices:
            break
    else:
        raise AssertionError("no multiple-choice question in 12 tries")
    question = await _open_question(bot)
    reply = await bot.say(f"/answer {question.answer}")
    assert reply.result == "True"
    assert "Correct" in reply.text and "streak 1 day" in reply.text
    assert "+0 XP" not in reply.text


async def test_the_right_expression_in_another_form_is_accepted(bot):
    await _expression_question(bot, "chain rule")
    question = await _open_question(bot)
    expected = parse(question.answer)
    reply = await bot.say(f"/answer ({plain(sympy.expand(expected))})")
    assert reply.result == "True", reply.text


async def test_example_runs_the_topics_worked_example_through_the_solver(bot):
    reply = await bot.say("/example product rule")
    assert reply.error is None
    assert "Worked example" in reply.text and "product rule" in reply.text.lower()


async def test_topics_lists_every_module(bot):
    reply = await bot.say("/topics")
    assert all(f"Module {n}" in reply.text for n in range(1, 7))


async def test_every_topics_worked_example_runs_without_error(bot):
    from content.catalog import curriculum

    for topic in curriculum().topics():
        reply = await bot.say(f"/example {topic.id}", user=f"learner-{topic.id}")
        assert reply.error is None, (topic.id, topic.example_command, reply.error)


async def test_every_quiz_question_carries_hint_and_skip_buttons(bot):
    """A learner can practise without typing: options, Hint and Skip are all buttons."""
    import re

    seen_open = seen_choice = False
    for _ in range(10):
        reply = await bot.say("/quiz derivatives")
        commands = [choice.command for choice in reply.choices]
        assert commands[-1] == "/skip"
        options = re.findall(r"^\*\*([A-Z])\.\*\*", reply.text, flags=re.M)
        assert [c for c in commands if c.startswith("/answer ")] == [f"/answer {label}" for label in options]
        seen_choice |= bool(options)
        seen_open |= not options
        hint = await bot.say("/hint")
        assert ("/hint" in commands) == (hint.error is None and "Hint" in hint.text)
    assert seen_open
