"""The learner's own data: every try as a CSV file, and deleting everything stored about them."""

from __future__ import annotations

import csv
import io

from bot.cohorts.names import plural
from bot.core.commands import Args, Registry, command
from bot.core.commands import Choice as OneOf
from bot.core.context import Context
from bot.core.reply import Attachment, Choice, Reply
from bot.store.tries import FORGOTTEN, count_tries, forget_user, tries_of

registry = Registry()

CSV_COLUMNS = ("answered_at", "topic", "question_id", "kind", "skills", "aimed_at", "answer", "correct",
               "second_try", "skipped", "hints_used", "mistake", "mistake_where", "channel")
CONFIRM = "/forget me confirm"


async def export_tries(ctx: Context) -> Reply:
    """`/progress export`: the learner's tries, oldest first, as ``calcbot-tries.csv``."""
    user = ctx.message.user
    stored = await ctx.services.store.find_user(user.platform, user.id)
    tries = [] if stored is None else await tries_of(ctx.services.store, stored.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for kept in tries:
        t = kept.record
        writer.writerow((t.answered_at.isoformat(), t.topic_id, t.question_id, t.kind, " ".join(t.skills),
                         t.aimed_at or "", t.answer_text, _yes(t.correct), _yes(t.retry), _yes(t.skipped),
                         t.hints_used, t.malrule or "", t.malrule_where or "", t.channel_key))
    return Reply(
        text=f"📎 Your {plural(len(tries), 'try', 'tries')}, one row each, oldest first: `calcbot-tries.csv` "
             "(when, topic, question, your answer, right or not, second try, skipped, hints, the mistake "
             "diagnosed). Only you see this.",
        files=(Attachment("calcbot-tries.csv", out.getvalue().encode("utf-8"), "text/csv"),),
        private=True,
    )


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@command(
    registry, "forget",
    summary="Delete everything calcbot stores about you (asks you to confirm first).",
    usage="/forget me [confirm]",
    examples=("/forget me", "/forget me confirm"),
    main=OneOf("who", ("me", "me confirm"), help="`me`, then `me confirm` (or the button) to delete"),
    family="learning",
    details="Deletes your tries, answers, review schedules, open questions, lessons read, XP and streak, "
            "sandpit games, cohort memberships and daily answers. It cannot be undone; `/progress export` "
            "first if you want a copy.",
)
async def forget(ctx: Context, args: Args) -> Reply:
    user = ctx.message.user
    store = ctx.services.store
    stored = await store.find_user(user.platform, user.id)
    if args.who != "me confirm":
        lines = ["⚠️ **This deletes everything calcbot stores about you**, on this platform, and cannot be undone:"]
        if stored is not None:
            tries = plural(await count_tries(store, stored.id), "try", "tries")
            lines.append(f"your {tries} and every answer, your mastery per skill, your review schedules, open questions, lessons "
                         f"read, {stored.xp} XP and streak, sandpit games, cohort memberships and daily answers.")
        else:
            lines.append("(nothing is stored about you yet).")
        lines.append(f"`/progress export` first for a copy. To go ahead, press the button or send `{CONFIRM}`.")
        return Reply(text="\n".join(lines), private=True,
                     choices=(Choice("forget", "Yes, delete everything", CONFIRM),))
    if stored is None:
        return Reply(text="Nothing is stored about you — there was nothing to delete.", private=True)
    deleted = await forget_user(store, stored.id, f"{user.platform}:{user.id}")
    parts = [f"{words}: {deleted[key]}" for key, words in FORGOTTEN if deleted.get(key)]
    extra = [f"{words}: {deleted[key]}" for key, words in (
        ("sandpit_games", "sandpit games"), ("sandpit_results", "sandpit results"),
        ("cohort_members", "cohort memberships"), ("daily_answers", "daily answers")) if deleted.get(key)]
    listed = "".join(f"\n- {part}" for part in parts + extra)
    return Reply(text=f"🗑 Deleted everything stored about you:{listed}\n- your profile ({stored.xp} XP, streak)\n"
                      "If you use calcbot again, it starts afresh.", private=True)
