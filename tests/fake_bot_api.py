"""A small fake Telegram Bot API on 127.0.0.1 for end-to-end tests: queues updates for getUpdates,
records every call the bot makes, and can be told to fail or stall a method (fault tests)."""

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

    def handle(self, method: str, params: dict):
        with self._lock:
            self.calls.append((method, params))
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
            while time.monotonic() < deadline:
                with self._lock:
                    if any(u["update_id"] >= offset for u in self.updates):
                        break
                time.sleep(0.02)
            with self._lock:
                return [u for u in self.updates if u["update_id"] >= offset]
        if method in ("sendMessage", "editMessageText"):
            with self._lock:
                self._next_message += 1
                mid = self._next_message
            return {
                "message_id": mid,
                "date": int(time.time()),
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    def push(self, update: dict) -> None:
        with self._lock:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(update)

    def sent(self) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == "sendMessage"]

    def message(
        self,
        chat_id: int,
        text: str,
        user_id: int = 1,
        chat_type: str = "private",
        reply_to_bot: bool = False,
    ) -> None:
        self.push({"message": make_message(chat_id, text, user_id, chat_type, reply_to_bot)})

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
    reply_to_bot: bool = False,
    **extra,
) -> dict:
    """A Bot API Message dict from a user; commands get their bot_command entity."""
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
            "message_id": 1,
            "date": int(time.time()),
            "from": BOT_USER,
            "text": "…",
            "chat": {"id": chat_id, "type": chat_type},
        }
    return msg
