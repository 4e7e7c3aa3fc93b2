"""The fact base loaded into memory: sentences, facts and places, indexed for fast lookup."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.normalize import fold
from kb import store


@dataclass(frozen=True)
class Sentence:
    id: int
    article_id: int
    text: str
    norm: str
    places: tuple[str, ...]
    before: str = ""  # folded text of the sentence before it in the same article (context)
    units: frozenset[str] = frozenset()  # unit classes of the figures it holds
    byline: str = ""  # who wrote the story it stands in (记者 郭树勋；通讯员 吴明)


@dataclass(frozen=True)
class Fact:
    id: int
    sentence_id: int
    value: str
    amount: float
    unit: str
    unit_class: str
    clause: str
    start: int
    end: int
    year: int | None
    since: bool
    qualifier: str | None = None  # remaining / total / done / new (kb/roles.py)
    role: str = "as_of"  # as_of / since / change / from / to / target
    counted: str = ""  # the noun the figure counts (160个 -> 行政村)


@dataclass(frozen=True)
class PlaceInfo:
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]
    english: tuple[str, ...]
    articles: int


def _title_year(title: str) -> int | None:
    """The one year an article's title names (2016年焦作市脱贫攻坚大事记), else None."""
    found = set(re.findall(r"(?<!\d)((?:19|20)\d{2})年", title or ""))
    return int(found.pop()) if len(found) == 1 else None


class KnowledgeIndex:
    """Read-only view of one fact base file; built once per load, shared by all questions."""

    def __init__(self, path: Path):
        rows = store.read_all(path)
        self.path = path
        self.articles = {a["id"]: a for a in rows["articles"]}
        self.subject_year = {aid: _title_year(a["title"]) for aid, a in self.articles.items()}
        self.facts: dict[int, list[Fact]] = {}
        for f in rows["facts"]:
            self.facts.setdefault(f["sentence_id"], []).append(
                Fact(
                    f["id"],
                    f["sentence_id"],
                    f["value"],
                    f["amount"],
                    f["unit"] or "",
                    f["unit_class"] or "",
                    f["clause"],
                    f["start"],
                    f["end"],
                    f["year"],
                    bool(f["since"]),
                    f.get("qualifier"),
                    f.get("role") or "as_of",
                    f.get("counted") or "",
                )
            )
        self.sentences: dict[int, Sentence] = {}
        previous: dict[int, str] = {}  # the folded sentence before, per article (context)
        for s in sorted(rows["sentences"], key=lambda s: s["id"]):
            norm = fold(s["text"])
            self.sentences[s["id"]] = Sentence(
                s["id"],
                s["article_id"],
                s["text"],
                norm,
                tuple(p for p in (s["places"] or "").split("|") if p),
                previous.get(s["article_id"], ""),
                frozenset(f.unit_class for f in self.facts.get(s["id"], ())),
                s.get("byline") or "",
            )
            previous[s["article_id"]] = norm
        self.places = {
            p["name"]: PlaceInfo(
                p["name"],
                p["level"],
                p["parent"],
                tuple(a for a in (p["aliases"] or "").split("|") if a),
                tuple(e for e in (p["english"] or "").split("|") if e),
                p["articles"],
            )
            for p in rows["places"]
        }
        self.by_place: dict[str, list[int]] = {}
        for s in self.sentences.values():
            for p in s.places:
                self.by_place.setdefault(p, []).append(s.id)
        self.alias_to_place = {}
        for p in self.places.values():
            for alias in (p.name, *p.aliases):
                self.alias_to_place.setdefault(alias, p.name)
        ordered = sorted(self.alias_to_place, key=len, reverse=True)
        self.place_re = re.compile("|".join(map(re.escape, ordered)))
        english = {e.lower(): p.name for p in self.places.values() for e in p.english}
        self.english_to_place = english
        self.english_place_re = re.compile(
            r"\b("
            + "|".join(map(re.escape, sorted(english, key=len, reverse=True)))
            + r")(?:\s+(?:county|city|district|town|township|province))?\b",
            re.IGNORECASE,
        )
        self.terms = {t["term"]: t["df"] for t in rows["terms"]}
        self.n = max(1, len(self.sentences))
        self._bigrams: dict[str, set[int]] = {}
        for s in self.sentences.values():
            for i in range(len(s.norm) - 1):
                self._bigrams.setdefault(s.norm[i : i + 2], set()).add(s.id)
        self.containing = lru_cache(maxsize=20000)(self._containing)
        lengths = [len(s.norm) for s in self.sentences.values()]
        average = sum(lengths) / len(lengths) if lengths else 1.0
        # BM25's length normalisation per sentence (k1 = 1.2, b = 0.75; a bigram counts once)
        self._bm25_norm = {
            s.id: 2.2 / (1 + 1.2 * (0.25 + 0.75 * len(s.norm) / average)) for s in self.sentences.values()
        }

    def bm25(self, text: str, pool: list[int]) -> dict[int, float]:
        """Character-bigram BM25 of the sentences in `pool` against `text` (only those sharing a bigram)."""
        t = fold(text)
        grams = {t[i : i + 2] for i in range(len(t) - 1)}
        wanted = set(pool)
        scores: dict[int, float] = {}
        for g in grams:
            posting = self._bigrams.get(g)
            if not posting:
                continue
            df = len(posting)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            for sid in (
                posting & wanted if len(posting) > len(wanted) else (i for i in posting if i in wanted)
            ):
                scores[sid] = scores.get(sid, 0.0) + idf * self._bm25_norm[sid]
        return scores

    def aliases_of(self, place: str) -> tuple[str, ...]:
        """A place's name and its aliases (汝阳县, 汝阳)."""
        info = self.places.get(place)
        return (place, *info.aliases) if info else (place,)

    def _containing(self, term: str) -> frozenset[int]:
        """Ids of sentences whose folded text holds `term`."""
        term = fold(term)
        if len(term) < 2:
            return frozenset(s.id for s in self.sentences.values() if term and term in s.norm)
        ids: set[int] | None = None
        for i in range(len(term) - 1):
            posting = self._bigrams.get(term[i : i + 2], set())
            ids = set(posting) if ids is None else ids & posting
            if not ids:
                return frozenset()
        return frozenset(i for i in ids if term in self.sentences[i].norm)

    def idf(self, members: tuple[str, ...]) -> float:
        """Inverse document frequency of a concept (any of its members)."""
        df = len(set().union(*(self.containing(m) for m in members)))
        return math.log((self.n + 1) / (df + 1)) + 1.0

    def descendants(self, name: str) -> list[str]:
        """Places under `name` in the hierarchy (its districts, towns...), nearest first."""
        out, frontier = [], [name]
        while frontier:
            frontier = [p.name for p in self.places.values() if p.parent in frontier and p.name not in out]
            out += frontier
        return out

    def article_title(self, article_id: int) -> str:
        return self.articles[article_id]["title"]

    @functools.cached_property
    def _covered(self) -> list[PlaceInfo]:
        order = {"province": 0, "city": 1, "county": 2, "district": 3, "town": 4}
        return sorted(
            (p for p in self.places.values() if p.name in self.by_place),
            key=lambda p: (order.get(p.level, 5), -len(self.by_place[p.name]), p.name),
        )

    def covered_places(self) -> list[PlaceInfo]:
        """Places with sentences about them, cities and counties first (sorted once per fact base)."""
        return self._covered
