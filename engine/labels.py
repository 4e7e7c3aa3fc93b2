"""Labelled questions: what admins teach the bot (/review in Telegram), kept in a versioned JSON-lines
file, training/admin.jsonl, that the ranker is trained from at rebuild.

One line per question, in the team scorer's case format:

  {"id": "admin-<12 hex of sha1(question)>", "q": question, "found": true|false,
   "expect": [value] or [], "forbid": [], "tags": ["admin"], "article": file name or null,
   "labelled_by": user id, "ts": ISO time}

Labelling a question again replaces its line (same id), other lines keep their place and text (a
line edited by hand that is not valid JSON is kept as it is). Every write goes to a temporary file
in the same folder, then replaces the file in one step, so a reader sees the old or the new file.

Also here: the candidate answers an admin picks from (the engine's answer and its alternatives,
each with its value and article file), and the article files of a fact base.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from engine.types import Answer
from kb.numbers import dates, figures, phones

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
LABEL_MAX = 40  # characters of a candidate's button label


def default_path() -> Path:
    """The admins' labelled-questions file: $LABELS_FILE or training/admin.jsonl."""
    return Path(os.environ.get("LABELS_FILE") or ROOT / "training" / "admin.jsonl")


def label_id(question: str) -> str:
    """The case id of a question: "admin-" and the first 12 hex digits of its SHA-1."""
    return "admin-" + hashlib.sha1(question.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def case(
    question: str, value: str | None, article: str | None, user: int, ts: datetime | None = None
) -> dict:
    """The scorer case for one label; `value` None means "the articles do not say" (found false)."""
    return {
        "id": label_id(question),
        "q": question,
        "found": value is not None,
        "expect": [] if value is None else [value],
        "forbid": [],
        "tags": ["admin"],
        "article": None if value is None else article,
        "labelled_by": user,
        "ts": (ts or datetime.now(UTC)).isoformat(timespec="microseconds"),
    }


class LabelFile:
    """The labelled-questions file; safe across threads (one lock), atomic on disk."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self._lock = threading.Lock()

    def _lines(self) -> list[str]:
        try:
            return [ln for ln in self.path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        except FileNotFoundError:
            return []

    def read(self) -> list[dict]:
        """Every label in the file (lines that are not a JSON object with an id are skipped)."""
        with self._lock:
            lines = self._lines()
        out = []
        for n, line in enumerate(lines, start=1):
            row = _parse(line)
            if row is None:
                log.warning("%s line %d is not a label; left as it is", self.path, n)
            else:
                out.append(row)
        return out

    def by_question(self) -> dict[str, dict]:
        """The labels keyed by question text."""
        return {row["q"]: row for row in self.read() if isinstance(row.get("q"), str)}

    def record(self, question: str, value: str | None, article: str | None, user: int) -> dict:
        """Write the label of `question` (replacing an earlier one) and return it."""
        row = case(question, value, article, user)
        text = json.dumps(row, ensure_ascii=False)
        with self._lock:
            lines, replaced = [], False
            for line in self._lines():
                old = _parse(line)
                if old is not None and old.get("id") == row["id"]:
                    if not replaced:  # the first line of this question takes the new label
                        lines.append(text)
                    replaced = True
                else:
                    lines.append(line)
            if not replaced:
                lines.append(text)
            _write_atomically(self.path, "".join(f"{ln}\n" for ln in lines))
        return row


def _parse(line: str) -> dict | None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None
    return row if isinstance(row, dict) and isinstance(row.get("id"), str) else None


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---- the fact base's articles ------------------------------------------------------------------
@dataclass(frozen=True)
class ArticleInfo:
    """One article of a fact base: its file name and what the build read about it."""

    file: str
    title: str
    newspaper: str
    date: str


def fact_base_articles(db_path: str | Path) -> list[ArticleInfo]:
    """The articles a fact base file holds, in build order; none when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True, timeout=5.0)
        try:
            rows = conn.execute("select file, title, newspaper, date from articles order by id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("articles of %s cannot be read (%s)", db_path, exc)
        return []
    return [ArticleInfo(f, t or f, n or "", d or "") for f, t, n, d in rows]


# ---- candidate answers -------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """One answer an admin can pick: the value as the article writes it, where it comes from."""

    label: str  # button text: place and value
    value: str
    article: str | None  # file name of the article, None when not known
    title: str  # the article's title
    quote: str  # the sentence the value stands in


def candidates(engine, question: str, limit: int = 5) -> tuple[Answer, list[Candidate]]:
    """The engine's answer to `question` (no chat context) and the candidate values behind it: the
    answer's own value first, then those of its alternatives (the fact an alternative's key names,
    when the engine has Engine.card; else the values its label shows, read from its sentence)."""
    ans = engine.ask(question)
    files = {a.title: a.file for a in fact_base_articles(engine.db_path)}
    out: list[Candidate] = []

    def add(place: str | None, value: str, title: str, quote: str) -> None:
        value = value.strip()
        if value and all((c.value, c.title) != (value, title) for c in out):
            label = f"{place} {value}" if place and not value.startswith(place) else value
            out.append(Candidate(label[:LABEL_MAX], value, files.get(title), title, quote))

    if ans.found and ans.value and ans.sources:
        add(ans.place, ans.value, ans.sources[0].article, ans.sources[0].quote)
    card = getattr(engine, "card", None)  # an engine naming its alternatives' facts by key
    for alt in ans.alternatives:
        key = getattr(alt, "key", None)
        fact = card(key) if key and card else None
        if fact is not None and fact.value and fact.sources:
            add(fact.place, fact.value, fact.sources[0].article, fact.sources[0].quote)
            continue
        sub = engine.ask(alt.question)
        if not sub.found or not sub.sources:
            continue
        title, quote = sub.sources[0].article, sub.sources[0].quote
        for value in _values(alt.label, sub.place, quote):
            add(sub.place, value, title, quote)
    return ans, out[:limit]


def _values(label: str, place: str | None, quote: str) -> list[str]:
    """The values an alternative's label names: the figures, phone numbers and dates of its sentence
    that the label shows, else the label without its place (a name)."""
    written = [f.text for f in figures(quote)] + [m.group("number") for m in phones(quote)]
    written += [m.group(0) for m in dates(quote)]
    shown = [v for v in written if re.search(rf"(?<![\d.]){re.escape(v)}", label)]
    if shown:
        return list(dict.fromkeys(shown))
    rest = label
    if place and rest.startswith(place):
        rest = rest[len(place) :]
    rest = rest.lstrip(" ：:")
    return [rest] if rest and len(label) < LABEL_MAX else []  # a cut label is no value
