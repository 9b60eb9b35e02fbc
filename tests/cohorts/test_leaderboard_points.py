"""The leaderboard's SQL scoring agrees with the written rule (points_for) on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.cohorts.leaderboard import points_for, standings
from bot.store.models import attempts
from content.catalog import curriculum

NOW = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("period, span", [("week", timedelta(days=7)), ("month", timedelta(days=30)), ("all", None)])
async def test_sql_points_follow_the_rule(database, period, span):
    store = await database.open()
    try:
        topics = list(curriculum().topics())
        rng = random.Random(3)
        members, expected = {}, {}
        for n in range(6):
            user = await store.get_or_create_user("console", f"u{n}", f"user {n}", NOW)
            members[f"console:u{n}"] = f"user {n}"
            total, last_seen = 0, {}
            when = NOW - timedelta(days=40)
            rows = []
            for _ in range(25):
                when += timedelta(hours=rng.choice([1, 30, 24 * 9]))
                topic = rng.choice(topics)
                correct, hints, daily = rng.random() < 0.6, rng.choice([0, 0, 1, 3]), rng.random() < 0.3
                gap = when - last_seen[topic.id] if topic.id in last_seen else None
                last_seen[topic.id] = when
                if span is None or when >= NOW - span:  # in the period; the gap may reach back before it
                    total += points_for(correct, topic.module, hints, daily, gap)
                rows.append(dict(user_id=user.id, topic_id=topic.id, question_id="q", answer_text="x",
                                 channel_key="daily:1" if daily else "console::study", correct=correct,
                                 skipped=False, hints_used=hints, rating=3, xp_gained=0, answered_at=when))
            async with store.transaction() as db:
                await db.execute(sa.insert(attempts), rows)
            expected[f"user {n}"] = total
        table = await standings(store, curriculum(), members, "console::study", period, NOW)
        assert {s.name: s.points for s in table} == expected
        assert [s.points for s in table] == sorted(expected.values(), reverse=True)
        assert all(s.points >= 0 for s in table)
    finally:
        await store.close()
