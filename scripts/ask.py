#!/usr/bin/env python3
"""Ask the programme bot from the command line.

python scripts/ask.py "汝阳县未脱贫人口有多少"      prints the reply
python scripts/ask.py --json "..."                 prints the structured answer
python scripts/ask.py --jsonl < questions.jsonl    one {"id","q","session"?} per line in, one answer per line out
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import json  # noqa: E402

from engine import Engine  # noqa: E402


def answer_jsonl(engine: Engine, lines, out) -> None:
    """The batch contract of ../shared/eval/score.py: a bad line gets an error line, never a crash."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            qid, question, session = case.get("id", str(n)), case.get("q", ""), case.get("session")
            ans = engine.ask(question, session=str(session) if session is not None else None)
            row = {"id": qid, **ans.to_dict()}
        except Exception as exc:  # noqa: BLE001 - one bad line must not stop the batch
            row = {"id": str(n), "found": False, "answer": "", "error": str(exc)}
        row["answer"] = row.pop("text", row.get("answer", ""))
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("question", nargs="*", help="the question (omit with --jsonl)")
    ap.add_argument("--json", action="store_true", help="print the structured answer as JSON")
    ap.add_argument(
        "--jsonl", action="store_true", help="batch mode: JSON lines on stdin, JSON lines on stdout"
    )
    ap.add_argument("--db", help="fact base file (default $KB_DB or kb/facts.db)")
    args = ap.parse_args(argv)
    engine = Engine(args.db)
    if args.jsonl:
        answer_jsonl(engine, sys.stdin, sys.stdout)
        return 0
    question = " ".join(args.question)
    if not question:
        ap.error("give a question, or --jsonl")
    ans = engine.ask(question)
    if args.json:
        data = ans.to_dict()
        data["answer"] = data.pop("text")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(ans.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
