"""Bot settings from the environment, checked at start; the token never comes from a file in the repo.

`Settings.from_env()` raises ConfigError with one line naming the variable, the value and what is
allowed; `python -m bot` prints that line and exits 2 (see USAGE, also `python -m bot --help`).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

MODES = ("polling", "webhook")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TOKEN = re.compile(r"^\d+:[\w-]+$")

USAGE = """\
usage: python -m bot [--help]

The programme bot. With TELEGRAM_BOT_TOKEN set it runs the Telegram bot (long polling, or a webhook
with BOT_MODE=webhook); without it, a console chat on the same engine. Settings come from the
environment (see .env.example); a bad value stops the bot at start with one line saying why (exit 2).

  TELEGRAM_BOT_TOKEN        bot token from @BotFather (none: console chat)
  TELEGRAM_BASE_URL         another Bot API server, e.g. http://127.0.0.1:8081/bot
  TELEGRAM_BASE_FILE_URL    its file URL
  TELEGRAM_TIMEOUT          seconds for each Bot API call (default 10)
  BOT_ADMIN_IDS             comma-separated numeric Telegram user ids allowed /reload and /stats
  BOT_MODE                  polling (default) or webhook
  WEBHOOK_URL               public https address Telegram posts to (needed for webhook)
  WEBHOOK_LISTEN            address the webhook listens on (default 127.0.0.1)
  WEBHOOK_PORT              port it listens on (default 8443)
  WEBHOOK_SECRET            secret token Telegram must send with every post
  KB_DB, KB_ARTICLES        fact base file (kb/facts.db) and articles folder (kb/articles)
  KB_RELOAD_SECONDS         how often to look for a rebuilt fact base (default 5)
  QUESTION_LOG              question log (default var/questions.db)
  BOT_STATE                 the bot's own state: inbox, answers for /source (default bot.db beside it)
  LOG_LEVEL                 DEBUG, INFO (default), WARNING, ERROR or CRITICAL
"""


class ConfigError(ValueError):
    """A setting in the environment that cannot be used; the message is one line for the operator."""


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
    state_db: str | None = None  # default: bot.db beside the question log
    reload_seconds: float = 5.0
    api_timeout: float = 10.0  # seconds for each Bot API call the handlers make (not long polling)
    log_level: str = "INFO"

    @property
    def state_path(self) -> Path:
        """The SQLite file of the bot's own state (inbox of updates, answers given)."""
        return Path(self.state_db) if self.state_db else Path(self.question_log).with_name("bot.db")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Settings from the environment; ConfigError (one line) on the first value that is wrong."""
        env = dict(os.environ if env is None else env)

        def get(name: str, default: str = "") -> str:
            return env.get(name, default).strip()

        token = get("TELEGRAM_BOT_TOKEN")
        if token and not _TOKEN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, from @BotFather)"
            )
        mode = get("BOT_MODE", "polling") or "polling"
        if mode not in MODES:
            raise ConfigError(f"BOT_MODE={mode!r} is not a mode; use one of: {', '.join(MODES)}")
        level = get("LOG_LEVEL", "INFO") or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL={level!r} is not a level; use one of: {', '.join(LOG_LEVELS)}")
        settings = cls(
            token=token,
            base_url=_url(env, "TELEGRAM_BASE_URL"),
            base_file_url=_url(env, "TELEGRAM_BASE_FILE_URL"),
            admin_ids=_admin_ids(get("BOT_ADMIN_IDS")),
            mode=mode,
            webhook_listen=get("WEBHOOK_LISTEN", "127.0.0.1") or "127.0.0.1",
            webhook_port=_port(get("WEBHOOK_PORT", "8443") or "8443"),
            webhook_url=_url(env, "WEBHOOK_URL"),
            webhook_secret=get("WEBHOOK_SECRET") or None,
            question_log=get("QUESTION_LOG", "var/questions.db") or "var/questions.db",
            state_db=get("BOT_STATE") or None,
            reload_seconds=_seconds(env, "KB_RELOAD_SECONDS", 5.0),
            api_timeout=_seconds(env, "TELEGRAM_TIMEOUT", 10.0),
            log_level=level,
        )
        if settings.webhook_secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", settings.webhook_secret):
            raise ConfigError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters)")
        if token and mode == "webhook" and not settings.webhook_url:
            raise ConfigError(
                "BOT_MODE=webhook needs WEBHOOK_URL (the public https address Telegram posts to)"
            )
        return settings

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


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        if not re.fullmatch(r"\d{1,20}", item):
            raise ConfigError(
                f"BOT_ADMIN_IDS: {item!r} is not a numeric Telegram user id (usernames cannot be used; "
                "ask @userinfobot for the id)"
            )
        ids.add(int(item))
    return frozenset(ids)


def _port(raw: str) -> int:
    if not re.fullmatch(r"\d{1,5}", raw) or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"WEBHOOK_PORT={raw!r} is not a port number (1-65535)")
    return int(raw)


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds above 0")
    return value


def _url(env: dict[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={raw!r} is not an http(s) address")
    return raw
