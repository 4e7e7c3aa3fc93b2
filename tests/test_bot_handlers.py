"""Each handler through application.process_update, with updates built here; the Bot API calls the
handlers make go to the fake server on 127.0.0.1, which records them (and the message id it gave
each message the bot sent, "_message_id")."""

from __future__ import annotations

import itertools
import json
import re
import time

import pytest
from telegram import Update

from bot import handlers
from bot.app import build_app
from bot.config import Settings
from bot.format import NO_SOURCE
from bot.handlers import buttons
from engine import Alternative, Answer
from tests.fake_bot_api import BOT_USER, FakeBotApi, bot_settings, make_message

ADMIN = 7
_update_ids = itertools.count(1)
_chats = itertools.count(5000)


@pytest.fixture
async def bot(tmp_path, engine):
    with FakeBotApi() as api:
        settings = bot_settings(api, tmp_path)
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


def press_update(chat: int, data: str, user: int = 1, chat_type: str = "private") -> dict:
    return {
        "id": f"cb{next(_update_ids)}",
        "chat_instance": "ci",
        "data": data,
        "from": {"id": user, "is_bot": False, "first_name": "R"},
        "message": make_message(chat, "…", chat_type=chat_type),
    }


def keyboard(reply: dict) -> list[tuple[str, str]]:
    """(label, callback data) of a reply's buttons."""
    rows = (reply.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def test_private_question_gets_the_figure_in_bold_with_quote_and_article(bot):
    app, api = bot
    await say(app, "汝阳县未脱贫人口有多少？")
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


# ---- 1. buttons name the fact ----------------------------------------------------------------------
async def test_a_button_answers_its_own_fact_after_another_question(bot):
    app, api = bot
    chat = await say(app, "汝阳县贫困村有多少个")  # 78个, and one reading beside it: the 4 still poor
    ((label, data),) = keyboard(replies(api)[-1])
    assert label == "汝阳县 4个" and re.fullmatch(r"f:zh:[0-9a-f]{16}", data) and len(data.encode()) <= 64
    await say(app, "焦作有多少贫困村", chat=chat)  # another answer in between (it replaced the buttons once)
    await send(app, callback_query=press_update(chat, data))
    card = replies(api)[-1]["text"]
    assert card.startswith("<b>汝阳县") and "4个</b>" in card  # the figure, in bold
    assert (
        "原文：“如期实现4个贫困村退出”" in card and "来源：《洛阳·县区" in card
    )  # its quote, not the sentence
    assert "焦作" not in card
    assert [m for m, _ in api.calls].count("answerCallbackQuery") == 1
    assert app.bot_data["questions"].stats()["asked"] == 2  # pressing a button asks nothing


async def test_a_button_whose_fact_is_gone_says_so_and_old_buttons_expire(bot):
    app, api = bot
    chat = next(_chats)
    await send(app, callback_query=press_update(chat, "f:zh:" + "0" * 16))
    assert "已不在文章里" in replies(api)[-1]["text"]
    await send(app, callback_query=press_update(chat, "f:en:" + "0" * 16))
    assert "no longer in the articles" in replies(api)[-1]["text"]
    await send(app, callback_query=press_update(chat, "alt:0"))  # a button of the bot before this version
    assert "expired" in replies(api)[-1]["text"]


async def test_an_unsure_reply_of_clauses_offers_them_as_buttons(bot):
    """洛阳储备肉在哪里买: not sure, and the readings it names are clauses (no figure): each a button,
    pressed the clause itself with its article, and gone (said so) when its sentence is."""
    app, api = bot
    chat = await say(app, "洛阳储备肉在哪里买")
    reply = replies(api)[-1]
    assert "没有把握" in reply["text"]
    choices = keyboard(reply)
    assert choices and all(re.fullmatch(r"f:zh:[0-9a-f]{16}:\d+-\d+", d) for _, d in choices)
    assert all(len(d.encode()) <= 64 for _, d in choices)
    label, data = choices[0]
    await send(app, callback_query=press_update(chat, data))
    card = replies(api)[-1]["text"]
    assert card.startswith("<b>洛阳市") and "来源：《洛阳·县区" in card
    await send(app, callback_query=press_update(chat, data.split(":")[0] + ":zh:" + "0" * 16 + ":0-4"))
    assert "已不在文章里" in replies(api)[-1]["text"]


async def test_close_topics_are_buttons_that_answer_with_a_figure(bot):
    app, api = bot
    chat = await say(app, "沁阳市贫困村有多少户")  # no answer: close topics offered as buttons
    buttons = keyboard(replies(api)[-1])
    assert buttons and len({d for _, d in buttons}) == len(buttons)
    for label, data in buttons:
        assert len(label) <= 24 and len(data.encode()) <= 64
        await send(app, callback_query=press_update(chat, data))
        assert replies(api)[-1]["text"].startswith("<b>沁阳市")


def test_buttons_are_unique_per_fact_and_label_and_cut_after_a_word():
    alts = [
        Alternative("沁阳市：在全市20个贫困村建立了20个“消费扶贫小菜园”", "#s1", "a" * 16),
        Alternative("沁阳市：在全市20个贫困村建立了20个“消费扶贫小菜园”", "#s1", "a" * 16),  # same fact
        Alternative("汝阳县 4个", "#s2", "b" * 16),
        Alternative("汝阳县 4个", "#s3", "c" * 16),  # same label: one button is enough
        Alternative("没有键", "#s4", None),  # no key: no button (its sentence id would not survive)
    ]
    markup = buttons(Answer(True, "x", "how_many", alternatives=alts))
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert len(labels) == 2 and labels[1] == "汝阳县 4个"
    assert labels[0].startswith("沁阳市：在全市20个贫困村建立了20个") and labels[0].endswith("…")
    assert len(labels[0]) <= 24
    assert buttons(Answer(True, "x", "how_many")) is None


# ---- 2. context per user; a reply follows up the answer replied to ---------------------------------
async def test_group_context_is_per_user_and_a_reply_follows_up_that_answer(bot):
    app, api = bot
    group = -100777
    kw = {"chat": group, "chat_type": "supergroup"}
    await say(app, "@programme_test_bot 沁阳市有多少个消费扶贫小菜园", user_id=1, **kw)
    garden = replies(api)[-1]
    assert "20个" in garden["text"]
    await say(app, "@programme_test_bot 焦作市培训了多少人", user_id=1, **kw)
    assert "1.8万余名" in replies(api)[-1]["text"]
    # member 2 replies to the garden answer: 沁县's gardens (the articles have none), not its training
    await say(app, "那沁县呢", user_id=2, reply_to_bot=garden["_message_id"], **kw)
    reply = replies(api)[-1]["text"]
    assert "10289" not in reply and "抱歉" in reply
    # member 1 follows up their own last question: 沁县's training
    await say(app, "@programme_test_bot 那沁县呢", user_id=1, **kw)
    assert "沁县" in replies(api)[-1]["text"] and "10289人" in replies(api)[-1]["text"]
    # member 3 has asked nothing: no context of anyone else's
    await say(app, "@programme_test_bot 那沁县呢", user_id=3, **kw)
    assert "10289" not in replies(api)[-1]["text"]


async def test_a_reply_in_private_follows_up_the_older_answer(bot):
    app, api = bot
    chat = await say(app, "汝阳县贫困村有多少个")
    first = replies(api)[-1]
    await say(app, "沁阳市有多少个消费扶贫小菜园", chat=chat)
    await say(app, "那沁县呢", chat=chat, reply_to_bot=first["_message_id"])
    assert "179个" in replies(api)[-1]["text"]  # 沁县's poor villages, the first answer's subject
    await say(app, "/source", chat=chat, reply_to_bot=first["_message_id"])
    assert "汝阳" in replies(api)[-1]["text"] and "沁县" not in replies(api)[-1]["text"]


# ---- 5. admin commands in private only; blanks and small talk are not unanswered --------------------
async def test_admin_commands_only_for_an_admin_in_a_private_chat(bot):
    app, api = bot
    chat = await say(app, "/reload", user_id=1)
    await say(app, "/stats", chat=chat, user_id=1)
    assert all("Admins only" in r["text"] for r in replies(api))
    await say(app, "汝阳县有多少所大学", chat=chat)  # unanswered
    group = -100555
    await say(app, "/stats", chat=group, chat_type="supergroup", user_id=ADMIN)
    await say(app, "/reload", chat=group, chat_type="supergroup", user_id=ADMIN)
    hints = [r["text"] for r in replies(api)[-2:]]
    assert all(h.count("\n") == 0 and "private chat" in h for h in hints)  # one line, no figures
    assert not any("汝阳县有多少所大学" in h for h in hints)
    await say(app, "/stats", chat=ADMIN, user_id=ADMIN)
    stats = replies(api)[-1]["text"]
    assert "Asked 1, answered 0, unanswered 1." in stats and "汝阳县有多少所大学" in stats


async def test_blank_messages_and_small_talk_are_not_counted_as_unanswered(bot):
    app, api = bot
    chat = next(_chats)
    for text in ("   ", "\u200b", "你好", "谢谢", "help", "再见", "🙂🙂"):
        await say(app, text, chat=chat)
    assert len(replies(api)) == 7
    assert app.bot_data["questions"].stats() == {"asked": 0, "answered": 0, "unanswered": 0}
    await say(app, "汝阳县有多少所大学", chat=chat)
    assert app.bot_data["questions"].stats() == {"asked": 1, "answered": 0, "unanswered": 1}


# ---- 6. Telegram conventions -----------------------------------------------------------------------
async def test_command_menu_in_chinese_and_english_and_admin_commands_for_admins(bot):
    app, api = bot
    await handlers.set_commands(app.bot, frozenset({ADMIN}))
    calls = [p for m, p in api.calls if m == "setMyCommands"]
    menus = {
        (p.get("language_code"), json.dumps(p.get("scope"), sort_keys=True)): p["commands"] for p in calls
    }
    default = menus[(None, "null")]
    english = menus[("en", "null")]
    assert (
        {c["command"] for c in default}
        == {"ask", "source", "topics", "help"}
        == {c["command"] for c in english}
    )
    assert any("原文" in c["description"] for c in default) and any(
        "sentence" in c["description"] for c in english
    )
    admin_menus = [cmds for (lang, scope), cmds in menus.items() if scope != "null"]
    assert len(admin_menus) == 2 and all(
        {"reload", "stats"} <= {c["command"] for c in m} for m in admin_menus
    )
    assert all(json.loads(scope)["chat_id"] == ADMIN for (_, scope) in menus if scope != "null")


async def test_unknown_command_gets_help_in_private_and_nothing_in_groups(bot):
    app, api = bot
    await say(app, "/frobnicate")
    assert "例子 Examples" in replies(api)[-1]["text"]
    await say(app, "/frobnicate", chat=-100999, chat_type="group")
    assert len(replies(api)) == 1


async def test_a_photo_caption_and_an_edited_message_are_answered(bot):
    app, api = bot
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    chat = next(_chats)
    await send(app, message=make_message(chat, None, photo=photo, caption="汝阳县未脱贫人口有多少"))
    assert "5155人" in replies(api)[-1]["text"]
    edited = make_message(chat, "沁县有多少名驻村第一书记", edit_date=int(time.time()))
    await send(app, edited_message=edited)
    assert "179名" in replies(api)[-1]["text"]
    group = make_message(-100321, None, chat_type="group", photo=photo, caption="汝阳县未脱贫人口有多少")
    await send(app, message=group)  # in a group a caption is for the bot only when it mentions the bot
    assert len(replies(api)) == 2


async def test_long_replies_are_split_at_line_ends_not_cut(bot):
    app, api = bot
    engine = app.bot_data["engine"]
    subjects = [f"第{i}篇文章：某县脱贫攻坚综述与民生实事报道" for i in range(300)]
    real = engine.topics
    engine.topics = lambda lang="zh": {"places": ["汝阳县"], "subjects": subjects}
    try:
        await say(app, "/topics")
    finally:
        engine.topics = real
    parts = [r["text"] for r in replies(api)]
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert not any(p.endswith("…") for p in parts)
    lines = "\n".join(parts).splitlines()
    assert all(f"• {s}" in lines for s in subjects)  # every line whole, none cut


async def test_pinned_sentence_command_is_for_admins_only(bot):
    app, api = bot
    await say(app, "#s1", user_id=1)
    assert "do not answer" in replies(api)[-1]["text"] and "来源" not in replies(api)[-1]["text"]
    await say(app, "#s1", chat=ADMIN, user_id=ADMIN)
    assert "来源：《" in replies(api)[-1]["text"]


# ---- 7. the user's language; no long echo ----------------------------------------------------------
async def test_bot_side_replies_in_the_users_language_and_no_long_echo(bot):
    app, api = bot
    await say(app, "What is " + "x" * 600)
    assert "too long" in replies(api)[-1]["text"]
    await say(app, "汝阳" * 300)
    assert "问题太长了" in replies(api)[-1]["text"]
    english_user = make_message(next(_chats), "   ")
    english_user["from"]["language_code"] = "en"
    await send(app, message=english_user)
    assert "Please type a question" in replies(api)[-1]["text"]
    junk = "乱码" + "qwe汝rty" * 60  # 482 characters, under the length limit
    await say(app, junk)
    reply = replies(api)[-1]["text"]
    assert junk[:40] in reply and junk[:100] not in reply and len(reply) < 200


# ---- 8. /source and buttons after a restart ---------------------------------------------------------
async def test_source_and_buttons_work_after_a_restart(tmp_path, engine):
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST", base_url=api.base_url, question_log=str(tmp_path / "q.db"), reload_seconds=3600
        )
        app = build_app(settings, engine, rate_limit=False)
        async with app:
            await say(app, "沁县有多少名驻村第一书记", chat=4242)
            await say(app, "汝阳县贫困村有多少个", chat=4242)
            said = engine.ask("汝阳县贫困村有多少个").sources[0].quote  # the sentence the answer quoted
        (_, data), first = keyboard(api.sent()[-1])[0], api.sent()[0]
        app.bot_data["store"].close()
        restarted = build_app(settings, engine, rate_limit=False)  # a new process: only the files remain
        async with restarted:
            await say(restarted, "/source", chat=4242)
            assert said in api.sent()[-1]["text"]
            await say(restarted, "/source", chat=4242, reply_to_bot=first["_message_id"])
            assert "179名" in api.sent()[-1]["text"]
            await send(restarted, callback_query=press_update(4242, data))
            assert "如期实现4个贫困村退出" in api.sent()[-1]["text"]
        restarted.bot_data["store"].close()
