"""One handler per action, each thin over the engine (context.bot_data["engine"]).

Follow-up context is per (chat, user): session f"{chat}:{user}". Each answer the bot sends also gets
the context it was given in, under a session of its own (f"m:{chat}:{message id}"), so a reply to
that message follows up that answer, whoever replies and whatever was asked since. The engine runs
on a worker thread (asyncio.to_thread): a slow question never holds up the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from dataclasses import replace

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import admin
from bot.format import (
    answer_messages,
    button_label,
    card_html,
    clip_echo,
    fit,
    source_messages,
    text_messages,
)
from bot.store import LOGGED, BotStore
from engine import Answer, Engine
from engine.normalize import MAX_QUESTION
from engine.questionlog import QuestionLog

log = logging.getLogger(__name__)

ADMINS_ONLY = "只有管理员可以这样做。 (Admins only.)"
ADMIN_IN_PRIVATE = "管理命令只能在与我的私聊中使用。 (Admin commands work only in a private chat with me.)"
EXPIRED = "这个选项已过期，请重新提问。 (That choice has expired; please ask again.)"
SORRY = "抱歉，出了点问题，请稍后再试。 (Sorry, something went wrong.)"
REBUILDING = "正在重建，请稍候。 (A rebuild is already running.)"
GONE = {
    "zh": "这个数字已不在文章里了（文章已更新），请重新提问。",
    "en": "That figure is no longer in the articles (they have been updated); please ask again.",
}
NOT_FOUND_PINNED = {
    "zh": "抱歉，没有找到“{text}”的答案。",
    "en": "Sorry, the articles do not answer “{text}”.",
}
SMALLTALK = frozenset({"greeting", "help", "thanks", "goodbye"})
NOT_LOGGED = SMALLTALK | {"empty", "unreadable"}  # not questions: never counted as unanswered
BOT_SIDE = ("empty", "too_long", "unreadable")  # replies the bot words in the user's language
MAX_BUTTONS = 3
_PINNED = re.compile(r"^\s*#s\d{1,9}\s*$")
_CARD = re.compile(r"^f:(zh|en):([0-9a-f]{16}(?::\d{1,4}-\d{1,4})?)$")  # a figure's key, or a clause's
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

HELP = (
    "我回答报纸文章里洛阳、汝阳、沁阳、焦作、周口、沁县等地扶贫和民生项目的问题，给出数字、地点、年份和原文出处。\n"
    "I answer questions about the poverty-alleviation and livelihood programmes in those articles.\n\n"
    "例子 Examples:\n• 汝阳县未脱贫人口有多少？\n• 洛阳储备肉在哪里买？\n• 沁县有多少名驻村第一书记？\n"
    "• How many poor villages does Ruyang have?\n然后可以问“那沁阳呢”。 Follow up with “what about Qinyang?”.\n"
    "回复我的某个回答，就是接着那个回答问。 Reply to one of my answers to follow that one up.\n\n"
    "/source 原文出处 · /topics 覆盖范围 · /ask 问题（群聊里用）"
)
HELP_EN = (
    "I answer questions about the poverty-alleviation and livelihood programmes reported in newspaper "
    "articles from Luoyang, Ruyang, Qinyang, Jiaozuo, Zhoukou and Qin County: the figure, its place and "
    "year, and the sentence and article it comes from.\n\n"
    "Examples:\n• How many poor villages does Ruyang have?\n"
    "• How many poor people are still not out of poverty in Ruyang?\n"
    "• How many ecological forest rangers does Zhoukou have?\n"
    "Then follow up with “what about Qinyang?”. Reply to one of my answers to follow that one up. "
    "Questions in Chinese work too (汝阳县未脱贫人口有多少？).\n\n"
    "/source the whole sentence and article · /topics places and articles · /ask question (in groups)"
)
# what the bot itself says, by the user's language: the Chinese texts carry their English in brackets
# (a Chinese app may be read by anyone), the English ones are English only
SAID = {
    "zh": {
        "admins_only": ADMINS_ONLY,
        "admin_in_private": ADMIN_IN_PRIVATE,
        "expired": EXPIRED,
        "sorry": SORRY,
        "rebuilding": REBUILDING,
        "help": HELP,
    },
    "en": {
        "admins_only": "Only admins can do that.",
        "admin_in_private": "Admin commands work only in a private chat with me.",
        "expired": "That choice has expired; please ask again.",
        "sorry": "Sorry, something went wrong; please try again later.",
        "rebuilding": "A rebuild is already running; please wait.",
        "help": HELP_EN,
    },
}

COMMANDS = {
    "zh": [
        ("ask", "提问（群聊里用：/ask 问题）"),
        ("source", "上一个回答的完整原文和出处"),
        ("topics", "覆盖的地区和文章"),
        ("help", "怎么用，例子"),
    ],
    "en": [
        ("ask", "ask a question (in groups: /ask question)"),
        ("source", "the whole sentence and article of the last answer"),
        ("topics", "places and articles covered"),
        ("help", "how to use me, examples"),
    ],
}
ADMIN_COMMANDS = {
    "zh": [("reload", "从文章重建资料库"), ("stats", "提问统计和未回答的问题")],
    "en": [
        ("reload", "rebuild the fact base from the articles"),
        ("stats", "questions asked and unanswered"),
    ],
}


# ---- helpers -----------------------------------------------------------------------------------
def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def _store(context: ContextTypes.DEFAULT_TYPE) -> BotStore:
    return context.bot_data["store"]


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.bot_data["settings"].admin_ids)


def language(text: str | None, update: Update | None = None) -> str:
    """The user's language: the script most of what they wrote is in (an English question may name a
    place in characters), else their Telegram app's language."""
    text = text or ""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    if cjk or latin:
        return "en" if latin > 2 * cjk else "zh"
    code = (update.effective_user.language_code or "") if update and update.effective_user else ""
    return "en" if code.startswith("en") else "zh"


def session_of(chat_id: int, user_id: int | None) -> str:
    """The follow-up context of one user in one chat."""
    return f"{chat_id}:{user_id if user_id is not None else chat_id}"


def message_session(chat_id: int, message_id: int) -> str:
    """The follow-up context an answer was given in."""
    return f"m:{chat_id}:{message_id}"


def bot_side(ans: Answer, question: str, engine: Engine, lang: str) -> Answer:
    """The engine's answer as the bot sends it: the replies the bot words itself (empty, too long,
    unreadable) in the user's language, and never more than ECHO_LIMIT characters of the question
    quoted back."""
    replies = engine.intents.replies
    if ans.intent in BOT_SIDE and lang in replies and ans.lang != lang:
        text = replies[lang][ans.intent].format(limit=MAX_QUESTION)
        ans = Answer(False, text, ans.intent, lang=lang)
    if not ans.found:
        clipped = clip_echo(ans.text)
        if clipped != ans.text:
            ans = replace(ans, text=clipped)
    return ans


def reply_messages(ans: Answer) -> list[str]:
    """The HTML messages the bot sends for an answer (already through bot_side)."""
    return answer_messages(ans)


def buttons(ans: Answer) -> InlineKeyboardMarkup | None:
    """ "Did you mean" buttons: one per fact (callback data names the fact by its content key), no
    two alike, labels cut after a whole word."""
    rows, keys, labels = [], set(), set()
    for alt in ans.alternatives:
        if not alt.key or alt.key in keys:
            continue
        label = button_label(alt.label, lang=ans.lang)
        if label in labels:
            continue
        keys.add(alt.key)
        labels.add(label)
        rows.append([InlineKeyboardButton(label, callback_data=f"f:{ans.lang}:{alt.key}")])
        if len(rows) == MAX_BUTTONS:
            break
    return InlineKeyboardMarkup(rows) if rows else None


async def _send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    ans: Answer,
    *,
    session: str | None,
    target: Message | None = None,
    logging_done: asyncio.Task | None = None,
) -> None:
    """Send an answer (split into messages when long, buttons under the last) and remember it per
    message: its context for replies to it, and the answer itself for /source (also after a restart).
    `logging_done`: the question being written to the question log meanwhile; the update is marked
    done only once that is written too."""
    target = target or update.effective_message
    chat = target.chat_id
    messages = reply_messages(ans)
    markup = buttons(ans)
    sent: list[Message] = []
    try:
        for n, text in enumerate(messages):
            last = n == len(messages) - 1
            sent.append(
                await target.reply_text(
                    text, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
                )
            )
    finally:
        if logging_done is not None:
            await logging_done
    mids = [m.message_id for m in sent if m]
    own = message_session(chat, mids[0]) if mids and session else None
    if own and not _engine(context).fork_session(session, own):
        own = None
    user = update.effective_user.id if update.effective_user else None
    store = _store(context)
    await store.run(store.answered, update.update_id, chat, user, mids, own, ans)


async def _reply_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, *, replied: Message | None = None
) -> None:
    """Answer `question`; `replied`: the bot's message it replies to, whose answer it follows up."""
    chat = update.effective_chat
    user = update.effective_user
    engine = _engine(context)
    store = _store(context)
    lang = language(question, update)
    session = session_of(chat.id, user.id if user else None)
    if _PINNED.match(question or "") and not _is_admin(update, context):  # a debugging aid for admins
        text = NOT_FOUND_PINNED[lang].format(text=question.strip()[:20])
        await _send(update, context, Answer(False, text, "unknown", lang=lang), session=None)
        return
    if replied is not None:  # follow up exactly that answer, whatever this user asked since
        entry = await store.run(store.answer, chat.id, replied.message_id)
        if entry and entry[0]:
            engine.fork_session(entry[0], session)
        else:  # a message with no context kept (e.g. from before a restart): follow up nothing
            engine.reset(session)
    ans: Answer = await asyncio.to_thread(engine.ask, question, session)
    ans = bot_side(ans, question, engine, lang)
    logging_done = None
    if ans.intent not in NOT_LOGGED and await store.run(store.state, update.update_id) != LOGGED:
        # written while the reply goes out (the log's fsync need not delay it); a replay after a crash
        # finds the update LOGGED and does not log it twice
        qlog: QuestionLog = context.bot_data["questions"]

        async def log_question() -> None:
            await asyncio.to_thread(
                qlog.record,
                str(chat.id),
                question,
                ans.found,
                ans.intent,
                ans.place,
                confidence=ans.confidence,
            )
            await store.run(store.mark, update.update_id, LOGGED)

        logging_done = asyncio.create_task(log_question())
    await _send(update, context, ans, session=session, logging_done=logging_done)


async def _reply_text(update: Update, text: str) -> None:
    for part in text_messages(text):
        await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)


def _replied_bot_message(msg: Message, bot_id: int) -> Message | None:
    reply = msg.reply_to_message
    if reply and reply.from_user and reply.from_user.id == bot_id:
        return reply
    return None


# ---- commands and messages ---------------------------------------------------------------------
def said(update: Update, what: str, text: str | None = None) -> str:
    """One of the bot's own replies (SAID) in the language of `text`, else of the user's app."""
    return SAID[language(text, update)][what]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user and show example questions (also the reply to an unknown command); in English
    for users of an English app."""
    await update.effective_message.reply_text(said(update, "help"))


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the places and articles the fact base covers (several messages when long); English
    users get the places by their English names."""
    lang = language(None, update)
    t = _engine(context).topics(lang)
    if lang == "en":
        heads = ("Places: ", ", ", "\n\nArticles (in Chinese):\n")
    else:
        heads = ("地区 Places: ", "、", "\n\n文章 Articles:\n")
    text = heads[0] + heads[1].join(t["places"]) + heads[2] + "\n".join(f"• {s}" for s in t["subjects"])
    await _reply_text(update, text)


def _text_of(msg: Message) -> str:
    return msg.text if msg.text is not None else (msg.caption or "")


def addressed_text(msg: Message, bot_id: int, username: str) -> str | None:
    """The question in a group message meant for the bot (it mentions the bot or replies to it), else None."""
    text = _text_of(msg)
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
    mentioned = bool(mention and mention.search(text))
    replied = _replied_bot_message(msg, bot_id) is not None
    if not mentioned and not replied:
        return None
    return mention.sub(" ", text).strip() if mention else text


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message or a photo's caption, new or edited (in groups only when the bot is
    mentioned or replied to); a reply to one of the bot's answers follows up that answer."""
    msg = update.effective_message
    text = _text_of(msg)
    if update.effective_chat.type != ChatType.PRIVATE:
        text = addressed_text(msg, context.bot.id, context.bot.username or "")
        if text is None:
            return
    await _reply_answer(update, context, text, replied=_replied_bot_message(msg, context.bot.id))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question>: the way to ask in a group."""
    msg = update.effective_message
    await _reply_answer(
        update, context, " ".join(context.args or []), replied=_replied_bot_message(msg, context.bot.id)
    )


async def source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The full sentence and article of the answer replied to, else of this user's last answer."""
    msg = update.effective_message
    store = _store(context)
    ans = None
    replied = _replied_bot_message(msg, context.bot.id)
    if replied is not None:
        entry = await store.run(store.answer, msg.chat_id, replied.message_id)
        ans = entry[1] if entry else None
    if ans is None or not ans.sources:
        user = update.effective_user.id if update.effective_user else msg.chat_id
        ans = await store.run(store.last, msg.chat_id, user)
    for part in source_messages(ans, language(None, update)):
        await msg.reply_text(part, parse_mode=ParseMode.HTML)


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "did you mean" button: the fact it names, as a figure with its quote and article."""
    cq = update.callback_query
    await cq.answer()
    if cq.message is None:
        return
    m = _CARD.match(cq.data or "")
    if not m:  # a button of an older version of the bot
        await cq.message.reply_text(said(update, "expired"))
        return
    lang, key = m.groups()
    card = await asyncio.to_thread(_engine(context).card, key, lang)
    if card is None:
        await cq.message.reply_text(GONE[lang])
        return
    await _send(update, context, card, session=None, target=cq.message)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline mode (@bot 问题): offer the answer as a fact card to drop into any chat."""
    query = update.inline_query.query.strip()
    if not query:
        return
    ans = await asyncio.to_thread(_engine(context).ask, query)
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


async def _admin_allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Admin commands: only an admin, only in a private chat (a group gets a one-line hint)."""
    if update.effective_chat.type != ChatType.PRIVATE:
        await update.effective_message.reply_text(said(update, "admin_in_private"))
        return False
    if not _is_admin(update, context):
        await update.effective_message.reply_text(said(update, "admins_only"))
        return False
    return True


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: rebuild the fact base from the articles with scripts/build_kb.py (a child process),
    then serve it; other chats are answered meanwhile."""
    if not await _admin_allowed(update, context):
        return
    lock: asyncio.Lock = context.bot_data.setdefault("rebuild_lock", asyncio.Lock())
    if lock.locked():
        await update.effective_message.reply_text(said(update, "rebuilding"))
        return
    async with lock:
        _ok, report = await admin.rebuild(_engine(context))
    await _reply_text(update, report)


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins, in private: questions asked, answered and unanswered."""
    if not await _admin_allowed(update, context):
        return
    s = await asyncio.to_thread(context.bot_data["questions"].stats)
    top = await asyncio.to_thread(context.bot_data["questions"].unanswered, 5)
    lines = [f"Asked {s['asked']}, answered {s['answered']}, unanswered {s['unanswered']}."]
    lines += [f"• {fit(r['text'], 80)} (×{r['times']})" for r in top]
    await _reply_text(update, "\n".join(lines))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have, in a private chat: the help (in groups it may be another bot's)."""
    await start(update, context)


async def unreadable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo without caption or other message with no text: ask for words."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        lang = language(None, update)
        await update.effective_message.reply_text(_engine(context).intents.replies[lang]["unreadable"])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception and tell the user something went wrong; the bot keeps running."""
    log.error("update %r failed", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            msg = update.effective_message
            await msg.reply_text(said(update, "sorry", msg.text or msg.caption))
        except Exception:  # noqa: BLE001 - the error reply itself failed (e.g. Bot API down); logged above
            log.warning("could not tell the user about the error")


async def set_commands(bot, admin_ids: frozenset[int]) -> None:
    """The "/" command menu in Chinese (default) and English, and with the admin commands in each
    admin's private chat. A failure is logged, never fatal."""
    try:
        for lang, code in (("zh", None), ("en", "en")):
            cmds = [BotCommand(c, d) for c, d in COMMANDS[lang]]
            await bot.set_my_commands(cmds, language_code=code)
        for admin_id in sorted(admin_ids):
            for lang, code in (("zh", None), ("en", "en")):
                cmds = [BotCommand(c, d) for c, d in COMMANDS[lang] + ADMIN_COMMANDS[lang]]
                try:
                    await bot.set_my_commands(cmds, scope=BotCommandScopeChat(admin_id), language_code=code)
                except TelegramError as exc:  # the admin has not started a chat with the bot yet
                    log.info("admin command menu for %s not set: %s", admin_id, exc)
                    break
    except TelegramError as exc:
        log.warning("command menu not set: %s", exc)
