"""One handler per action, each thin over the engine (context.bot_data["engine"])."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import ContextTypes

from bot import admin
from bot.format import answer_html, card_html, fit, source_html
from engine import Answer, Engine
from engine.questionlog import QuestionLog

log = logging.getLogger(__name__)
ADMINS_ONLY = "只有管理员可以这样做。 (Admins only.)"

HELP = (
    "我回答报纸文章里洛阳、汝阳、沁阳、焦作、周口、沁县等地扶贫和民生项目的问题，给出数字、地点、年份和原文出处。\n"
    "I answer questions about the poverty-alleviation and livelihood programmes in those articles.\n\n"
    "例子 Examples:\n• 汝阳县还有多少贫困人口没有脱贫？\n• 洛阳储备肉在哪里买？\n• 沁县有多少名驻村第一书记？\n"
    "• How many poor villages does Ruyang have?\n然后可以问“那沁阳呢”。 Follow up with “what about Qinyang?”.\n\n"
    "/source 原文出处 · /topics 覆盖范围 · /ask 问题（群聊里用）"
)


def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.bot_data["settings"].admin_ids)


async def _reply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    chat = update.effective_chat
    ans: Answer = _engine(context).ask(question, session=str(chat.id))
    qlog: QuestionLog = context.bot_data["questions"]
    await asyncio.to_thread(
        qlog.record, str(chat.id), question, ans.found, ans.intent, ans.place, confidence=ans.confidence
    )
    if ans.found:
        context.chat_data["last"] = ans
    markup = None
    if ans.alternatives:
        context.chat_data["alternatives"] = [a.question for a in ans.alternatives]
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(a.label, callback_data=f"alt:{i}")]
                for i, a in enumerate(ans.alternatives)
            ]
        )
    await update.effective_message.reply_text(
        answer_html(ans), parse_mode=ParseMode.HTML, reply_markup=markup
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user and show example questions."""
    await update.effective_message.reply_text(HELP)


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the places and articles the fact base covers."""
    t = _engine(context).topics()
    text = (
        "地区 Places: "
        + "、".join(t["places"])
        + "\n\n文章 Articles:\n"
        + "\n".join(f"• {s}" for s in t["subjects"])
    )
    await update.effective_message.reply_text(fit(text))


def addressed_text(msg: Message, bot_id: int, username: str) -> str | None:
    """The question in a group message meant for the bot (it mentions the bot or replies to it), else None."""
    text = msg.text or ""
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
    mentioned = bool(mention and mention.search(text))
    replied = (
        msg.reply_to_message
        and msg.reply_to_message.from_user
        and msg.reply_to_message.from_user.id == bot_id
    )
    if not mentioned and not replied:
        return None
    return mention.sub(" ", text).strip() if mention else text


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a plain text message (in groups only when the bot is mentioned or replied to)."""
    msg = update.effective_message
    text = msg.text or ""
    if update.effective_chat.type != ChatType.PRIVATE:
        text = addressed_text(msg, context.bot.id, context.bot.username or "")
        if text is None:
            return
    await _reply_answer(update, context, text)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question>: the way to ask in a group."""
    await _reply_answer(update, context, " ".join(context.args or []))


async def source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the full quote and article of this chat's last answer."""
    await update.effective_message.reply_text(
        source_html(context.chat_data.get("last")), parse_mode=ParseMode.HTML
    )


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "did you mean" button: answer the reading the user picked."""
    cq = update.callback_query
    await cq.answer()
    options = context.chat_data.get("alternatives", [])
    try:
        picked = options[int((cq.data or "").split(":", 1)[1])]
    except (IndexError, ValueError):
        await cq.message.reply_text(
            "这个选项已过期，请重新提问。 (That choice has expired; please ask again.)"
        )
        return
    await _reply_answer(update, context, picked)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline mode (@bot 问题): offer the answer as a fact card to drop into any chat."""
    query = update.inline_query.query.strip()
    if not query:
        return
    ans = _engine(context).ask(query)
    if not ans.found:
        await update.inline_query.answer([], cache_time=5)
        return
    result = InlineQueryResultArticle(
        id=uuid.uuid4().hex,
        title=fit(ans.text.split("\n", 1)[0], 60),
        description=(fit(ans.sources[0].quote, 100) if ans.sources else None),
        input_message_content=InputTextMessageContent(card_html(ans), parse_mode=ParseMode.HTML),
    )
    await update.inline_query.answer([result], cache_time=30)


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: rebuild the fact base from the articles with scripts/build_kb.py, then serve it."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(ADMINS_ONLY)
        return
    lock: asyncio.Lock = context.bot_data.setdefault("rebuild_lock", asyncio.Lock())
    if lock.locked():
        await update.effective_message.reply_text("正在重建，请稍候。 (A rebuild is already running.)")
        return
    async with lock:
        _ok, report = await admin.rebuild(_engine(context))
    await update.effective_message.reply_text(fit(report))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: questions asked, answered and unanswered."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(ADMINS_ONLY)
        return
    s = await asyncio.to_thread(context.bot_data["questions"].stats)
    top = await asyncio.to_thread(context.bot_data["questions"].unanswered, 5)
    lines = [f"Asked {s['asked']}, answered {s['answered']}, unanswered {s['unanswered']}."]
    lines += [f"• {r['text']} (×{r['times']})" for r in top]
    await update.effective_message.reply_text(fit("\n".join(lines)))


async def unreadable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo or other message with no text: ask for words."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text(_engine(context).intents.replies["zh"]["unreadable"])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception and tell the user something went wrong; the bot keeps running."""
    log.error("update %r failed", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text(
                "抱歉，出了点问题，请稍后再试。 (Sorry, something went wrong.)"
            )
        except Exception:  # noqa: BLE001 - the error reply itself failed (e.g. Bot API down); logged above
            log.warning("could not tell the user about the error")
