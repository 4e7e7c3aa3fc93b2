"""The Bot API failing or stalling: the bot logs it, tells the user when it can, keeps answering, and
keeps every question in the log."""

import asyncio
import logging
import shutil

from bot.app import build_app
from bot.config import Settings
from engine import Engine
from tests.fake_bot_api import FakeBotApi
from tests.test_bot_e2e import _wait_for


async def test_errors_and_timeouts_from_the_bot_api(tmp_path, built_db, caplog):
    db = tmp_path / "facts.db"
    shutil.copy(built_db, db)
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST",
            base_url=api.base_url,
            question_log=str(tmp_path / "q.db"),
            reload_seconds=3600,
            api_timeout=1.0,
        )
        app = build_app(settings, Engine(db))
        api.fail("getUpdates", 502, times=2)  # the Bot API is down when polling starts
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.05, timeout=1)
            try:
                api.message(1, "汝阳县未脱贫人口有多少")
                (first,) = await _wait_for(api, 1)
                assert "5155人" in first["text"]
                assert [m for m, _ in api.calls].count("failed:getUpdates") == 2

                api.fail("sendMessage", 500, times=2)  # the answer and the apology both fail
                with caplog.at_level(logging.ERROR):
                    api.message(2, "沁县有多少名驻村第一书记")
                    for _ in range(200):
                        if [m for m, _ in api.calls].count("failed:sendMessage") == 2:
                            break
                        await asyncio.sleep(0.05)
                    api.message(3, "汝阳县贫困发生率")  # the next question still gets through
                    sent = await _wait_for(api, 2)
                assert "1.18%" in sent[1]["text"] and sent[1]["chat_id"] == 3
                assert any("failed" in r.getMessage() for r in caplog.records)

                api.fail("sendMessage", 200, delay=2.5)  # stalls past the 1 s timeout
                api.message(4, "焦作市委书记是谁")
                sent = await _wait_for(api, 3)
                assert sent[2]["chat_id"] == 4 and "something went wrong" in sent[2]["text"]
            finally:
                await app.updater.stop()
                await app.stop()
    log = app.bot_data["questions"]
    assert log.stats()["asked"] == 4  # no question lost, whatever happened to the replies
