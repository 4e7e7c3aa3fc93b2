"""The fake Bot API (tests/fake_bot_api.py) with files: getFile and the file download URL, so
documents sent to the bot can be fetched as from Telegram. Still on 127.0.0.1 only."""

from __future__ import annotations

import itertools
import time

from tests.fake_bot_api import FakeBotApi, _message_ids

_file_ids = itertools.count(1)


class FakeBotApiWithFiles(FakeBotApi):
    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}
        api = self

        def do_GET(handler):  # noqa: N802 - http.server's name; GET /file/bot<token>/documents/<id>
            key = handler.path.rsplit("/", 1)[-1]
            data = api.files.get(key)
            with api._lock:
                api.calls.append(("download", {"path": handler.path}))
            handler.send_response(200 if data is not None else 404)
            handler.send_header("Content-Length", str(len(data or b"")))
            handler.end_headers()
            handler.wfile.write(data or b"")

        self.server.RequestHandlerClass.do_GET = do_GET

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def handle(self, method: str, params: dict):
        if method != "getFile":
            return super().handle(method, params)
        with self._lock:
            self.calls.append((method, params))
        fid = params["file_id"]
        return {
            "file_id": fid,
            "file_unique_id": fid,
            "file_size": len(self.files.get(fid, b"")),
            "file_path": f"documents/{fid}",
        }

    def document(
        self,
        chat_id: int,
        name: str | None,
        data: bytes,
        user_id: int = 1,
        chat_type: str = "private",
        size: int | None = None,
    ) -> dict:
        """A Message dict carrying `data` as a document named `name` (its stated size `size`)."""
        fid = f"doc{next(_file_ids)}"
        self.files[fid] = data
        doc = {"file_id": fid, "file_unique_id": fid, "file_size": len(data) if size is None else size}
        if name is not None:
            doc["file_name"] = name
        return {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": user_id, "is_bot": False, "first_name": "Admin"},
            "document": doc,
        }

    def downloads(self) -> int:
        with self._lock:
            return sum(1 for m, _ in self.calls if m in ("getFile", "download"))
