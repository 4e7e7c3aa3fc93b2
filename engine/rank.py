"""Learned ranking and calibrated confidence: a dot product over named features, with weights trained by
scripts/train_ranker.py (engine/train.py) and kept in intents/ranker.json. No numpy at serving time."""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent.parent / "intents" / "ranker.json"
TRAINING = WEIGHTS.parent.parent / "training"  # labelled questions (scorer case format): data, not intents


def weights_path() -> Path:
    """The weights file: $RANKER_WEIGHTS (a writable place, where the code is read-only) or the shipped one."""
    env = os.environ.get("RANKER_WEIGHTS")
    return Path(env) if env and Path(env).exists() else WEIGHTS


def training_digest(training: Path = TRAINING) -> str:
    """sha1 of every labelled-question file, in name order: what the weights were trained on."""
    h = hashlib.sha1()
    for p in sorted(training.glob("*.jsonl")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def labels_newer(weights: Path = WEIGHTS, training: Path = TRAINING) -> bool:
    """Whether the labelled questions changed since the weights were trained (an admin's /review label,
    say): the next build retrains."""
    try:
        trained = json.loads(weights.read_text(encoding="utf-8")).get("training_sha1")
    except (OSError, ValueError):
        return True
    return trained != training_digest(training)


# features of one answer candidate (a figure, date, name, place or clause in one sentence)
FEATURES = (
    "cov",  # weighted share of the question's known concepts the sentence holds
    "near",  # how close those concepts stand to the value
    "share",  # share of the concepts inside the value's own clause
    "item_share",  # … inside the value's own item of an enumeration (A村第一书记甲、B村第一书记乙)
    "lead_share",  # … in the figure's own lead, after the figure before it (1.79万户（其中贫困户1.14万户）)
    "literal",  # the question's own wording repeated in the clause
    "unasked",  # share of the clause's characters the question does not hold (it says something else)
    "bm25",  # character-bigram BM25 of the sentence, relative to the best in the pool
    "rank",  # 1 / (1 + the sentence's place in the candidate order)
    "head",  # the concept asked about (the head) stands in the clause
    "year_match",  # the year asked is the figure's year
    "history",  # no year asked, and the figure is of a year before its article's
    "history_from",  # … and the question asks where a change began (原来, 从): the earlier figure is it
    "role_from",  # the start of a change (由A…) while the question does not ask where it began
    "role_target",  # a target (力争/计划) while the question does not ask about plans
    "role_change",  # a change against a baseline (较2019年增长15%) while the question asks no change
    "unit_asked",  # the question says what kind of figure it wants (多少人, 多少钱)
    "qual_agree",  # the question's qualifier (还有 remaining, 一共 total, 已经 done) is the figure's
    "qual_conflict",  # the figure carries another qualifier than the one asked
    "plain_remaining",  # the question asks no qualifier, and the figure is of what remains (未脱贫…)
    "plain_done",  # … of what is done (已脱贫, 实现…退出)
    "plain_total",  # … a total (共有, 累计)
    "plain_new",  # … what is new (新增, 新建)
    "per_agree",  # a figure per household, person or year is asked (每户, 人均), and this is one
    "plain_per",  # no such figure is asked, and this is one
    "restated",  # the figure is one the question states itself (培训了1.8万多…最后多少人上岗: not 1.8万余名)
    "beyond",  # the difference from another figure is asked (比全省高多少), and this is one (高于全省…0.7个百分点)
    "counted",  # the noun the figure counts shares the question's words
    "place_named",  # the sentence names the asked place itself (not inherited from context)
    "headline",  # the sentence is a headline or caption (short, ending no sentence: 可购买政府储备肉)
    "sub_place",  # the sentence is about a town or village of the place asked, not the place itself
    "parent_first",  # the sentence is first about a place holding the one asked (the city of the county)
    "kind_figure",
    "kind_date",
    "kind_name",
    "kind_clause",
    "kind_place",
    "items",  # list items in the clause (a list or where question), up to 6, divided by 6
    "list_size",  # the question says how many items (哪六个) and the clause has that many
    "where_cue",  # the clause names a store, site or address (where questions)
    "kind_tail",  # the clause's items end as the kind of place asked (一斗水、九渡、赵庄等村 for 哪几个村)
    "short",  # the clause is under six characters
    "figured",  # the clause states a figure (179个贫困村全部退出: a verdict with its fact)
    "prev_share",  # share of the concepts in the text just before the clause (the term it defines)
    "next_share",  # … and in the clause just after it (在…超市等40家门店，投放一批储备肉)
    "defines",  # the clause opens as a definition or enumeration does (即, 就是, 包括, a colon)
    "quote_def",  # the value is a quotation just before the term asked (“…”的“登山精神”)
    "span",  # the value runs from its clause to the end of the sentence (a definition or enumeration)
    "length",  # log of the value's length in characters (say what was asked, not the whole sentence)
    "person",  # the value is a person's name (who questions that name no title)
    "change",  # the value is a change from one state or figure to another (由…提高到…, 从…到…)
)

KINDS = ("figure", "date", "name", "clause", "place")
# every feature also once per kind of candidate: what makes a clause right is not what makes a figure right
RANK_FEATURES = FEATURES + tuple(
    f"{k}|{kind}" for kind in KINDS for k in FEATURES if not k.startswith("kind_")
)


# … and once per kind of question among those whose answers are clauses or names: the items of a list are
# right for other reasons than a definition or a yes/no verdict
ASKS = ("list", "what", "yesno", "where", "fromto", "who")
RANK_FEATURES += tuple(f"{k}@{ask}" for ask in ASKS for k in FEATURES if not k.startswith("kind_"))


def expand(features: dict[str, float]) -> dict[str, float]:
    """A candidate's features with their per-kind copies (RANK_FEATURES)."""
    kind = next((k for k in KINDS if features.get(f"kind_{k}")), None)
    ask = next((a for a in ASKS if features.get(f"ask@{a}")), None)
    if kind is None and ask is None:
        return features
    out = dict(features)
    for k, v in features.items():
        if v and not k.startswith("kind_") and not k.startswith("ask@"):
            if kind:
                out[f"{k}|{kind}"] = v
            if ask:
                out[f"{k}@{ask}"] = v
    return out


# features of the best candidate of a question, for the probability that the answer is right
SIGNALS = (
    "score",  # the ranker's score of the best candidate
    "prob",  # the ranker's own probability for it (sigmoid of the score)
    "share_top",  # its share of the candidates' softmax mass (how clearly it leads)
    "margin",  # its lead over the best candidate with another value
    "cov",
    "unknown",  # share of the question's concept weight that no article holds
    "elsewhere",  # … that the articles hold only about other places than the one asked
    "no_place",  # the question names no place
    "places",  # distinct places among the top five candidates, minus one, up to 3
    "typed",  # a cue word fixed the question's kind
    "kind_figure",
    "kind_date",
    "kind_name",
    "kind_clause",
    "kind_place",
    "candidates",  # log of the number of candidates
    "top_share",  # the best candidate's own features: concepts in its clause,
    "top_near",  # closeness,
    "top_literal",  # the question's wording,
    "top_unasked",  # what its clause says beyond the question,
    "top_qual",  # qualifier agreement,
    "top_year",  # the year asked
    "top_place",  # the sentence names the place asked
    "top_parent",  # … or is first about a place that holds it (its figure likely that place's)
    "top_defined",  # a what-is or list answer followed by the definition its sentence gives (即…)
    "ask_figure",  # the kind of question: a figure (how many, rate, compare),
    "ask_when",  # a date,
    "ask_who",  # a person or an organisation (who, byline),
    "ask_items",  # items or a description (list, what, where),
    "ask_yesno",  # yes or no,
    "ask_change",  # a change (from-to)
    "followup",  # a follow-up with words of its own, read with the last question's context
    "followup_same",  # a follow-up that only changes the place, year or title (那沁阳呢, 2019年呢)
    "agree",  # share of the five best candidates that state the same value
    "top_looks",  # the best answer has the shape its kind asks (a site for where, items, a person's name)
    "two_missing",  # two figures asked (多少户多少人) and the best one's sentence holds no second of the kind
)


@dataclass
class Linear:
    """w·x + b over named features (missing features count 0)."""

    weights: dict[str, float]
    bias: float = 0.0

    def __call__(self, x: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w[k] * v for k, v in x.items() if k in w)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class Ranker:
    """Scores candidates (`score`) and says how likely the best one is right (`confidence`); answers are
    given when the confidence reaches `threshold`, else the bot says it is not sure."""

    rank: Linear
    calibrate: Linear
    threshold: float = 0.5
    report: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # per kind of candidate and of question, each feature's weight with its copies added: one look-up
        # per feature
        w = self.rank.weights
        self._by_kind = {
            (kind, ask): {
                k: w.get(k, 0.0) + w.get(f"{k}|{kind}", 0.0) + w.get(f"{k}@{ask}", 0.0) for k in FEATURES
            }
            for kind in (*KINDS, None)
            for ask in (*ASKS, None)
        }

    def score(self, features: dict[str, float]) -> float:
        """The same as self.rank(expand(features)), without building the expanded features."""
        kind = next((k for k in KINDS if features.get(f"kind_{k}")), None)
        ask = next((a for a in ASKS if features.get(f"ask@{a}")), None)
        w = self._by_kind[kind, ask]
        return self.rank.bias + sum(w.get(k, 0.0) * v for k, v in features.items() if v)

    def confidence(self, signals: dict[str, float]) -> float:
        return sigmoid(self.calibrate(signals))

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        """The trained weights, or hand weights (the engine's former constants) when none are trained."""
        path = path or weights_path()
        if not path.exists():
            return cls.untrained()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            Linear(data["rank"]["weights"], data["rank"]["bias"]),
            Linear(data["calibrate"]["weights"], data["calibrate"]["bias"]),
            data.get("threshold", 0.5),
            data.get("report", {}),
        )

    @classmethod
    def untrained(cls) -> Ranker:
        rank = Linear(
            {
                "cov": 1.0,
                "near": 0.4,
                "share": 0.3,
                "literal": 0.3,
                "year_match": 0.15,
                "history": -0.1,
                "role_from": -0.3,
                "qual_agree": 0.2,
                "qual_conflict": -0.2,
            }
        )
        return cls(rank, Linear({"score": 4.0}, -3.0), 0.5)

    def to_json(self) -> dict:
        return {
            "version": 1,
            "rank": {"weights": self.rank.weights, "bias": self.rank.bias},
            "calibrate": {"weights": self.calibrate.weights, "bias": self.calibrate.bias},
            "threshold": self.threshold,
            "report": self.report,
            "training_sha1": training_digest(),
        }
