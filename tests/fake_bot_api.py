"""A small fake Telegram Bot API on 127.0.0.1 for end-to-end tests: queues updates for getUpdates
(a getUpdates with an offset confirms and forgets the updates before it, as Telegram does), records
every call the bot makes, and can be told to fail or stall a method (fault tests), to hold a method's
calls until released (kill tests: a reply in flight when the bot dies) and to stop taking
confirmations (as if the bot died before its next getUpdates)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_USER = {
    "id": 999,
    "is_bot": True,
    "first_name": "Programme",
    "username": "programme_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


class FakeBotApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []
        self.faults: dict[str, list[tuple[int, float]]] = {}  # method -> pending (status, delay) to apply
        self._next_update = 1
        self._next_message = 100
        self._lock = threading.Lock()
        self.confirmed = 0  # every update below this id is confirmed (and forgotten)
        self.delivered = 0  # highest update id a getUpdates has returned
        self.confirm_frozen = False  # True: offsets are ignored, nothing more is confirmed
        self._holds: dict[str, threading.Event] = {}
        self._drop: dict[str, bool] = {}
        self.holding: dict[str, int] = {}  # method -> calls waiting in a hold now
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    params = json.loads(body or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(body).items()}
                    for k, v in params.items():
                        with contextlib.suppress(ValueError, TypeError):
                            params[k] = json.loads(v)
                method = self.path.rsplit("/", 1)[-1]
                if not api.wait_if_held(method):
                    self.close_connection = True  # dropped: never reached "Telegram", no reply
                    return
                status, delay = api.fault(method)
                if delay:
                    time.sleep(delay)
                if status != 200:
                    with api._lock:
                        api.calls.append((f"failed:{method}", params))
                    payload = {"ok": False, "error_code": status, "description": f"Fake failure {status}"}
                else:
                    payload = {"ok": True, "result": api.handle(method, params)}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a stalled-call fault): nothing to tell it

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def __enter__(self) -> FakeBotApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, status: int = 500, times: int = 1, delay: float = 0.0) -> None:
        """Make the next `times` calls of `method` wait `delay` seconds and answer HTTP `status`."""
        with self._lock:
            self.faults.setdefault(method, []).extend([(status, delay)] * times)

    def fault(self, method: str) -> tuple[int, float]:
        """The (status, delay) for this call of `method`: a pending fault, else (200, 0)."""
        with self._lock:
            pending = self.faults.get(method)
            return pending.pop(0) if pending else (200, 0.0)

    def hold(self, method: str) -> None:
        """From now on, calls of `method` wait (unrecorded, unanswered) until release(method)."""
        with self._lock:
            self._holds[method] = threading.Event()

    def release(self, method: str, drop: bool = False) -> None:
        """Let the held calls of `method` go on, or with drop=True close them unanswered and unrecorded
        (they never reached Telegram)."""
        with self._lock:
            event = self._holds.pop(method, None)
            self._drop[method] = drop
        if event:
            event.set()

    def wait_if_held(self, method: str) -> bool:
        """Block while `method` is held; False when the call is to be dropped."""
        with self._lock:
            event = self._holds.get(method)
            if event is None:
                return True
            self.holding[method] = self.holding.get(method, 0) + 1
        event.wait()
        with self._lock:
            self.holding[method] -= 1
            return not self._drop.get(method, False)

    def freeze_confirmations(self) -> None:
        """Take no more confirmations: as if every later getUpdates never reached Telegram."""
        with self._lock:
            self.confirm_frozen = True

    def handle(self, method: str, params: dict):
        with self._lock:
            self.calls.append((method, params))
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self._lock:
                if offset and not self.confirm_frozen and offset > self.confirmed:
                    self.confirmed = offset
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
            while time.monotonic() < deadline:
                with self._lock:
                    if any(u["update_id"] >= offset for u in self.updates):
                        break
                time.sleep(0.02)
            with self._lock:
                out = [u for u in self.updates if u["update_id"] >= offset][:100]
                if out:
                    self.delivered = max(self.delivered, out[-1]["update_id"])
                return out
        if method in ("sendMessage", "editMessageText"):
            with self._lock:
                self._next_message += 1
                mid = self._next_message
                params["_message_id"] = mid  # the id the bot is told its message has
            return {
                "message_id": mid,
                "date": int(time.time()),
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    def push(self, update: dict) -> int:
        with self._lock:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(update)
            return update["update_id"]

    @property
    def last_update_id(self) -> int:
        with self._lock:
            return self._next_update - 1

    def sent(self) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == "sendMessage"]

    def message(
        self,
        chat_id: int,
        text: str,
        user_id: int = 1,
        chat_type: str = "private",
        reply_to_bot: bool | int = False,
    ) -> int:
        return self.push({"message": make_message(chat_id, text, user_id, chat_type, reply_to_bot)})

    def press(self, chat_id: int, data: str, user_id: int = 1) -> None:
        self.push(
            {
                "callback_query": {
                    "id": f"cb{self._next_update}",
                    "chat_instance": "ci",
                    "data": data,
                    "from": {"id": user_id, "is_bot": False, "first_name": "Resident"},
                    "message": {
                        "message_id": 1,
                        "date": int(time.time()),
                        "text": "x",
                        "chat": {"id": chat_id, "type": "private"},
                    },
                }
            }
        )


_message_ids = iter(range(10_000, 10**9))


def make_message(
    chat_id: int,
    text: str | None,
    user_id: int = 1,
    chat_type: str = "private",
    reply_to_bot: bool | int = False,
    **extra,
) -> dict:
    """A Bot API Message dict from a user; commands get their bot_command entity. `reply_to_bot`:
    True replies to some message of the bot, a number to the bot's message with that id."""
    msg = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": chat_type},
        "from": {"id": user_id, "is_bot": False, "first_name": "Resident"},
        **extra,
    }
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to_bot:
        msg["reply_to_message"] = {
            "message_id": 1 if reply_to_bot is True else int(reply_to_bot),
            "date": int(time.time()),
            "from": BOT_USER,
            "text": "…",
            "chat": {"id": chat_id, "type": chat_type},
        }
    return msg


ADMIN_ID = 7  # the admin user of the bot tests


def bot_settings(api, tmp_path, **overrides):
    """Bot settings for a test against `api`: one admin, the question log in `tmp_path`, no reload polling."""
    from bot.config import Settings

    fields = {
        "token": "123:TEST",
        "base_url": api.base_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "question_log": str(tmp_path / "questions.db"),
        "reload_seconds": 3600,
    }
    return Settings(**{**fields, **overrides})


def callback_query(chat: int, data: str, user_id: int, query_id: str) -> dict:
    """A button press in `chat` by `user_id`, as Telegram sends it."""
    return {
        "id": query_id,
        "chat_instance": "ci",
        "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": "Admin"},
        "message": make_message(chat, "…"),
    }
