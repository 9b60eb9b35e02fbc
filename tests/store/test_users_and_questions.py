"""Users, open questions, lessons read and cards: the store's small reads and writes."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from bot.store import Store, User
from tests.store.conftest import T0


async def _open(store: Store, user: User, channel: str = "general", question_id: str = "t/g/1", topic: str = "t"):
    return await store.put_open_question(
        user.id,
        channel,
        topic_id=topic,
        question_id=question_id,
        question_json=json.dumps({"id": question_id}),
        asked_at=T0,
        expires_at=T0 + timedelta(hours=24),
    )


async def test_same_identity_gives_the_same_user(store: Store) -> None:
    first = await store.get_or_create_user("discord", "42", "Ana", T0)
    again = await store.get_or_create_user("discord", "42", "Ana", T0 + timedelta(days=3))
    assert again == first


async def test_same_id_on_another_platform_is_another_user(store: Store) -> None:
    discord = await store.get_or_create_user("discord", "42", "Ana", T0)
    slack = await store.get_or_create_user("slack", "42", "Ana", T0)
    assert discord.id != slack.id


async def test_a_new_display_name_is_kept(store: Store) -> None:
    first = await store.get_or_create_user("discord", "42", "Ana", T0)
    renamed = await store.get_or_create_user("discord", "42", "Ana B.", T0)
    assert (renamed.id, renamed.display_name) == (first.id, "Ana B.")
    assert (await store.get_user(first.id)).display_name == "Ana B."  # type: ignore[union-attr]


async def test_concurrent_first_messages_create_one_user(store: Store) -> None:
    users = await asyncio.gather(*(store.get_or_create_user("slack", "U1", "Bo", T0) for _ in range(5)))
    assert len({user.id for user in users}) == 1


async def test_new_user_starts_with_no_xp_and_no_streak(ana: User) -> None:
    assert (ana.xp, ana.streak_days, ana.last_active_day, ana.created_at) == (0, 0, None, T0)


async def test_open_question_is_found_in_its_channel_only(store: Store, ana: User) -> None:
    opened, replaced = await _open(store, ana, "general")
    assert replaced is None
    assert await store.get_open_question(ana.id, "general") == opened
    assert await store.get_open_question(ana.id, "random") is None


async def test_asking_again_in_a_channel_replaces_and_returns_the_old_question(store: Store, ana: User) -> None:
    first, _ = await _open(store, ana, question_id="t/g/1")
    second, replaced = await _open(store, ana, question_id="t/g/2")
    assert replaced == first
    assert await store.get_open_question(ana.id, "general") == second


async def test_hints_are_counted_up_to_the_limit(store: Store, ana: User) -> None:
    opened, _ = await _open(store, ana)
    counts = [await store.add_hint_used(opened.id, limit=2) for _ in range(3)]
    assert counts == [1, 2, None]
    assert (await store.get_open_question(ana.id, "general")).hints_used == 2  # type: ignore[union-attr]


async def test_concurrent_hints_never_pass_the_limit(store: Store, ana: User) -> None:
    opened, _ = await _open(store, ana)
    counts = await asyncio.gather(*(store.add_hint_used(opened.id, limit=3) for _ in range(6)))
    assert sorted(count for count in counts if count is not None) == [1, 2, 3]


async def test_deleting_an_open_question_reports_whether_it_was_there(store: Store, ana: User) -> None:
    opened, _ = await _open(store, ana)
    assert await store.delete_open_question(opened.id) is True
    assert await store.delete_open_question(opened.id) is False
    assert await store.get_open_question(ana.id, "general") is None


async def test_expired_questions_are_purged_and_live_ones_kept(store: Store, ana: User) -> None:
    await _open(store, ana, "old")
    await store.put_open_question(
        ana.id, "new", topic_id="t", question_id="t/g/9", question_json="{}",
        asked_at=T0 + timedelta(hours=20), expires_at=T0 + timedelta(hours=44),
    )
    assert await store.delete_expired_questions(T0 + timedelta(hours=30)) == 1
    assert await store.get_open_question(ana.id, "old") is None
    assert await store.get_open_question(ana.id, "new") is not None


async def test_marking_a_lesson_learned_is_idempotent(store: Store, ana: User) -> None:
    assert await store.mark_learned(ana.id, "chain-rule", T0) is True
    assert await store.mark_learned(ana.id, "chain-rule", T0 + timedelta(days=1)) is False
    assert await store.learned_topics(ana.id) == {"chain-rule"}


async def test_learned_topics_are_per_user(store: Store, ana: User) -> None:
    bo = await store.get_or_create_user("console", "bo", "Bo", T0)
    await store.mark_learned(ana.id, "chain-rule", T0)
    assert await store.learned_topics(bo.id) == set()


async def test_others_waiting_names_other_users_with_a_live_question_here(store: Store, ana: User) -> None:
    ben = await store.get_or_create_user("discord", "77", "Ben", T0)
    await _open(store, ana, "general")
    assert await store.others_waiting_in("general", ben.id, T0) == ["Ana"]
    assert await store.others_waiting_in("general", ana.id, T0) == []
    assert await store.others_waiting_in("random", ben.id, T0) == []
    assert await store.others_waiting_in("general", ben.id, T0 + timedelta(hours=25)) == []  # expired
