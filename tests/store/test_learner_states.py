"""Each learner's BKT state is kept with their tries (migration 0010): after any mix of answers, on
both backends, with several processes writing, and after an older database's upgrade, it equals the
learner model over the tries in id order; ``/forget me`` takes it with the learner."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import text

from bot.store import Store, User, migrate
from bot.store.rows import CardUpdate, FirstTryRecord, TryRecord
from bot.store.tries import forget_user
from tests.cohorts.test_exactly_once_processes import scratch_database  # noqa: F401  (a fixture)
from tests.store.conftest import T0, Database
from tests.store.learner_check import stored_state, traced_state
from tests.store.learner_writer import LEARNERS
from tests.store.test_answers import _ask, _record


def _try(at, correct: bool, **fields) -> TryRecord:
    fields.setdefault("skills", ("chain_rule", "power_rule"))
    return TryRecord(topic_id=fields.pop("topic", "chain-rule"), question_id="q", channel_key="general",
                     answer_text="2*x", correct=correct, answered_at=at, **fields)


async def _answer(store: Store, user: User, given: TryRecord, *, skipped: bool = False) -> None:
    """One answer (or skip) through ``record_answer``, on its own question and the card as it is."""
    card = await store.get_card(user.id, given.topic_id)
    question = await _ask(store, user, topic=given.topic_id, at=given.answered_at)
    record = _record(question, at=given.answered_at, correct=given.correct, skipped=skipped,
                     expected_version=card.version if card else 0)
    await store.record_answer(replace(record, given=None if skipped else replace(given, question_id=question.question_id)))


async def _wrong_then_retry(store: Store, user: User, first: TryRecord, retry: TryRecord) -> None:
    """A wrong first try (``record_first_try``), then its retry on the same question."""
    card = await store.get_card(user.id, first.topic_id)
    question = await _ask(store, user, topic=first.topic_id, at=first.answered_at)
    update = CardUpdate("{}", first.answered_at + timedelta(days=1), first.answered_at, card.version if card else 0)
    assert await store.record_first_try(FirstTryRecord(user.id, question.id, first, update)) is not None
    record = replace(_record(question, at=retry.answered_at, correct=False, rating=1), answer_text=first.answer_text,
                     retry_answer=retry.answer_text, retry_correct=retry.correct, card=None, given=retry)
    await store.record_answer(record)


async def _mixed_answers(store: Store, user: User) -> None:
    at = [T0 + timedelta(minutes=m) for m in range(20)]
    await _answer(store, user, _try(at[0], True))
    await _wrong_then_retry(store, user, _try(at[1], False, malrule="chain_rule_inner_missing", malrule_where="sin(x)"),
                            _try(at[2], True, retry=True))
    await _answer(store, user, _try(at[3], False), skipped=True)
    await _answer(store, user, _try(at[4], True, kind="choice", topic="product-rule",
                                    skills=("product_rule", "power_rule")))
    await _answer(store, user, _try(at[5], False, kind="choice", topic="product-rule",
                                    skills=("product_rule", "power_rule")))
    await _answer(store, user, _try(at[6], False, topic="product-rule", skills=("product_rule",),
                                    malrule="chain_rule_inner_missing", malrule_where="cos(x)"))
    await _answer(store, user, _try(at[7], False))  # wrong, no diagnosis: evidence against every skill
    await _wrong_then_retry(store, user, _try(at[8], False, malrule="power_rule_exponent_kept"),
                            _try(at[9], False, retry=True, malrule="power_rule_exponent_kept"))
    await _answer(store, user, _try(at[10], True, topic="power-rule", skills=()))  # skills read from the topic
    for minute in range(11, 16):
        await _answer(store, user, _try(at[minute], minute % 2 == 0))


async def test_the_stored_state_is_the_learner_model_over_a_mixed_run_of_answers(store: Store, ana: User) -> None:
    await _mixed_answers(store, ana)
    stored, traced = await stored_state(store, ana.id), await traced_state(store, ana.id)
    assert stored == traced  # exactly: the same IEEE arithmetic, in the same order
    assert set(stored["skills"]) >= {"chain_rule", "power_rule", "product_rule"}
    assert stored["mistakes"]["chain_rule_inner_missing"][0] == 2
    # a diagnosed mistake on a product-rule question is evidence on the chain rule, not an answer of it
    assert stored["skills"]["chain_rule"][0] < 0.9 and stored["skills"]["product_rule"][1] == 3


async def test_another_learners_tries_leave_a_state_alone(store: Store, ana: User) -> None:
    bo = await store.get_or_create_user("console", "bo", "Bo", T0)
    await _answer(store, ana, _try(T0, True))
    before = await stored_state(store, ana.id)
    await _answer(store, bo, _try(T0 + timedelta(minutes=1), False))
    assert await stored_state(store, ana.id) == before


async def test_forgetting_a_learner_deletes_their_stored_state(store: Store, ana: User) -> None:
    await _mixed_answers(store, ana)
    kept = await stored_state(store, ana.id)
    deleted = await forget_user(store, ana.id, "console:ana")
    assert (deleted["skill_states"], deleted["malrule_counts"], deleted["learner_states"]) == (
        len(kept["skills"]), len(kept["mistakes"]), 1)
    assert await stored_state(store, ana.id) == {"skills": {}, "mistakes": {}, "last": None}


_OLD_TRY = text(
    "INSERT INTO tries (user_id, topic_id, question_id, channel_key, kind, skills, answer_text, correct, retry,"
    " skipped, hints_used, malrule, malrule_where, answered_at) VALUES (:user, :topic, 'q', 'c', :kind, :skills,"
    " 'x', :correct, :retry, :skipped, 0, :malrule, :where, :at)"
)


async def test_an_older_database_folds_its_tries_in_on_upgrade(database: Database) -> None:
    old = await database.open(migrate_schema=False)
    try:
        await migrate.upgrade(old.engine, "0009")
        users = [await old.get_or_create_user("console", name, name, T0) for name in ("ana", "bo")]
        async with old.transaction() as connection:
            for n in range(60):
                at = T0 + timedelta(minutes=n)
                await connection.execute(_OLD_TRY, {
                    "user": users[n % 2].id, "topic": ("chain-rule", "product-rule")[n % 3 == 0],
                    "kind": "choice" if n % 5 == 0 else "expression", "skills": "" if n % 4 == 0 else "chain_rule gradient",
                    "correct": n % 3 != 1, "retry": n % 6 == 2, "skipped": n % 11 == 0,
                    "malrule": "chain_rule_inner_missing" if n % 3 == 1 and n % 2 else None,
                    "where": "sin(x)" if n % 9 == 1 else None,
                    "at": at.replace(tzinfo=None) if database.backend == "sqlite" else at})
    finally:
        await old.close()
    upgraded = await database.open()
    try:
        for user in users:
            stored = await stored_state(upgraded, user.id)
            assert stored["skills"] and stored == await traced_state(upgraded, user.id)
        await _answer(upgraded, users[0], _try(T0 + timedelta(hours=2), False, malrule="chain_rule_inner_missing"))
        assert await stored_state(upgraded, users[0].id) == await traced_state(upgraded, users[0].id)
    finally:
        await upgraded.close()


async def test_processes_writing_tries_for_the_same_learners_keep_their_states_in_id_order(
        scratch_database: str) -> None:  # noqa: F811
    store = await Store.open(scratch_database)  # migrated before the writers start
    try:
        writers = [subprocess.Popen([sys.executable, "-m", "tests.store.learner_writer", scratch_database, str(p), "90"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in range(3)]
        for writer in writers:
            out, err = await asyncio.to_thread(writer.communicate, timeout=240)
            assert writer.returncode == 0 and out.strip() == "done", err[-2000:]
        for name in LEARNERS:
            user = await store.find_user("console", name)
            assert user is not None
            stored = await stored_state(store, user.id)
            assert len(stored["skills"]) == 3 and stored == await traced_state(store, user.id)
    finally:
        await store.close()
