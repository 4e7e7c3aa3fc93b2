"""Webhook mode (BOT_MODE=webhook): the bot registers its URL and secret with the Bot API, listens on
127.0.0.1, refuses posts without the secret and answers the ones with it."""

import asyncio
import socket
import time

import httpx
import pytest
from telegram import Update

from bot.app import build_app
from bot.config import Settings
from tests.fake_bot_api import FakeBotApi, make_message
from tests.test_bot_e2e import _wait_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg/hook")
    monkeypatch.setenv("WEBHOOK_PORT", "8081")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    opts = Settings.from_env().webhook_options()
    assert opts == {
        "listen": "127.0.0.1",
        "port": 8081,
        "url_path": "tg/hook",
        "webhook_url": "https://bot.example.org/tg/hook",
        "secret_token": "s3cret",
    }
    monkeypatch.delenv("WEBHOOK_URL")
    with pytest.raises(ValueError, match="WEBHOOK_URL"):
        Settings.from_env().webhook_options()


async def test_webhook_round_trip(tmp_path, engine):
    port = _free_port()
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST",
            base_url=api.base_url,
            mode="webhook",
            webhook_port=port,
            webhook_url=f"http://127.0.0.1:{port}/tg/hook",
            webhook_secret="s3cret",
            question_log=str(tmp_path / "questions.db"),
            reload_seconds=3600,
        )
        app = build_app(settings, engine)
        async with app:
            await app.start()
            await app.updater.start_webhook(**settings.webhook_options(), allowed_updates=Update.ALL_TYPES)
            try:
                (hook,) = [p for m, p in api.calls if m == "setWebhook"]
                assert hook["url"] == settings.webhook_url and hook["secret_token"] == "s3cret"
                update = {"update_id": 1, "message": make_message(77, "沁县有多少名驻村第一书记")}
                async with httpx.AsyncClient() as client:
                    url = f"http://127.0.0.1:{port}/tg/hook"
                    refused = await client.post(url, json=update)
                    wrong = await client.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
                    )
                    ok = await client.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                    )
                assert refused.status_code == 403 and wrong.status_code == 403 and ok.status_code == 200
                (reply,) = await _wait_for(api, 1)
                assert reply["chat_id"] == 77 and "179名" in reply["text"]
            finally:
                await app.updater.stop()
                await app.stop()


async def test_webhook_answers_200_only_once_the_update_is_recorded(tmp_path, engine, monkeypatch):
    port = _free_port()
    with FakeBotApi() as api:
        settings = Settings(
            token="123:TEST",
            base_url=api.base_url,
            mode="webhook",
            webhook_port=port,
            webhook_url=f"http://127.0.0.1:{port}/hook",
            question_log=str(tmp_path / "questions.db"),
            reload_seconds=3600,
        )
        app = build_app(settings, engine)
        store = app.bot_data["store"]
        real_receive = store.receive

        def slow_receive(update_id, payload):  # a slow disk: the post must wait for it
            time.sleep(0.3)
            return real_receive(update_id, payload)

        monkeypatch.setattr(store, "receive", slow_receive)
        async with app:
            await app.start()
            await app.updater.start_webhook(**settings.webhook_options(), allowed_updates=Update.ALL_TYPES)
            try:
                update = {"update_id": 41, "message": make_message(78, "汝阳县未脱贫人口有多少")}
                async with httpx.AsyncClient() as client:
                    ok = await client.post(f"http://127.0.0.1:{port}/hook", json=update)
                    assert ok.status_code == 200
                    assert store.state(41) is not None  # recorded before the 200 went out
                    again = await client.post(
                        f"http://127.0.0.1:{port}/hook", json=update
                    )  # Telegram retries
                    assert again.status_code == 200
                (reply,) = await _wait_for(api, 1)
                assert "5155人" in reply["text"]
                await asyncio.sleep(0.5)
                assert len(api.sent()) == 1  # the second delivery is not answered again
            finally:
                await app.updater.stop()
                await app.stop()
        store.close()
