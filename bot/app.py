"""All wiring in one place: build_app() and run()."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import articles_admin, handlers, review
from bot.config import Settings
from engine import Engine
from engine.questionlog import QuestionLog

log = logging.getLogger(__name__)


async def _watch_fact_base(app: Application) -> None:
    """Pick up a fact base rebuilt by scripts/build_kb.py, without a restart."""
    engine: Engine = app.bot_data["engine"]
    seconds = app.bot_data["settings"].reload_seconds
    while True:
        await asyncio.sleep(seconds)
        if await asyncio.to_thread(engine.reload):
            log.info("fact base reloaded from %s", engine.db_path)


async def _post_init(app: Application) -> None:
    app.bot_data["watcher"] = asyncio.create_task(_watch_fact_base(app))


async def _post_shutdown(app: Application) -> None:
    task = app.bot_data.get("watcher")
    if task:
        task.cancel()


def build_app(settings: Settings, engine: Engine | None = None, *, rate_limit: bool = True) -> Application:
    """The Telegram application with every handler wired to the engine."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .connect_timeout(settings.api_timeout)
        .read_timeout(settings.api_timeout)
        .write_timeout(settings.api_timeout)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter())
    app = builder.build()
    app.bot_data["engine"] = engine or Engine()
    app.bot_data["settings"] = settings
    app.bot_data["questions"] = QuestionLog(settings.question_log)
    app.bot_data["rebuild_lock"] = asyncio.Lock()
    app.add_handler(CommandHandler(["start", "help"], handlers.start))
    app.add_handler(CommandHandler("topics", handlers.topics))
    app.add_handler(CommandHandler("source", handlers.source))
    app.add_handler(CommandHandler("ask", handlers.ask))
    app.add_handler(CommandHandler("reload", handlers.reload))
    app.add_handler(CommandHandler("stats", handlers.stats))
    app.add_handler(CallbackQueryHandler(handlers.choose, pattern=r"^alt:\d+$"))
    app.add_handler(InlineQueryHandler(handlers.inline))
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, handlers.question)
    )
    app.add_handler(MessageHandler(~filters.TEXT & filters.UpdateType.MESSAGE, handlers.unreadable))
    articles_admin.register(app)  # documents, /articles, /remove (group -1: before the handlers above)
    review.register(app)  # /review and its buttons
    app.add_error_handler(handlers.on_error)
    return app


def run(engine: Engine, settings: Settings | None = None) -> int:
    """Run until interrupted: long polling, or a webhook when BOT_MODE=webhook. Exit 1 with a clear
    message when the token is refused or the Bot API cannot be reached at start."""
    settings = settings or Settings.from_env()
    app = build_app(settings, engine)
    try:
        if settings.mode == "webhook":
            app.run_webhook(**settings.webhook_options(), allowed_updates=Update.ALL_TYPES)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        log.error("Telegram refused TELEGRAM_BOT_TOKEN; check the token (from @BotFather).")
        return 1
    except (NetworkError, ValueError) as exc:
        log.error("The bot could not start: %s (Bot API: %s)", exc, settings.base_url or "api.telegram.org")
        return 1
    return 0
