"""The real bot against a fake Bot API server on 127.0.0.1: question, /source, a button, admin /reload."""

import asyncio
import shutil

from bot.app import build_app
from bot.config import Settings
from engine import Engine
from tests.fake_bot_api import FakeBotApi


async def _wait_for(api: FakeBotApi, count: int, timeout: float = 15.0) -> list[dict]:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        sent = api.sent()
        if len(sent) >= count:
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError(f"bot sent {len(api.sent())} messages, expected {count}: {api.sent()}")


async def test_round_trip(tmp_path, built_db, articles_copy):
    db = tmp_path / "facts.db"
    shutil.copy(built_db, db)
    engine = Engine(db, articles_dir=articles_copy)
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST",
            base_url=api.base_url,
            admin_ids=frozenset({7}),
            question_log=str(tmp_path / "questions.db"),
            reload_seconds=60,
        )
        app = build_app(settings, engine)
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.05, timeout=1)
            try:
                api.message(42, "汝阳县未脱贫人口有多少？")
                sent = await _wait_for(api, 1)
                assert "5155" in sent[0]["text"] and sent[0]["parse_mode"] == "HTML"

                api.message(42, "/source")
                sent = await _wait_for(api, 2)
                assert "未脱贫人口2207户5155人" in sent[1]["text"]

                api.message(42, "沁阳市贫困村有多少户")  # no answer: closest topics as buttons
                sent = await _wait_for(api, 3)
                buttons = sent[2]["reply_markup"]["inline_keyboard"]
                assert buttons and all(len(b[0]["callback_data"].encode()) <= 64 for b in buttons)
                api.press(42, buttons[0][0]["callback_data"])
                sent = await _wait_for(api, 4)
                assert sent[3]["text"].startswith("<b>沁阳市") and "原文：“" in sent[3]["text"]
                assert any(m == "answerCallbackQuery" for m, _ in api.calls)

                api.message(42, "/reload", user_id=1)
                sent = await _wait_for(api, 5)
                assert "Admins only" in sent[4]["text"]
                api.message(42, "/reload", user_id=7)
                sent = await _wait_for(api, 6, timeout=30)
                assert "Fact base built" in sent[5]["text"]

                api.message(42, "/stats", user_id=7)
                sent = await _wait_for(api, 7)
                assert "Asked 2, answered 1, unanswered 1" in sent[6]["text"]  # a button press asks nothing
            finally:
                await app.updater.stop()
                await app.stop()
