"""A real `python -m bot discord` process pointed at the stand-in, on a SQLite file the test chooses."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.discord.standin import GUILD_ID, TOKEN, DiscordStandIn

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, standin: DiscordStandIn, db: Path, data_dir: Path, log: Path):
        self.standin = standin
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_ID": GUILD_ID,
                    "CALCBOT_DISCORD_API_URL": standin.api_url, "CALCBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
                    "CALCBOT_DATA_DIR": str(data_dir), "CALCBOT_WORKERS": "1", "CALCBOT_LOG_LEVEL": "INFO"}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 90.0) -> None:
        """Start the process and wait until it has identified on the gateway and is ready."""
        identified = len(self.standin.identifies)
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "discord", cwd=ROOT, env=self.env, stdin=asyncio.subprocess.DEVNULL,
                stdout=log, stderr=log)
        await self.standin.wait_for(lambda: len(self.standin.identifies) > identified or self._ended(), timeout)
        assert not self._ended(), f"the bot process ended: {self.log.read_text()[-3000:]}"
        await self.standin.ready(timeout)

    def _ended(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        await self.standin.wait_for(lambda: not self.standin.sockets, 20)
