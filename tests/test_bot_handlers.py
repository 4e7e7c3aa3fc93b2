"""Each handler through application.process_update, with updates built here; the Bot API calls the
handlers make go to the fake server on 127.0.0.1, which records them."""

from __future__ import annotations

import itertools
import re

import pytest
from telegram import Update

from bot.app import build_app
from bot.config import Settings
from bot.format import NO_SOURCE
from tests.fake_bot_api import BOT_USER, FakeBotApi, make_message

ADMIN = 7
_update_ids = itertools.count(1)
_chats = itertools.count(5000)


@pytest.fixture
async def bot(tmp_path, engine):
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST",
            base_url=api.base_url,
            admin_ids=frozenset({ADMIN}),
            question_log=str(tmp_path / "questions.db"),
            reload_seconds=3600,
        )
        app = build_app(settings, engine, rate_limit=False)
        async with app:  # initialize: getMe against the fake server
            yield app, api


async def send(app, **update) -> None:
    await app.process_update(Update.de_json({"update_id": next(_update_ids), **update}, app.bot))


async def say(app, text, chat=None, **kw) -> int:
    chat = chat or next(_chats)
    await send(app, message=make_message(chat, text, **kw))
    return chat


def replies(api) -> list[dict]:
    return api.sent()


async def test_private_question_gets_the_figure_in_bold_with_quote_and_article(bot):
    app, api = bot
    await say(app, "汝阳县还有多少贫困人口没有脱贫？")
    (reply,) = replies(api)
    assert reply["parse_mode"] == "HTML"
    assert reply["text"].startswith("<b>汝阳县") and "5155人</b>" in reply["text"]
    assert "未脱贫人口2207户5155人" in reply["text"] and "来源：《" in reply["text"]
    assert app.bot_data["questions"].stats() == {"asked": 1, "answered": 1, "unanswered": 0}


async def test_source_shows_the_last_answers_sentence_or_says_there_is_none(bot):
    app, api = bot
    chat = await say(app, "/source")
    assert replies(api)[-1]["text"] == NO_SOURCE
    await say(app, "沁县有多少名驻村第一书记", chat=chat)
    await say(app, "/source", chat=chat)
    source = replies(api)[-1]["text"]
    assert "179名" in source and "《打赢脱贫攻坚战" in source


async def test_follow_up_uses_this_chats_context_only(bot):
    app, api = bot
    chat = await say(app, "汝阳县贫困村有多少个")
    await say(app, "那沁县呢", chat=chat)
    assert "179" in replies(api)[-1]["text"] and "沁县" in replies(api)[-1]["text"]
    await say(app, "那沁县呢")  # another chat: no context to follow
    assert "179" not in replies(api)[-1]["text"]


async def test_group_answers_only_mentions_replies_and_ask(bot):
    app, api = bot
    group = -100123
    await say(app, "汝阳县未脱贫人口有多少", chat=group, chat_type="supergroup")
    assert replies(api) == []  # ordinary group chatter is not for the bot
    await say(app, "@Programme_Test_Bot 汝阳县未脱贫人口有多少", chat=group, chat_type="supergroup")
    await say(app, "沁县有多少名驻村第一书记", chat=group, chat_type="supergroup", reply_to_bot=True)
    await say(app, "/ask 汝阳县贫困发生率", chat=group, chat_type="supergroup")
    await say(app, "/ask@programme_test_bot 焦做市委书记是谁", chat=group, chat_type="supergroup")
    texts = [r["text"] for r in replies(api)]
    assert len(texts) == 4
    assert "5155人" in texts[0] and "179名" in texts[1] and "1.18%" in texts[2] and "王小平" in texts[3]
    await say(app, "@programme_test_bot_fan 你好", chat=group, chat_type="supergroup")  # someone else
    assert len(replies(api)) == 4
    assert app.bot_data["questions"].stats()["asked"] == 4


async def test_unreadable_message_gets_a_hint_in_private_and_silence_in_groups(bot):
    app, api = bot
    sticker = {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    await send(app, message=make_message(next(_chats), None, sticker=sticker))
    assert "请用文字" in replies(api)[-1]["text"]
    await send(app, message=make_message(-100, None, chat_type="group", sticker=sticker))
    assert len(replies(api)) == 1


async def test_start_help_and_topics(bot):
    app, api = bot
    await say(app, "/start")
    await say(app, "/help")
    await say(app, "/topics")
    start, help_, topics = (r["text"] for r in replies(api))
    assert start == help_ and "例子 Examples" in start and "/source" in start
    for place in ("汝阳县", "沁县", "沁阳市", "焦作市", "周口市", "洛阳市"):
        assert place in topics


async def test_did_you_mean_buttons_fit_callback_data_and_answer_when_pressed(bot):
    app, api = bot
    chat = await say(app, "沁阳市贫困村有多少户")  # no answer: close topics offered as buttons
    buttons = replies(api)[-1]["reply_markup"]["inline_keyboard"]
    assert buttons and all(len(row[0]["callback_data"].encode()) <= 64 for row in buttons)
    press = {
        "id": "cb1",
        "chat_instance": "ci",
        "data": buttons[0][0]["callback_data"],
        "from": {"id": 1, "is_bot": False, "first_name": "R"},
        "message": make_message(chat, "…"),
    }
    await send(app, callback_query=press)
    assert "沁阳市" in replies(api)[-1]["text"]
    assert [m for m, _ in api.calls].count("answerCallbackQuery") == 1
    stale = {**press, "id": "cb2", "data": "alt:9", "message": make_message(next(_chats), "…")}
    await send(app, callback_query=stale)
    assert "expired" in replies(api)[-1]["text"]


async def test_inline_query_offers_a_fact_card(bot):
    app, api = bot
    user = {"id": 3, "is_bot": False, "first_name": "Staff"}
    await send(app, inline_query={"id": "q1", "from": user, "query": "汝阳县未脱贫人口有多少", "offset": ""})
    (call,) = [p for m, p in api.calls if m == "answerInlineQuery"]
    (card,) = call["results"]
    content = card["input_message_content"]
    assert "5155人" in card["title"] and content["parse_mode"] == "HTML"
    assert "5155人" in content["message_text"] and "<i>洛阳·县区" in content["message_text"]
    await send(app, inline_query={"id": "q2", "from": user, "query": "开封市的贫困人口有多少", "offset": ""})
    assert [p for m, p in api.calls if m == "answerInlineQuery"][-1]["results"] == []
    await send(app, inline_query={"id": "q3", "from": user, "query": "   ", "offset": ""})
    assert len([m for m, _ in api.calls if m == "answerInlineQuery"]) == 2  # an empty query is not answered


async def test_admin_commands_are_for_admins_only(bot):
    app, api = bot
    chat = await say(app, "/reload", user_id=1)
    await say(app, "/stats", chat=chat, user_id=1)
    assert all("Admins only" in r["text"] for r in replies(api))
    await say(app, "汝阳县有多少所大学", chat=chat)  # unanswered
    await say(app, "/stats", chat=chat, user_id=ADMIN)
    stats = replies(api)[-1]["text"]
    assert "Asked 1, answered 0, unanswered 1." in stats and "汝阳县有多少所大学" in stats


async def test_a_failing_handler_gets_a_polite_reply_and_the_bot_carries_on(bot):
    app, api = bot

    class Broken:
        def ask(self, *args, **kwargs):
            raise RuntimeError("boom")

    real = app.bot_data["engine"]
    app.bot_data["engine"] = Broken()
    try:
        await say(app, "汝阳县未脱贫人口有多少")
    finally:
        app.bot_data["engine"] = real
    assert "something went wrong" in replies(api)[-1]["text"]
    await say(app, "汝阳县未脱贫人口有多少")
    assert "5155人" in replies(api)[-1]["text"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "😀" * 50,
        "'; DROP TABLE questions; --",
        "<script>alert(1)</script>汝阳",
        "\u200b\u200b",
        "a" * 4096,
        "9" * 300,
    ],
)
async def test_bad_input_gets_a_clear_reply_as_valid_html(bot, text):
    app, api = bot
    await say(app, text)
    (reply,) = replies(api)
    assert 0 < len(reply["text"]) <= 4096
    assert "<script>" not in reply["text"]
    tags = re.findall(r"</?([a-z]+)>", reply["text"])
    assert tags.count("b") % 2 == 0


def test_fake_bot_user_is_the_bot():  # the group tests rely on the fake server's getMe
    assert BOT_USER["username"] == "programme_test_bot" and BOT_USER["is_bot"]
