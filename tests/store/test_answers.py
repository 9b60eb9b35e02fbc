"""record_answer: one transaction for the attempt, card, XP, streak and closing the question."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from datetime import datetime, timedelta

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Connection

from bot.store import AnswerRecord, CardChanged, CardUpdate, QuestionGone, Store, User
from bot.store.rows import FirstTryRecord, OpenQuestion, TryRecord
from bot.store.tries import tries_of
from tests.store.conftest import T0


async def _ask(store: Store, user: User, *, topic: str = "chain-rule", channel: str = "general",
               at: datetime = T0) -> OpenQuestion:
    opened, _ = await store.put_open_question(
        user.id, channel, topic_id=topic, question_id=f"{topic}/g/{at.timestamp():.0f}",
        question_json="{}", asked_at=at, expires_at=at + timedelta(hours=24),
    )
    return opened


def _record(question: OpenQuestion, *, at: datetime = T0, correct: bool = True, xp: int = 10,
            rating: int = 3, expected_version: int = 0, skipped: bool = False,
            due_in: timedelta = timedelta(days=2)) -> AnswerRecord:
    return AnswerRecord(
        user_id=question.user_id, open_question_id=question.id, topic_id=question.topic_id,
        question_id=question.question_id, channel_key=question.channel_key,
        answer_text="" if skipped else "2*x", correct=correct, hints_used=question.hints_used,
        rating=rating, xp_gained=xp, answered_at=at, skipped=skipped,
        card=CardUpdate(state_json=f'{{"at": "{at.isoformat()}"}}', due=at + due_in,
                        last_review=at, expected_version=expected_version),
    )


async def _answer(store: Store, user: User, at: datetime, **options) -> object:
    card = await store.get_card(user.id, options.get("topic", "chain-rule"))
    question = await _ask(store, user, at=at, topic=options.pop("topic", "chain-rule"))
    return await store.record_answer(
        _record(question, at=at, expected_version=card.version if card else 0, **options)
    )


async def test_an_answer_is_recorded_with_its_card_xp_and_streak(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    outcome = await store.record_answer(_record(question, xp=10))
    assert (outcome.user.xp, outcome.user.streak_days, outcome.user.last_active_day) == (10, 1, T0.date())
    assert (outcome.card.due, outcome.card.reps, outcome.card.lapses, outcome.card.version) == (
        T0 + timedelta(days=2), 1, 0, 1)
    [attempt] = await store.attempts(ana.id)
    assert (attempt.id, attempt.topic_id, attempt.correct, attempt.answer_text, attempt.answered_at) == (
        outcome.attempt_id, "chain-rule", True, "2*x", T0)
    assert await store.get_open_question(ana.id, "general") is None


async def test_a_later_answer_updates_the_card_and_counts_lapses(store: Store, ana: User) -> None:
    await _answer(store, ana, T0)
    await _answer(store, ana, T0 + timedelta(hours=1), correct=False, rating=1, xp=0)
    card = await store.get_card(ana.id, "chain-rule")
    assert (card.reps, card.lapses, card.version, card.last_review) == (  # type: ignore[union-attr]
        2, 1, 2, T0 + timedelta(hours=1))


async def test_answers_on_consecutive_days_extend_the_streak(store: Store, ana: User) -> None:
    for day in range(3):
        outcome = await _answer(store, ana, T0 + timedelta(days=day))
    assert outcome.user.streak_days == 3  # type: ignore[attr-defined]


async def test_more_answers_on_the_same_day_keep_the_streak(store: Store, ana: User) -> None:
    await _answer(store, ana, T0)
    outcome = await _answer(store, ana, T0 + timedelta(hours=5))
    assert (outcome.user.streak_days, outcome.user.xp) == (1, 20)  # type: ignore[attr-defined]


async def test_a_missed_day_restarts_the_streak(store: Store, ana: User) -> None:
    await _answer(store, ana, T0)
    await _answer(store, ana, T0 + timedelta(days=1))
    outcome = await _answer(store, ana, T0 + timedelta(days=3))
    assert outcome.user.streak_days == 1  # type: ignore[attr-defined]


async def test_streak_days_follow_utc_midnight(store: Store, ana: User) -> None:
    late = T0.replace(hour=23, minute=59)
    await _answer(store, ana, late)
    outcome = await _answer(store, ana, late + timedelta(minutes=2))
    assert outcome.user.streak_days == 2  # type: ignore[attr-defined]


async def test_a_skip_neither_starts_nor_extends_a_streak(store: Store, ana: User) -> None:
    outcome = await _answer(store, ana, T0, skipped=True, correct=False, rating=1, xp=0)
    assert (outcome.user.streak_days, outcome.user.last_active_day) == (0, None)  # type: ignore[attr-defined]
    [attempt] = await store.attempts(ana.id)
    assert attempt.skipped and not attempt.correct


async def test_interleaved_answers_of_two_users_change_only_their_own_rows(store: Store, ana: User) -> None:
    # The answer statements are built once and shared; each execution must bind its own user.
    bo = await store.get_or_create_user("console", "bo", "Bo", T0)
    await _answer(store, ana, T0, xp=10)
    await _answer(store, bo, T0 + timedelta(days=1), xp=3, correct=False, rating=1)
    await _answer(store, ana, T0 + timedelta(days=1), xp=10)
    ana_now, bo_now = await store.get_user(ana.id), await store.get_user(bo.id)
    assert (ana_now.xp, ana_now.streak_days) == (20, 2)  # type: ignore[union-attr]
    assert (bo_now.xp, bo_now.streak_days) == (3, 1)  # type: ignore[union-attr]
    ana_card, bo_card = await store.get_card(ana.id, "chain-rule"), await store.get_card(bo.id, "chain-rule")
    assert (ana_card.reps, ana_card.lapses, ana_card.version) == (2, 0, 2)  # type: ignore[union-attr]
    assert (bo_card.reps, bo_card.lapses, bo_card.version) == (1, 1, 1)  # type: ignore[union-attr]
    assert [attempt.xp_gained for attempt in await store.attempts(bo.id)] == [3]


async def test_answering_a_closed_question_again_is_refused(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    first = await store.record_answer(_record(question))
    with pytest.raises(QuestionGone):
        await store.record_answer(_record(question, expected_version=first.card.version))
    assert len(await store.attempts(ana.id)) == 1
    assert (await store.get_user(ana.id)).xp == 10  # type: ignore[union-attr]


async def test_two_concurrent_answers_to_one_question_count_once(database, ana: User) -> None:
    # Two stores: two connection pools, as two bot processes would have.
    first, second = await database.open(), await database.open()
    try:
        question = await _ask(first, ana)
        results = await asyncio.gather(
            first.record_answer(_record(question)),
            second.record_answer(_record(question)),
            return_exceptions=True,
        )
        assert sorted(type(result).__name__ for result in results) == ["AnswerOutcome", "QuestionGone"]
        assert len(await first.attempts(ana.id)) == 1
        assert (await first.get_user(ana.id)).xp == 10  # type: ignore[union-attr]
        assert (await first.get_card(ana.id, "chain-rule")).reps == 1  # type: ignore[union-attr]
    finally:
        await first.close()
        await second.close()


async def test_a_card_changed_since_it_was_read_is_refused_and_nothing_written(store: Store, ana: User) -> None:
    await _answer(store, ana, T0)
    question = await _ask(store, ana, at=T0 + timedelta(hours=1))
    with pytest.raises(CardChanged):
        await store.record_answer(_record(question, at=T0 + timedelta(hours=1), expected_version=0))
    assert await store.get_open_question(ana.id, "general") == question
    assert len(await store.attempts(ana.id)) == 1
    assert (await store.get_card(ana.id, "chain-rule")).version == 1  # type: ignore[union-attr]


async def test_concurrent_answers_on_one_card_from_two_channels_let_one_write_the_card(
    database, ana: User
) -> None:
    first, second = await database.open(), await database.open()
    try:
        await _answer(first, ana, T0)
        in_general = await _ask(first, ana, channel="general", at=T0 + timedelta(days=2))
        in_dm = await _ask(first, ana, channel="dm", at=T0 + timedelta(days=2))
        results = await asyncio.gather(
            first.record_answer(_record(in_general, at=T0 + timedelta(days=2), expected_version=1)),
            second.record_answer(_record(in_dm, at=T0 + timedelta(days=2), expected_version=1)),
            return_exceptions=True,
        )
        assert sorted(type(result).__name__ for result in results) == ["AnswerOutcome", "CardChanged"]
        assert (await first.get_card(ana.id, "chain-rule")).reps == 2  # type: ignore[union-attr]
    finally:
        await first.close()
        await second.close()


async def _assert_second_answer_left_no_trace(store: Store, ana: User, question: OpenQuestion,
                                              before_card: object) -> None:
    assert await store.get_open_question(ana.id, "general") == question
    assert len(await store.attempts(ana.id)) == 1
    assert await store.get_card(ana.id, "chain-rule") == before_card
    user = await store.get_user(ana.id)
    assert (user.xp, user.streak_days, user.last_active_day) == (10, 1, T0.date())  # type: ignore[union-attr]


@pytest.mark.parametrize("fail_at", [2, 3, 4], ids=["after-closing", "after-card", "after-attempt"])
async def test_a_failure_between_the_steps_of_an_answer_leaves_nothing_half_written(
    database, store: Store, ana: User, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    if database.backend == "postgresql":
        pytest.skip("PostgreSQL records an answer in one statement: no step boundary to fail at "
                    "(see the server-side failure test)")
    await _answer(store, ana, T0)
    before_card = await store.get_card(ana.id, "chain-rule")
    question = await _ask(store, ana, at=T0 + timedelta(days=2))
    # The sync Connection underlies every async execute, and record_answer runs on it directly.
    real_execute = Connection.execute
    calls = 0

    def failing_execute(self, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == fail_at:
            raise RuntimeError("connection lost mid-answer")
        return real_execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(Connection, "execute", failing_execute)
    with pytest.raises(RuntimeError, match="connection lost"):
        await store.record_answer(_record(question, at=T0 + timedelta(days=2), expected_version=1))
    monkeypatch.undo()
    await _assert_second_answer_left_no_trace(store, ana, question, before_card)


@pytest.mark.parametrize("step", ["attempt", "user"])
async def test_a_server_error_late_in_an_answer_undoes_its_earlier_steps(
    database, store: Store, ana: User, step: str
) -> None:
    # Values PostgreSQL rejects only when it reaches that step: VARCHAR(300) for the attempt's
    # channel, 32-bit overflow of the user's XP. SQLite enforces neither.
    if database.backend == "sqlite":
        pytest.skip("SQLite checks neither VARCHAR lengths nor 32-bit overflow")
    await _answer(store, ana, T0)
    before_card = await store.get_card(ana.id, "chain-rule")
    question = await _ask(store, ana, at=T0 + timedelta(days=2))
    record = _record(question, at=T0 + timedelta(days=2), expected_version=1)
    if step == "attempt":
        record = replace(record, channel_key="c" * 301)
    else:
        record = replace(record, xp_gained=2**31 - 1)
    # asyncpg's own error: PostgreSQL runs this statement on the driver directly (direct.py).
    with pytest.raises(asyncpg.PostgresError, match="value too long|out of range"):
        await store.record_answer(record)
    await _assert_second_answer_left_no_trace(store, ana, question, before_card)


async def test_progress_rows_total_attempts_per_topic(store: Store, ana: User) -> None:
    await _answer(store, ana, T0, topic="chain-rule")
    await _answer(store, ana, T0 + timedelta(hours=1), topic="chain-rule", correct=False, rating=1, xp=0)
    await _answer(store, ana, T0 + timedelta(hours=2), topic="hessian", skipped=True, correct=False, rating=1, xp=0)
    await store.mark_learned(ana.id, "taylor-series", T0)
    rows = {row.topic_id: row for row in await store.progress_rows(ana.id)}
    assert set(rows) == {"chain-rule", "hessian", "taylor-series"}
    chain = rows["chain-rule"]
    assert (chain.attempts, chain.correct, chain.skipped, chain.last_answered_at) == (
        2, 1, 0, T0 + timedelta(hours=1))
    assert chain.card is not None and chain.card.reps == 2
    assert (rows["hessian"].attempts, rows["hessian"].skipped) == (1, 1)
    taylor = rows["taylor-series"]
    assert (taylor.attempts, taylor.learned_at, taylor.card) == (0, T0, None)


async def test_progress_rows_ignore_other_users(store: Store, ana: User) -> None:
    bo = await store.get_or_create_user("console", "bo", "Bo", T0)
    await _answer(store, bo, T0)
    assert await store.progress_rows(ana.id) == []


async def test_due_cards_are_those_due_by_now_most_overdue_first(store: Store, ana: User) -> None:
    await _answer(store, ana, T0, topic="a", due_in=timedelta(days=3))
    await _answer(store, ana, T0, topic="b", due_in=timedelta(days=1))
    await _answer(store, ana, T0, topic="c", due_in=timedelta(days=9))
    due = await store.due_cards(ana.id, T0 + timedelta(days=4))
    assert [card.topic_id for card in due] == ["b", "a"]
    upcoming = await store.next_due_card(ana.id, T0 + timedelta(days=4))
    assert upcoming is not None and upcoming.topic_id == "c"


async def test_attempts_come_newest_first(store: Store, ana: User) -> None:
    for hour in range(3):
        await _answer(store, ana, T0 + timedelta(hours=hour))
    attempts = await store.attempts(ana.id, limit=2)
    assert [a.answered_at for a in attempts] == [T0 + timedelta(hours=2), T0 + timedelta(hours=1)]


async def test_the_record_is_not_mutated_by_recording(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    record = _record(question)
    await store.record_answer(record)
    assert record == replace(record)


@pytest.fixture(scope="module")
def migrated_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('streak') / 'calcbot.db'}"

    async def migrate() -> None:
        await (await Store.open(url)).close()

    asyncio.run(migrate())
    return url


_learners = itertools.count()


@settings(max_examples=30, deadline=None)
@given(day_offsets=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6))
def test_streak_is_the_run_of_consecutive_answer_days_ending_at_the_last(
    migrated_sqlite_url: str, day_offsets: list[int]
) -> None:
    days = sorted(day_offsets)
    # Independent model: walk back from the last answer day while the previous day had one.
    answered_days = set(days)
    expected = 0
    while days[-1] - expected in answered_days:
        expected += 1

    async def replay() -> int:
        store = await Store.open(migrated_sqlite_url, migrate_schema=False)
        try:
            user = await store.get_or_create_user("console", f"learner-{next(_learners)}", "L", T0)
            outcome = None
            for index, day in enumerate(days):
                outcome = await _answer(store, user, T0 + timedelta(days=day, minutes=index))
            return outcome.user.streak_days  # type: ignore[attr-defined]
        finally:
            await store.close()

    assert asyncio.run(replay()) == expected


def _first_try(question: OpenQuestion, text: str, *, expected_version: int = 0) -> FirstTryRecord:
    return FirstTryRecord(
        user_id=question.user_id, open_question_id=question.id,
        given=TryRecord(topic_id=question.topic_id, question_id=question.question_id,
                        channel_key=question.channel_key, answer_text=text, correct=False, answered_at=T0,
                        malrule="chain_rule_inner_missing", malrule_where="sin(x**2)"),
        card=CardUpdate(state_json="{}", due=T0 + timedelta(days=1), last_review=T0,
                        expected_version=expected_version),
    )


async def test_a_retry_keeps_the_first_answer_on_the_question_then_both_on_the_attempt(store: Store, ana: User) -> None:
    question = await _ask(store, ana)
    first = await store.record_first_try(_first_try(question, "3*x"))
    assert first is not None and (first.card.reps, first.card.lapses, first.user.streak_days) == (1, 1, 1)
    # one retry: the first answer stands
    assert await store.record_first_try(_first_try(question, "4*x", expected_version=1)) is None
    reopened = await store.get_open_question(ana.id, "general")
    assert reopened is not None and reopened.first_answer == "3*x"
    record = replace(_record(reopened, correct=False, rating=1, xp=2), answer_text="3*x",
                     retry_answer="2*x", retry_correct=True, card=None)
    outcome = await store.record_answer(record)
    assert outcome.card.reps == 1  # the retry did not rate the card again
    [attempt] = await store.attempts(ana.id)
    assert (attempt.answer_text, attempt.correct, attempt.retry_answer, attempt.retry_correct) == (
        "3*x", False, "2*x", True)
    assert await store.get_open_question(ana.id, "general") is None
    assert await store.record_first_try(_first_try(question, "5*x", expected_version=1)) is None  # gone
    given = [(t.record.answer_text, t.record.correct, t.record.retry, t.record.malrule)
             for t in await tries_of(store, ana.id)]
    assert given == [("3*x", False, False, "chain_rule_inner_missing"), ("2*x", True, True, None)]
