"""The daily question of a channel: its schedule, the push itself, members' answers, the reveal.

A member's daily answer is graded like any quiz answer and recorded as an attempt on their own FSRS
card (through the quiz engine, under the channel key ``daily:<push id>``), so it counts for their
progress and, from the attempts, for the leaderboard. The first answer stands.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.cohorts import clock
from bot.cohorts.groups import require_admin, user_key
from bot.cohorts.names import clean_name
from bot.cohorts.tables import daily_answers, daily_pushes, daily_schedules
from bot.core.message import ChannelRef, UserRef
from bot.core.reply import Choice, Image, Reply
from bot.errors import BadArgument, CalcbotError, Duplicate, UsageError
from bot.jobs import jobs_in

DEFAULT_WINDOW_HOURS = 12
NOT_SPENT = "Nothing was recorded: your one answer to today's question is still yours to give."


def read_zone_and_topic(words: list[str], curriculum: object) -> tuple[clock.Zone, str]:
    """``[TIMEZONE] [TOPIC|auto]`` after the time: the zone first (an IANA name, an abbreviation such
    as EST, or an offset such as UTC+2), then the topic in the same forgiving words as ``/quiz``
    ("chain rule", "chain-rule", "2.3"). A word that looks like a zone but is none is refused as a zone."""
    zone = clock.read_zone("UTC")
    if words and clock.looks_like_zone(words[0]):
        zone, words = clock.read_zone(words[0]), words[1:]
    elif len(words) > 1 and clock.looks_like_zone(words[-1]):  # "chain rule EST" reads as well
        zone, words = clock.read_zone(words[-1]), words[:-1]
    text = " ".join(words).strip()
    if not text or text.lower() == "auto":
        return zone, "auto"
    return zone, curriculum.find(text).id  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Schedule:
    local_time: str
    timezone: str
    topic: str
    window_hours: int
    paused: bool
    pause_reason: str | None
    next_due: datetime | None
    failed: tuple[str, ...]  # recent failures, for /daily status
    topic_title: str = "auto (follows the group through the course)"

    def next_local(self) -> str | None:
        """The next push in the channel's time zone and in UTC, e.g. "Fri 27 Mar 08:00 America/New_York
        (12:00 UTC)"."""
        if self.next_due is None:
            return None
        local = self.next_due.astimezone(clock.read_zone(self.timezone))
        utc = self.next_due.astimezone(UTC)
        both = "" if self.timezone == "UTC" else f" ({utc:%a %d %b %H:%M} UTC)"
        return f"{local:%a %d %b %H:%M} {self.timezone}{both}"


class Daily:
    def __init__(self, store: object, quiz: object, run: Callable, curriculum: object):
        self.store, self.quiz, self.run, self.curriculum = store, quiz, run, curriculum

    # -- schedules -----------------------------------------------------------------------------

    async def turn_on(self, channel: ChannelRef, user: UserRef, words: list[str], now: datetime) -> tuple[Schedule, bool]:
        require_admin(user, "schedule the daily question")
        if not words:
            raise BadArgument("say when", hint="e.g. `/daily on 08:00 Europe/London auto window 12`")
        local_time = clock.read_time(words[0])
        rest = words[1:]
        window = DEFAULT_WINDOW_HOURS
        if len(rest) >= 2 and rest[-2].lower() == "window":
            try:
                window = int(rest[-1])
            except ValueError:
                raise BadArgument("the window is a whole number of hours, 1 to 24") from None
            if not 1 <= window <= 24:
                raise BadArgument("the window is a whole number of hours, 1 to 24")
            rest = rest[:-2]
        zone, topic = read_zone_and_topic(rest, self.curriculum)
        first = clock.latest_occurrence(now, local_time, zone) + timedelta(days=1)
        values = dict(platform=channel.platform, workspace=channel.workspace, channel_id=channel.id,
                      local_time=local_time, timezone=clock.zone_key(zone), topic=topic, window_hours=window, paused=False,
                      pause_reason=None, created_by=user_key(user), created_at=now, first_date=first)
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            old = (await db.execute(sa.select(daily_schedules.c.id).where(
                daily_schedules.c.channel_key == channel.key))).first()
            if old is None:
                await db.execute(sa.insert(daily_schedules).values(channel_key=channel.key, **values))
            else:
                await db.execute(sa.update(daily_schedules).where(daily_schedules.c.id == old[0]).values(**values))
        return await self.status(channel, now), old is not None

    async def turn_off(self, channel: ChannelRef, user: UserRef) -> None:
        require_admin(user, "stop the daily question")
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            result = await db.execute(sa.delete(daily_schedules).where(daily_schedules.c.channel_key == channel.key))
        if not result.rowcount:
            raise UsageError("this channel has no daily question to turn off")

    async def status(self, channel: ChannelRef, now: datetime) -> Schedule:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            row = (await db.execute(sa.select(daily_schedules).where(
                daily_schedules.c.channel_key == channel.key))).first()
            if row is None:
                raise UsageError("this channel has no daily question", hint="an admin can start one: `/daily on 08:00`")
            failed = (await db.execute(sa.select(daily_pushes.c.local_date, daily_pushes.c.kind, daily_pushes.c.error)
                                       .where(daily_pushes.c.schedule_id == row.id, daily_pushes.c.status == "failed")
                                       .order_by(daily_pushes.c.local_date.desc()).limit(3))).all()
        zone = clock.read_zone(row.timezone)
        after = max(now, clock.due_instant(row.first_date, row.local_time, zone) - timedelta(seconds=1))
        next_due = None if row.paused else clock.next_occurrence(after, row.local_time, zone)
        title = (f"{self.curriculum.topic(row.topic).title} (`{row.topic}`)"  # type: ignore[attr-defined]
                 if row.topic != "auto" else Schedule.topic_title)
        return Schedule(row.local_time, row.timezone, row.topic, row.window_hours, row.paused, row.pause_reason,
                        next_due, tuple(f"{d} {k}: {e}" for d, k, e in failed), title)

    # -- composing pushes ------------------------------------------------------------------------

    async def compose(self, row: dict, now: datetime) -> Reply:
        if row["kind"] == "daily":
            return await self._question(row)
        return await self._reveal(row)

    async def _question(self, row: dict) -> Reply:
        from bot.quiz.results import question_info
        from content.questions import Question, choice_labels

        question_json = row["question_json"]
        if question_json is None:
            topic = row["schedule"].topic
            if topic == "auto":
                topic = await self._auto_topic(row["schedule"])
            seed = random.Random(f"{row['schedule_id']}:{row['local_date']}").randrange(2**31)
            question = await self.run(jobs_in("content.generate").generate_question, topic, seed)
            question_json = question.to_json()
            async with self.store.transaction() as db:  # type: ignore[attr-defined]
                await db.execute(sa.update(daily_pushes).where(daily_pushes.c.id == row["id"])
                                 .values(question_json=question_json))
        question = Question.from_json(question_json)
        title = self.curriculum.topic(question.topic_id).title  # type: ignore[attr-defined]
        lines = [f"**Daily question — {title}** ({row['local_date']})", question.prompt]
        choices: tuple[Choice, ...] = ()
        images: tuple[Image, ...] = ()
        if question.kind == "picture":  # redrawn from the stored question: the panels are the options
            png, alt = await self.run(jobs_in("content.figures").question_image, question_json)
            images = (Image(name="daily-question.png", png=png, alt=alt),)
            lines.append("Pick one of the lettered panels: " + ", ".join(choice_labels(len(question.choices))) + ".")
        elif question.choices:
            labels = choice_labels(len(question.choices))
            lines += [f"**{label}.** {text}" for label, text in zip(labels, question.choices, strict=True)]
        if question.choices:
            labels = choice_labels(len(question.choices))
            choices = tuple(Choice(id=f"d{row['id']}.{label}", label=label, command=f"/daily answer {label}")
                            for label in labels)  # the push's id: an old day's button is told it has closed
        closes = row["closes_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"Everyone answers once with `/daily answer …`; verdicts stay private until {closes}, "
                     "then the solution and the day's standings follow.")
        return Reply(text="\n".join(lines), choices=choices, images=images, question=question_info(question))

    async def _auto_topic(self, schedule: object) -> str:
        """The cohort's place in the course: the first topic most of its answerers have not mastered
        (the course's first topic for a new group)."""
        topics = self.curriculum.topics()  # type: ignore[attr-defined]
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            rows = (await db.execute(
                sa.text("SELECT a.topic_id, COUNT(*) FROM attempts a WHERE a.channel_key LIKE :pattern "
                        "AND a.correct GROUP BY a.topic_id"),
                {"pattern": "daily:%"},
            )).all()
        mastered = {topic for topic, count in rows if count >= 3}
        for topic in topics:
            if topic.id not in mastered:
                return str(topic.id)
        return str(topics[-1].id)

    async def _reveal(self, row: dict) -> Reply:
        from content.questions import Question

        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            daily = (await db.execute(sa.select(daily_pushes).where(
                daily_pushes.c.schedule_id == row["schedule_id"], daily_pushes.c.local_date == row["local_date"],
                daily_pushes.c.kind == "daily"))).first()
            answers = (await db.execute(sa.select(daily_answers).where(daily_answers.c.push_id == daily.id)
                                        .order_by(daily_answers.c.answered_at))).all() if daily else []
        lines = [f"**Daily question — solution** ({row['local_date']})"]
        if daily is not None and daily.question_json:
            question = Question.from_json(daily.question_json)
            lines.append(question.solution or f"The answer: `{question.answer}`")
            if question.solution_command:
                lines.append(f"Full working: `{question.solution_command}`")
        right = [a.display_name for a in answers if a.correct]
        wrong = [a.display_name for a in answers if not a.correct]
        if answers:
            lines.append(f"**Standings**: {len(right)} of {len(answers)} right"
                         + (f" — ✅ {', '.join(right)}" if right else "") + (f"; ❌ {', '.join(wrong)}" if wrong else ""))
        else:
            lines.append("Nobody answered this one — tomorrow's is another chance.")
        lines.append("`/leaderboard` for the week's standings.")
        result = repr([(a.display_name, bool(a.correct)) for a in answers])
        return Reply(text="\n".join(lines), result=result)

    # -- answers -------------------------------------------------------------------------------

    async def open_push(self, channel: ChannelRef, now: datetime) -> Any:
        """The channel's daily question still open for answers, if there is one."""
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            return (await db.execute(
                sa.select(daily_pushes).join(daily_schedules, daily_schedules.c.id == daily_pushes.c.schedule_id)
                .where(daily_schedules.c.channel_key == channel.key, daily_pushes.c.kind == "daily",
                       daily_pushes.c.status == "sent", daily_pushes.c.closes_at > now)
                .order_by(daily_pushes.c.due_at.desc()))).first()

    async def answer(self, channel: ChannelRef, user: UserRef, text: str, now: datetime) -> object:
        from content.questions import Question

        push = await self.open_push(channel, now)
        if push is None:
            raise UsageError("there is no daily question open in this channel")
        key = f"daily:{push.id}"
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            done = (await db.execute(sa.select(daily_answers.c.user_key).where(
                daily_answers.c.push_id == push.id, daily_answers.c.user_key == user_key(user)))).first()
        if done is not None:
            raise Duplicate("you have already answered today's question — your first answer stands")
        question = Question.from_json(push.question_json)
        try:
            reason = await self.run(jobs_in("bot.cohorts.answer_kind").refusal, push.question_json, text)
        except CalcbotError as unreadable:  # nothing recorded: the member's one answer is still to give
            unreadable.hint = "\n".join(filter(None, [unreadable.hint, NOT_SPENT]))
            raise
        if reason is not None:
            raise BadArgument(f"{reason}.", hint=NOT_SPENT)
        learner = await self.store.get_or_create_user(user.platform, user.id, user.name, now)  # type: ignore[attr-defined]
        await self.store.put_open_question(  # type: ignore[attr-defined]
            learner.id, key, topic_id=question.topic_id, question_id=question.id,
            question_json=push.question_json, asked_at=push.sent_at or now, expires_at=push.closes_at)
        result = await self.quiz.answer(user, key, text, allow_retry=False)  # type: ignore[attr-defined]
        try:
            async with self.store.transaction() as db:  # type: ignore[attr-defined]
                await db.execute(sa.insert(daily_answers).values(
                    push_id=push.id, user_key=user_key(user), display_name=clean_name(user.name), correct=result.correct,
                    answered_at=now))
        except IntegrityError:
            raise Duplicate("you have already answered today's question — your first answer stands") from None
        return result
