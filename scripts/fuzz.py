"""Long fuzz campaigns by hand: token soup through the real app and worker pool, `internal` errors reported.

    python scripts/fuzz.py --count 20000 --seed 1            # every family, 20,000 messages each
    python scripts/fuzz.py --family derive --count 100000    # one family

Every message goes through the same path as a console line (``App.handle``: router, middleware, the
worker pool with its time and memory limits, the presenters), on a scratch SQLite file. Prints inputs
tried and inputs per second per family, and each internal error with the input that caused it (its
traceback is in the log, under the incident id). Exit status 1 when any internal error was found.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_app  # noqa: E402
from bot.core.config import Settings  # noqa: E402
from bot.core.message import ChannelRef, Message, UserRef  # noqa: E402
from tests.fuzz.soup import FAMILIES, SETUP, message  # noqa: E402


async def campaign(families: list[str], count: int, seed: int, concurrency: int) -> int:
    settings = Settings(workers=2, job_timeout=5.0)
    with tempfile.TemporaryDirectory() as scratch:
        app = await build_app(settings, db_path=str(Path(scratch) / "fuzz.db"))
        failures = 0
        try:
            for family in families:
                failures += await _one_family(app, family, count, seed, concurrency)
        finally:
            await app.close()
    return failures


async def _one_family(app: object, family: str, count: int, seed: int, concurrency: int) -> int:
    rng = random.Random(f"{seed}:{family}")
    texts = [message(rng, family) for _ in range(count)]
    found: list[tuple[str, str]] = []
    codes: dict[str, int] = {}
    started = time.perf_counter()
    queue = iter(enumerate(texts))

    async def worker(lane: int) -> None:
        for index, text in queue:
            user = UserRef("console", f"fuzz{lane}", f"fuzz{lane}")
            channel = ChannelRef("console", "", f"c{lane}")
            if family in SETUP:
                await app.handle(Message(user, channel, SETUP[family]))  # type: ignore[attr-defined]
            reply = await app.handle(Message(user, channel, text))  # type: ignore[attr-defined]
            code = reply.error.code if reply.error else "ok"
            codes[code] = codes.get(code, 0) + 1
            if code == "internal":
                found.append((text, reply.error.message))
                print(f"  INTERNAL #{index}: {text!r}\n    {reply.error.message}", flush=True)

    await asyncio.gather(*(worker(lane) for lane in range(concurrency)))
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{k} {v}" for k, v in sorted(codes.items(), key=lambda kv: -kv[1]))
    print(f"{family:18} {count:7d} inputs  {count / elapsed:7.1f}/s  internal errors: {len(found)}  ({summary})",
          flush=True)
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="default: every family")
    parser.add_argument("--count", type=int, default=1000, help="inputs per family")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=4, help="messages in flight at once")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    failures = asyncio.run(campaign(args.family or sorted(FAMILIES), args.count, args.seed, args.concurrency))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
