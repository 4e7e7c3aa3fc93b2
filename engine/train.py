"""Train the ranker and its calibration from labelled questions (training/*.jsonl, the team scorer's
case format), with leave-one-article-out cross-validation: questions cluster by fact and article, so each
article's questions are answered by a model trained on the others' only. numpy at training time only."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.core import Engine
from engine.rank import RANK_FEATURES, SIGNALS, TRAINING, WEIGHTS, Linear, Ranker, expand

WRONG_COST = 2.0  # a wrong figure costs twice a missed one
# so a calibrated confidence pays from p = 2/3 on (a right answer gains 1): the break-even point, not the best
# cut of the training answers, which moves with every retraining (0.61 to 0.72 here)
THRESHOLD = WRONG_COST / (1 + WRONG_COST)


def norm(text: str) -> str:
    """The scorer's folding (../shared/eval/score.py): NFKC, no digit-group commas, no white space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def right(case: dict, value: str | None) -> bool:
    """Whether stating `value` answers the case (the scorer's rule for found=true cases)."""
    if not case.get("found") or not value:
        return False
    v = norm(value)
    for want in case.get("expect", []):
        alts = want if isinstance(want, list) else [want]
        if not any(norm(a) in v for a in alts):
            return False
    return not any(norm(bad) in v for bad in case.get("forbid", []))


def judge(case: dict, found: bool, value: str | None) -> str:
    """correct / missed / wrong, as the scorer judges an answer."""
    if not case.get("found"):
        return "wrong" if found else "correct"
    if not found:
        return "missed"
    return "correct" if right(case, value) else "wrong"


def load_cases(folder: Path = TRAINING) -> list[dict]:
    """Every labelled question, with the name of its set."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                case["set"] = path.stem
                cases.append(case)
    return cases


def article_groups(cases: list[dict], engine: Engine) -> list[str]:
    """The article each case is about (its `article`, else the one whose text holds every expected
    string, the one naming the question's place first); unanswerable cases go to the article of the place
    they name, else to one chosen by a hash of the question."""
    index = engine._state.index
    files = {
        a["file"]: norm("".join(s.text for s in index.sentences.values() if s.article_id == a["id"]))
        for a in index.articles.values()
    }
    homes = {a["file"]: [a.get("home_county"), a.get("home_city")] for a in index.articles.values()}
    names = sorted(files)
    out = []
    for case in cases:
        if case.get("article") in files:
            out.append(case["article"])
            continue
        q = engine._state.parser.parse(case["q"]) if case.get("q") else None
        places = q.places if q and not q.smalltalk else ()
        holding = [
            f
            for f in names
            if case.get("found")
            and all(
                any(norm(a) in files[f] for a in (w if isinstance(w, list) else [w])) for w in case["expect"]
            )
        ]
        by_place = [f for f in (holding or names) if any(p in homes[f] for p in places)]
        if by_place:
            out.append(by_place[0])
        elif holding:
            out.append(holding[0])
        else:
            digest = int(hashlib.sha1(case["q"].encode()).hexdigest(), 16)
            out.append(names[digest % len(names)])
    return out


@dataclass
class Asked:
    """One case asked of the engine: what it answered and the candidates behind it."""

    case: dict
    group: str
    found: bool
    value: str | None
    hits: list  # (features, is it right) per candidate
    signals: dict | None
    top_right: bool


def session_of(case: dict) -> str | None:
    return f"{case['set']}:{case['session']}" if case.get("session") else None


def fold_order(cases: list[dict], groups: list[str], fold: str) -> list[int]:
    """The cases of one fold in order, each follow-up preceded by the earlier questions of its session
    that belong to other folds: a resident asking "那沁县呢" after a question on 汝阳 asked both, so the
    fold's engine must hear the first one too (it is asked, not scored)."""
    sessions = [session_of(c) for c in cases]
    last = {sessions[i]: i for i, g in enumerate(groups) if g == fold and sessions[i]}
    return [i for i, g in enumerate(groups) if g == fold or (sessions[i] in last and i < last[sessions[i]])]


def ask_all(
    engine: Engine, cases: list[dict], groups: list[str], context: set[int] | None = None
) -> list[Asked]:
    """Ask every case in order (follow-ups in their session), keeping each answer's candidates; the
    cases at the positions in `context` are asked for the session's sake only."""
    out = []
    for n, (case, group) in enumerate(zip(cases, groups, strict=True)):
        trace: dict = {}
        ans = engine.ask(case["q"], session=session_of(case), trace=trace)
        if context and n in context:
            continue
        hits = trace.get("hits") or []
        oks = [right(case, h.value) for h in hits]
        shortest = min((len(h.value) for h, ok in zip(hits, oks, strict=True) if ok), default=0)
        # a right value much longer than the shortest right one says more than was asked: not a model answer
        labelled = [
            (h.features, ok and len(h.value) <= 1.5 * shortest + 10) for h, ok in zip(hits, oks, strict=True)
        ]
        # was what the reply states right (both figures of two asked, the verdict of a yes/no), not only the
        # best candidate's value: that is what the calibration's probability is of
        top = bool(hits) and right(case, ans.value if ans.found else hits[0].value)
        out.append(Asked(case, group, ans.found, ans.value, labelled, trace.get("signals"), top))
    return out


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, weights: np.ndarray | None = None
) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; returns [bias, w...]."""
    n, d = x.shape
    a = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(d + 1)
    sw = np.ones(n) if weights is None else weights
    reg = np.full(d + 1, l2)
    reg[0] = 1e-6
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (sw * (p - y)) + reg * w
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _linear(w: np.ndarray, names: tuple[str, ...]) -> Linear:
    return Linear({k: round(float(v), 5) for k, v in zip(names, w[1:], strict=True)}, round(float(w[0]), 5))


def fit_listwise(
    groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.01, steps: int = 400
) -> np.ndarray:
    """Softmax over each question's candidates (a conditional logit): maximise the probability mass on the
    right ones. Gradient descent with momentum; returns the weights (no bias: it cancels in a softmax)."""
    x = np.vstack([g[0] for g in groups])
    y = np.concatenate([g[1] for g in groups])
    starts = np.cumsum([0] + [len(g[1]) for g in groups])[:-1]
    w = np.zeros(x.shape[1])
    velocity = np.zeros_like(w)
    for _ in range(steps):
        s = x @ w
        s -= np.repeat(np.maximum.reduceat(s, starts), np.diff(np.append(starts, len(s))))
        e = np.exp(s)
        total = np.repeat(np.add.reduceat(e, starts), np.diff(np.append(starts, len(s))))
        pos = np.repeat(np.add.reduceat(e * y, starts), np.diff(np.append(starts, len(s))))
        p_all, p_pos = e / total, e * y / pos
        grad = x.T @ (p_all - p_pos) / len(groups) + l2 * w
        velocity = 0.9 * velocity - 0.5 * grad
        w += velocity
    return w


def fit_ranker(asked: list[Asked]) -> Linear:
    """The ranker from the candidates of answerable questions that have a right one."""
    groups = []
    for a in asked:
        if any(ok for _, ok in a.hits) and len(a.hits) > 1:
            x = np.array(
                [[feats.get(k, 0.0) for k in RANK_FEATURES] for feats in (expand(f) for f, _ in a.hits)]
            )
            groups.append((x, np.array([float(ok) for _, ok in a.hits])))
    if not groups:
        return Ranker.untrained().rank
    w = fit_listwise(groups)
    return Linear({k: round(float(v), 5) for k, v in zip(RANK_FEATURES, w, strict=True) if v}, 0.0)


def fit_calibration(asked: list[Asked]) -> Linear:
    """P(the stated answer is right) from the best candidate's signals (Platt-style logistic fit)."""
    rows = [[a.signals.get(k, 0.0) for k in SIGNALS] for a in asked if a.signals]
    ys = [float(a.top_right) for a in asked if a.signals]
    if len(set(ys)) < 2:
        return Ranker.untrained().calibrate
    return _linear(fit_logistic(np.array(rows), np.array(ys), l2=0.5), SIGNALS)


def cross_validate(db: Path, cases: list[dict]) -> tuple[Ranker, dict]:
    """Leave-one-article-out: the ranker, calibration and threshold for each article's questions come from
    the other articles' questions. Returns the model trained on all and the report."""
    engine = Engine(db, ranker=Ranker.untrained())
    groups = article_groups(cases, engine)
    collected = ask_all(engine, cases, groups)  # candidate features do not depend on the weights
    folds = sorted(set(groups))
    rankers = {g: fit_ranker([a for a in collected if a.group != g]) for g in folds}
    oof: list[Asked] = []  # each case answered by the ranker that never saw its article
    for g in folds:
        probe = Engine(db, ranker=Ranker(rankers[g], Linear({}, 0.0), float("-inf")))
        idx = fold_order(cases, groups, g)
        context = {n for n, i in enumerate(idx) if groups[i] != g}
        oof += ask_all(probe, [cases[i] for i in idx], [g] * len(idx), context)
    outcomes: list[tuple[dict, str, float]] = []
    reliability: list[
        tuple[float, bool]
    ] = []  # out-of-fold confidence of the best candidate, and was it right
    for g in folds:
        train = [a for a in oof if a.group != g]
        calibrate = fit_calibration(train)
        model = Ranker(rankers[g], calibrate, THRESHOLD)
        probe = Engine(db, ranker=model)
        reliability += [(model.confidence(a.signals), a.top_right) for a in oof if a.group == g and a.signals]
        for i in fold_order(cases, groups, g):
            ans = probe.ask(cases[i]["q"], session=session_of(cases[i]))
            if groups[i] != g:
                continue
            case = cases[i]
            outcomes.append((case, judge(case, ans.found, ans.value), ans.confidence if ans.found else None))
    final_cal = fit_calibration(oof)
    final = Ranker(fit_ranker(collected), final_cal, THRESHOLD)
    final.report = report(outcomes, reliability)
    return final, final.report


def report(outcomes: list[tuple[dict, str, float | None]], reliability: list[tuple[float, bool]]) -> dict:
    """Accuracy, wrong, missed and confident-wrong of the cross-validation, per set and in all, and the
    reliability table (stated confidence against the share right) of the out-of-fold answers."""

    def tally(rows):
        c = Counter(o for _, o, _ in rows)
        n = len(rows) or 1
        sure_wrong = sum(1 for _, o, p in rows if o == "wrong" and p is not None and p >= 0.8)
        return {
            "cases": len(rows),
            "accuracy": round(c["correct"] / n, 3),
            "wrong": c["wrong"],
            "missed": c["missed"],
            "confident_wrong": sure_wrong,
        }

    by_set: dict[str, list] = {}
    by_kind: dict[str, list] = {}
    for row in outcomes:
        by_set.setdefault(row[0]["set"], []).append(row)
        for tag in row[0].get("tags", []):
            by_kind.setdefault(tag, []).append(row)
    bins = [[0, 0] for _ in range(10)]
    for p, ok in reliability:
        b = min(int(p * 10), 9)
        bins[b][0] += 1
        bins[b][1] += ok
    table = [
        {
            "confidence": f"{i / 10:.1f}-{(i + 1) / 10:.1f}",
            "answers": n,
            "right": round(r / n, 3) if n else None,
        }
        for i, (n, r) in enumerate(bins)
        if n
    ]

    def at(threshold: float) -> dict:
        """The outcomes had answers below `threshold` been withheld (an unanswerable case then passes)."""
        rows = [
            (c, ("correct" if not c.get("found") else "missed") if p is not None and p < threshold else o, p)
            for c, o, p in outcomes
        ]
        t = tally(rows)
        stated = sum(1 for c, o, p in rows if p is not None and p >= threshold)
        t["wrong_of_stated"] = round(t["wrong"] / stated, 3) if stated else 0.0
        return {"threshold": threshold, **t}

    return {
        "cv": tally(outcomes),
        "thresholds": [at(x) for x in (THRESHOLD, 0.75, 0.8, 0.85, 0.9, 0.95)],
        "cv_by_set": {k: tally(v) for k, v in sorted(by_set.items())},
        "cv_by_tag": {k: tally(v) for k, v in sorted(by_kind.items()) if len(v) >= 10},
        "reliability": table,
    }


def retrain(db: Path, training: Path = TRAINING, out: Path = WEIGHTS) -> str:
    """Cross-validate and train on every labelled question, write the weights; one line saying how it went."""
    model, rep = cross_validate(db, load_cases(training))
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    cv = rep["cv"]
    return (
        f"Ranker retrained on {cv['cases']} labelled questions: leave-one-article-out accuracy "
        f"{cv['accuracy']:.3f}, wrong {cv['wrong']}, missed {cv['missed']}."
    )
