#!/usr/bin/env python3
"""Health check (the image's HEALTHCHECK): exit 0 when the fact base the bot serves opens read-only and
holds facts, else exit 1 with the reason. Standard library only, so it costs milliseconds.

  python scripts/healthcheck.py [--db FILE]        default $KB_DB, else kb/facts.db
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(db: Path) -> str:
    """A one-line description of the fact base; raises RuntimeError when it cannot serve."""
    if not db.is_file():
        raise RuntimeError(f"no fact base at {db}")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            counts = {
                t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "facts")
            }
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise RuntimeError(f"fact base {db} unreadable: {exc}") from exc
    if not counts["facts"]:
        raise RuntimeError(f"fact base {db} holds no facts")
    return f"ok: {db} ({counts['articles']} articles, {counts['facts']} facts)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="fact base file (default $KB_DB, else kb/facts.db)")
    args = ap.parse_args(argv)
    db = Path(args.db or os.environ.get("KB_DB") or ROOT / "kb" / "facts.db")
    try:
        print(check(db))
    except RuntimeError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
