"""The operator's trial of issue 26, run as an operator would: the compose file's commands by hand.

Two ``calcbot slack --http PORT`` instances (compose service ``slack-http``) and two ``calcbot worker``
processes (service ``worker``) with ``CALCBOT_WORKERS=queue`` on the real RabbitMQ, on one PostgreSQL
that this script stops and starts under them, against the loopback Slack of ``tests/slack``. Learners
send a stream of slash commands, round-robin over the instances as a load balancer would, some sent
to both (a load balancer's retry). During the stream:

1. the database is stopped for a while and started again (``--stop-db`` / ``--start-db``: commands for
   a PostgreSQL cluster of its own, so nothing else on the machine loses its database);
2. a worker is killed with SIGKILL while it holds a slow job;
3. one instance is stopped with SIGTERM (a rolling restart) while an answer is in flight, and started again.

At the end it checks, from what Slack received and what the database holds, that nothing was lost:
every request acknowledged, every action answered exactly once (an answer or a clear error), every
acknowledged quiz answer stored as a try. Prints a timeline and the verdict; exit status 0 when it holds.

    pg_createcluster 15 trial -p 5433 -- --auth=trust     # once: a cluster the trial may stop
    .venv/bin/python scripts/operator_trial.py \\
        --database postgresql+asyncpg://postgres@127.0.0.1:5433/postgres \\
        --stop-db 'pg_ctlcluster --skip-systemctl-redirect 15 trial stop -m fast' \\
        --start-db 'pg_ctlcluster --skip-systemctl-redirect 15 trial start'
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.instances.slack_processes import free_port, post_signed, until_ready  # noqa: E402
from tests.slack.standin import BOT_TOKEN, SlackStandIn  # noqa: E402
from tests.slack.world import SIGNING_SECRET, slash  # noqa: E402

SLOW_JOB = "/taylor e^(sin(x)) * cos(x)^3 / (1 + x^2) at 0 order 6"  # seconds of SymPy in a worker
CALCULUS = ["/derive x^2 sin x", "/partial x^2 y^3 wrt y", "/hessian x^3 + x y^2", "/grad x^2 y + y^3 at (1, 2)"]
LEARNING = ["/progress", "/lesson"]


class Trial:
    def __init__(self, args: argparse.Namespace, logs: Path):
        self.args, self.logs = args, logs
        self.began = time.monotonic()
        self.standin = SlackStandIn()
        self.sent: dict[str, tuple[str, str]] = {}  # hook -> (user, text)
        self.statuses: dict[str, int] = {}
        self.quiz_answers_acked: dict[str, int] = {}  # user -> /answer requests acknowledged
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}
        self.queue = f"calcbot-trial-{secrets.token_hex(3)}"

    def say(self, what: str) -> None:
        print(f"[{time.monotonic() - self.began:6.1f} s] {what}", flush=True)

    # -- the processes, started with the compose file's commands and settings -----------------------

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CALCBOT_"))}
        env.update({
            "CALCBOT_DATABASE_URL": self.args.database, "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "CALCBOT_SLACK_API_URL": self.standin.api_url,
            "CALCBOT_LOG_FORMAT": "json", "CALCBOT_LOG_LEVEL": "INFO", "CALCBOT_WORKERS": "queue",
            "CALCBOT_BROKER_URL": self.args.broker, "CALCBOT_QUEUE_NAME": self.queue,
            "CALCBOT_WORKER_PROCESSES": "2", "CALCBOT_JOB_TIMEOUT": "5", "CALCBOT_JOB_MEMORY_MB": "1536",
            "CALCBOT_DATA_DIR": str(self.logs), "XDG_DATA_HOME": str(self.logs),
        })
        return env

    def start(self, name: str, *command: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.processes[name] = subprocess.Popen([str(ROOT / ".venv/bin/calcbot"), *command], env=self.environment(),
                                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_instance(self, name: str) -> None:
        self.ports.setdefault(name, free_port())
        self.start(name, "slack", "--http", str(self.ports[name]))

    async def ready(self, name: str, http: aiohttp.ClientSession) -> None:
        if not await until_ready(http, self.ports[name], lambda: self.processes[name].poll() is None):
            raise SystemExit(f"{name} exited at start; see {self.logs / (name + '.log')}")

    async def readyz(self, http: aiohttp.ClientSession, name: str) -> str:
        try:
            async with http.get(f"http://127.0.0.1:{self.ports[name]}/readyz") as answer:
                return f"{answer.status} {(await answer.text())[:120]}"
        except aiohttp.ClientError as error:
            return f"unreachable ({error.__class__.__name__})"

    # -- the learners ---------------------------------------------------------------------------------

    async def send(self, http: aiohttp.ClientSession, user: str, text: str, to: list[str]) -> str:
        """One slash command; ``to`` more than one instance is a load balancer's retry (same trigger_id)."""
        hook = f"h{len(self.sent)}"
        form = slash(text, user=user, channel="C0GEN", response_url=self.standin.hook_url(hook))
        self.sent[hook] = (user, text)
        statuses = await asyncio.gather(*(self._post(http, name, form) for name in to))
        self.statuses[hook] = min(statuses)
        if text.startswith("/answer") and self.statuses[hook] == 200:
            self.quiz_answers_acked[user] = self.quiz_answers_acked.get(user, 0) + 1
        return hook

    async def _post(self, http: aiohttp.ClientSession, name: str, form: dict[str, str]) -> int:
        try:
            return await post_signed(http, f"http://127.0.0.1:{self.ports[name]}/slack/events", form)
        except aiohttp.ClientError:
            return 0  # the instance is down: the load balancer would send it elsewhere

    def answers(self, hook: str) -> list[dict]:
        return [r["body"] for r in self.standin.responses if r["hook"] == hook]

    async def answered(self, hook: str, within: float = 30.0) -> dict | None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = self.answers(hook)
            if found:
                return found[0]
            await asyncio.sleep(0.05)
        return None

    async def lesson_round(self, http: aiohttp.ClientSession, users: list[str], instances: list[str], label: str) -> None:
        """The learners at once, each waiting for each reply as a person does: a calculus command, a quiz
        question and its answer, a learning command; each request to the next instance in turn."""
        turn = iter(range(10**6))

        async def learner(n: int, user: str) -> list[dict | None]:
            replies = []
            for text in (CALCULUS[n % len(CALCULUS)], "/quiz chain-rule", "/answer A", LEARNING[n % len(LEARNING)]):
                hook = await self.send(http, user, text, [instances[next(turn) % len(instances)]])
                replies.append(await self.answered(hook))
            return replies

        results = [r for replies in await asyncio.gather(*(learner(n, u) for n, u in enumerate(users))) for r in replies]
        errors = [r.get("text", "")[:70] for r in results if r and r.get("response_type") == "ephemeral"]
        self.say(f"{label}: {len(results)} commands, {sum(r is not None for r in results)} answered"
                 + (f"; errors: {sorted(set(errors))}" if errors else ""))


def shell(command: str) -> None:
    subprocess.run(shlex.split(command), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def busy_child(worker: subprocess.Popen) -> int | None:
    """The worker's pool child using the most CPU right now (the one holding the slow job)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()

    def cpu(pid: str) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except OSError:
            return -1

    before = {pid: cpu(pid) for pid in children}
    time.sleep(0.3)
    gained = {pid: cpu(pid) - ticks for pid, ticks in before.items()}
    pid, most = max(gained.items(), key=lambda item: item[1], default=(None, 0))
    return int(pid) if pid is not None and most > 0 else None


async def run(args: argparse.Namespace, logs: Path) -> int:
    trial = Trial(args, logs)
    await trial.standin.start()
    users = [f"U{n:03d}" for n in range(args.users)]
    for user in users:
        trial.standin.add_user(user, user.lower())
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            for name in ("worker-1", "worker-2"):
                trial.start(name, "worker")
            for name in ("slack-1", "slack-2"):
                trial.start_instance(name)
            for name in ("slack-1", "slack-2"):
                await trial.ready(name, http)
            instances = ["slack-1", "slack-2"]
            trial.say(f"2 instances ready (ports {trial.ports['slack-1']}, {trial.ports['slack-2']}), "
                      f"2 workers on queue {trial.queue}")
            await trial.lesson_round(http, users, instances, "steady")

            # A load balancer's retry: the same request reaches both instances.
            copies = [await trial.send(http, user, "/derive x^3 cos x", instances) for user in users[:4]]
            await asyncio.sleep(3)
            counts = [len(trial.answers(h)) for h in copies]
            trial.say(f"duplicated requests (same trigger_id to both instances): answers per request {counts}")

            # 1. The database stopped under the running bot, then started again.
            shell(args.stop_db)
            trial.say(f"database stopped; /readyz: {await trial.readyz(http, 'slack-1')}")
            during = [await trial.send(http, users[0], "/derive x^4", ["slack-1"]),
                      await trial.send(http, users[1], "/progress", ["slack-2"]),
                      await trial.send(http, users[2], "/quiz chain-rule", ["slack-1"])]
            for hook in during:
                reply = await trial.answered(hook)
                kind = "error" if reply and reply.get("response_type") == "ephemeral" else "answer"
                trial.say(f"  during the outage {trial.sent[hook][1]!r}: {kind}: {(reply or {}).get('text', 'NONE')[:90]!r}")
            await asyncio.sleep(args.outage)
            shell(args.start_db)
            trial.say(f"database started again; /readyz: {await trial.readyz(http, 'slack-1')}")
            first = await trial.send(http, users[3], "/progress", ["slack-2"])
            reply = await trial.answered(first)
            trial.say(f"  first learning command after it: {'error' if reply and reply.get('response_type') == 'ephemeral' else 'answer'}: "
                      f"{(reply or {}).get('text', 'NONE')[:70]!r}")
            await trial.lesson_round(http, users, instances, "after the outage")

            # 2. A worker killed (SIGKILL, the whole process group) while it holds a slow job.
            slow = await trial.send(http, users[4 % len(users)], SLOW_JOB, ["slack-1"])
            victim = None
            for _ in range(40):
                await asyncio.sleep(0.25)
                for name in ("worker-1", "worker-2"):
                    if busy_child(trial.processes[name]) is not None:
                        victim = name
                        break
                if victim:
                    break
            if victim is None:
                trial.say("no worker was seen busy with the slow job (it may have finished): kill skipped")
            else:
                os.killpg(trial.processes[victim].pid, signal.SIGKILL)
                trial.say(f"killed {victim} (SIGKILL to its process group) while it held the slow job")
            started = time.monotonic()
            reply = await trial.answered(slow, within=60)
            trial.say(f"  the slow job's user got, {time.monotonic() - started:.1f} s after the kill: "
                      f"{(reply or {}).get('text', 'NOTHING')[:100]!r}")
            await trial.lesson_round(http, users, instances, "one worker left")
            if victim:
                trial.start(victim, "worker")
                trial.say(f"{victim} started again")

            # 3. A rolling restart: SIGTERM to one instance with an answer in flight, then started again.
            flight = await trial.send(http, users[5 % len(users)], SLOW_JOB.replace("order 6", "order 5"), ["slack-2"])
            await asyncio.sleep(0.3)
            trial.processes["slack-2"].send_signal(signal.SIGTERM)
            trial.say("SIGTERM to slack-2 with an answer in flight")
            reply = await trial.answered(flight, within=40)
            stopping = time.monotonic()
            code = await asyncio.get_running_loop().run_in_executor(None, trial.processes["slack-2"].wait, 60)
            trial.say(f"  slack-2 exited {code}, {time.monotonic() - stopping:.1f} s after its answer; the in-flight answer: {(reply or {}).get('text', 'NOTHING')[:80]!r}")
            await trial.lesson_round(http, users, ["slack-1"], "while slack-2 restarts")
            trial.start_instance("slack-2")
            await trial.ready("slack-2", http)
            trial.say("slack-2 ready again")
            await trial.lesson_round(http, users, instances, "both back")
            await asyncio.sleep(2)
            return await verdict(trial)
    finally:
        for process in trial.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in trial.processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        await trial.standin.stop()


async def verdict(trial: Trial) -> int:
    """Nothing lost: every request acknowledged, every action answered once, every answer stored."""
    import asyncpg

    unacked = [h for h, status in trial.statuses.items() if status != 200]
    unanswered = [trial.sent[h] for h in trial.sent if not trial.answers(h)]
    twice = [trial.sent[h] for h in trial.sent if len(trial.answers(h)) > 1]
    internal = [trial.sent[h] for h in trial.sent for body in trial.answers(h) if "internal" in body.get("text", "").lower()]
    url = trial.args.database.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(url)
    try:
        stored = dict(await connection.fetch(
            "SELECT u.platform_user_id, count(t.id) FROM users u JOIN tries t ON t.user_id = u.id "
            "WHERE NOT t.skipped GROUP BY u.platform_user_id"))
    finally:
        await connection.close()
    missing = {user: (acked, stored.get(user, 0)) for user, acked in trial.quiz_answers_acked.items()
               if stored.get(user, 0) < acked}
    trial.say(f"requests {len(trial.sent)}: not acknowledged {len(unacked)}, unanswered {len(unanswered)}, "
              f"answered twice {len(twice)}, internal errors {len(internal)}")
    trial.say(f"quiz answers acknowledged {sum(trial.quiz_answers_acked.values())}, tries stored "
              f"{sum(stored.values())}; users with a stored try missing: {missing or 'none'}")
    for problem in (unanswered, twice, internal):
        for user, text in problem[:5]:
            trial.say(f"  {user}: {text}")
    held = not unacked and not unanswered and not twice and not internal and not missing
    trial.say("NOTHING LOST" if held else "SOMETHING WAS LOST: see above and the logs")
    return 0 if held else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="the PostgreSQL the trial may stop and start")
    parser.add_argument("--stop-db", required=True, help="command that stops that database")
    parser.add_argument("--start-db", required=True, help="command that starts it again")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--outage", type=float, default=8.0, help="seconds the database stays down")
    parser.add_argument("--logs", help="directory for the processes' logs (default: a temporary one)")
    args = parser.parse_args()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="calcbot-trial-"))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"logs: {logs}")
    return asyncio.run(run(args, logs))


if __name__ == "__main__":
    sys.exit(main())
