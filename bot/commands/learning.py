"""The course: lessons, worked examples, quizzes with spaced repetition, and progress."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot.cohorts.names import plural
from bot.commands.answers import check_my_working
from bot.core.commands import Args, Registry, Text, command
from bot.core.commands import Choice as OneOf
from bot.core.context import Context
from bot.core.message import Message
from bot.core.reply import Choice, Diagnosis, Image, LearnerSummary, Reply
from bot.errors import CalcbotError
from bot.quiz.results import DueTopic, QuestionResult, SkillMastery, TopicRef
from bot.solver.prefixes import strip_answer_name
from content.catalog import curriculum

registry = Registry()


def _when(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "now"
    hours = seconds / 3600
    if hours < 1:
        return f"in {max(1, round(seconds / 60))} min"
    if hours < 36:
        return f"in {round(hours)} h"
    return f"in {round(hours / 24)} days ({moment:%a %d %b})"


def _topic_name(topic: TopicRef) -> str:
    return f"{topic.title} (`{topic.id}`)"


QUESTION_BUTTON = re.compile(r"q(?P<tag>[0-9a-f]{8})\.")  # the id of a button on one asking of a question
STALE_BUTTON = ("That button is on a question that is no longer open for you — it was answered, skipped or "
                "replaced, or it is someone else's. Ask for your own with `/quiz`.")


def _hint_and_skip(tag: str, *, hints: bool = True) -> tuple[Choice, ...]:
    hint = (Choice(f"q{tag}.hint", "Hint", "/hint"),) if hints else ()
    return (*hint, Choice(f"q{tag}.skip", "Skip", "/skip"))


async def _stale_press(ctx: Context) -> Reply | None:
    """A press on a question's button answers that question or is told it is closed, privately."""
    action = ctx.message.action
    found = QUESTION_BUTTON.match(action.id) if action is not None else None
    if found is None:
        return None
    if await ctx.services.quiz.open_tag(ctx.message.user, ctx.message.channel.key) == found["tag"]:
        return None
    return Reply(text=STALE_BUTTON, private=True)


def _bar(fraction: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _question_reply(question: QuestionResult, now: datetime, heading: str = "") -> Reply:
    lines = [heading] if heading else []
    if question.why:
        lines.append(f"🎯 {question.why}")
    if question.replaced:
        lines.append(f"(This replaces your open question on {question.replaced.title}.)")
    lines.append(f"**Quiz — {question.topic.title}**")
    lines.append(question.prompt)
    choices: tuple[Choice, ...] = ()
    if question.kind == "picture":  # the options are the picture's panels: name the letters only
        letters = [c.label for c in question.choices]
        lines.append(f"Pick one of **{', '.join(letters[:-1])}** or **{letters[-1]}** — the lettered panels of the picture.")
        choices = tuple(Choice(id=f"q{question.tag}.{c.label}", label=c.label, command=f"/answer {c.label}")
                        for c in question.choices)
        lines.append("Answer with `/answer LETTER`.")
    elif question.choices:
        lines += [f"**{c.label}.** {c.text}" for c in question.choices]
        choices = tuple(Choice(id=f"q{question.tag}.{c.label}", label=c.label, command=f"/answer {c.label}")
                        for c in question.choices)
        lines.append("Answer with `/answer LETTER`.")
    else:
        lines.append("Answer with `/answer …`" + (" — `/hint` if you're stuck" if question.hints_available else "")
                     + ", or `/skip`.")
    lines.append(f"_Closes {_when(question.expires_at, now)}._")
    # Every question can be practised without typing: its options, then Hint (if any) and Skip.
    choices += _hint_and_skip(question.tag, hints=bool(question.hints_available))
    images = (question.image,) if question.image is not None else ()
    return Reply(text="\n".join(lines), choices=choices, images=images, question=question.info)


@command(
    registry, "topics",
    summary="The course's modules and topics, with what you have read.",
    usage="/topics",
    examples=("/topics",),
    family="learning",
    aliases=("syllabus", "course"),
)
async def topics(ctx: Context, args: Args) -> Reply:
    progress = await ctx.services.quiz.progress(ctx.message.user)
    read = {t.topic.id for m in progress.modules for t in m.topics if t.learned}
    lines = []
    for module in curriculum().modules:
        lines.append(f"**Module {module.number} — {module.title}**")
        for number, topic in enumerate(module.topics, 1):
            mark = "✓" if topic.id in read else "·"
            lines.append(f"{mark} {module.number}.{number} {topic.title} — `{topic.id}`")
    lines.append("\n`/lesson TOPIC` to read one (or just `/lesson` for the next), `/quiz TOPIC` to practise.")
    return Reply(text="\n".join(lines))


@command(
    registry, "lesson",
    summary="A short lesson card: the next one you haven't read, or the topic you name.",
    usage="/lesson [TOPIC]",
    examples=("/lesson", "/lesson chain rule", "/lesson 2.3"),
    main=Text("topic", optional=True, help="a topic id, title words, or module.number like 2.3"),
    family="learning",
    aliases=("learn",),
)
async def lesson(ctx: Context, args: Args) -> Reply:
    result = await ctx.services.quiz.lesson(ctx.message.user, args.topic)
    if result.complete or result.topic is None:
        return Reply(text=result.lesson)
    lines = [f"**Module {result.topic.module}: {result.topic.module_title} — {result.topic.title}**", "",
             result.lesson, ""]
    choices = []
    if result.example_command:
        lines.append(f"Worked example: `/example {result.topic.id}` (runs `{result.example_command}`)")
        choices.append(Choice("example", "Worked example", f"/example {result.topic.id}"))
    lines.append(f"Practise: `/quiz {result.topic.id}`")
    choices.append(Choice("quiz", "Quiz me", f"/quiz {result.topic.id}"))
    if result.next_topic:
        lines.append(f"Next lesson: {_topic_name(result.next_topic)}")
        choices.append(Choice("next", "Next lesson", "/lesson"))
    return Reply(text="\n".join(lines), choices=tuple(choices))


@command(
    registry, "example",
    summary="A worked example for a topic, computed live by the solver.",
    usage="/example TOPIC",
    examples=("/example product rule", "/example hessian", "/example 5.1"),
    main=Text("topic", help="a topic id, title words, or module.number"),
    family="learning",
)
async def example(ctx: Context, args: Args) -> Reply:
    topic = curriculum().find(args.topic)
    worked = await ctx.dispatch(Message(ctx.message.user, ctx.message.channel, topic.example_command))
    heading = f"**Worked example — {topic.title}**: `{topic.example_command}`\n\n"
    return replace(worked, text=heading + worked.text)


@command(
    registry, "quiz",
    summary="One question on a topic (or one chosen for you); answer with /answer.",
    usage="/quiz [TOPIC]",
    examples=("/quiz", "/quiz chain rule", "/quiz jacobian"),
    main=Text("topic", optional=True, help="a topic; by default what you are due or learning"),
    family="learning",
    aliases=("question", "practice", "practise"),
)
async def quiz(ctx: Context, args: Args) -> Reply:
    question = await ctx.services.quiz.ask(ctx.message.user, ctx.message.channel.key, args.topic)
    return _question_reply(question, ctx.now)


@command(
    registry, "answer",
    summary="Answer your open question: an expression, a number, a vector, or a letter.",
    usage="/answer TEXT",
    examples=("/answer 2x cos(x^2)", "/answer B", "/answer (1, -2)"),
    main=Text("text", help="your answer"),
    family="learning",
    aliases=("a", "ans"),
)
async def answer(ctx: Context, args: Args) -> Reply:
    if (stale := await _stale_press(ctx)) is not None:
        return stale
    text = strip_answer_name(args.text)  # f'(x) = 2x, dy/dx = 2x, y = 2x: the answer is 2x
    if await _answers_the_daily_question(ctx):
        from bot.commands.cohorts import answer_daily

        return await answer_daily(ctx, text)
    result = await ctx.services.quiz.answer(ctx.message.user, ctx.message.channel.key, text)
    found = result.diagnosis
    diagnosis = Diagnosis(found.code, found.where, found.line) if found is not None else None
    if result.retry_open:
        lines = [f"**{result.topic.title}**", result.feedback, "",
                 "🔁 **One more try** — `/answer` again. `/hint` helps; `/skip` shows the worked solution."]
        tag = await ctx.services.quiz.open_tag(ctx.message.user, ctx.message.channel.key)
        retry_choices = (_hint_and_skip(tag) if tag is not None else ()) + _working_form(result.solution_command)
        return Reply(text="\n".join(lines), result="False", choices=retry_choices, diagnosis=diagnosis)
    lines = [f"**{result.topic.title}**", result.feedback]
    if result.second_try and result.correct:
        lines[1] += " (at the second try — it comes back sooner for review)"
    if not result.correct:
        lines.append(f"**Expected:** {result.expected}")
    if result.solution:
        lines += ["", "**Worked solution**", result.solution]
    if result.solution_command:
        lines.append(f"Full working: `{result.solution_command}`")
    status = f"+{result.xp_gained} XP (total {result.xp_total}) · streak {result.streak_days} day" + \
        ("s" if result.streak_days != 1 else "")
    if result.streak_extended:
        status += " 🔥"
    assert result.next_review is not None  # an answer that closes the question schedules its card
    lines += ["", status, f"This topic comes back for review {_when(result.next_review, ctx.now)}."]
    choices: tuple[Choice, ...] = (Choice("again", "Another question", f"/quiz {result.topic.id}"),)
    if not result.correct:
        choices += _working_form(result.solution_command)
    return Reply(
        text="\n".join(lines), result="True" if result.correct else "False", choices=choices, diagnosis=diagnosis
    )


DERIVE_SOLUTION = re.compile(r"/derive (?P<expr>[^\n]+?)(?: wrt (?P<var>[a-z]\w*))?")


def _working_form(solution_command: str | None) -> tuple[Choice, ...]:
    """After feedback on a derivative question, a form to check one's own working line by line."""
    found = DERIVE_SOLUTION.fullmatch(solution_command or "")
    if found is None or re.search(r"\b(order|at)\b", found["expr"]):
        return ()
    var = found["var"] or "x"
    if not re.search(rf"(?<![a-z]){var}(?![a-z])", found["expr"]):
        return ()
    return (check_my_working(f"/check d/d{var} {found['expr']}"),)


@command(
    registry, "hint",
    summary="A hint for your open question (each hint costs a little XP).",
    usage="/hint",
    examples=("/hint",),
    family="learning",
)
async def hint(ctx: Context, args: Args) -> Reply:
    if (stale := await _stale_press(ctx)) is not None:
        return stale
    result = await ctx.services.quiz.hint(ctx.message.user, ctx.message.channel.key)
    if result.total == 0:
        return Reply(text="This question has no hints — try `/skip` to see the worked answer.", private=True)
    note = " (no more hints)" if result.exhausted else ""
    return Reply(text=f"💡 Hint {result.number}/{result.total}{note}: {result.hint}", private=True)


@command(
    registry, "skip",
    summary="Give up on your open question and see the worked answer (it comes back soon).",
    usage="/skip",
    examples=("/skip",),
    family="learning",
)
async def skip(ctx: Context, args: Args) -> Reply:
    if (stale := await _stale_press(ctx)) is not None:
        return stale
    result = await ctx.services.quiz.skip(ctx.message.user, ctx.message.channel.key)
    lines = [f"Skipped ({result.topic.title}). **Answer:** {result.expected}"]
    if result.solution:
        lines += ["", result.solution]
    if result.solution_command:
        lines.append(f"Full working: `{result.solution_command}`")
    lines.append(f"It comes back for review {_when(result.next_review, ctx.now)}.")
    return Reply(text="\n".join(lines), choices=(Choice("again", "Another question", f"/quiz {result.topic.id}"),))


def _due_line(due: DueTopic, now: datetime) -> str:
    return f"- {_topic_name(due.topic)} — due {_when(due.due, now)}"


@command(
    registry, "review",
    summary="Spaced repetition: a question on whatever you are due to review.",
    usage="/review",
    examples=("/review",),
    family="learning",
)
async def review(ctx: Context, args: Args) -> Reply:
    result = await ctx.services.quiz.review(ctx.message.user, ctx.message.channel.key)
    if result.question is None:
        text = "Nothing is due for review right now. 🎉"
        if result.next_review:
            text += f" Next: {_topic_name(result.next_review.topic)} {_when(result.next_review.due, ctx.now)}."
        else:
            text += " Answer a few `/quiz` questions and they will come back here when they are due."
        return Reply(text=text)
    heading = f"**Review** — {len(result.due)} topic{'s' if len(result.due) != 1 else ''} due:\n" + \
        "\n".join(_due_line(d, ctx.now) for d in result.due[:5]) + "\n"
    return _question_reply(result.question, ctx.now, heading)


MASTERY_MEANS = ("_Mastery is the chance you know a skill now, estimated from your tries (Bayesian Knowledge "
                 "Tracing); mastered means 95% or more. A right first try counts most, a right second try a "
                 "little, a skip not at all; a diagnosed mistake counts against its own skill only._")


@command(
    registry, "progress",
    summary="Your mastery per skill, your most frequent mistakes, tries, streak, XP and what is due.",
    usage="/progress [export]",
    examples=("/progress", "/progress export"),
    main=OneOf("what", ("export",), optional=True, help="`export`: every try you gave, as a CSV file"),
    family="learning",
    aliases=("stats", "me"),
)
async def progress(ctx: Context, args: Args) -> Reply:
    if args.what == "export":
        from bot.commands.own_data import export_tries

        return await export_tries(ctx)
    result = await ctx.services.quiz.progress(ctx.message.user)
    counts = result.counts
    accuracy = "" if counts.accuracy is None else f" ({counts.accuracy:.0%} of first tries)"
    lines = [f"**Progress — {result.display_name}**",
             f"XP {result.xp} · streak {result.streak_days} day{'s' if result.streak_days != 1 else ''} · "
             f"lessons read {result.lessons_read}",
             f"Answered {_tries(counts.answered)} · right first time {counts.correct}{accuracy} · "
             f"second tries {counts.retried} · skipped {counts.skipped}", ""]
    if result.skills:
        mastered = sum(skill.mastered for skill in result.skills)
        lines.append(f"**Mastery per skill** ({mastered} of {len(result.skills)} mastered)")
        lines += [f"  {_bar(skill.mastery)} {skill.mastery:>4.0%} {skill.name}" + (" ✓" if skill.mastered else "")
                  for skill in result.skills]
    else:
        lines.append("**Mastery per skill**: none yet — answer a `/quiz` question to start.")
    lines.append(MASTERY_MEANS)
    if result.mistakes:
        lines += ["", "**Your most frequent mistakes**"]
        for mistake in result.mistakes[:5]:
            fix = f" → `/lesson {mistake.lesson.id}`" if mistake.lesson else ""
            lines.append(f"  - {mistake.words} — {_times(mistake.count)}{fix}")
    lines.append("")
    for module in result.modules:
        shown = [topic for topic in module.topics if topic.counts.answered or topic.counts.skipped or topic.learned]
        if not shown:
            continue
        lines.append(f"**{module.number}. {module.title}**")
        for topic in shown:
            c = topic.counts
            review = f" · review {_when(topic.due, ctx.now)}" if topic.due else ""
            lines.append(f"  - {topic.topic.title}: {_tries(c.answered)} answered, {c.correct} right first time"
                         + (f", {c.skipped} skipped" if c.skipped else "") + review)
    if result.due_now:
        lines += ["", "**Due now:**"] + [_due_line(d, ctx.now) for d in result.due_now[:5]]
    elif result.next_review:
        lines += ["", f"Next review: {_topic_name(result.next_review.topic)} {_when(result.next_review.due, ctx.now)}"]
    if result.next_lesson:
        lines.append(f"Next lesson: {_topic_name(result.next_lesson)} — `/lesson`")
    lines.append("Your data: `/progress export` (a CSV of every try) · `/forget me` deletes it all.")
    summary = LearnerSummary(
        answered=counts.answered, correct=counts.correct, skipped=counts.skipped,
        mastery=tuple((skill.skill, round(skill.mastery, 4)) for skill in result.skills),
        mistakes=tuple((mistake.code, mistake.count) for mistake in result.mistakes),
    )
    return Reply(text="\n".join(lines), learner=summary, images=await _mastery_chart(ctx, result.skills))


async def _mastery_chart(ctx: Context, skills: tuple[SkillMastery, ...]) -> tuple[Image, ...]:
    """The mastery bars beside the text; a chart that cannot be drawn is left out, the text stands."""
    if not skills or not ctx.services.figures:
        return ()
    from bot.jobs import jobs_in

    try:
        png = await ctx.workers.run(jobs_in("plotting.mastery").render_mastery, [(skill.name, skill.mastery) for skill in skills])
    except CalcbotError:
        return ()
    alt = "Mastery per skill: " + ", ".join(f"{skill.name} {skill.mastery:.0%}" for skill in skills)
    return (Image("mastery.png", png, alt[:1000]),)


def _tries(count: int) -> str:
    return plural(count, "try", "tries")


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


async def _answers_the_daily_question(ctx: Context) -> bool:
    """`/answer` goes to the channel's open daily question when the asker has no question of their own here."""
    cohorts = ctx.services.cohorts
    if cohorts is None or await cohorts.daily.open_push(ctx.message.channel, ctx.now) is None:
        return False
    user = ctx.message.user
    learner = await ctx.services.store.get_or_create_user(user.platform, user.id, user.name, ctx.now)
    return await ctx.services.store.get_open_question(learner.id, ctx.message.channel.key) is None
