"""The sandpit: the course's gradient game — dip a stick, read the depth, find the prize at −9 m."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from bot.core.commands import Args, Int, Keyword, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Image, Reply
from bot.errors import BadArgument, CalcbotError, UsageError
from bot.game import play
from bot.game.daily import SEEDS, announcement, daily_pit, replay_command
from bot.game.landscapes import DESCRIPTIONS, NAMES, SIZE
from bot.game.standings import rank
from bot.jobs import jobs_in
from bot.store.games import SandpitGames, StoredGame

jobs = jobs_in("bot.game.jobs")  # drawing and searching the pit: loaded only in the workers

registry = Registry()


class GameInProgress(CalcbotError):
    code = "game_in_progress"


class NoGame(CalcbotError):
    code = "no_game"


class DipClash(CalcbotError):
    code = "conflict"


DETAILS = "\n".join([
    "A 6 m × 6 m pit hides a smooth surface; depths run from −1 m (the highest point) to −9 m, where the "
    f"prize is buried. Dip with `/dip X, Y` (metres from the corner, 0–6); {play.MAX_DIPS} dips; a dip within "
    f"{play.WIN_RADIUS} m of the prize wins. `/sandpit map` shows your dips, `/sandpit quit` reveals the pit, "
    "`/sandpit daily` plays today's shared pit (fewest dips wins).",
    "Landscapes:", *[f"- `{name}`: {DESCRIPTIONS[name]}" for name in NAMES],
    "Modes:", *[f"- `mode {m}`: {play.MODE_NAMES[m]}" for m in play.MODES],
    "Mode 2 rules use J (the gradient, a 2×1 column), H (the 2×2 Hessian), f (the depth), I (the identity), "
    "numbers, + − * / ^, brackets, inv(), transpose() or ^T, norm(), sqrt(), abs(); e.g. `-0.2*J`, `-inv(H)*J`.",
])


@command(
    registry, "sandpit",
    summary="The sandpit game: find the deepest point of a hidden surface by dipping a stick.",
    usage="/sandpit start [LANDSCAPE] [mode 0|1|2] [rule RULE] [seed N] | map | quit | daily",
    examples=("/sandpit start", "/sandpit start many-minima mode 1", "/sandpit start bowl mode 2 rule -0.2*J",
              "/sandpit map", "/sandpit daily"),
    main=Text("action", optional=True, help="start [LANDSCAPE], map, quit or daily"),
    keywords=(
        Keyword(("mode",), Int("mode", 0, 2, optional=True, help="0 arrows, 1 depth only, 2 your own step rule")),
        Keyword(("rule",), Text("rule", optional=True, help="mode 2's step rule in J, H and f, e.g. -0.2*J")),
        Keyword(("seed",), Int("seed", 0, SEEDS - 1, optional=True, help="replay the same landscape")),
    ),
    family="sandpit",
    details=DETAILS,
)
async def sandpit(ctx: Context, args: Args) -> Reply:
    words = (args.action or "").split()
    verb = words[0].lower() if words else ""
    if verb == "start":
        if len(words) > 2:
            raise _usage(f"unexpected '{' '.join(words[2:])}' after the landscape")
        name = words[1].lower() if len(words) == 2 else "bowl"
        mode = 0 if args.mode is None else args.mode
        seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000_000)
        return await _start(ctx, name, mode, args.rule, seed, shown_seed=args.seed is not None)
    if args.mode is not None or args.rule or args.seed is not None:
        raise _usage("mode, rule and seed go with `/sandpit start`")
    if len(words) > 1:
        raise _usage(f"unexpected '{' '.join(words[1:])}'")
    if verb == "map":
        return await _map(ctx)
    if verb == "quit":
        return await _quit(ctx)
    if verb == "daily":
        return await _daily(ctx)
    if verb:
        raise _usage(f"'{verb}' is not a sandpit action (start, map, quit, daily)")
    return Reply(text=DETAILS)


@command(
    registry, "dip",
    summary="Dip the stick at (X, Y) in your sandpit game and read the depth.",
    usage="/dip X, Y",
    examples=("/dip 2, 3.5", "/dip 4.2 1"),
    main=Text("point", help="metres from the pit's corner, each from 0 to 6"),
    family="sandpit",
    aliases=("dig",),
)
async def dip(ctx: Context, args: Args) -> Reply:
    x, y = _point(args.point)
    user_id, games, stored = await _game(ctx)
    if stored is None:
        raise NoGame("you have no sandpit game in this channel.", hint="Start one with `/sandpit start`.")
    game = _load(stored)
    outcome, picture = await ctx.workers.run(jobs.dip, game, x, y, ctx.services.figures)
    after = game.with_dip(outcome)
    secret = after.finished and outcome.status != "won" and _pit_still_open(ctx, stored)
    if after.finished:
        images = () if secret else await _reveal_images(
            ctx, after, "you found the prize" if outcome.status == "won" else "the answer")
        if not await games.finish(stored, user_id, ctx.message.channel.key, dips=len(after.dips),
                                  outcome=outcome.status, now=ctx.now):
            raise _clash()
    else:
        if not await games.record_dip(stored.id, stored.dip_count, after.to_json()):
            raise _clash()
        images = (Image("sandpit-map.png", picture, f"map of {len(after.dips)} dips"),) if picture else ()
    text = _dip_text(after, outcome, secret=secret)
    if after.finished and stored.daily_key and stored.daily_date:
        text += "\n\n" + await _today(games, stored)
    return Reply(text=text, result=repr(outcome.result(after.dips_left)), images=images,
                 private=stored.daily_key is not None)


# -- actions -------------------------------------------------------------------------------------


async def _start(ctx: Context, name: str, mode: int, rule: str | None, seed: int, *, shown_seed: bool = False,
                 daily: tuple[str, date] | None = None, announce: str = "") -> Reply:
    user_id, games, stored = await _game(ctx)
    if stored is not None:
        raise _in_progress(stored)
    await ctx.workers.run(jobs.start, name, mode, rule, seed)
    daily_key, daily_date = daily if daily else (None, None)
    started = await games.start(user_id, ctx.message.channel.key, landscape=name, mode=mode, seed=seed, rule=rule,
                                daily_key=daily_key, daily_date=daily_date, now=ctx.now)
    if not started:
        stored = await games.get(user_id, ctx.message.channel.key)
        raise _in_progress(stored)
    game = play.Game(name, seed, mode, rule)
    chosen = f", seed {seed}" if shown_seed else ""  # a random seed stays hidden until the end
    lines = [announce or f"🏖️ **Sandpit** — `{name}`, mode {mode} ({play.MODE_NAMES[mode]}){chosen}.",
             f"The prize is buried at the deepest point (−9 m); the highest sand is at −1 m. "
             f"You have {play.MAX_DIPS} dips: `/dip X, Y` with X and Y from 0 to {SIZE:g} m.",]
    if mode == 0:
        lines.append("Each dip also shows an arrow along −∇f (downhill), longer where it is steeper (at most 1 m).")
    if mode == 2:
        lines.append(f"Your rule `{rule}` runs {play.RULE_STEPS} steps from each dip; where it ends is where you stand.")
    images: tuple[Image, ...] = ()
    if ctx.services.figures:
        images = (Image("sandpit-map.png", await ctx.workers.run(jobs.dip_map, game), "an empty map of the pit"),)
    result = {"status": "searching", "dips_left": play.MAX_DIPS, "mode": mode, "landscape": name}
    return Reply(text="\n".join(lines), result=repr(result), images=images, private=daily is not None)


async def _map(ctx: Context) -> Reply:
    _, _, stored = await _game(ctx)
    if stored is None:
        raise NoGame("you have no sandpit game in this channel.", hint="Start one with `/sandpit start`.")
    game = _load(stored)
    text = f"Your dips so far: {len(game.dips)}; {game.dips_left} left."
    images = (Image("sandpit-map.png", await ctx.workers.run(jobs.dip_map, game), text),) if ctx.services.figures else ()
    if not ctx.services.figures:
        text += "\n" + "\n".join(f"{i}. ({d.x:g}, {d.y:g}): {d.depth:.3f} m" for i, d in enumerate(game.dips, 1))
    result = {"status": game.dips[-1].status if game.dips else "searching", "dips_left": game.dips_left,
              "mode": game.mode, "landscape": game.landscape}
    return Reply(text=text, result=repr(result), images=images, private=stored.daily_key is not None)


async def _quit(ctx: Context) -> Reply:
    user_id, games, stored = await _game(ctx)
    if stored is None:
        raise NoGame("you have no sandpit game in this channel to quit.", hint="Start one with `/sandpit start`.")
    game = _load(stored)
    secret = _pit_still_open(ctx, stored)
    images = () if secret else await _reveal_images(ctx, game, "revealed")
    if not await games.finish(stored, user_id, ctx.message.channel.key, dips=len(game.dips), outcome="quit", now=ctx.now):
        raise _clash()
    if secret:
        text = f"You left today's pit after {_dips(len(game.dips))}. " + SECRET
    else:
        px, py = await ctx.workers.run(play.prize_of, game.landscape, game.seed)
        text = (f"You left the pit after {_dips(len(game.dips))}. The prize was at ({px:.2f}, {py:.2f}), −9 m deep. "
                f"Replay it with `{replay_command(game.landscape, game.mode, game.seed, game.rule)}`.")
    result = {"status": "over", "dips_left": game.dips_left, "mode": game.mode, "landscape": game.landscape}
    return Reply(text=text, result=repr(result), images=images, private=stored.daily_key is not None)


SECRET = ("Where the prize is stays secret while today's pit is open to the others (until 00:00 UTC); "
          "tomorrow `/sandpit daily` shows it, with the command to replay it.")


def _pit_still_open(ctx: Context, stored: StoredGame) -> bool:
    """A daily pit is open to everyone until its day ends (UTC): nothing may give its prize away."""
    return stored.daily_key is not None and stored.daily_date is not None and stored.daily_date >= ctx.now.date()


async def _yesterday(ctx: Context, key: str, today: date) -> str:
    """Yesterday's shared pit, now closed: where its prize was, and how to replay it."""
    pit = daily_pit(key, today - timedelta(days=1))
    px, py = await ctx.workers.run(play.prize_of, pit.landscape, pit.seed)
    return (f"Yesterday's pit (`{pit.landscape}`, mode {pit.mode}) had its prize at ({px:.2f}, {py:.2f}); "
            f"replay it with `{replay_command(pit.landscape, pit.mode, pit.seed)}`.")


async def _daily(ctx: Context) -> Reply:
    user_id, games, stored = await _game(ctx)
    pit = daily_pit(await daily_pit_key(ctx), ctx.now.date())
    played = await games.played_daily(user_id, pit.key, pit.day)
    if played is not None:
        verdict = f"found the prize in {_dips(played.dips)}" if played.outcome == "won" else f"ended it ({played.outcome})"
        return Reply(text=f"You have played today's pit: you {verdict}. A new pit tomorrow.\n"
                          + await _yesterday(ctx, pit.key, pit.day) + "\n\n"
                          + await _standings_text(games, pit.key, pit.day), private=True)
    announce = announcement(pit) + "\n" + await _yesterday(ctx, pit.key, pit.day)
    return await _start(ctx, pit.landscape, pit.mode, None, pit.seed, daily=(pit.key, pit.day), announce=announce)


# -- helpers -------------------------------------------------------------------------------------


async def daily_pit_key(ctx: Context) -> str:
    """Whose daily pit this is: the channel's cohort (every channel of it plays the same surface), else
    the channel."""
    cohorts = ctx.services.cohorts
    cohort = await cohorts.groups.of_channel(ctx.message.channel) if cohorts is not None else None
    return f"cohort:{cohort.id}" if cohort is not None else ctx.message.channel.key


_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)"
_POINT = re.compile(rf"\(?\s*({_NUMBER})\s*(?:,\s*|\s+)({_NUMBER})\s*\)?")


def _point(text: str) -> tuple[float, float]:
    match = _POINT.fullmatch(text.strip())
    if match is None:
        raise UsageError(f"'{text.strip()[:40]}' is not a point: give two numbers, X and Y. No dip was used.",
                         hint="Usage: `/dip X, Y` — e.g. `/dip 2, 3.5`")
    x, y = float(match.group(1)), float(match.group(2))
    if not (0 <= x <= SIZE and 0 <= y <= SIZE):
        raise BadArgument(f"({x:g}, {y:g}) is outside the pit: X and Y run from 0 to {SIZE:g} m. No dip was used.")
    return x, y


async def _game(ctx: Context) -> tuple[int, SandpitGames, StoredGame | None]:
    user = ctx.message.user
    row = await ctx.services.store.get_or_create_user(user.platform, user.id, user.name, ctx.now)
    games = SandpitGames(ctx.services.store)
    return row.id, games, await games.get(row.id, ctx.message.channel.key)


def _load(stored: StoredGame) -> play.Game:
    return play.Game(stored.landscape, stored.seed, stored.mode, stored.rule, play.Game.dips_from_json(stored.dips_json))


async def _reveal_images(ctx: Context, game: play.Game, headline: str) -> tuple[Image, ...]:
    if not ctx.services.figures:
        return ()
    png = await ctx.workers.run(jobs.reveal, game, headline)
    return (Image("sandpit-reveal.png", png, f"the {game.landscape} pit revealed, with your {len(game.dips)} dips"),)


def _dip_text(game: play.Game, dip: play.Dip, *, secret: bool = False) -> str:
    number = len(game.dips)
    lines = [f"Dip {number} at ({dip.x:g}, {dip.y:g}): depth **{dip.depth:.2f} m**."]
    if dip.arrow is not None:
        lines.append(f"Arrow (−∇f, downhill): ({dip.arrow[0]:+.2f}, {dip.arrow[1]:+.2f}) m.")
    if dip.path is not None:
        ex, ey, ed = dip.path[-1]
        stopped = " — it reached the wall and stopped there" if len(dip.path) < play.RULE_STEPS + 1 else ""
        steps = len(dip.path) - 1
        lines.append(f"Your rule walked {steps} step{'' if steps == 1 else 's'}{stopped}: you now stand at ({ex:.2f}, {ey:.2f}), "
                     f"depth {ed:.2f} m.")
        if ed > dip.depth + 0.01:
            lines.append("↗️ Your rule took you *uphill*: a Newton step −H⁻¹J heads for any stationary point, "
                         "maxima and saddles included, unless H is positive definite.")
    if dip.status == "won":
        lines.append(f"🎉 **You found the prize** in {_dips(number)}! Here is the whole pit.")
    elif dip.status == "over":
        lines.append("That was your last dip: the game is **over**. "
                     + (SECRET if secret else "Here is where the prize was."))
    elif dip.status == "local_minimum":
        lines.append("🕳️ You are **stuck in a local optimum**: a hollow, but not the deepest point. Keep searching.")
    if dip.status not in ("won", "over"):
        left = game.dips_left
        lines.append(f"⚠️ Only {left} dip{'s' if left != 1 else ''} left!" if left <= play.WARN_AT else f"{left} dips left.")
    return "\n".join(lines)


async def _today(games: SandpitGames, stored: StoredGame) -> str:
    assert stored.daily_key and stored.daily_date
    return await _standings_text(games, stored.daily_key, stored.daily_date)


async def _standings_text(games: SandpitGames, key: str, day: date) -> str:
    standings = rank(r for r in await games.daily_results(key, day) if r.daily_date == day)
    if not standings:
        return "Nobody has found today's prize yet."
    rows = [f"{s.rank}. {s.user} — {_dips(s.dips)}" for s in standings[:10]]
    return "**Today's pit**\n" + "\n".join(rows)


def _dips(count: int) -> str:
    return f"{count} dip" + ("" if count == 1 else "s")


def _usage(problem: str) -> UsageError:
    return registry.get("sandpit").usage_error(problem)  # type: ignore[union-attr]


def _in_progress(stored: StoredGame | None) -> GameInProgress:
    where = f" (`{stored.landscape}`, {_dips(stored.dip_count)} so far)" if stored else ""
    return GameInProgress(f"you already have a sandpit game in this channel{where}.",
                          hint="Finish it with `/dip X, Y`, or end it with `/sandpit quit` first.")


def _clash() -> DipClash:
    return DipClash("another move in this game landed at the same moment; nothing was changed.",
                    hint="Look with `/sandpit map` and try again.")

