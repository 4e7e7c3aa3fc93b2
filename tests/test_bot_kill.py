"""kill -9 loses nothing: `python -m bot` against the fake Bot API on 127.0.0.1 is killed with SIGKILL
mid-burst, while replies are in flight (held by the fake server, then dropped: they never reached
"Telegram") and after it fetched updates whose confirmation never arrived; restarted, it answers every
question exactly once, in each chat's order, and the question log holds each question once."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.handlers import bot_side, language, reply_messages
from engine import Engine
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
CHATS = 20
PER_CHAT = 5  # burst A: 4 per chat, burst B: 1 more per chat, fetched but never confirmed


def _wait(predicate, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.05)
    return predicate()


_PROBES = (
    "焦作市有多少贫困村",
    "汝阳县有多少贫困村",
    "沁县有多少贫困村",
    "周口市有多少贫困村",
    "沁阳有几个贫困村",
)


def _standalone_questions(engine: Engine, n: int) -> list[str]:
    """Questions whose answer does not depend on what was asked before (a restart forgets context)."""
    rows = [
        json.loads(line)
        for line in (ROOT / "training/heldout1.jsonl").read_text("utf-8").splitlines()
        if line
    ]
    out = []
    for row in rows:
        q = row["q"]
        if row.get("session") or q in out:
            continue
        alone = engine.ask(q).text
        # after a question about any of the places (a question naming none is read about the chat's place)
        if all(
            engine.ask(probe, session=f"probe:{probe}")
            and engine.ask(q, session=f"probe:{probe}").text == alone
            for probe in _PROBES
        ):
            out.append(q)
        if len(out) == n:
            break
    return out


def _start(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def test_sigkill_mid_burst_then_restart_answers_every_question_once(tmp_path, built_db):
    db = tmp_path / "facts.db"
    shutil.copy(built_db, db)
    engine = Engine(db)
    questions = _standalone_questions(engine, 40)
    assert len(questions) == 40
    plan = {
        1000 + c: [questions[(c * 3 + k) % len(questions)] for k in range(PER_CHAT)] for c in range(CHATS)
    }
    expected = {
        chat: [m for q in qs for m in reply_messages(bot_side(engine.ask(q), q, engine, language(q)))]
        for chat, qs in plan.items()
    }
    qlog = tmp_path / "var" / "questions.db"
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "TELEGRAM_BASE_URL": api.base_url,
            "KB_DB": str(db),
            "QUESTION_LOG": str(qlog),
            "KB_RELOAD_SECONDS": "3600",
            "TELEGRAM_TIMEOUT": "60",  # a held reply must not time out before the kill
        }
        proc = _start(env)
        try:
            for k in range(PER_CHAT - 1):  # burst A
                for chat, qs in plan.items():
                    api.message(chat, qs[k])
            assert _wait(lambda: len(api.sent()) >= 15, 60, proc), "the bot did not start answering"
            api.hold("sendMessage")  # replies from now on are in flight when the bot dies
            assert _wait(lambda: api.confirmed > CHATS * (PER_CHAT - 1), 30, proc)  # burst A all confirmed
            api.freeze_confirmations()
            for chat, qs in plan.items():  # burst B: fetched, recorded, its confirmation never arrives
                api.message(chat, qs[-1])
            assert _wait(lambda: api.delivered == api.last_update_id, 30, proc)
            assert _wait(lambda: api.holding.get("sendMessage", 0) >= 5, 30, proc)
            time.sleep(0.5)  # let every handler reach its held reply
            answered_before = len(api.sent())
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            api.release("sendMessage", drop=True)
        first_out = proc.stdout.read().decode(errors="replace")
        assert answered_before < CHATS * PER_CHAT, "the kill came too late to test anything"
        assert api.confirmed <= CHATS * (PER_CHAT - 1) + 1 < api.last_update_id  # burst B unconfirmed

        proc = _start(env)
        try:
            assert _wait(lambda: len(api.sent()) >= CHATS * PER_CHAT, 90, proc), first_out[-2000:]
            time.sleep(1.0)  # any second reply to the same question would arrive now
        finally:
            proc.send_signal(signal.SIGINT)
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
        assert proc.returncode == 0, out[-3000:]
    got: dict[int, list[str]] = {}
    for reply in api.sent():
        got.setdefault(int(reply["chat_id"]), []).append(reply["text"])
    assert got == expected  # every question answered, once, in its chat's order
    with sqlite3.connect(qlog) as conn:
        logged = sorted(conn.execute("select chat, text from questions").fetchall())
    assert logged == sorted((str(chat), q) for chat, qs in plan.items() for q in qs)  # each logged once
    assert any(m == "setMyCommands" for m, _ in api.calls)
