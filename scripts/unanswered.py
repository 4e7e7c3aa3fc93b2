#!/usr/bin/env python3
"""List the questions the bot could not answer, most often asked first (to improve the intent set)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

from engine.questionlog import QuestionLog  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--log", default=os.environ.get("QUESTION_LOG", "var/questions.db"))
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = QuestionLog(args.log).unanswered(args.limit)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False) if args.json else f"{row['times']:4}  {row['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
