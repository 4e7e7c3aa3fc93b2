"""`python -m bot`, started the way the README says, against the fake Bot API on 127.0.0.1: it answers
the evaluation questions exactly as scripts/ask.py (the engine) does, follow-ups included; and it
checks its settings first (a bad one: one line on stderr, exit 2)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.handlers import bot_side, language, reply_messages
from engine import Engine
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = [
    ROOT / "training" / "heldout1.jsonl",
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
    assert len(cases) >= 100  # training/heldout1.jsonl ships with the project
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
    for chat, q in plan:  # as the bot words it: the question quoted back at most 60 characters
        ans = bot_side(engine.ask(q, session=str(chat)), q, engine, language(q))
        expected.setdefault(chat, []).extend(reply_messages(ans))

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
    assert got == expected, out[-3000:]  # the bot's log says why a reply differs


def _run_bot(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "WEBHOOK_", "LOG_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**env, **env_extra},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_bad_settings_stop_the_bot_with_one_line_and_exit_2():
    cases = {
        "WEBHOOK_PORT": ("abc", "WEBHOOK_PORT='abc' is not a port number"),
        "BOT_MODE": ("webhok", "BOT_MODE='webhok' is not a mode; use one of: polling, webhook"),
        "BOT_ADMIN_IDS": ("123, @me", "BOT_ADMIN_IDS: '@me' is not a numeric Telegram user id"),
        "LOG_LEVEL": ("debug", "LOG_LEVEL='debug' is not a level; use one of: DEBUG, INFO"),
        "KB_RELOAD_SECONDS": ("soon", "KB_RELOAD_SECONDS='soon' is not a number of seconds"),
    }
    for name, (value, message) in cases.items():
        done = _run_bot({name: value, "TELEGRAM_BOT_TOKEN": "123:TEST"})
        assert done.returncode == 2, (name, done.stderr)
        assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
    webhook = _run_bot({"TELEGRAM_BOT_TOKEN": "123:TEST", "BOT_MODE": "webhook"})
    assert webhook.returncode == 2 and "needs WEBHOOK_URL" in webhook.stderr


def test_help_prints_usage_instead_of_starting():
    done = _run_bot({}, "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m bot")
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "BOT_ADMIN_IDS",
        "BOT_MODE",
        "WEBHOOK_URL",
        "LOG_LEVEL",
        "QUESTION_LOG",
    ):
        assert name in done.stdout
    assert _run_bot({}, "--token=1").returncode == 2


def test_env_example_names_every_setting():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.M))
    used = set(
        re.findall(
            r'get\("([A-Z_]+)"|_(?:url|seconds)\(env, "([A-Z_]+)"', (ROOT / "bot" / "config.py").read_text()
        )
    )
    used = {a or b for a, b in used}
    assert used and used <= documented, used - documented
