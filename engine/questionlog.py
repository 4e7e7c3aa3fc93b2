"""Every question asked, in its own SQLite file (not the fact base: it survives rebuilds).
Admins read the unanswered ones to improve the intent set (scripts/unanswered.py)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import sqlite_utils


class QuestionLog:
    """Append-only log of questions; safe across threads (one lock, WAL journal)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite_utils.Database(sqlite3.connect(self.path, check_same_thread=False))
        self._db.conn.execute("pragma journal_mode=wal")
        if "questions" not in self._db.table_names():
            self._db["questions"].create({"id": int, "ts": float, "chat": str, "text": str, "found": int,
                                          "intent": str, "place": str}, pk="id")
            self._db["questions"].create_index(["found"])

    def record(self, chat: str, text: str, found: bool, intent: str, place: str | None) -> None:
        with self._lock:
            self._db["questions"].insert({"ts": time.time(), "chat": chat, "text": text[:1000], "found": int(found),
                                          "intent": intent, "place": place})

    def stats(self) -> dict[str, int]:
        with self._lock:
            row = self._db.execute("select count(*), coalesce(sum(found), 0) from questions").fetchone()
        return {"asked": row[0], "answered": row[1], "unanswered": row[0] - row[1]}

    def unanswered(self, limit: int = 50) -> list[dict]:
        """Unanswered questions, most often asked first."""
        with self._lock:
            rows = self._db.execute(
                "select text, count(*) as times, max(ts) as last from questions where found = 0 "
                "group by text order by times desc, last desc limit ?", [limit]).fetchall()
        return [{"text": r[0], "times": r[1], "last": r[2]} for r in rows]
