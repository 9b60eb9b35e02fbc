"""The hot-path statements, built once per dialect with bound parameters.

Building a Core statement per call costs more client CPU than the round trip it makes
(expression coercion, then a fresh cache key for the compiled-statement cache). A statement
object built once keeps its cache key memoised, so each execution is a cache hit with only the
parameters new. The same expressions compile on SQLite and PostgreSQL; only the INSERT with
ON CONFLICT comes from the dialect's own ``insert``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    Executable,
    bindparam,
    case,
    delete,
    exists,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.learner_states import folded_ctes
from bot.store.models import attempts, cards, open_questions, tries, users


@dataclass(frozen=True, slots=True)
class AnswerStatements:
    """What each answer executes: the engine's reads before it, then ``Store.record_answer``."""

    get_user: Executable  # platform, platform_user_id
    get_open_question: Executable  # user_id, channel_key
    get_card: Executable  # user_id, topic_id
    close_question: Executable  # question_id, user_id -> id
    insert_card: Executable  # the card's columns -> card
    update_card: Executable  # b_user_id, b_topic_id, b_version, b_state_json, b_due, ... -> card
    insert_attempt: Executable  # the attempt's columns -> id
    evidence: Executable  # user_id -> the learner's tries as TryEvidence, oldest first
    add_xp: Executable  # b_user_id, b_xp -> user (a skip: no streak change)
    add_xp_and_streak: Executable  # b_user_id, b_xp, b_today, b_yesterday -> user


def answer_statements(dialect: str) -> AnswerStatements:
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    last = users.c.last_active_day
    today = bindparam("b_today", type_=Date())
    yesterday = bindparam("b_yesterday", type_=Date())
    add_xp = update(users).where(users.c.id == bindparam("b_user_id")).values(
        xp=users.c.xp + bindparam("b_xp")
    )
    return AnswerStatements(
        get_user=select(users).where(
            users.c.platform == bindparam("platform"),
            users.c.platform_user_id == bindparam("platform_user_id"),
        ),
        get_open_question=select(open_questions).where(
            open_questions.c.user_id == bindparam("user_id"),
            open_questions.c.channel_key == bindparam("channel_key"),
        ),
        get_card=select(cards).where(
            cards.c.user_id == bindparam("user_id"), cards.c.topic_id == bindparam("topic_id")
        ),
        close_question=delete(open_questions)
        .where(
            open_questions.c.id == bindparam("question_id"),
            open_questions.c.user_id == bindparam("user_id"),
        )
        .returning(open_questions.c.id),
        # INSERTs take column-named parameters with each execution.
        insert_card=insert(cards)
        .on_conflict_do_nothing(index_elements=[cards.c.user_id, cards.c.topic_id])
        .returning(*cards.c),
        update_card=update(cards)
        .where(
            cards.c.user_id == bindparam("b_user_id"),
            cards.c.topic_id == bindparam("b_topic_id"),
            cards.c.version == bindparam("b_version"),
        )
        .values(
            state_json=bindparam("b_state_json"),
            due=bindparam("b_due", type_=cards.c.due.type),
            last_review=bindparam("b_last_review", type_=cards.c.last_review.type),
            reps=cards.c.reps + 1,
            lapses=cards.c.lapses + bindparam("b_lapse"),
            version=cards.c.version + 1,
        )
        .returning(*cards.c),
        insert_attempt=attempts.insert().returning(attempts.c.id),
        evidence=select(
            tries.c.topic_id, tries.c.kind, tries.c.skills, tries.c.aimed_at, tries.c.correct, tries.c.retry,
            tries.c.skipped, tries.c.malrule,
        )
        .where(tries.c.user_id == bindparam("user_id"))
        .order_by(tries.c.id),
        add_xp=add_xp.returning(*users.c),
        # SET expressions all read the old row, on both backends.
        add_xp_and_streak=add_xp.values(
            streak_days=case(
                (last.is_(None), 1),
                (last >= today, users.c.streak_days),
                (last == yesterday, users.c.streak_days + 1),
                else_=1,
            ),
            last_active_day=case((last >= today, last), else_=today),
        ).returning(*users.c),
    )


TRY_COLUMNS = (
    "topic_id", "question_id", "channel_key", "kind", "skills", "aimed_at", "answer_text", "correct",
    "retry", "skipped", "hints_used", "malrule", "malrule_where", "answered_at",
)
CARD_MODES = ("update", "new", "keep")  # keep: the card was rated on the first try; read it as it is


def single_statement_answers() -> dict[tuple[str, bool], Executable]:
    """PostgreSQL: the whole of ``record_answer`` as one statement, by (card mode, streak counts).

    One statement is one round trip and its own transaction (no BEGIN/COMMIT), which is what
    lets one PostgreSQL server take thousands of answers a second on two cores (the five-step
    transaction was bound by client CPU, 0.3-0.4 ms per step). SQLite cannot put an INSERT,
    UPDATE or DELETE in a WITH clause, so it runs the same steps one by one in a transaction;
    the store tests run on both and check the same outcomes.

    How the steps depend on each other, so that either all happen or none:
    ``question`` locks the open question; the card is written only if it exists and is still
    at the expected version; the question is deleted only if the card was written; the attempt
    is inserted for the deleted question; the user is updated only if the attempt was inserted.
    Holding the question's lock means the delete cannot then miss it. The result is no row when
    the question was gone, a row with NULL card columns when the card had changed, else one
    full row. The try is inserted beside the attempt, for the same closed question, after the
    learner's row is locked, and folded into the learner's stored BKT state.
    """
    return {
        (mode, streak): _single_statement_answer(card_mode=mode, streak=streak)
        for mode in CARD_MODES
        for streak in (False, True)
    }


def _param(name: str, column: Any) -> Any:
    return bindparam(f"b_{name}", type_=column.type)


def _single_statement_answer(*, card_mode: str, streak: bool) -> Executable:
    user_id = bindparam("b_user_id", type_=users.c.id.type)
    question_id = bindparam("b_open_question_id", type_=open_questions.c.id.type)
    question = (
        select(open_questions.c.id)
        .where(
            open_questions.c.id == question_id,
            open_questions.c.user_id == user_id,
        )
        .with_for_update()
        .cte("question")
    )
    question_locked = exists(select(question.c.id))
    lapse = bindparam("b_lapse", type_=cards.c.lapses.type)
    card_statement: Any
    if card_mode == "keep":
        card_statement = None
    elif card_mode == "new":
        card_statement = (
            postgresql.insert(cards)
            .from_select(
                ["user_id", "topic_id", "state_json", "due", "last_review", "reps", "lapses", "version"],
                select(
                    user_id,
                    _param("topic_id", cards.c.topic_id),
                    _param("state_json", cards.c.state_json),
                    _param("due", cards.c.due),
                    _param("last_review", cards.c.last_review),
                    literal(1, cards.c.reps.type),
                    lapse,
                    literal(1, cards.c.version.type),
                ).where(question_locked),
            )
            .on_conflict_do_nothing(index_elements=[cards.c.user_id, cards.c.topic_id])
        )
    else:
        card_statement = (
            update(cards)
            .where(
                cards.c.user_id == user_id,
                cards.c.topic_id == _param("topic_id", cards.c.topic_id),
                cards.c.version == _param("version", cards.c.version),
                question_locked,
            )
            .values(
                state_json=_param("state_json", cards.c.state_json),
                due=_param("due", cards.c.due),
                last_review=_param("last_review", cards.c.last_review),
                reps=cards.c.reps + 1,
                lapses=cards.c.lapses + lapse,
                version=cards.c.version + 1,
            )
        )
    if card_statement is None:
        card = (
            select(cards)
            .where(
                cards.c.user_id == user_id,
                cards.c.topic_id == _param("topic_id", cards.c.topic_id),
                question_locked,
            )
            .cte("card")
        )
    else:
        card = card_statement.returning(*cards.c).cte("card")
    closed = (
        delete(open_questions)
        .where(
            open_questions.c.id == question_id,
            open_questions.c.user_id == user_id,
            exists(select(card.c.id)),  # the question's row is locked: this cannot miss it
        )
        .returning(open_questions.c.id)
        .cte("closed")
    )
    attempt_columns = [
        "user_id", "topic_id", "question_id", "channel_key", "answer_text", "correct", "skipped",
        "hints_used", "rating", "xp_gained", "answered_at", "retry_answer", "retry_correct",
    ]
    attempt = (
        attempts.insert()
        .from_select(
            attempt_columns,
            select(
                user_id, *(_param(name, attempts.c[name]) for name in attempt_columns[1:])
            ).select_from(closed),
        )
        .returning(attempts.c.id)
        .cte("attempt")
    )
    # The learner's row is locked before the try's id is drawn: tries and the stored BKT state
    # follow one order (``bot.store.learner_states``). After the question and the card, as elsewhere.
    learner = (
        select(users.c.id).where(users.c.id == user_id, exists(select(closed.c.id))).with_for_update().cte("learner")
    )
    given = (
        tries.insert()
        .from_select(
            ["user_id", *TRY_COLUMNS],
            select(
                user_id, *(bindparam(f"t_{name}", type_=tries.c[name].type) for name in TRY_COLUMNS)
            ).select_from(closed.join(learner, true())),
        )
        .returning(tries.c.id)
        .cte("given")
    )
    xp = _param("xp_gained", attempts.c.xp_gained)
    values: dict[str, Any] = {"xp": users.c.xp + xp}
    if streak:
        last = users.c.last_active_day
        today = bindparam("b_today", type_=Date())
        yesterday = bindparam("b_yesterday", type_=Date())
        values["streak_days"] = case(
            (last.is_(None), 1),
            (last >= today, users.c.streak_days),
            (last == yesterday, users.c.streak_days + 1),
            else_=1,
        )
        values["last_active_day"] = case((last >= today, last), else_=today)
    user = (
        update(users)
        .where(users.c.id == user_id, exists(select(attempt.c.id)), exists(select(given.c.id)))
        .values(values)
        .returning(*users.c)
        .cte("answered_user")
    )
    return select(
        attempt.c.id.label("attempt_id"),
        *(column.label(f"card_{column.name}") for column in card.c),
        *(column.label(f"user_{column.name}") for column in user.c),
    ).select_from(
        question.outerjoin(card, true()).outerjoin(attempt, true()).outerjoin(user, true())
    ).add_cte(*folded_ctes(given, user_id))
