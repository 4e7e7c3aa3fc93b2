"""/review (bot/review.py) end to end: residents ask, the question log records found and confidence,
an admin reviews the weak questions one at a time and taps a candidate; the label file gets one
scorer case per question. Updates built here, run through application.process_update, Bot API calls
to the fake server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import itertools
import json
import re

import pytest
from telegram import Update

from bot import articles_admin
from bot.app import build_app
from bot.articles_admin import settle
from bot.review import snippet
from engine.labels import LabelFile
from tests.fake_bot_api import FakeBotApi, bot_settings, callback_query, make_message

ADMIN = 7
# answered (54岁, at 0.73) with confidence under 0.8 by the trained weights (intents/ranker.json): a retraining that
# moves it over 0.8 makes these tests fail loudly, and another question of the kind takes its place
LOW = "张水林倒在扶贫一线时多大岁数"
LOW_VALUE = "54岁"
MISSED = "沁阳市贫困村有多少户"  # not answered; close topics offered
NONE = "汝阳县有多少所大学"  # not answered, nothing close
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")
_update_ids = itertools.count(1)
_chats = itertools.count(9000)


@pytest.fixture
async def bot(tmp_path, engine):
    with FakeBotApi() as api:
        settings = bot_settings(api, tmp_path)
        app = build_app(settings, engine, rate_limit=False)
        app.bot_data["labels"] = LabelFile(tmp_path / "training" / "admin.jsonl")
        async with app:
            yield app, api


async def send(app, **update) -> None:
    await app.process_update(Update.de_json({"update_id": next(_update_ids), **update}, app.bot))
    await settle(app)


async def say(app, text, chat=None, user_id=1, **kw) -> int:
    chat = chat or next(_chats)
    await send(app, message=make_message(chat, text, user_id=user_id, **kw))
    return chat


async def press(app, chat, data, user_id=ADMIN) -> None:
    await send(app, callback_query=callback_query(chat, data, user_id, f"cb{next(_update_ids)}"))


def sent(api) -> list[dict]:
    return [p for m, p in api.calls if m == "sendMessage"]


def edits(api) -> list[dict]:
    return [p for m, p in api.calls if m == "editMessageText"]


def keyboard(message: dict) -> list[tuple[str, str]]:
    return [
        (b["text"], b["callback_data"]) for row in message["reply_markup"]["inline_keyboard"] for b in row
    ]


def lines(app) -> list[dict]:
    path = app.bot_data["labels"].path
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines()]


async def residents_ask(app) -> None:
    for _ in range(3):
        await say(app, MISSED)
    for _ in range(2):
        await say(app, LOW)
    await say(app, NONE)
    for _ in range(5):
        await say(app, "你好")  # small talk: nothing to label
    await say(app, "汝阳县有多少个贫困村")  # answered with confidence: nothing to review
    for _ in range(4):  # not answered when asked, answered with confidence now (an article came since)
        app.bot_data["questions"].record("x", "汝阳县未脱贫人口有多少", False, "how_many", None, 0.0)


async def test_review_shows_the_most_asked_weak_question_and_a_tap_writes_the_label(bot):
    app, api = bot
    await residents_ask(app)
    chat = await say(app, "/review", user_id=ADMIN)
    card = sent(api)[-1]
    assert f"“{MISSED}”" in card["text"] and "问过 3 次" in card["text"] and "not answered" in card["text"]
    assert "还剩 3 个" in card["text"]  # MISSED, LOW and NONE; not 你好, not those answered with confidence
    buttons = keyboard(card)
    assert all(len(data.encode()) <= 64 for _, data in buttons)
    labels = [text for text, _ in buttons]
    assert labels[-2:] == ["文章里没有 (not in the articles)", "跳过 (skip)"]
    assert len(labels) >= 3 and labels[0].startswith("1. 沁阳市 ")
    value = card["text"].split("\n1. ", 1)[1].split(" — ", 1)[0]  # the first candidate as the card lists it

    await press(app, chat, buttons[0][1])
    (case,) = lines(app)
    assert case == {
        "id": "admin-" + hashlib.sha1(MISSED.encode()).hexdigest()[:12],
        "q": MISSED,
        "found": True,
        "expect": [value],
        "forbid": [],
        "tags": ["admin"],
        "article": case["article"],
        "labelled_by": ADMIN,
        "ts": case["ts"],
    }
    assert case["article"].endswith(".txt") and case["ts"][:4].isdigit()
    done = edits(api)[-1]
    assert "已记录 Recorded" in done["text"] and keyboard(done)[0][0].startswith("✓ 1.")
    assert keyboard(done)[-1] == ("现在重建 (rebuild now)", "rv:rebuild")
    nxt = sent(api)[-1]  # the next question follows at once
    assert (
        f"“{LOW}”" in nxt["text"]
        and re.search(r"confidence 0\.\d\d", nxt["text"])
        and LOW_VALUE in nxt["text"]
    )


async def test_not_in_the_articles_skip_and_relabel(bot):
    app, api = bot
    await residents_ask(app)
    chat = await say(app, "/review", user_id=ADMIN)
    first = sent(api)[-1]
    await press(app, chat, keyboard(first)[-2][1])  # MISSED: not in the articles
    second = sent(api)[-1]
    assert f"“{LOW}”" in second["text"]
    await press(app, chat, keyboard(second)[-1][1])  # LOW: skipped
    assert edits(api)[-1]["text"].startswith("跳过 Skipped")
    third = sent(api)[-1]
    assert f"“{NONE}”" in third["text"] and len(keyboard(third)) == 2  # only "not in the articles", "skip"
    await press(app, chat, keyboard(third)[0][1])
    assert "Nothing left to review" in sent(api)[-1]["text"]  # LOW was skipped in this chat
    assert [(c["q"], c["found"], c["expect"], c["article"]) for c in lines(app)] == [
        (MISSED, False, [], None),
        (NONE, False, [], None),
    ]

    before = len(sent(api))
    await press(app, chat, keyboard(first)[0][1])  # changed mind on the first card: its line is replaced
    relabelled = lines(app)
    assert [c["q"] for c in relabelled] == [MISSED, NONE]
    assert relabelled[0]["found"] is True and relabelled[0]["expect"] and relabelled[0]["article"]
    assert len(sent(api)) == before  # a changed label shows no further card

    await say(app, "/review", user_id=ADMIN, chat=chat)
    assert "Nothing left to review" in sent(api)[-1]["text"]
    await say(app, MISSED)  # asked again after it was labelled and still not answered: back for review
    await say(app, "/review", user_id=ADMIN, chat=chat)
    again = sent(api)[-1]["text"]
    assert f"“{MISSED}”" in again and "问过 4 次" in again and "Labelled before" in again


async def test_rebuild_now_runs_the_same_rebuild_as_reload(bot, monkeypatch):
    app, api = bot
    calls = []

    async def rebuilt(engine, timeout=0):
        calls.append(engine)
        return True, "Fact base built in 1.00s: 5 articles."

    monkeypatch.setattr(articles_admin.admin, "rebuild", rebuilt)
    await say(app, NONE)
    chat = await say(app, "/review", user_id=ADMIN)
    await press(app, chat, keyboard(sent(api)[-1])[0][1])
    await press(app, chat, "rv:rebuild", user_id=1)  # not an admin
    assert calls == []
    await press(app, chat, "rv:rebuild")
    assert calls == [app.bot_data["engine"]]
    assert [m["text"] for m in sent(api)[-2:]] == [
        "正在重建… (Rebuilding…)",
        "Fact base built in 1.00s: 5 articles.",
    ]


async def test_review_is_for_admins_in_private_chats(bot):
    app, api = bot
    await say(app, NONE)
    chat = await say(app, "/review")
    assert "Admins only" in sent(api)[-1]["text"]
    await say(app, "/review", chat=-100500, user_id=ADMIN, chat_type="supergroup")
    assert "private chat" in sent(api)[-1]["text"]
    await say(app, "/review", chat=chat, user_id=ADMIN)
    card = sent(api)[-1]
    await press(app, chat, keyboard(card)[0][1], user_id=1)  # someone else taps the admin's card
    assert [p for m, p in api.calls if m == "answerCallbackQuery"][-1]["show_alert"] is True
    assert not app.bot_data["labels"].path.exists()
    await press(app, chat, "rv:0123abcd:n")  # a card this chat does not hold (e.g. before a restart)
    assert "expired" in edits(api)[-1]["text"]


async def test_the_bot_records_each_answers_confidence(bot):
    app, api = bot
    await say(app, LOW)
    await say(app, "汝阳县有多少个贫困村")
    weak = app.bot_data["questions"].weak()
    assert [(r["text"], r["found"]) for r in weak] == [(LOW, True)]
    assert 0 < weak[0]["confidence"] < 0.8


def test_a_card_quotes_the_part_of_a_long_sentence_that_holds_the_value():
    quote = "在全市20个贫困村建立了20个小菜园，" * 5 + "实现增收387.6万元。"
    assert (
        snippet(quote, "387.6万元").endswith("实现增收387.6万元。") and len(snippet(quote, "387.6万元")) <= 71
    )
    assert snippet(quote, "20个").startswith("在全市20个") and snippet("短句5个", "5个") == "短句5个"


async def test_an_english_admin_reviews_in_english(bot):
    app, api = bot
    await residents_ask(app)
    chat = next(_chats)
    english = make_message(chat, "/review", user_id=ADMIN)
    english["from"]["language_code"] = "en"
    await send(app, message=english)
    card = sent(api)[-1]
    assert card["text"].startswith("Question to review (3 left, asked 3×, not answered):\n")
    assert f"“{MISSED}”" in card["text"] and "\nNow: " in card["text"] and "\nCandidates:\n" in card["text"]
    assert card["text"].endswith("Tap the right answer, or “not in the articles”.")
    assert not re.search("待审|现在的回答|候选答案|点正确", card["text"])  # English only, not both
    assert [text for text, _ in keyboard(card)][-2:] == ["Not in the articles", "Skip"]

    def tap(data: str) -> dict:
        query = callback_query(chat, data, ADMIN, f"cb{next(_update_ids)}")
        query["from"]["language_code"] = "en"
        return {"callback_query": query}

    await send(app, **tap(keyboard(card)[0][1]))
    done = edits(api)[-1]
    assert "✅ Recorded: " in done["text"] and done["text"].endswith("Used from the next rebuild.")
    assert "已记录" not in done["text"] and keyboard(done)[-1] == ("Rebuild now", "rv:rebuild")
    assert [p for m, p in api.calls if m == "answerCallbackQuery"][-1]["text"] == "Recorded"
    second = sent(api)[-1]
    assert f"“{LOW}”" in second["text"] and re.search(r"confidence 0\.\d\d\):", second["text"])
    await send(app, **tap(keyboard(second)[-1][1]))  # skip
    assert edits(api)[-1]["text"] == f"Skipped: “{LOW}”"
    await send(app, **tap(keyboard(sent(api)[-1])[-2][1]))  # NONE: not in the articles
    assert sent(api)[-1]["text"] == (
        "Nothing left to review: every unanswered or unsure question is labelled or skipped."
    )
    assert [(c["q"], c["found"]) for c in lines(app)] == [
        (MISSED, True),
        (NONE, False),
    ]  # labels as in Chinese
