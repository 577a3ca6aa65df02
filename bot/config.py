"""Typed settings from the environment and `.env`: the only place that reads them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Framework(StrEnum):
    """Which Telegram library carries the bot."""

    AIOGRAM = "aiogram"
    PTB = "ptb"


class Settings(BaseSettings):
    """Every setting Mend reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    # Fernet keys for what people write, comma-separated, the newest first.
    data_key: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    bot_framework: Framework = Framework.AIOGRAM
    data_dir: Path = Path("data")
    database_url: str | None = None
    default_locale: str = "en"
    log_level: str = "INFO"
    poll_timeout: int = Field(default=25, ge=0, le=50)
    send_rate: float = Field(default=30.0, gt=0)
    send_chat_rate: float = Field(default=1.0, gt=0)
    send_group_per_minute: float = Field(default=20.0, gt=0)
    send_max_attempts: int = Field(default=8, ge=1)
    send_in_flight: int = Field(default=32, ge=1, le=256)
    send_timeout: float = Field(default=10.0, gt=0)
    sweep_seconds: float = Field(default=5.0, gt=0)
    invite_days: int = Field(default=7, ge=1, le=90)
    console_start: datetime | None = None

    def data_keys(self) -> str | None:
        """DATA_KEY's value, if it is set."""
        return self.data_key.get_secret_value() if self.data_key else None

    def resolved_database_url(self) -> str:
        """The database to use: `DATABASE_URL`, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'mend.db').resolve()}"
