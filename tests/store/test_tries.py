"""Every try is a record (migration 0006): kept with the answer that gives it, on both backends,
read back in order, filled in from older databases, and deleted with the learner on request."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import text

from bot.store import Store, User, migrate
from bot.store.rows import TryRecord
from bot.store.tries import forget_user, tries_of
from tests.store.conftest import T0, Database
from tests.store.test_answers import _ask, _first_try, _record


def _given(topic: str, answer: str, correct: bool, **fields) -> TryRecord:
    return TryRecord(topic_id=topic, question_id=f"{topic}/g/1", channel_key="general", answer_text=answer,
                     correct=correct, answered_at=T0, **fields)


async def test_an_answer_keeps_its_try_with_skills_aim_and_diagnosis(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    given = _given("chain-rule", "cos(x**2)", False, kind="expression", skills=("chain_rule", "trig_derivatives"),
                   aimed_at="chain_rule_inner_missing", malrule="chain_rule_inner_missing",
                   malrule_where="sin(x**2)")
    await store.record_answer(replace(_record(question, correct=False, rating=1, xp=0), given=given))
    [kept] = await tries_of(store, ana.id)
    assert kept.record == given and kept.user_id == ana.id


async def test_a_skip_is_a_try_that_is_neither_right_nor_answered(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    await store.record_answer(_record(question, skipped=True, correct=False, rating=1, xp=0))
    [kept] = await tries_of(store, ana.id)
    assert (kept.record.skipped, kept.record.correct, kept.record.answer_text) == (True, False, "")


async def test_a_first_try_survives_its_question_being_replaced(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    assert await store.record_first_try(_first_try(question, "3*x")) is not None
    await _ask(store, ana, topic="power-rule")  # a new /quiz in the same channel replaces it
    [kept] = await tries_of(store, ana.id)
    assert (kept.record.answer_text, kept.record.malrule) == ("3*x", "chain_rule_inner_missing")
    card = await store.get_card(ana.id, "chain-rule")
    assert card is not None and card.due == T0 + timedelta(days=1)  # and its topic still comes back


async def test_tries_come_back_in_the_order_given(store: Store, ana: User) -> None:
    for minute, topic in enumerate(("chain-rule", "power-rule", "chain-rule")):
        at = T0 + timedelta(minutes=minute)
        card = await store.get_card(ana.id, topic)
        question = await _ask(store, ana, topic=topic, at=at)
        await store.record_answer(_record(question, at=at, expected_version=card.version if card else 0))
    assert [t.record.topic_id for t in await tries_of(store, ana.id)] == ["chain-rule", "power-rule", "chain-rule"]


async def test_forgetting_a_learner_deletes_their_rows_and_no_one_elses(store: Store, ana: User) -> None:
    bo = await store.get_or_create_user("console", "bo", "Bo", T0)
    for user in (ana, bo):
        question = await _ask(store, user)
        await store.record_first_try(_first_try(question, "3*x"))
        await store.mark_learned(user.id, "chain-rule", T0)
    deleted = await forget_user(store, ana.id, "console:ana")
    assert (deleted["users"], deleted["tries"], deleted["cards"], deleted["open_questions"],
            deleted["learned_topics"]) == (1, 1, 1, 1, 1)
    assert await store.get_user(ana.id) is None and await tries_of(store, ana.id) == []
    assert len(await tries_of(store, bo.id)) == 1 and await store.learned_topics(bo.id) == {"chain-rule"}


_OLD_ATTEMPT = text(
    "INSERT INTO attempts (user_id, topic_id, question_id, channel_key, answer_text, correct, skipped, hints_used,"
    " rating, xp_gained, answered_at, retry_answer, retry_correct) VALUES (:user, 'chain-rule', 'q', :channel,"
    " :answer, :correct, :skipped, 0, 1, 0, :at, :retry_answer, :retry_correct)"
)


async def test_a_0005_database_with_answers_upgrades_in_place(database: Database) -> None:
    """Each old attempt becomes its first try, then its retry or skip; a pending first answer a try."""
    old = await database.open(migrate_schema=False)
    try:
        await migrate.upgrade(old.engine, "0005")
        ana = await old.get_or_create_user("console", "ana", "Ana", T0)
        rows = [("a", "3*x", False, False, "2*x", True), ("b", "x", False, True, None, None),
                ("d", "2*x", True, False, None, None)]
        async with old.transaction() as connection:
            for minute, (channel, answer, correct, skipped, retry_answer, retry_correct) in enumerate(rows):
                await connection.execute(_OLD_ATTEMPT, {
                    "user": ana.id, "channel": channel, "answer": answer, "correct": correct, "skipped": skipped,
                    "at": (T0 + timedelta(minutes=minute)).replace(tzinfo=None) if database.backend == "sqlite"
                    else T0 + timedelta(minutes=minute),
                    "retry_answer": retry_answer, "retry_correct": retry_correct})
        pending = await _ask(old, ana, channel="c", at=T0 + timedelta(minutes=5))
        async with old.transaction() as connection:
            await connection.execute(text("UPDATE open_questions SET first_answer = 'x + 1' WHERE id = :id"),
                                     {"id": pending.id})
    finally:
        await old.close()
    upgraded = await database.open()
    try:
        assert await migrate.current_revision(upgraded.engine) == migrate.head_revision()
        kept = [(t.record.channel_key, t.record.answer_text, t.record.correct, t.record.retry, t.record.skipped)
                for t in await tries_of(upgraded, ana.id)]
        assert kept == [("a", "3*x", False, False, False), ("a", "2*x", True, True, False),
                        ("b", "x", False, False, False), ("b", "", False, False, True),
                        ("d", "2*x", True, False, False), ("c", "x + 1", False, False, False)]
        # and new answers go on after them
        question = await upgraded.get_open_question(ana.id, "c")
        assert question is not None
        await upgraded.record_answer(replace(_record(question, correct=False, rating=1, xp=0, expected_version=0),
                                             answer_text="x + 1", retry_answer="x", retry_correct=False))
        assert len(await tries_of(upgraded, ana.id)) == 7
    finally:
        await upgraded.close()
