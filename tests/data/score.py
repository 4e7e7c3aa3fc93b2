#!/usr/bin/env python3
# Copy of the team's scorer (../shared/eval/score.py) so the project's question sets can be scored anywhere.
"""Score a question-answering command against a set of cases.

Usage (from the project root):
    python ../shared/eval/score.py --cases ../shared/eval/dev.jsonl -- python scripts/ask.py --jsonl

The command after `--` reads JSON lines {"id", "q", "session"?} on stdin and
writes one JSON line per question on stdout:
    {"id": str, "found": bool, "answer": str, "value": str, "confidence": float,
     "sources": [...], ...}
`answer` is the whole reply a user sees; `value` is what the reply states as the answer
itself -- the figure(s), date, name, place, or the items of a list or definition --
without the quoted source sentence. A comparison's value names the places with their
figures, a change "from A to B" holds both A and B.

A case passes when
  - it expects found=false and the output says found=false (an honest "I don't know"), or
  - it expects found=true, the output says found=true, every `expect` entry appears in
    `value` (an inner list means any one of them), and no `forbid` entry does.
The quote does not count: a right figure that only stands in the quoted sentence, beside
a wrong headline figure, is a wrong answer. Texts are compared after NFKC folding, with
white space and digit-group commas removed.
`confidence` (0..1) says how likely the answer is right; the summary shows how well it
separates right from wrong answers, and counts wrong answers given with confidence of at
least --confident (0.8) as confident-wrong.

Outcomes: correct; missed (said found=false where an answer exists); wrong (any other
failure: a wrong figure, a figure for the wrong place or year, or an answer where none exists).
A wrong answer is worse than a missed one.
"""

import argparse
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def judge(case: dict, out: dict | None) -> tuple[str, str]:
    if out is None:
        return "wrong", "no output line for this id"
    if not isinstance(out.get("found"), bool) or not isinstance(out.get("answer"), str):
        return "wrong", "output lacks a boolean 'found' or a string 'answer'"
    if not case["found"]:
        return (
            ("correct", "")
            if not out["found"]
            else ("wrong", "answered a question the sources cannot answer")
        )
    if not out["found"]:
        return "missed", "said it does not know"
    if not isinstance(out.get("value"), str) or not out["value"].strip():
        return "wrong", "a found answer lacks a non-empty string 'value'"
    value = norm(out["value"])
    for want in case.get("expect", []):
        alts = want if isinstance(want, list) else [want]
        if not any(norm(a) in value for a in alts):
            return "wrong", f"expected {' or '.join(alts)}"
    for bad in case.get("forbid", []):
        if norm(bad) in value:
            return "wrong", f"must not say {bad}"
    return "correct", ""


def confidence(out: dict | None) -> float | None:
    c = (out or {}).get("confidence")
    return float(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", required=True, help="JSON lines of cases")
    ap.add_argument(
        "--min-accuracy", type=float, default=0.0, help="exit 1 below this share of correct cases"
    )
    ap.add_argument("--max-wrong", type=int, default=None, help="exit 1 above this many wrong answers")
    ap.add_argument(
        "--confident", type=float, default=0.8, help="confidence from which an answer counts as sure"
    )
    ap.add_argument(
        "--max-confident-wrong",
        type=int,
        default=None,
        help="exit 1 above this many wrong answers given with at least --confident confidence",
    )
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds the command may take")
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("give the command after --")

    with open(args.cases, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    feed = "".join(
        json.dumps({k: c[k] for k in ("id", "q", "session") if k in c}, ensure_ascii=False) + "\n"
        for c in cases
    )
    started = time.perf_counter()
    proc = subprocess.run(
        command, input=feed, capture_output=True, text=True, encoding="utf-8", timeout=args.timeout
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        print(f"command failed with exit status {proc.returncode}")
        return 2

    outputs = {}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and "id" in obj:
            outputs[str(obj["id"])] = obj

    tally = Counter()
    by_tag = defaultdict(Counter)
    answered = []  # (confidence, outcome) of every found=true output
    for case in cases:
        out = outputs.get(str(case["id"]))
        outcome, why = judge(case, out)
        tally[outcome] += 1
        if out and out.get("found") is True:
            answered.append((confidence(out), outcome))
        for tag in case.get("tags", []):
            by_tag[tag][outcome] += 1
        if outcome != "correct" and not args.quiet:
            said = (out or {}).get("answer", "")
            said = said.replace("\n", " ")[:120]
            value = str((out or {}).get("value", ""))[:40]
            print(f"{outcome:7} {case['id']:6} {case['q'][:40]:40} | {why} | value: {value} | said: {said}")

    n = len(cases)
    accuracy = tally["correct"] / n if n else 0.0
    if not args.quiet:
        print()
        scored = [(c, o) for c, o in answered if c is not None]
        if scored:

            def mean(xs):
                return sum(xs) / len(xs) if xs else float("nan")

            right = [c for c, o in scored if o == "correct"]
            bad = [c for c, o in scored if o != "correct"]
            print(
                f"  confidence of answers: right {mean(right):.2f} (n={len(right)}), "
                f"wrong {mean(bad):.2f} (n={len(bad)})"
            )
        lengths = sorted(len(norm(o.get("value") or "")) for o in outputs.values() if o.get("found") is True)
        if lengths:
            print(
                f"  stated value length: median {lengths[len(lengths) // 2]} characters, longest {lengths[-1]}"
            )
        for tag in sorted(by_tag):
            t = by_tag[tag]
            total = sum(t.values())
            print(f"  {tag:12} {t['correct']:3}/{total:<3} correct, {t['wrong']} wrong, {t['missed']} missed")
    sure_wrong = sum(1 for c, o in answered if o != "correct" and (c is None or c >= args.confident))
    print(
        f"accuracy {accuracy:.3f} ({tally['correct']}/{n}) wrong {tally['wrong']} missed {tally['missed']} "
        f"confident-wrong {sure_wrong} wall {wall:.2f}s"
    )
    if accuracy < args.min_accuracy:
        return 1
    if args.max_wrong is not None and tally["wrong"] > args.max_wrong:
        return 1
    if args.max_confident_wrong is not None and sure_wrong > args.max_confident_wrong:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
