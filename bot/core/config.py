"""One typed settings object, read from ``CALCBOT_*`` environment variables.

The defaults run the console bot on a SQLite file in the user's data directory with nothing set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "calcbot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALCBOT_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # e.g. postgresql+asyncpg://user@host/db; default: SQLite in data_dir
    job_timeout: float = Field(default=5.0, gt=0, le=120)  # seconds of wall-clock per solver/plot job
    job_memory_mb: int = Field(default=1536, ge=256, le=65536)
    # Where CPU-heavy jobs run: "local" (this process's own pool, the default) or "queue" (queue
    # workers started with `calcbot worker`, reached through broker_url). A number here is read as
    # "local" with that many processes, as before the worker tier existed.
    workers: str = "local"
    worker_processes: int | None = Field(default=None, ge=1, le=64)  # default: CPU count (≥ 2)
    broker_url: str | None = None  # amqp://guest:guest@127.0.0.1:5672// or redis://127.0.0.1:6379/0
    queue_name: str = Field(default="calcbot", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    log_level: str = "WARNING"
    log_format: Literal["text", "json"] = "text"  # json: one object a line, with an internal error's incident id
    figures: bool = True  # attach pictures to calculus answers
    # Per-user limits protect the shared platforms; unset, Discord and Slack use 30/min and 2 in
    # flight, and the console (the user's own machine) has none.
    rate_per_minute: int | None = Field(default=None, ge=1, le=10000)
    in_flight: int | None = Field(default=None, ge=1, le=100)
    # Several instances, one bot: where they share "seen this event" and the per-user limits.
    # "auto": Redis when CALCBOT_REDIS_URL is set, else the database when it is PostgreSQL, else this
    # process's memory (one process on SQLite); "shared" forces the database/Redis, "memory" this process.
    limits: Literal["auto", "shared", "memory"] = "auto"
    redis_url: str | None = None  # e.g. redis://localhost:6379/0
    health_port: int | None = Field(default=None, ge=0, le=65535)  # /healthz, /readyz, /metrics
    drain_seconds: float = Field(default=20.0, ge=0, le=600)  # SIGTERM: time given to answers in flight
    # Platform settings: the platforms' own variable names, with CALCBOT_-prefixed aliases.
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "CALCBOT_DISCORD_TOKEN"))
    discord_guild_id: int | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_GUILD_ID", "CALCBOT_DISCORD_GUILD_ID"))
    discord_api_url: str = "https://discord.com/api/v10"
    shard_ids: str | None = None  # e.g. "0,1" — this process's shards, of shard_count
    shard_count: int | None = Field(default=None, ge=1, le=10000)
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "CALCBOT_SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "CALCBOT_SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "CALCBOT_SLACK_SIGNING_SECRET"))
    slack_api_url: str = "https://slack.com/api/"

    @field_validator("workers", mode="before")
    @classmethod
    def _known_workers(cls, value: object) -> str:
        value = str(value).strip().lower()  # Settings(workers=2), as before the tier existed
        if value in ("local", "queue") or (value.isdigit() and 1 <= int(value) <= 64):
            return value
        raise ValueError('must be "local", "queue" or a number of local worker processes (1–64)')

    @field_validator("broker_url")
    @classmethod
    def _known_broker(cls, url: str | None) -> str | None:
        if url and not url.startswith(("amqp://", "amqps://", "pyamqp://", "redis://", "rediss://")):
            raise ValueError("must be a RabbitMQ amqp:// or a Redis redis:// URL")
        return url

    @model_validator(mode="after")
    def _queue_has_broker(self) -> Settings:
        if self.workers == "queue" and not self.broker_url:
            raise ValueError("CALCBOT_WORKERS=queue needs CALCBOT_BROKER_URL "
                             "(amqp://guest:guest@127.0.0.1:5672// or redis://127.0.0.1:6379/0)")
        return self

    @property
    def pool_size(self) -> int:
        """Processes in the local pool, and the default concurrency of `calcbot worker`."""
        if self.worker_processes:
            return self.worker_processes
        if self.workers.isdigit():
            return int(self.workers)
        return max(2, os.cpu_count() or 2)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, url: str | None) -> str | None:
        if url and not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://", "postgresql://", "sqlite://")):
            raise ValueError("CALCBOT_DATABASE_URL must be a sqlite+aiosqlite:// or postgresql+asyncpg:// URL")
        if url and url.startswith("postgresql://"):
            url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
        if url and url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
            url = "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
        return url

    def shares_limits(self, database_url: str) -> bool:
        """Whether per-user limits are kept where every instance sees them (Redis or the database)."""
        if self.limits != "auto":
            return self.limits == "shared"
        return self.redis_url is not None or database_url.startswith("postgresql")

    def resolved_database_url(self, db_path: str | None = None) -> str:
        if db_path:
            return f"sqlite+aiosqlite:///{Path(db_path).expanduser().resolve()}"
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'calcbot.db').resolve()}"
