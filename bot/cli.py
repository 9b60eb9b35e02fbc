"""`calcbot console | discord | slack | db upgrade`: parse the command line, build the app, hand it to an adapter."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot import runtime


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="calcbot", description="A chat bot that teaches multivariate calculus.")
    sub = parser.add_subparsers(dest="command", required=True)
    console = sub.add_parser("console", help="chat in the terminal (the embedded default, on SQLite)")
    console.add_argument("--json", action="store_true", help="scripted mode: one JSON line out per line in")
    console.add_argument("--db", metavar="PATH", help="SQLite file for progress (default: in the data directory)")
    console.add_argument("--user", metavar="NAME", default=None, help="who is typing (default: your login name)")
    console.add_argument("--channel", metavar="NAME", default="terminal", help="the channel name (default: terminal)")
    console.add_argument("--images", metavar="DIR", help="where reply images are written (default: DATA_DIR/images)")
    console.add_argument("--clock", metavar="ISO", help="scripted mode: a simulated clock starting at this instant, "
                         'moved by "at" in input objects')
    console.add_argument("--admins", metavar="NAME[,NAME…]", help="only these users are admins (default: everyone)")
    sub.add_parser("discord", help="run the Discord bot (DISCORD_TOKEN; see README \"Run on Discord\")")
    _slack_parser(sub)
    worker = sub.add_parser("worker", help="run a queue worker for the worker tier (CALCBOT_BROKER_URL; "
                            "chat processes send jobs to it with CALCBOT_WORKERS=queue)")
    worker.add_argument("--concurrency", type=int, metavar="N",
                        help="jobs at once, one process each (default: CALCBOT_WORKER_PROCESSES or the CPU count)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations (the bot also does this at start)")
    upgrade.add_argument("--db", metavar="PATH", help="SQLite file (default: CALCBOT_DATABASE_URL or the data directory)")
    return parser


def _problem(where: tuple[object, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    return f"CALCBOT_{'_'.join(map(str, where)).upper()}: {message}" if where else message


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    from bot.core.config import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(e["loc"], e["msg"]) for e in exc.errors())
        sys.exit(f"calcbot: bad configuration — {problems}")
    from bot.core.logs import configure

    configure(settings.log_level, settings.log_format, sys.stderr)
    if args.command == "console":
        from bot.workers import prepare_fork_server

        prepare_fork_server()  # the workers warm up while this process imports the rest
    try:
        if args.command == "console":
            runtime.run(_console(settings, args))
        elif args.command == "discord":
            require_extra("discord")
            runtime.run(_discord(settings))
        elif args.command == "slack":
            _slack(settings, args)
        elif args.command == "worker":
            _worker(settings, args)
        elif args.command == "db":
            runtime.run(_db_upgrade(settings, args.db))
    except KeyboardInterrupt:
        pass


async def _console(settings: object, args: argparse.Namespace) -> None:
    from bot.adapters.console import cancel_and_wait, run_console
    from bot.app import build_app, utc_now
    from bot.core.config import Settings

    assert isinstance(settings, Settings)
    clock = None
    if args.clock:
        from bot.adapters.console_clock import SimulatedClock, read_instant

        try:
            clock = SimulatedClock(read_instant(args.clock))
        except Exception as error:
            sys.exit(f"calcbot: --clock: {error}")
    app = await build_app(settings, db_path=args.db, clock=clock or utc_now)
    warming = asyncio.create_task(app.warm())  # fork the workers while the first line is read
    try:
        user = args.user or _login_name()
        await run_console(
            app.handle,
            json_mode=args.json,
            user=user,
            channel=args.channel,
            images_dir=Path(args.images) if args.images else settings.data_dir / "images",
            history=settings.data_dir / "history",
            completions=app.completions(),
            scheduler=app.scheduler,
            clock=clock,
            admins=frozenset(n.strip() for n in args.admins.split(",") if n.strip()) if args.admins else None,
        )
    finally:
        await cancel_and_wait(warming)
        await runtime.finish(app.close())


# The optional extras each platform needs: (pip extra, its modules, what the user knows it as).
EXTRAS = {"discord": ("discord", ("discord",), "discord.py"),
          "slack": ("slack", ("slack_bolt", "slack_sdk", "aiohttp"), "slack-bolt")}


def require_extra(platform: str) -> None:
    """Exit with the install command when a platform's libraries are missing (``make run`` installs
    only the console), instead of an ImportError traceback."""
    import importlib.util

    extra, modules, library = EXTRAS[platform]
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        sys.exit(f"calcbot: `calcbot {platform}` needs {library}, which is not installed — run `make extras` "
                 f"in the calcbot checkout (or `pip install -e '.[{extra}]'` there)")


async def _discord(settings: object) -> None:
    from bot.adapters.discord.runner import ConfigurationError, run_discord
    from bot.core.config import Settings

    assert isinstance(settings, Settings)
    # Who the bot is and where its commands went are worth seeing at the default level too.
    discord_log = logging.getLogger("calcbot.discord")
    discord_log.setLevel(min(discord_log.getEffectiveLevel(), logging.INFO))
    try:
        await run_discord(settings)
    except ConfigurationError as problem:
        sys.exit(f"calcbot: {problem}")


def _worker(settings: object, args: argparse.Namespace) -> None:
    from bot.core.config import Settings

    assert isinstance(settings, Settings)
    if not settings.broker_url:
        sys.exit("calcbot: `calcbot worker` needs CALCBOT_BROKER_URL, the broker the chat processes send "
                 "jobs to (amqp://guest:guest@127.0.0.1:5672// or redis://127.0.0.1:6379/0)")
    try:
        from bot.worker_queue import run_worker
    except ImportError:
        sys.exit("calcbot: `calcbot worker` needs the queue extra: pip install 'calcbot[queue]' "
                 "(in a checkout: .venv/bin/pip install -e '.[queue]')")
    run_worker(settings.broker_url, concurrency=args.concurrency or settings.pool_size,
               memory_mb=settings.job_memory_mb, queue=settings.queue_name,
               loglevel=settings.log_level.upper())


def _slack_parser(sub: argparse._SubParsersAction) -> None:
    slack = sub.add_parser("slack", help="run on Slack: Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN), or "
                           "HTTP mode with --http (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)")
    slack.add_argument("--http", metavar="PORT", type=int, help="HTTP mode: serve /slack/events on this port")
    slack.add_argument("--db", metavar="PATH", help="SQLite file (default: CALCBOT_DATABASE_URL or the data directory)")
    slack_sub = slack.add_subparsers(dest="slack_command")
    manifest = slack_sub.add_parser("manifest", help="print the Slack app manifest (YAML), made from the commands")
    manifest.add_argument("--url", metavar="URL", help="HTTP mode: the public base URL (requests go to URL/slack/events)")
    manifest.add_argument("--name", default="calcbot", help="the app's name in Slack (default: calcbot)")


def _slack(settings: object, args: argparse.Namespace) -> None:
    if args.slack_command == "manifest":
        from bot.adapters.slack.manifest import manifest_yaml
        from bot.commands import all_commands

        print(manifest_yaml(all_commands(), name=args.name, public_url=args.url), end="")
        return
    require_extra("slack")
    from bot.adapters.slack.runner import SlackStartError, run_slack
    from bot.core.config import Settings

    assert isinstance(settings, Settings)
    try:
        runtime.run(run_slack(settings, http_port=args.http, db_path=args.db))
    except SlackStartError as error:
        sys.exit(f"calcbot: {error}")


async def _db_upgrade(settings: object, db_path: str | None) -> None:
    from bot.core.config import Settings
    from bot.store import Store

    assert isinstance(settings, Settings)
    store = await Store.open(settings.resolved_database_url(db_path))
    await store.close()
    print("database is up to date")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "learner"
