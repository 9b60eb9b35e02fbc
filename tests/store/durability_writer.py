"""Records answers in a loop and prints ``ack N`` after each commit (run by test_durability).

Usage: python -m tests.store.durability_writer DATABASE_URL
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.store import AnswerRecord, CardUpdate, Store


async def record_forever(url: str) -> None:
    store = await Store.open(url)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    user = await store.get_or_create_user("console", "durable", "Durable", start)
    version = 0
    number = 0
    while True:
        number += 1
        at = start + timedelta(seconds=number)
        question, _ = await store.put_open_question(
            user.id, "general", topic_id="chain-rule", question_id=f"chain-rule/g/{number}",
            question_json="{}", asked_at=at, expires_at=at + timedelta(hours=24),
        )
        outcome = await store.record_answer(
            AnswerRecord(
                user_id=user.id, open_question_id=question.id, topic_id="chain-rule",
                question_id=question.question_id, channel_key="general", answer_text=f"answer {number}",
                correct=True, hints_used=0, rating=3, xp_gained=1, answered_at=at,
                card=CardUpdate(state_json="{}", due=at + timedelta(days=1), last_review=at,
                                expected_version=version),
            )
        )
        version = outcome.card.version
        print(f"ack {number}", flush=True)


if __name__ == "__main__":
    asyncio.run(record_forever(sys.argv[1]))
