"""One typed settings object, read from ``CALCBOT_*`` environment variables.

The defaults run the console bot on a SQLite file in the user's data directory with nothing set.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "calcbot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALCBOT_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # e.g. postgresql+asyncpg://user@host/db; default: SQLite in data_dir
    job_timeout: float = Field(default=5.0, gt=0, le=120)  # seconds of wall-clock per solver/plot job
    job_memory_mb: int = Field(default=1536, ge=256, le=65536)
    workers: int = Field(default_factory=lambda: max(2, os.cpu_count() or 2), ge=1, le=64)
    log_level: str = "WARNING"
    figures: bool = True  # attach pictures to calculus answers
    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None

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

    def resolved_database_url(self, db_path: str | None = None) -> str:
        if db_path:
            return f"sqlite+aiosqlite:///{Path(db_path).expanduser().resolve()}"
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'calcbot.db').resolve()}"
