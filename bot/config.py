"""Typed settings from the environment and `.env`: the only place that reads them."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Framework(StrEnum):
    """Which Telegram library carries the bot."""

    AIOGRAM = "aiogram"
    PTB = "ptb"


SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Mode(StrEnum):
    """How updates reach the bot."""

    POLLING = "polling"
    WEBHOOK = "webhook"


class Settings(BaseSettings):
    """Every setting Mend reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    # Keys (Fernet's format) sealing what people write, comma-separated, the newest first.
    data_key: SecretStr | None = None
    # How new values are sealed: aes-gcm-siv, or fernet while workers older than 2026-11-26 run.
    data_seal: Literal["aes-gcm-siv", "fernet"] = "aes-gcm-siv"
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
    mode: Mode = Mode.POLLING
    # The public HTTPS address Telegram posts updates to; its path is the one served.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Where the HTTP server (webhook, /healthz, /metrics) listens, behind the reverse proxy.
    # In polling mode it runs only when HTTP_PORT is set.
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(default=None, ge=0, le=65535)
    # How often, in seconds, a worker that does not lead tries to take over the sweep.
    leader_retry: float = Field(default=1.0, gt=0, le=60)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's own rule for secret_token; checked here so a bad one fails at start.
        if value is not None and not SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters: A-Z, a-z, 0-9, _ or -")
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.mode is Mode.WEBHOOK:
            if not self.webhook_url or not self.webhook_url.startswith("https://"):
                raise ValueError("MODE=webhook needs WEBHOOK_URL, an https:// address")
            if self.webhook_secret is None:
                raise ValueError("MODE=webhook needs WEBHOOK_SECRET")
        return self

    def webhook_path(self) -> str:
        """The path the webhook is served at: WEBHOOK_URL's."""
        return urlsplit(self.webhook_url or "").path or "/"

    def data_keys(self) -> str | None:
        """DATA_KEY's value, if it is set."""
        return self.data_key.get_secret_value() if self.data_key else None

    def resolved_database_url(self) -> str:
        """The database to use: `DATABASE_URL`, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'mend.db').resolve()}"
