"""Study groups: /cohort, /daily and /leaderboard."""

from __future__ import annotations

import re
from datetime import UTC

from bot.cohorts.clock import read_zone
from bot.cohorts.digest import read_plan
from bot.cohorts.groups import Cohort, user_key
from bot.cohorts.leaderboard import PERIODS, RULE, standings
from bot.cohorts.names import plural
from bot.cohorts.progress import PERIODS as PROGRESS_PERIODS
from bot.core.commands import Args, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Choice, Image, Reply
from bot.errors import Forbidden, UsageError
from bot.jobs import jobs_in

registry = Registry()

SHOWN = 10


@command(
    registry, "cohort",
    summary="Study groups: create, join, leave, list and manage cohorts.",
    usage="/cohort create NAME | join NAME | leave | info [NAME] | list | link NAME | rename NAME to NEW | "
          "remove MEMBER from NAME | delete NAME | progress [NAME] [week|month|all] | export [NAME] | "
          "digest on [DAY] [HH:MM] [TIMEZONE] [private] | digest off",
    examples=("/cohort create Calc Crew", "/cohort join Calc Crew", "/cohort info", "/cohort progress week",
              "/cohort export", "/cohort digest on friday 17:00 Europe/London"),
    main=Text("request", optional=True,
              help="create/join/leave/info/list/link/rename/remove/delete/progress/export/digest and a name"),
    family="learning",
    aliases=("cohorts", "group"),
    details="A cohort belongs to one workspace and may span channels; names are unique per workspace, "
            "in any case. Its creator and the workspace's admins rename it, remove members and delete it; "
            "linking another channel needs an admin.\n"
            "`/cohort progress` shows a heatmap of mastery (members × skills, struggling first), daily "
            "participation, who has not practised, the group's most frequent mistakes and weakest skills. "
            "Members see the group's aggregate and their own row; per-member detail is for the cohort's "
            "creator and the workspace's admins, who can also `/cohort export` a CSV (one row per member and "
            "skill) and set a weekly digest: `/cohort digest on friday 17:00 Europe/London` posts the "
            "aggregate view in the home channel, `… private` sends the full view to you.",
)
async def cohort(ctx: Context, args: Args) -> Reply:
    groups, now = ctx.services.cohorts.groups, ctx.now
    user, channel = ctx.message.user, ctx.message.channel
    words = (args.request or "info").split()
    action, rest = words[0].lower(), " ".join(words[1:])
    if action == "create":
        found = await groups.create(rest, user, channel, now)
        return Reply(text=f"Created cohort **{found.name}** with this channel as its home; others join with "
                          f"`/cohort join {found.name}`.", result=found.name)
    if action == "join":
        found = await groups.join(channel, _named(rest), user, now)
        return Reply(text=f"You joined **{found.name}** ({plural(len(found.members), 'member')}).", result=found.name)
    if action == "leave":
        found = await groups.leave(channel, user)
        return Reply(text=f"You left **{found.name}**.", result=found.name)
    if action == "list":
        found_all = await groups.all(channel)
        if not found_all:
            return Reply(text="No cohorts here yet — `/cohort create NAME` starts one.", result="[]")
        lines = [f"**{c.name}** — {plural(len(c.members), 'member')}, {plural(len(c.channels), 'channel')}"
                 for c in found_all]
        return Reply(text="\n".join(lines), result=repr([c.name for c in found_all]))
    if action == "link":
        found = await groups.link(channel, _named(rest), user)
        return Reply(text=f"This channel is now part of **{found.name}**.", result=found.name)
    if action == "rename":
        old, sep, new = rest.partition(" to ")
        if not sep:
            raise UsageError("say the new name after `to`", hint="e.g. `/cohort rename Calc Crew to Gradient Gang`")
        found = await groups.rename(channel, old, new, user)
        return Reply(text=f"Renamed to **{found.name}**.", result=found.name)
    if action == "remove":
        member, sep, name = rest.rpartition(" from ")
        if not sep:
            raise UsageError("say which cohort after `from`", hint="e.g. `/cohort remove Bo from Calc Crew`")
        found = await groups.remove_member(channel, name, member, user)
        return Reply(text=f"Removed {member.strip()} from **{found.name}**.", result=found.name)
    if action == "delete":
        return await _delete(ctx, _named(rest))
    if action in ("progress", "export", "digest"):
        return await _organiser(ctx, action, rest)
    if action == "info":
        found = (await groups.get(channel, rest) if rest.strip()
                 else await groups.of_channel(channel) or await groups.of_user(channel, user))
        if found is None:
            return Reply(text="This channel has no cohort and you are in none — `/cohort create NAME`.", result=None)
        names = ", ".join(name for _, name in found.members)
        return Reply(text=f"**{found.name}** — {plural(len(found.members), 'member')}: {names}. "
                          f"{plural(len(found.channels), 'channel')}.", result=found.name)
    raise UsageError(f"unknown cohort action '{action}'",
                     hint="create, join, leave, info, list, link, rename, remove, delete, progress, export or digest")


async def _delete(ctx: Context, rest: str) -> Reply:
    """Deleting asks first, saying what is lost; ``/cohort delete NAME confirm`` (or the button) does it."""
    groups, channel, user = ctx.services.cohorts.groups, ctx.message.channel, ctx.message.user
    words = rest.split()
    confirmed = len(words) > 1 and words[-1].lower() == "confirm"
    name = " ".join(words[:-1]) if confirmed else rest
    found = await groups.get(channel, name)
    groups.require_manager(found, user, "delete it")
    if not confirmed:
        command = f"/cohort delete {found.name} confirm"
        return Reply(
            text=f"Delete **{found.name}**? This removes its list of {plural(len(found.members), 'member')}, its "
                 f"{plural(len(found.channels), 'channel')} link(s) and its weekly digest, and ends its shared daily "
                 "sandpit; the group's progress view and export go with it. Members keep their own progress, "
                 "reviews and answers, and each channel keeps its daily question. It cannot be undone.\n"
                 f"To go ahead: `{command}`.",
            result=None, choices=(Choice(id=f"cohort-delete.{found.id}", label="Delete it", command=command),))
    await groups.delete(channel, found.name, user)
    return Reply(text=f"Deleted cohort **{found.name}**.", result=found.name)


async def _organiser(ctx: Context, action: str, rest: str) -> Reply:
    """``progress``, ``export`` and ``digest``: the organiser's view of a cohort."""
    cohorts, channel, user, now = ctx.services.cohorts, ctx.message.channel, ctx.message.user, ctx.now
    words = rest.split()
    if action == "digest":
        verb = words[0].lower() if words else "status"
        found = await _which(ctx, " ".join(words[1:]) if verb == "off" else "")
        cohorts.groups.require_manager(found, user, "set its weekly digest")
        if verb == "off":
            await cohorts.digests.turn_off(found)
            return Reply(text=f"Weekly digest of **{found.name}** off.", result=None)
        if verb != "on":
            raise UsageError("say `on` or `off`", hint="e.g. `/cohort digest on friday 17:00 Europe/London private`")
        plan = read_plan(words[1:])
        due = await cohorts.digests.turn_on(found, channel, user, plan, now)
        return Reply(text=f"Weekly digest of **{found.name}** on: {plan.describe()}. First: "
                          f"{due.astimezone(read_zone(plan.timezone)):%a %d %b %H:%M} {plan.timezone}.",
                     result=_iso(due))
    period = words.pop().lower() if words and words[-1].lower() in PROGRESS_PERIODS else "week"
    found = await _which(ctx, " ".join(words))
    organiser = found.creator == user_key(user) or user.admin
    if action == "export":
        cohorts.groups.require_manager(found, user, "export its members' progress")
        file = await cohorts.organiser.export(found, now)
        return Reply(text=f"**{found.name}** — progress of {plural(len(found.members), 'member')} as CSV: one row "
                          "per member and skill practised (mastery 0–1, tries, right, last practised).",
                     result=file.name, files=(file,), private=True)
    member = any(key == user_key(user) for key, _ in found.members)
    if not organiser and not member:
        raise Forbidden(f"only members of {found.name}, its creator and admins see its progress")
    return await cohorts.organiser.view(found, period, now, viewer=None if organiser else user_key(user),
                                        figures=ctx.services.figures)


async def _which(ctx: Context, name: str) -> Cohort:
    """The named cohort, else this channel's, else the asker's."""
    groups, channel, user = ctx.services.cohorts.groups, ctx.message.channel, ctx.message.user
    found = (await groups.get(channel, name) if name.strip()
             else await groups.of_channel(channel) or await groups.of_user(channel, user))
    if found is None:
        raise UsageError("this channel has no cohort and you are in none — name one, e.g. `/cohort progress Calc Crew`")
    return found


def _named(text: str) -> str:
    if not text.strip():
        raise UsageError("say which cohort", hint="e.g. `/cohort join Calc Crew`")
    return text


@command(
    registry, "daily",
    summary="A daily question for the whole channel: on, off, status, answer.",
    usage="/daily on HH:MM [TIMEZONE] [TOPIC|auto] [window HOURS] | off | status | answer TEXT",
    examples=("/daily on 08:00 Europe/London auto", "/daily on 08:00 EST chain rule", "/daily status", "/daily answer 2x cos(x^2)"),
    main=Text("request", help="on/off/status (admins) or answer TEXT"),
    family="learning",
    details="At the time, the channel gets one question for everyone; each member answers once with "
            "`/daily answer` (or `/answer` when no personal question is open), privately, until the window "
            "closes (default 12 h); then the solution and the day's standings follow. The time zone is an "
            "IANA name (Europe/London), an abbreviation (EST, CET: the region's zone) or an offset (UTC+2, GMT-5); "
            "default UTC; 08:00 stays 08:00 local across daylight-saving changes. The topic is named as for "
            "`/quiz` (chain rule, chain-rule, 2.3). An answer that cannot be read, or of the wrong kind (a letter "
            "for a number), is refused and does not spend your one answer. Daily answers "
            "count for each member's own progress and reviews.",
)
async def daily(ctx: Context, args: Args) -> Reply:
    service, now = ctx.services.cohorts.daily, ctx.now
    user, channel = ctx.message.user, ctx.message.channel
    action, _, rest = args.request.strip().partition(" ")
    action = action.lower()
    if action == "on":
        schedule, replaced = await service.turn_on(channel, user, rest.split(), now)
        note = " (this replaces the channel's earlier schedule)" if replaced else ""
        return Reply(text=f"Daily question on at {schedule.local_time} {schedule.timezone}, topic "
                          f"{schedule.topic_title}, answers open for {schedule.window_hours} h{note}. "
                          f"Next: {schedule.next_local()}.", result=_iso(schedule.next_due))
    if action == "off":
        await service.turn_off(channel, user)
        return Reply(text="Daily question off for this channel.", result=None)
    if action == "status":
        schedule = await service.status(channel, now)
        lines = [f"Daily question at {schedule.local_time} {schedule.timezone}, topic {schedule.topic_title}, "
                 f"window {schedule.window_hours} h."]
        if schedule.paused:
            lines.append(f"⏸ Paused: {schedule.pause_reason} — an admin turns it on again with `/daily on`.")
        else:
            lines.append(f"Next: {schedule.next_local()}.")
        lines += [f"⚠️ Failed: {f}" for f in schedule.failed]
        return Reply(text="\n".join(lines), result=_iso(schedule.next_due))
    if action == "answer":
        return await answer_daily(ctx, rest)
    raise UsageError(f"unknown daily action '{action}'", hint="on, off, status or answer")


DAILY_BUTTON = re.compile(r"d(?P<push>\d+)\.")  # the id of a button on one day's question


async def answer_daily(ctx: Context, text: str) -> Reply:
    action = ctx.message.action
    pressed = DAILY_BUTTON.match(action.id) if action is not None else None
    if pressed is not None:
        push = await ctx.services.cohorts.daily.open_push(ctx.message.channel, ctx.now)
        if push is None or push.id != int(pressed["push"]):
            return Reply(text="That button is on a daily question that has closed; "
                              "`/daily status` says when the next one comes.", private=True)
    result = await ctx.services.cohorts.daily.answer(ctx.message.channel, ctx.message.user, text, ctx.now)
    verdict = result.feedback or ("✅ Right." if result.correct else "❌ Not this time.")
    return Reply(text=f"{verdict}\nYour answer is recorded (only you see this); the solution and the day's "
                      "standings come when the window closes.", result=str(result.correct), private=True)


@command(
    registry, "leaderboard",
    summary="Standings of a cohort (or this channel) for the week, month or all time.",
    usage="/leaderboard [COHORT] [week|month|all] [image] | sandpit [day|week|all]",
    examples=("/leaderboard", "/leaderboard Calc Crew all", "/leaderboard sandpit week"),
    main=Text("request", optional=True, help="a cohort name and/or week, month or all"),
    family="learning",
    aliases=("standings", "board"),
    details=RULE + "\nThe default is this channel's cohort (else yours) over the last 7 days. Add `image` (or "
                   "press *As an image*) for the table as a picture, for chats where a text table does not line up.",
)
async def leaderboard(ctx: Context, args: Args) -> Reply:
    cohorts, now = ctx.services.cohorts, ctx.now
    user, channel = ctx.message.user, ctx.message.channel
    words = (args.request or "").split()
    if words and words[0].lower() == "sandpit":
        return await _sandpit_board(ctx, words[1:])
    as_image = bool(words) and words[-1].lower() in ("image", "picture", "png")
    if as_image:
        words.pop()
    period = "week"
    if words and words[-1].lower() in PERIODS:
        period = words.pop().lower()
    name = " ".join(words)
    group = (await cohorts.groups.get(channel, name) if name
             else await cohorts.groups.of_channel(channel) or await cohorts.groups.of_user(channel, user))
    members = dict(group.members) if group else None
    table = await standings(cohorts.store, cohorts.curriculum, members, channel.key, period, now)
    plain_title = group.name if group else "This channel"
    title = f"**{group.name}**" if group else "This channel"
    span = {"week": "the last 7 days", "month": "the last 30 days", "all": "all time"}[period]
    lines = [f"{title} — {span}:"]
    mine = f"{user.platform}:{user.id}"
    for s in table[:SHOWN]:
        lines.append(f"{s.rank}. {s.name} — {plural(s.points, 'point')} ({s.correct} right)")
    own = next((s for s in table if s.user_key == mine), None)
    if own is not None and own.rank > SHOWN:
        lines.append(f"…\n{own.rank}. {own.name} (you) — {plural(own.points, 'point')}")
    if not table:
        lines.append("No answers yet.")
    lines.append("_Equal points share a rank. `/help leaderboard` explains the points._")
    result = repr([(s.rank, s.name, s.points) for s in table])
    again = " ".join([*words, period, "image"])
    if not as_image or not ctx.services.figures:
        button = Choice(id="leaderboard-image", label="As an image", command=f"/leaderboard {again}")
        return Reply(text="\n".join(lines), result=result, choices=(button,) if ctx.services.figures else ())
    rows = [(str(s.rank), s.name, str(s.points), str(s.correct)) for s in table[:SHOWN]]
    if own is not None and own.rank > SHOWN:
        rows.append((str(own.rank), f"{own.name} (you)", str(own.points), str(own.correct)))
    png = await ctx.workers.run(jobs_in("plotting.cohort").render_table, ("#", "member", "points", "right"), rows, f"{plain_title} — {span}")
    alt = "; ".join(f"{r[0]}. {r[1]} {r[2]} points" for r in rows) or "no answers yet"
    return Reply(text=f"{title} — {span}, as a picture.", result=result, images=(Image("leaderboard.png", png, alt),))


async def _sandpit_board(ctx: Context, words: list[str]) -> Reply:
    """`/leaderboard sandpit [day|week|all]`: the daily pit, fewest dips to the prize."""
    from bot.commands.sandpit import daily_pit_key
    from bot.game.standings import PERIODS as PIT_PERIODS
    from bot.game.standings import sandpit_standings

    period = words[0].lower() if words else "week"
    if period not in PIT_PERIODS or len(words) > 1:
        raise UsageError("say day, week or all after `sandpit`", hint="e.g. `/leaderboard sandpit week`")
    table = await sandpit_standings(ctx.services.store, await daily_pit_key(ctx), period, ctx.now.date())
    span = {"day": "today", "week": "the last 7 days", "all": "all time"}[period]
    lines = [f"**Daily sandpit** — {span}, fewest dips to the prize:"]
    lines += [f"{s.rank}. {s.user} — {plural(s.dips, 'dip')}" for s in table[:SHOWN]] or ["Nobody has found the prize yet."]
    lines.append("_Equal dips share a rank; a player's best win counts._")
    return Reply(text="\n".join(lines), result=repr([(s.rank, s.user, s.dips) for s in table]))


def _iso(when: object) -> str | None:
    if when is None:
        return None
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[attr-defined]
