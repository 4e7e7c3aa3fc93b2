#!/usr/bin/env python3
"""Train the answer ranker and its confidence calibration from training/*.jsonl.

python scripts/train_ranker.py            cross-validate (leave one article out), train on all, write intents/ranker.json
python scripts/train_ranker.py --check    cross-validate and print the report only
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import json  # noqa: E402

from engine.core import default_db_path  # noqa: E402
from engine.rank import TRAINING, WEIGHTS  # noqa: E402
from engine.train import cross_validate, load_cases  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=default_db_path(), help="fact base (default kb/facts.db)")
    ap.add_argument("--training", type=Path, default=TRAINING, help="folder of labelled question sets")
    ap.add_argument("--out", type=Path, default=WEIGHTS, help="weights file to write")
    ap.add_argument("--check", action="store_true", help="report only, write nothing")
    args = ap.parse_args(argv)
    cases = load_cases(args.training)
    model, report = cross_validate(args.db, cases)
    cv = report["cv"]
    print(
        f"leave-one-article-out CV over {cv['cases']} questions: accuracy {cv['accuracy']:.3f} "
        f"wrong {cv['wrong']} missed {cv['missed']} confident-wrong {cv['confident_wrong']}"
    )
    for name, t in report["cv_by_set"].items():
        print(
            f"  {name:12} {t['cases']:4}  accuracy {t['accuracy']:.3f} wrong {t['wrong']} missed {t['missed']}"
        )
    print("  by kind of question:")
    for name, t in report.get("cv_by_tag", {}).items():
        print(
            f"    {name:10} {t['cases']:4}  accuracy {t['accuracy']:.3f} wrong {t['wrong']} missed {t['missed']}"
        )
    print("  had answers below a higher threshold been withheld:")
    for row in report.get("thresholds", []):
        print(
            f"    {row['threshold']:.3f}: accuracy {row['accuracy']:.3f} wrong {row['wrong']} "
            f"({row['wrong_of_stated']:.1%} of stated) missed {row['missed']} confident-wrong {row['confident_wrong']}"
        )
    print(f"  threshold {model.threshold:.3f}; reliability (confidence: answers, share right):")
    for row in report["reliability"]:
        print(f"    {row['confidence']}: {row['answers']:4}  {row['right']}")
    if not args.check:
        args.out.write_text(
            json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
