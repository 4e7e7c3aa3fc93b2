"""All wiring in one place: build_app() and run()."""

from __future__ import annotations

import asyncio
import gc
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

from bot import admin, articles_admin, handlers, review
from bot.config import Settings
from bot.delivery import ChatOrderedProcessor, InboxQueue, replay_pending
from bot.store import BotStore
from engine import Engine
from engine.questionlog import QuestionLog

log = logging.getLogger(__name__)


PRUNE_SECONDS = 3600.0


def freeze_libraries() -> None:
    """Load the libraries' big tables (jieba's dictionary, pypinyin, OpenCC, telegram) and move every
    object alive now out of the garbage collector's sight (gc.freeze): they live as long as the
    process, and a full collection no longer walks them (about 130 ms -> 3 ms with the shipped
    articles, 45 ms at 100), a pause every chat would feel. Call before the Engine is made: the fact
    base must stay collectable, since a reload replaces it."""
    import jieba

    jieba.initialize()
    gc.collect()
    gc.freeze()


async def _watch_fact_base(app: Application) -> None:
    """Pick up a fact base rebuilt by scripts/build_kb.py, without a restart; once an hour, forget
    old records in the bot's state file."""
    engine: Engine = app.bot_data["engine"]
    store: BotStore = app.bot_data["store"]
    seconds = app.bot_data["settings"].reload_seconds
    pruned = asyncio.get_running_loop().time()
    while True:
        await asyncio.sleep(seconds)
        if await asyncio.to_thread(admin.reload_quietly, engine):
            log.info("fact base reloaded from %s", engine.db_path)
        if asyncio.get_running_loop().time() - pruned > PRUNE_SECONDS:
            pruned = asyncio.get_running_loop().time()
            try:
                await store.run(store.prune)
            except Exception:  # noqa: BLE001 - a locked or full disk: try again in an hour
                log.exception("could not prune %s", store.path)


async def startup(app: Application) -> None:
    """After initialize, before updates flow: the command menu, the fact-base watcher, and the
    updates recorded but never answered before the last stop (answered first, in their order)."""
    store: BotStore = app.bot_data["store"]
    await store.run(store.prune)
    await handlers.set_commands(app.bot, app.bot_data["settings"].admin_ids)
    await replay_pending(app, store)
    app.bot_data["watcher"] = asyncio.create_task(_watch_fact_base(app))


async def _post_shutdown(app: Application) -> None:
    task = app.bot_data.get("watcher")
    if task:
        task.cancel()
    app.bot_data["store"].close()


def build_app(settings: Settings, engine: Engine | None = None, *, rate_limit: bool = True) -> Application:
    """The Telegram application with every handler wired to the engine."""
    store = BotStore(settings.state_path)
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .update_queue(InboxQueue(store))
        .concurrent_updates(ChatOrderedProcessor(store))
        .post_init(startup)
        .post_shutdown(_post_shutdown)
        .connect_timeout(settings.api_timeout)
        .read_timeout(settings.api_timeout)
        .write_timeout(settings.api_timeout)
        .pool_timeout(settings.api_timeout)
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
    app.bot_data["store"] = store
    app.bot_data["questions"] = QuestionLog(settings.question_log)
    app.bot_data["rebuild_lock"] = asyncio.Lock()
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["start", "help"], handlers.start, filters=new))
    app.add_handler(CommandHandler("topics", handlers.topics, filters=new))
    app.add_handler(CommandHandler("source", handlers.source, filters=new))
    app.add_handler(CommandHandler("ask", handlers.ask, filters=new))
    app.add_handler(CommandHandler("reload", handlers.reload, filters=new))
    app.add_handler(CommandHandler("stats", handlers.stats, filters=new))
    app.add_handler(MessageHandler(filters.COMMAND & private & new, handlers.unknown_command))
    app.add_handler(CallbackQueryHandler(handlers.choose))
    app.add_handler(InlineQueryHandler(handlers.inline))
    words = (filters.TEXT & ~filters.COMMAND) | filters.CAPTION
    app.add_handler(MessageHandler(words & (new | filters.UpdateType.EDITED_MESSAGE), handlers.question))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.CAPTION & new, handlers.unreadable))
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
            app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=5)  # ~15 s of blips at start
    except InvalidToken:
        log.error("Telegram refused TELEGRAM_BOT_TOKEN; check the token (from @BotFather).")
        return 1
    except (NetworkError, ValueError) as exc:
        log.error("The bot could not start: %s (Bot API: %s)", exc, settings.base_url or "api.telegram.org")
        return 1
    return 0
