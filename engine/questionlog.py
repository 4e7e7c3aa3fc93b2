"""Every question asked, in its own SQLite file (not the fact base: it survives rebuilds).
Admins read the unanswered ones to improve the intent set (scripts/unanswered.py).

Recording never fails and never loses a question: when the file cannot be written (locked by
another connection, read-only folder, full disk) the record is kept in memory, a warning is logged,
and every later call writes the kept records first. `stats()` and `unanswered()` count them too.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import sqlite_utils

log = logging.getLogger(__name__)
MAX_TEXT = 1000  # characters of a question kept
MAX_PENDING = 20_000  # records kept in memory while the file cannot be written (about 20 MB at most)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_COLUMNS = ("ts", "chat", "text", "found", "intent", "place", "confidence")


def _text(value: object) -> str:
    """A value SQLite can store as UTF-8 text: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value if isinstance(value, str) else str(value))


class QuestionLog:
    """Append-only log of questions; safe across threads (one lock, WAL journal)."""

    def __init__(self, path: str | Path, *, timeout: float = 1.0):
        """`timeout`: seconds a write waits for another connection's lock before keeping records in memory."""
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._db: sqlite_utils.Database | None = None
        self._pending: list[tuple] = []  # rows not yet written, oldest first
        self.dropped = 0  # kept records given up because the file stayed unwritable past MAX_PENDING
        with self._lock:
            try:
                self._open()
            except (OSError, sqlite3.Error) as exc:
                log.warning(
                    "question log %s cannot be opened (%s); questions are kept in memory for now",
                    self.path,
                    exc,
                )

    def _open(self) -> sqlite_utils.Database:
        """The open log file, opening it and creating its table on first use; raises if that fails."""
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False)
            try:
                conn.execute("pragma journal_mode=wal")
                db = sqlite_utils.Database(conn)
                if "questions" not in db.table_names():
                    db["questions"].create(
                        {
                            "id": int,
                            "ts": float,
                            "chat": str,
                            "text": str,
                            "found": int,
                            "intent": str,
                            "place": str,
                            "confidence": float,
                        },
                        pk="id",
                    )
                    db["questions"].create_index(["found"])
                elif "confidence" not in db["questions"].columns_dict:  # a log written before confidence
                    with contextlib.suppress(sqlite3.OperationalError):  # another process added it first
                        db["questions"].add_column("confidence", float)
            except BaseException:
                conn.close()
                raise
            self._db = db
        return self._db

    def _reset(self) -> None:
        """Drop the connection after a failed write, so the next call opens the file afresh."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.conn.close()
            self._db = None

    def _flush(self) -> None:
        """Write the kept records in one transaction; on failure keep them all and log a warning."""
        if not self._pending:
            return
        try:
            conn = self._open().conn
            with conn:
                conn.executemany(
                    f"insert into questions ({', '.join(_COLUMNS)}) values ({', '.join('?' * len(_COLUMNS))})",
                    self._pending,
                )
        except (OSError, sqlite3.Error) as exc:
            log.warning(
                "question log %s cannot be written (%s); %d record(s) kept in memory",
                self.path,
                exc,
                len(self._pending),
            )
            self._reset()
            return
        if len(self._pending) > 1:
            log.info("question log %s: wrote %d record(s) kept in memory", self.path, len(self._pending))
        self._pending.clear()

    def record(
        self,
        chat: str,
        text: str,
        found: bool,
        intent: str,
        place: str | None,
        confidence: float | None = None,
    ) -> None:
        """Log one question (its first MAX_TEXT characters); a file that cannot be written never raises.
        `confidence` is the answer's (0..1), None when the caller does not say."""
        row = (
            time.time(),
            _text(chat),
            _text(text)[:MAX_TEXT],
            int(bool(found)),
            _text(intent),
            None if place is None else _text(place),
            None if confidence is None else float(confidence),
        )
        with self._lock:
            self._pending.append(row)
            self._flush()
            if len(self._pending) > MAX_PENDING:  # unwritable for very long: bound the memory kept
                del self._pending[0]
                self.dropped += 1
                log.error(
                    "question log %s unwritable for %d records: dropped the oldest (%d so far)",
                    self.path,
                    MAX_PENDING,
                    self.dropped,
                )

    @property
    def pending(self) -> int:
        """Records kept in memory because the file could not be written yet."""
        with self._lock:
            return len(self._pending)

    def _stored(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of a query on the file, or none when it cannot be read (the kept records still count)."""
        try:
            return self._open().execute(sql, params or []).fetchall()
        except (OSError, sqlite3.Error) as exc:
            log.warning("question log %s cannot be read (%s)", self.path, exc)
            return []

    def stats(self) -> dict[str, int]:
        """Questions asked, answered and unanswered, including records not yet written."""
        with self._lock:
            self._flush()
            rows = self._stored("select count(*), coalesce(sum(found), 0) from questions")
            asked, answered = rows[0] if rows else (0, 0)
            asked += len(self._pending)
            answered += sum(r[3] for r in self._pending)
        return {"asked": asked, "answered": answered, "unanswered": asked - answered}

    def unanswered(self, limit: int = 50) -> list[dict]:
        """Unanswered questions, most often asked first."""
        with self._lock:
            self._flush()
            if not self._pending:
                rows = self._stored(
                    "select text, count(*) as times, max(ts) as last from questions where found = 0 "
                    "group by text order by times desc, last desc limit ?",
                    [limit],
                )
                return [{"text": r[0], "times": r[1], "last": r[2]} for r in rows]
            rows = self._stored("select text, count(*), max(ts) from questions where found = 0 group by text")
            times: Counter[str] = Counter({r[0]: r[1] for r in rows})
            last = {r[0]: r[2] for r in rows}
            for ts, _, text, found, *_ in self._pending:
                if not found:
                    times[text] += 1
                    last[text] = max(last.get(text, ts), ts)
        ranked = sorted(times, key=lambda t: (-times[t], -last[t]))[:limit]
        return [{"text": t, "times": times[t], "last": last[t]} for t in ranked]

    def weak(self, limit: int = 200, below: float = 0.8) -> list[dict]:
        """Questions asked without an answer or answered with confidence under `below` (rows logged
        before confidence was recorded count only when unanswered), most often asked first, then the
        most recent: {"text", "times", "last", "found", "intent", "confidence"}; the last three are
        those of the latest weak ask. Records not yet written count too."""
        with self._lock:
            self._flush()
            rows = self._stored(  # SQLite: the bare columns come from the row holding max(ts)
                "select text, count(*), max(ts), found, intent, confidence from questions "
                "where found = 0 or confidence < ? group by text",
                [below],
            )
            found: dict[str, dict] = {}
            for text, times, last, was_found, intent, conf in rows:
                found[text] = {
                    "text": text,
                    "times": times,
                    "last": last,
                    "found": bool(was_found),
                    "intent": intent,
                    "confidence": conf,
                }
            for ts, _, text, was_found, intent, _, conf in self._pending:
                if was_found and (conf is None or conf >= below):
                    continue
                row = found.setdefault(text, {"text": text, "times": 0, "last": ts})
                row["times"] += 1
                if ts >= row["last"] or "found" not in row:
                    row.update(last=ts, found=bool(was_found), intent=intent, confidence=conf)
        return sorted(found.values(), key=lambda r: (-r["times"], -r["last"]))[:limit]
