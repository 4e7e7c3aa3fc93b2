#!/usr/bin/env python3
"""Build the fact base from the articles and swap it in (the admin's command).

  python scripts/build_kb.py                       kb/articles -> kb/facts.db
  python scripts/build_kb.py --articles DIR --db FILE
  python scripts/build_kb.py --allow-removal       let articles in the fact base shrink or be dropped

Articles are *.txt (UTF-8, or GB18030) and *.pdf files. On any error the previous fact base stays in place
and serving; the exit status is 1. An article already in the fact base that has become unreadable, or that
would lose more than half its facts, is such an error (the message names the file and why) unless
--allow-removal is given; to remove an article, delete its file (the report says what went). A new file
that is no article (binary, random characters, no figures) is rejected with its reason and the others
build (exit status 0). A running bot picks up the new file by itself within seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import os  # noqa: E402

from engine.core import build, default_articles_dir, default_db_path  # noqa: E402
from engine.rank import WEIGHTS, labels_newer, weights_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", default=None, help="articles folder (default $KB_ARTICLES or kb/articles)")
    ap.add_argument("--db", default=None, help="fact base file (default $KB_DB or kb/facts.db)")
    ap.add_argument(
        "--retrain",
        choices=("auto", "yes", "no"),
        default="auto",
        help="retrain the ranker after building: auto = when the labelled questions changed since its weights",
    )
    ap.add_argument(
        "--allow-removal",
        action="store_true",
        help="let articles already in the fact base lose facts or be dropped when unreadable",
    )
    args = ap.parse_args(argv)
    db = args.db or default_db_path()
    report = build(args.articles or default_articles_dir(), db, allow_removal=args.allow_removal)
    print(report.summary())
    if not report.ok:
        return 1
    if args.retrain == "yes" or (args.retrain == "auto" and labels_newer(weights_path())):
        from engine.train import retrain  # numpy only when training

        out = Path(os.environ.get("RANKER_WEIGHTS") or WEIGHTS)
        try:
            print(retrain(Path(db), out=out))
        except Exception as exc:  # noqa: BLE001 - the fact base is built and serving; the old weights stay
            print(f"Ranker not retrained (the previous weights serve): {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
