"""Bot settings from the environment; the token never comes from a file in the repo."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str | None = None
    base_file_url: str | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    mode: str = "polling"  # or "webhook"
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_url: str | None = None
    webhook_secret: str | None = None
    question_log: str = "var/questions.db"
    reload_seconds: float = 5.0
    api_timeout: float = 10.0  # seconds for each Bot API call the handlers make (not long polling)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        admins = frozenset(
            int(x) for x in env.get("BOT_ADMIN_IDS", "").replace(" ", "").split(",") if x.isdigit()
        )
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", ""),
            base_url=env.get("TELEGRAM_BASE_URL") or None,
            base_file_url=env.get("TELEGRAM_BASE_FILE_URL") or None,
            admin_ids=admins,
            mode=env.get("BOT_MODE", "polling"),
            webhook_listen=env.get("WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(env.get("WEBHOOK_PORT", "8443")),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            question_log=env.get("QUESTION_LOG", "var/questions.db"),
            reload_seconds=float(env.get("KB_RELOAD_SECONDS", "5")),
            api_timeout=float(env.get("TELEGRAM_TIMEOUT", "10")),
        )

    def webhook_options(self) -> dict:
        """Keyword arguments for run_webhook / Updater.start_webhook: Telegram posts updates to
        `webhook_url` (behind a proxy), the bot listens on `webhook_listen:webhook_port` at the same path."""
        if not self.webhook_url:
            raise ValueError(
                "BOT_MODE=webhook needs WEBHOOK_URL (the public https address Telegram posts to)"
            )
        return {
            "listen": self.webhook_listen,
            "port": self.webhook_port,
            "url_path": urlsplit(self.webhook_url).path.lstrip("/"),
            "webhook_url": self.webhook_url,
            "secret_token": self.webhook_secret,
        }
