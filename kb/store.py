"""The fact base file: schema, writing with sqlite-utils, atomic swap, reading back."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from kb import pace, postings

if TYPE_CHECKING:
    import sqlite_utils

# 3: the `bigrams` table and sentences.norm (kb/postings.py); files of version 2 are still read, their
# folded texts and postings computed at load
SCHEMA_VERSION = 3
TABLES = ("articles", "sentences", "facts", "places", "terms", "meta")  # what the engine loads
BIGRAMS_TABLE = postings.TABLE  # sentence ids per character pair, loaded with the tables above
GAZETTEER_TABLE = "gazetteer"  # every known place (~3,400): read on demand (engine/hierarchy.py), not loaded
BUSY_SECONDS = 5.0  # how long a read waits for a file another connection has locked, then fails
FETCH = 512  # rows fetched between two pause points of a paced read (kb/pace.py)


_GAZETTEER_COLUMNS = {
    "code": str,
    "name": str,
    "level": str,
    "parent": str,
    "aliases": str,
    "english": str,
    "source": str,
    "parent_source": str,
    "articles": int,
}


def write(path: Path, rows: dict[str, list[dict]]) -> None:
    """Write a complete fact base to `path` (which must not be the file being served)."""
    import sqlite_utils  # here: serving only reads (plain sqlite3), and sqlite-utils brings numpy along

    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    try:
        _fill(db, rows)
    finally:
        db.close()


def _fill(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Create and fill every table of a new fact base, then commit."""
    db["articles"].insert_all(rows["articles"], pk="id")
    # each sentence with its folded text (kb/postings.py fold), which the engine compares and the postings index
    sentences = [{**s, "norm": postings.fold(s["text"])} for s in rows["sentences"]]
    db["sentences"].insert_all(sentences, pk="id", foreign_keys=[("article_id", "articles", "id")])
    db["facts"].insert_all(rows["facts"], pk="id", foreign_keys=[("sentence_id", "sentences", "id")])
    db["places"].insert_all(rows["places"], pk="name")
    db["terms"].insert_all(rows["terms"], pk="term")
    db[BIGRAMS_TABLE].create({"gram": str, "ids": bytes}, pk="gram")
    db[BIGRAMS_TABLE].insert_all(postings.rows(sentences))
    db[GAZETTEER_TABLE].insert_all(rows.get(GAZETTEER_TABLE, []), columns=_GAZETTEER_COLUMNS)
    db[GAZETTEER_TABLE].create_index(["name"])
    db["meta"].insert_all([{"key": "schema_version", "value": str(SCHEMA_VERSION)}], pk="key")
    db["sentences"].create_index(["article_id"])
    db["facts"].create_index(["place"])
    db["facts"].create_index(["sentence_id"])
    db.conn.commit()


def check(path: Path) -> dict[str, int]:
    """Open a fact base read-only and count its rows; raises ValueError when it is not usable."""
    if not path.exists():
        raise ValueError(f"fact base {path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
        try:
            if conn.execute("pragma quick_check").fetchone()[0] != "ok":
                raise ValueError(f"fact base {path} is corrupt")
            names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
            missing = {*TABLES, GAZETTEER_TABLE, BIGRAMS_TABLE} - names
            if missing:
                raise ValueError(f"fact base {path} lacks tables {sorted(missing)}")
            return {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in TABLES}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"fact base {path} cannot be read: {exc}") from exc


def swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` atomically: readers see the old file or the new one, never half."""
    fd = os.open(new, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(new, target)


def read_all(path: Path) -> dict[str, list[dict]]:
    """Every row of every table, for loading into memory (waits at most BUSY_SECONDS for a lock)."""
    tables, _ = read_index(path, with_postings=False)
    return {t: [dict(zip(cols, r, strict=True)) for r in data] for t, (cols, data) in tables.items()}


def read_index(
    path: Path, with_postings: bool = True
) -> tuple[dict[str, tuple[tuple[str, ...], list[tuple]]], dict[str, bytes] | None]:
    """What the engine loads, read through one connection (one file, even if another is swapped in
    meanwhile): every table as (column names, rows as tuples: a fifth of the memory of dicts at 2,000
    articles), and the bigram postings as pair -> blob (kb/postings.py), None when the file predates them
    (schema version 2)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    try:
        tables = {}
        for t in TABLES:
            cur = conn.execute(f"select * from [{t}]")
            tables[t] = (tuple(d[0] for d in cur.description), fetch(cur))
        has = conn.execute("select 1 from sqlite_master where type = 'table' and name = ?", (BIGRAMS_TABLE,))
        if not with_postings or not has.fetchone():
            return tables, None
        return tables, dict(fetch(conn.execute(f"select gram, ids from [{BIGRAMS_TABLE}]")))
    finally:
        conn.close()


def fetch(cur: sqlite3.Cursor) -> list[tuple]:
    """Every row of a query: at once, or FETCH rows at a time with a pause point between when this thread
    is paced (a bot loading a rebuilt fact base, kb/pace.py)."""
    if not pace.active():
        return cur.fetchall()
    out: list[tuple] = []
    while chunk := cur.fetchmany(FETCH):
        out += chunk
        pace.point()
    return out


def read_summary(path: Path) -> dict:
    """What a build compares against in the fact base being replaced: per article file its sha1, number of
    facts and the places its sentences are about, and every fact's key (file, place, clause, value)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    try:
        files = dict(conn.execute("select id, file from articles"))
        sha = dict(conn.execute("select file, sha1 from articles"))
        facts: dict[str, int] = dict.fromkeys(sha, 0)
        keys = set()
        for aid, place, clause, value in conn.execute("select article_id, place, clause, value from facts"):
            facts[files[aid]] += 1
            keys.add((files[aid], place, clause, value))
        places: dict[str, set[str]] = {f: set() for f in sha}
        for aid, names in conn.execute("select distinct article_id, places from sentences"):
            places[files[aid]].update(p for p in (names or "").split("|") if p)
        return {"sha": sha, "facts": facts, "places": places, "keys": keys}
    finally:
        conn.close()
