"""Asking: a fresh question for /quiz and /review, chosen and generated in the worker pool, and
opened in the channel in place of any open one (how a question is chosen: see
``bot.quiz.engine``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.reply import Image
from bot.jobs import jobs_in
from bot.learner import choose_focus
from bot.quiz.choosing import model_tries, reached_skills, reached_topics
from bot.quiz.deps import Learner, QuizDeps
from bot.quiz.results import (
    AnswerChoice,
    DueTopic,
    QuestionResult,
    ReviewResult,
    question_info,
    question_tag,
)
from bot.store.rows import User
from content.questions import Question, choice_labels

# Generating and drawing run in the workers; named here, so this process never loads the generators.
_content = jobs_in("content.generate")
generate_aimed, generate_for_skill = _content.generate_aimed, _content.generate_for_skill
generate_question = _content.generate_question
question_image = jobs_in("content.figures").question_image

if TYPE_CHECKING:
    from content.catalog import Topic

log = logging.getLogger("calcbot.quiz")

_FRESH_QUESTION_TRIES = 3


class QuestionAsker:
    """Chooses and opens questions; ``QuizEngine.ask`` and ``QuizEngine.review`` are these."""

    def __init__(self, deps: QuizDeps):
        self._deps = deps

    async def ask(
        self, learner: Learner, channel_key: str, topic_text: str | None = None
    ) -> QuestionResult:
        """A fresh question in this channel, replacing any open one there."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        if topic_text:  # a topic asked for is never overridden
            return await self._ask_topic(user, channel_key, self._deps.curriculum.find(topic_text), now)
        # Read together: one round trip's wait instead of three.
        due, tries, learned = await asyncio.gather(
            self._deps.store.due_cards(user.id, now),
            self._deps.store.evidence(user.id),
            self._deps.store.learned_topics(user.id),
        )
        for card in due:  # due reviews keep their place
            if card.topic_id in self._deps.topics:
                return await self._ask_topic(user, channel_key, self._deps.topics[card.topic_id], now)
        reached = reached_topics(self._deps.curriculum, learned, {given.topic_id for given in tries})
        focus = choose_focus(model_tries(tries), reached_skills(reached))
        if focus.aimed_at is not None:
            try:
                return await self._ask_with(user, channel_key, generate_aimed, focus.aimed_at, now, focus.why)
            except ValueError:  # no question shows this mistake: practise its skill instead
                log.warning("no aimed question for %s; asking on its skill", focus.aimed_at)
        if focus.skill is not None:
            return await self._ask_with(user, channel_key, generate_for_skill, focus.skill, now, focus.why)
        return await self._ask_topic(user, channel_key, await self._choose_topic(user, now), now)

    async def review(self, learner: Learner, channel_key: str) -> ReviewResult:
        """The topics FSRS says are due, and a question on the most overdue one."""
        now = self._deps.clock()
        user = await self._deps.user(learner, now)
        due = tuple(
            DueTopic(self._deps.ref(self._deps.topics[card.topic_id]), card.due)
            for card in await self._deps.store.due_cards(user.id, now)
            if card.topic_id in self._deps.topics
        )
        if not due:
            return ReviewResult(due=(), question=None, next_review=await self._deps.next_review(user, now))
        question = await self._ask_topic(user, channel_key, self._deps.topics[due[0].topic.id], now)
        return ReviewResult(due=due, question=question, next_review=None)

    async def _choose_topic(self, user: User, now: datetime) -> Topic:
        """With nothing reached yet: a read lesson never quizzed, the next lesson, else the soonest card."""
        cards = await self._deps.store.get_cards(user.id)  # soonest due first
        quizzed = {card.topic_id for card in cards}
        learned = await self._deps.store.learned_topics(user.id)
        for topic in self._deps.curriculum.topics():
            if topic.id in learned and topic.id not in quizzed:
                return topic
        upcoming = self._deps.curriculum.next_topic(learned)
        if upcoming is not None and upcoming.id not in quizzed:
            return upcoming
        for card in cards:
            if card.topic_id in self._deps.topics:
                return self._deps.topics[card.topic_id]
        return self._deps.curriculum.topics()[0]

    async def _ask_topic(
        self, user: User, channel_key: str, topic: Topic, now: datetime
    ) -> QuestionResult:
        return await self._ask_with(user, channel_key, generate_question, topic.id, now)

    async def _ask_with(
        self,
        user: User,
        channel_key: str,
        generate: Callable[[str, int], Question],
        subject: str,
        now: datetime,
        why: str | None = None,
    ) -> QuestionResult:
        """A fresh question from ``generate(subject, seed)`` (a topic, a skill or a mistake), opened
        in this channel in place of any open one."""
        current = await self._deps.store.get_open_question(user.id, channel_key)
        avoid = {current.question_id} if current else set()
        question: Question | None = None
        for _ in range(_FRESH_QUESTION_TRIES):
            question = await self._deps.run(generate, subject, self._deps.rng.randrange(2**31))
            if question.id not in avoid:
                break
        assert question is not None
        opened, replaced = await self._deps.store.put_open_question(
            user.id,
            channel_key,
            topic_id=question.topic_id,
            question_id=question.id,
            question_json=question.to_json(),
            asked_at=now,
            expires_at=now + self._deps.question_lifetime,
        )
        labels = choice_labels(len(question.choices))
        image = await self._picture(question)
        return QuestionResult(
            topic=self._deps.topic_ref(question.topic_id),
            question_id=question.id,
            prompt=question.prompt,
            kind=question.kind,
            choices=tuple(AnswerChoice(label, text) for label, text in zip(labels, question.choices, strict=True)),
            hints_available=len(question.hints),
            expires_at=opened.expires_at,
            replaced=None if replaced is None else self._deps.topic_ref(replaced.topic_id),
            tag=question_tag(opened.question_id, opened.asked_at),
            info=question_info(question),
            why=why,
            image=image,
        )

    async def _picture(self, question: Question) -> Image | None:
        """A picture question's image, drawn from its stored spec in the worker pool."""
        if question.kind != "picture":
            return None
        png, alt = await self._deps.run(question_image, question.to_json())
        return Image(name=f"quiz-{question.id.split('/')[1]}.png", png=png, alt=alt)
