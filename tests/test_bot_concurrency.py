"""Nothing holds up the other chats: a /reload that is still building, or a question the engine is
slow to answer, blocks only its own chat (whose later messages wait their turn, in order), never
the event loop or another chat. The real bot, long polling the fake Bot API on 127.0.0.1."""

import asyncio
import contextlib
import threading

from bot import handlers
from bot.app import build_app
from tests.fake_bot_api import FakeBotApi, bot_settings
from tests.test_bot_e2e import _wait_for

ADMIN = 7
QUESTIONS = ["汝阳县未脱贫人口有多少", "沁县有多少名驻村第一书记", "汝阳县贫困发生率", "焦作市委书记是谁"]


@contextlib.asynccontextmanager
async def polling_bot(tmp_path, engine):
    with FakeBotApi() as api:
        settings = bot_settings(api, tmp_path)
        app = build_app(settings, engine, rate_limit=False)
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield app, api
            finally:
                await app.updater.stop()
                await app.stop()
        app.bot_data["store"].close()


def texts_of(api, chat: int) -> list[str]:
    return [r["text"] for r in api.sent() if int(r["chat_id"]) == chat]


async def test_other_chats_are_answered_while_a_reload_builds(tmp_path, engine, monkeypatch):
    started, finish = asyncio.Event(), asyncio.Event()

    async def slow_rebuild(_engine):
        started.set()
        await finish.wait()  # the build is "running" until the test lets it end
        return True, "Fact base built (test)."

    monkeypatch.setattr(handlers.admin, "rebuild", slow_rebuild)
    async with polling_bot(tmp_path, engine) as (app, api):
        api.message(ADMIN, "/reload", user_id=ADMIN)
        await asyncio.wait_for(started.wait(), 15)
        api.message(ADMIN, "汝阳县未脱贫人口有多少", user_id=ADMIN)  # same chat: waits for the reload
        others = list(range(300, 320))
        for n, chat in enumerate(others):
            api.message(chat, QUESTIONS[n % len(QUESTIONS)])
        sent = await _wait_for(api, len(others))
        assert {int(r["chat_id"]) for r in sent} == set(others)  # all answered, the build still going
        assert texts_of(api, ADMIN) == [] and not finish.is_set()
        api.message(ADMIN, "/reload", user_id=ADMIN)  # a second one waits its turn too
        finish.set()
        await _wait_for(api, len(others) + 3)
        admin_chat = texts_of(api, ADMIN)
        assert admin_chat[0] == "Fact base built (test)." and "5155人" in admin_chat[1]  # in order
        assert admin_chat[2] == "Fact base built (test)." and len(admin_chat) == 3


async def test_a_slow_answer_holds_up_only_its_own_chat(tmp_path, engine, monkeypatch):
    gate = threading.Event()
    real_ask = engine.ask

    def ask(question, session=None):
        if question == "汝阳县贫困发生率" and not gate.is_set():
            gate.wait(30)  # blocks its worker thread, as a 500 ms answer at 2,000 articles would
        return real_ask(question, session)

    monkeypatch.setattr(engine, "ask", ask)
    async with polling_bot(tmp_path, engine) as (app, api):
        api.message(1, "汝阳县贫困发生率")
        api.message(1, "沁县有多少名驻村第一书记")  # after the slow one in its chat
        for chat in range(2, 12):
            api.message(chat, "汝阳县未脱贫人口有多少")
        sent = await _wait_for(api, 10)
        assert {int(r["chat_id"]) for r in sent} == set(range(2, 12)) and texts_of(api, 1) == []
        gate.set()
        await _wait_for(api, 12)
        slow_chat = texts_of(api, 1)
        assert "1.18%" in slow_chat[0] and "179名" in slow_chat[1]


async def test_many_messages_of_one_chat_are_answered_in_order(tmp_path, engine):
    async with polling_bot(tmp_path, engine) as (app, api):
        order = QUESTIONS * 5
        for q in order:
            api.message(77, q)
        for chat in range(400, 410):
            api.message(chat, QUESTIONS[0])
        await _wait_for(api, len(order) + 10)
        marks = {
            "汝阳县未脱贫人口有多少": "5155人",
            "沁县有多少名驻村第一书记": "179名",
            "汝阳县贫困发生率": "1.18%",
        }
        for q, text in zip(order, texts_of(api, 77), strict=True):
            assert marks.get(q, "王小平") in text
