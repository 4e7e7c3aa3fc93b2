"""The bot's own state in one SQLite file beside the question log (default var/bot.db), WAL journal:

- `inbox`: every update as received, written before Telegram is told it arrived (the next getUpdates
  confirms it; a webhook post gets its 200 only after this write). `state` goes received (0) ->
  logged in the question log (1) -> done (2); on start the bot handles again what is not done, and an
  update delivered twice is handled once.
- `answers`: per message the bot sent, the answer it carried and the session holding its follow-up
  context, so a reply to that message follows it up and /source works on it after a restart.
- `last`: the last answer with a source per (chat, user), for /source.

No telegram import: this is plain SQLite. One connection, used under a lock; the async wrappers run
the calls on one worker thread so the event loop never waits for the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from engine import Alternative, Answer, Source

log = logging.getLogger(__name__)
T = TypeVar("T")

RECEIVED, LOGGED, DONE = 0, 1, 2
KEEP_DONE_SECONDS = 2 * 86400  # Telegram keeps an unconfirmed update 24 h; done ones are kept twice that
KEEP_ANSWERS_SECONDS = 90 * 86400
MAX_ANSWERS = 200_000

_SCHEMA = """
create table if not exists inbox (
    update_id integer primary key, received real not null, payload text not null,
    state integer not null default 0
);
create index if not exists inbox_state on inbox (state);
create table if not exists answers (
    chat integer not null, message_id integer not null, ts real not null, session text,
    answer text not null, primary key (chat, message_id)
);
create table if not exists last (
    chat integer not null, user integer not null, ts real not null, answer text not null,
    primary key (chat, user)
);
"""


def answer_to_json(ans: Answer) -> str:
    return json.dumps(ans.to_dict(), ensure_ascii=False)


def answer_from_json(text: str) -> Answer | None:
    """The Answer stored by answer_to_json, or None when the row cannot be read (never raises)."""
    try:
        data = json.loads(text)
        data["sources"] = [Source(**s) for s in data.get("sources", [])]
        data["alternatives"] = [Alternative(**a) for a in data.get("alternatives", [])]
        return Answer(**data)
    except (TypeError, ValueError, KeyError):
        return None


class BotStore:
    """The inbox, the answers given and the last answer per user; safe across threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
        self._conn.execute("pragma journal_mode=wal")
        self._conn.execute("pragma synchronous=normal")  # WAL + normal: a commit survives a killed process
        self._conn.executescript(_SCHEMA)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-store")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Call one of the methods below on the store's worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def _write(self, statements: Iterable[tuple[str, tuple]]) -> int:
        """Run the statements in one transaction; the number of rows changed."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("begin immediate")
            try:
                changed = 0
                for sql, params in statements:
                    changed += cur.execute(sql, params).rowcount
                cur.execute("commit")
            except BaseException:
                cur.execute("rollback")
                raise
            return changed

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # ---- inbox -------------------------------------------------------------------------------
    def receive(self, update_id: int, payload: dict) -> bool:
        """Record an update as received; False when it was recorded before (a second delivery)."""
        row = (update_id, time.time(), json.dumps(payload, ensure_ascii=False, sort_keys=True))
        if self._write([("insert or ignore into inbox values (?, ?, ?, 0)", row)]):
            return True
        # the same id again: a second delivery, unless Telegram has started its ids afresh (it may after
        # a week without updates) and this is another update, which replaces the old record
        (old,) = self._read("select payload from inbox where update_id = ?", (update_id,))[0]
        if old == row[2]:
            return False
        self._write([("insert or replace into inbox values (?, ?, ?, 0)", row)])
        return True

    def state(self, update_id: int) -> int | None:
        """RECEIVED, LOGGED or DONE; None for an update that never went through the inbox."""
        rows = self._read("select state from inbox where update_id = ?", (update_id,))
        return rows[0][0] if rows else None

    def mark(self, update_id: int, state: int) -> None:
        """Move an update on to `state` (never back)."""
        self._write(
            [("update inbox set state = ? where update_id = ? and state < ?", (state, update_id, state))]
        )

    def pending(self) -> list[tuple[int, dict, int]]:
        """(update_id, payload, state) of the updates received but not done, oldest first."""
        rows = self._read("select update_id, payload, state from inbox where state < 2 order by update_id")
        out = []
        for update_id, payload, state in rows:
            try:
                out.append((update_id, json.loads(payload), state))
            except ValueError:
                log.warning("inbox: update %s cannot be read; skipped", update_id)
                self.mark(update_id, DONE)
        return out

    def counts(self) -> dict[str, int]:
        rows = self._read("select state, count(*) from inbox group by state")
        named = {RECEIVED: "received", LOGGED: "logged", DONE: "done"}
        return {named[s]: n for s, n in rows}

    # ---- answers -----------------------------------------------------------------------------
    def answered(
        self,
        update_id: int | None,
        chat: int,
        user: int | None,
        message_ids: list[int],
        session: str | None,
        answer: Answer,
    ) -> None:
        """The bot sent `answer` as these messages: remember it per message (and as this user's last
        answer when it has a source) and mark the update done, in one transaction."""
        now, data = time.time(), answer_to_json(answer)
        statements = [
            ("insert or replace into answers values (?, ?, ?, ?, ?)", (chat, mid, now, session, data))
            for mid in message_ids
        ]
        if answer.found and answer.sources and user is not None:
            statements.append(("insert or replace into last values (?, ?, ?, ?)", (chat, user, now, data)))
        if update_id is not None:
            statements.append(("update inbox set state = 2 where update_id = ?", (update_id,)))
        self._write(statements)

    def answer(self, chat: int, message_id: int) -> tuple[str | None, Answer] | None:
        """(session, answer) of a message the bot sent, or None when it is not one it remembers."""
        rows = self._read(
            "select session, answer from answers where chat = ? and message_id = ?", (chat, message_id)
        )
        if not rows:
            return None
        ans = answer_from_json(rows[0][1])
        return (rows[0][0], ans) if ans else None

    def last(self, chat: int, user: int) -> Answer | None:
        """This user's last answer with a source in this chat."""
        rows = self._read("select answer from last where chat = ? and user = ?", (chat, user))
        return answer_from_json(rows[0][0]) if rows else None

    def prune(self, now: float | None = None) -> None:
        """Forget done updates and old answers (bounded file)."""
        now = time.time() if now is None else now
        self._write(
            [
                ("delete from inbox where state = 2 and received < ?", (now - KEEP_DONE_SECONDS,)),
                ("delete from answers where ts < ?", (now - KEEP_ANSWERS_SECONDS,)),
                (
                    "delete from answers where rowid in (select rowid from answers order by ts desc "
                    "limit -1 offset ?)",
                    (MAX_ANSWERS,),
                ),
                ("delete from last where ts < ?", (now - KEEP_ANSWERS_SECONDS,)),
            ]
        )
