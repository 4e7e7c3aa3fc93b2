"""/review: admins teach the bot in a private chat, one question at a time.

The questions come from the question log: those asked without an answer or answered with confidence
under LOW_CONFIDENCE, most often asked first (small talk, empty and unreadable messages left out, and
those labelled after they were last asked). Each card shows the question, how the bot answers it
now and the candidate answers (the engine's answer and its alternatives, each a value from an article)
as buttons, plus "文章里没有 (not in the articles)" and "跳过 (skip)". A tap writes the label to the
labelled-questions file (engine/labels.py: training/admin.jsonl, one scorer case per
question; tapping another button of the same card replaces it), shows the next question, and offers
"rebuild now" (the same rebuild as /reload), at which the ranker trains on the labels.

The cards, buttons and notes are in the admin's language as the bot's other replies are
(bot/handlers.py language): English for an English Telegram app, else Chinese with the English in
brackets. The question and the candidates are the articles' own words.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import OrderedDict
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot import articles_admin
from bot.articles_admin import ADMINS_ONLY, EXPIRED, admin_in_private, is_admin
from bot.format import fit
from bot.handlers import language
from engine import Answer, Engine
from engine.labels import Candidate, LabelFile, candidates
from engine.questionlog import QuestionLog

LOW_CONFIDENCE = 0.8  # the team scorer's line for a "sure" answer
NOT_QUESTIONS = {"empty", "too_long", "unreadable", "pinned"}  # intents no label can teach
_PINNED = re.compile(r"^#s\d+$")  # a "did you mean" button's question, not a user's
CARDS_KEPT = 20  # cards per chat whose buttons still work
NOT_IN_ARTICLES = "文章里没有 (not in the articles)"
SKIP = "跳过 (skip)"
REBUILD = "现在重建 (rebuild now)"
SAID = {  # what /review says, by the admin's language (bot/handlers.py language)
    "zh": {
        "head": "待审问题（还剩 {left} 个，问过 {times} 次，{how_zh}）\n"
        "Question to review ({left} left, asked {times}×, {how_en}):",
        "sure": ("把握 {confidence:.2f}", "confidence {confidence:.2f}"),
        "missed": ("没有回答", "not answered"),
        "now": "现在的回答 Now: ",
        "before": "上次标注 Labelled before: ",
        "candidates": "候选答案 Candidates:",
        "tap": "点正确的答案，或“文章里没有”。 (Tap the right answer, or “not in the articles”.)",
        "not_in_articles": NOT_IN_ARTICLES,
        "skip": SKIP,
        "rebuild": REBUILD,
        "none_left": "没有待审的问题了。 (Nothing left to review: every unanswered or unsure question is"
        " labelled or skipped.)",
        "skipped_toast": "跳过 Skipped",
        "skipped": "跳过 Skipped: “{text}”",
        "recorded_toast": "已记录 Recorded",
        "picked": "{value}（{article}）",
        "recorded": "✅ 已记录 Recorded: {shown} → {file}。重建后生效。 (Used from the next rebuild.)",
        "admins_only": ADMINS_ONLY,
        "expired": EXPIRED,
    },
    "en": {
        "head": "Question to review ({left} left, asked {times}×, {how_en}):",
        "sure": ("", "confidence {confidence:.2f}"),
        "missed": ("", "not answered"),
        "now": "Now: ",
        "before": "Labelled before: ",
        "candidates": "Candidates:",
        "tap": "Tap the right answer, or “not in the articles”.",
        "not_in_articles": "Not in the articles",
        "skip": "Skip",
        "rebuild": "Rebuild now",
        "none_left": "Nothing left to review: every unanswered or unsure question is labelled or skipped.",
        "skipped_toast": "Skipped",
        "skipped": "Skipped: “{text}”",
        "recorded_toast": "Recorded",
        "picked": "{value} ({article})",
        "recorded": "✅ Recorded: {shown} → {file}. Used from the next rebuild.",
        "admins_only": "Only admins can do that.",
        "expired": "This button has expired.",
    },
}


def said(update: Update) -> dict[str, object]:
    """The texts of /review in the language of the admin's Telegram app."""
    return SAID[language(None, update)]


def _labels(context: ContextTypes.DEFAULT_TYPE) -> LabelFile:
    return context.bot_data["labels"]


def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


def _ts(label: dict) -> float:
    try:
        return datetime.fromisoformat(label["ts"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return 0.0


def to_review(engine: Engine, qlog: QuestionLog, labels: LabelFile, skipped: set[str]) -> list[dict]:
    """The questions still to review, most often asked first: weak when asked, not labelled since,
    not skipped in this chat, and still weak now (an upload may have answered them since)."""
    done = labels.by_question()
    not_questions = NOT_QUESTIONS | set(engine.intents.smalltalk)
    out = []
    for row in qlog.weak(limit=500, below=LOW_CONFIDENCE):
        text = row["text"]
        if not text.strip() or _PINNED.match(text) or row.get("intent") in not_questions or text in skipped:
            continue
        label = done.get(text)
        if label is not None and _ts(label) >= row["last"]:  # label times are kept to the microsecond
            continue  # labelled since it was last asked; asked again later, it comes back
        now = engine.ask(text)
        if now.found and now.confidence >= LOW_CONFIDENCE:
            continue
        out.append({**row, "label": label})
    return out


def snippet(quote: str, value: str, width: int = 70) -> str:
    """At most `width` characters of `quote` around the first place `value` stands in it."""
    if len(quote) <= width:
        return quote
    at = max(quote.find(value), 0)
    start = max(0, min(at - (width - len(value)) // 2, len(quote) - width))
    end = start + width
    return ("…" if start else "") + quote[start:end] + ("…" if end < len(quote) else "")


def _card_text(
    row: dict, ans: Answer, cands: list[Candidate], left: int, note: str = "", t: dict | None = None
) -> str:
    """A review card in the language of `t` (SAID; Chinese with English by default)."""
    t = t or SAID["zh"]
    how_zh, how_en = (
        (f.format(confidence=row.get("confidence") or 0) for f in t["sure"])
        if row.get("found")
        else t["missed"]
    )
    lines = [
        t["head"].format(left=left, times=row["times"], how_zh=how_zh, how_en=how_en),
        f"“{row['text']}”",
        "",
        t["now"] + ans.text.split("\n", 1)[0],
    ]
    if row.get("label"):
        old = row["label"]
        lines.append(t["before"] + (old["expect"][0] if old.get("expect") else t["not_in_articles"]))
    if cands:
        lines += ["", t["candidates"]]
        for i, c in enumerate(cands, start=1):
            lines.append(f"{i}. {c.value} — “{snippet(c.quote, c.value)}” 《{c.title}》")
    lines += ["", t["tap"]]
    if note:
        lines += ["", note]
    return fit("\n".join(lines))


def _markup(
    token: str, cands: list[Candidate], chosen: str | None, t: dict | None = None
) -> InlineKeyboardMarkup:
    """Candidate buttons, "not in the articles" and "skip"; once labelled, the choice is ticked and
    "skip" gives way to "rebuild now"."""
    t = t or SAID["zh"]

    def mark(key: str, text: str) -> str:
        return ("✓ " + text) if chosen == key else text

    rows = [
        [InlineKeyboardButton(mark(str(i), f"{i + 1}. {c.label}"), callback_data=f"rv:{token}:{i}")]
        for i, c in enumerate(cands)
    ]
    rows.append([InlineKeyboardButton(mark("n", t["not_in_articles"]), callback_data=f"rv:{token}:n")])
    if chosen is None:
        rows.append([InlineKeyboardButton(t["skip"], callback_data=f"rv:{token}:s")])
    else:
        rows.append([InlineKeyboardButton(t["rebuild"], callback_data="rv:rebuild")])
    return InlineKeyboardMarkup(rows)


async def _show_next(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the card of the next question to review (or say there is none)."""
    chat_id, engine, t = update.effective_chat.id, _engine(context), said(update)
    skipped: set[str] = context.chat_data.setdefault("review_skipped", set())
    rows = await asyncio.to_thread(
        to_review, engine, context.bot_data["questions"], _labels(context), skipped
    )
    if not rows:
        await context.bot.send_message(chat_id, t["none_left"])
        return
    row = rows[0]
    ans, cands = await asyncio.to_thread(candidates, engine, row["text"])
    token = uuid.uuid4().hex[:8]
    cards: OrderedDict = context.chat_data.setdefault("review_cards", OrderedDict())
    cards[token] = {"row": row, "answer": ans, "candidates": cands, "left": len(rows), "chosen": None}
    while len(cards) > CARDS_KEPT:
        cards.popitem(last=False)
    await context.bot.send_message(
        chat_id, _card_text(row, ans, cands, len(rows), t=t), reply_markup=_markup(token, cands, None, t)
    )


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/review: the next unanswered or unsure question, with its candidate answers as buttons."""
    if await admin_in_private(update, context):
        await _show_next(update, context)
    raise ApplicationHandlerStop


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of a review card: a candidate, "not in the articles", "skip" or "rebuild now"."""
    cq = update.callback_query
    user = cq.from_user
    t = said(update)
    if not is_admin(user.id, context):
        await cq.answer(t["admins_only"], show_alert=True)
        raise ApplicationHandlerStop
    if cq.data == "rv:rebuild":
        await cq.answer()
        await articles_admin.rebuild_now(update, context)
        raise ApplicationHandlerStop
    _, token, choice = (cq.data or "").split(":", 2)
    card = context.chat_data.get("review_cards", {}).get(token)
    if card is None:
        await cq.answer()
        await cq.edit_message_text(t["expired"] + " /review")
        raise ApplicationHandlerStop
    row, cands = card["row"], card["candidates"]
    if choice == "s":
        await cq.answer(t["skipped_toast"])
        context.chat_data.setdefault("review_skipped", set()).add(row["text"])
        context.chat_data["review_cards"].pop(token, None)
        await cq.edit_message_text(fit(t["skipped"].format(text=row["text"])))
        await _show_next(update, context)
        raise ApplicationHandlerStop
    if choice == "n":
        value = article = None
        shown = t["not_in_articles"]
    else:
        try:
            picked = cands[int(choice)]
        except (ValueError, IndexError):
            await cq.answer(t["expired"])
            raise ApplicationHandlerStop from None
        value, article = picked.value, picked.article
        shown = t["picked"].format(value=value, article=article or "?")
    labels = _labels(context)
    await asyncio.to_thread(labels.record, row["text"], value, article, user.id)
    await cq.answer(t["recorded_toast"])
    first = card["chosen"] is None
    card["chosen"] = choice
    note = t["recorded"].format(shown=shown, file=labels.path.name)
    await cq.edit_message_text(
        _card_text(row, card["answer"], cands, card["left"], note, t),
        reply_markup=_markup(token, cands, choice, t),
    )
    if first:  # a changed label stays on its card; a first one moves on to the next question
        await _show_next(update, context)
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    """Add /review and its buttons (before the bot's own handlers); labels go to the default file
    unless bot_data["labels"] is set."""
    app.bot_data.setdefault("labels", LabelFile())
    app.add_handler(CommandHandler("review", review), articles_admin.GROUP)
    app.add_handler(
        CallbackQueryHandler(tap, pattern=r"^rv:(rebuild|[0-9a-f]{8}:(\d{1,2}|n|s))$"), articles_admin.GROUP
    )
