"""`python -m bot`, started the way the README says, against the fake Bot API on 127.0.0.1: it answers
the evaluation questions exactly as scripts/ask.py (the engine) does, follow-ups included."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.format import answer_html
from engine import Engine
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = [
    ROOT / "intents" / "training" / "heldout1.jsonl",
    ROOT.parent / "shared" / "eval" / "dev.jsonl",
]


def _questions() -> list[dict]:
    rows = []
    for path in QUESTION_FILES:
        if path.exists():
            rows += [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return rows


def test_the_bot_process_answers_like_ask_py(tmp_path, built_db):
    cases = _questions()
    assert len(cases) >= 100  # intents/training/heldout1.jsonl ships with the project
    db = tmp_path / "facts.db"
    shutil.copy(built_db, db)
    chats: dict[str, int] = {}  # same session = same chat, as ask.py --jsonl reads "session"
    plan = []
    for n, case in enumerate(cases):
        key = case.get("session") or f"solo-{n}"
        chat = chats.setdefault(key, 1000 + len(chats))
        plan.append((chat, case["q"]))
    engine = Engine(db)  # what ask.py answers, asked in the same order with the same sessions
    expected: dict[int, list[str]] = {}
    for chat, q in plan:
        expected.setdefault(chat, []).append(answer_html(engine.ask(q, session=str(chat))))

    with FakeBotApi() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "TELEGRAM_BASE_URL": api.base_url,
            "KB_DB": str(db),
            "QUESTION_LOG": str(tmp_path / "q.db"),
            "KB_RELOAD_SECONDS": "3600",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            for chat, q in plan:
                api.message(chat, q)
            deadline = time.monotonic() + 120
            while len(api.sent()) < len(plan) and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGINT)
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
        assert proc.returncode == 0, out
    got: dict[int, list[str]] = {}
    for reply in api.sent():
        got.setdefault(reply["chat_id"], []).append(reply["text"])
    assert len(api.sent()) == len(plan), out[-3000:]
    assert got == expected
