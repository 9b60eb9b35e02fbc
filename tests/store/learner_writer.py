"""Writes a mixed run of tries for the shared learners, as fast as it can (run by test_learner_states).

Usage: python -m tests.store.learner_writer DATABASE_URL PROCESS ANSWERS

Each process answers on its own topic (its own cards and open questions, so nothing but the
learners is shared) with questions whose skills overlap the other processes': BKT is
order-dependent, so the stored states are right only if they follow the tries' id order.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.store import AnswerRecord, CardUpdate, Store
from bot.store.rows import FirstTryRecord, TryRecord

LEARNERS = ("ana", "bo", "cy")
TOPICS = ("chain-rule", "product-rule", "power-rule")
SKILLS = (("chain_rule", "power_rule"), ("product_rule", "power_rule"), ("power_rule", "chain_rule"))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def write(url: str, process: int, answers: int) -> None:
    store = await Store.open(url)
    users = [await store.get_or_create_user("console", name, name, START) for name in LEARNERS]
    topic = TOPICS[process]
    versions = {user.id: 0 for user in users}
    for number in range(answers):
        user = users[number % len(users)]
        at = START + timedelta(seconds=number)
        question, _ = await store.put_open_question(
            user.id, f"p{process}", topic_id=topic, question_id=f"{topic}/{number}", question_json="{}",
            asked_at=at, expires_at=at + timedelta(hours=1))
        given = TryRecord(topic_id=topic, question_id=question.question_id, channel_key=question.channel_key,
                          answer_text=f"a{number}", correct=(number * (process + 2)) % 3 != 0, answered_at=at,
                          kind="choice" if number % 5 == 0 else "expression", skills=SKILLS[process])
        card = CardUpdate("{}", at + timedelta(days=1), at, versions[user.id])
        if number % 4 == 1:  # a wrong, diagnosed first try, then its retry
            wrong = replace(given, correct=False, malrule="chain_rule_inner_missing", malrule_where=f"w{number}")
            outcome = await store.record_first_try(FirstTryRecord(user.id, question.id, wrong, card))
            assert outcome is not None
            versions[user.id] = outcome.card.version
            given, card = replace(given, retry=True, answer_text="r"), None
        record = AnswerRecord(
            user_id=user.id, open_question_id=question.id, topic_id=topic, question_id=question.question_id,
            channel_key=question.channel_key, answer_text=given.answer_text, correct=given.correct, hints_used=0,
            rating=3, xp_gained=1, answered_at=at, card=card, skipped=number % 7 == 3,
            given=None if number % 7 == 3 else given)
        versions[user.id] = (await store.record_answer(record)).card.version
    await store.close()
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(write(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
