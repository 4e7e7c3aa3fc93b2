"""The fact base loaded into memory: sentences, facts and places, indexed for fast lookup."""

from __future__ import annotations

import functools
import math
import re
import weakref
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.normalize import fold
from kb import pace, store
from kb.postings import Postings, contains, within


@dataclass(frozen=True, slots=True)
class Sentence:
    id: int
    article_id: int
    text: str
    norm: str
    places: tuple[str, ...]
    before: str = ""  # folded text of the sentence before it in the same article (context)
    units: frozenset[str] = frozenset()  # unit classes of the figures it holds
    byline: str = ""  # who wrote the story it stands in (记者 郭树勋；通讯员 吴明)
    photo: str = ""  # who took the photo it is the caption of (刘金元)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def longest_first(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """A regex of `words` that matches exactly what their alternation sorted longest first does (at each
    position the longest word found there), grouped by first character (汝(?:阳县|阳)|焦(?:作市|作)…), so
    that a position tries only the words starting with its character, not all names (10,000 at 2,000
    articles: 4 µs a sentence instead of 54). With IGNORECASE the words must be lower-case ASCII (two groups
    then never match one character); otherwise, and for an empty word, the plain alternation."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    plain = "|".join(map(re.escape, ordered))
    if (
        not ordered
        or not ordered[-1]
        or (flags & re.IGNORECASE and not all(w.isascii() and w == w.lower() for w in ordered))
    ):
        return re.compile(plain, flags)
    groups: dict[str, list[str]] = {}
    for w in ordered:  # each group keeps the longest-first order
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return re.compile(
        "|".join(re.escape(ch) + "(?:" + "|".join(rest) + ")" for ch, rest in groups.items()), flags
    )


class _Rows:
    """A table read as tuples, iterated as dicts (small tables)."""

    def __init__(self, columns: tuple[str, ...], data: list[tuple]):
        self.columns, self.data = columns, data

    def __iter__(self):
        return (dict(zip(self.columns, r, strict=True)) for r in self.data)


class KnowledgeIndex:
    """Read-only view of one fact base file; built once per load, shared by all questions.

    It holds no reference cycle, so a replaced one is freed as soon as its last question is done, by
    reference counting, not by a later full collection of the cyclic garbage collector (which would walk
    both fact bases). Its loops are pause points for a paced load (kb/pace.py)."""

    def __init__(self, path: Path):
        tables, grams = store.read_index(path)
        rows = {t: _Rows(*tables[t]) for t in ("articles", "places", "terms")}
        self.path = path
        self.articles = {a["id"]: a for a in rows["articles"]}
        # each article's page staff, role -> name, from its "编辑 郭剑；校对 董蕾" (kb/bylines.credits)
        self.staff = {
            aid: dict(part.split(" ", 1) for part in (a.get("staff") or "").split("；") if " " in part)
            for aid, a in self.articles.items()
        }
        self.subject_year = {aid: _title_year(a["title"]) for aid, a in self.articles.items()}
        self.facts: dict[int, list[Fact]] = {}
        cols, data = tables.pop("facts")  # freed once read: the peak of a load
        at = {c: i for i, c in enumerate(cols)}
        fid, sid, value, amount, unit, unit_class, clause, start, end, year, since = (
            at[c]
            for c in ("id", "sentence_id", "value", "amount", "unit", "unit_class", "clause", "start", "end")
            + ("year", "since")
        )
        qualifier, role, counted = (
            at.get("qualifier"),
            at.get("role"),
            at.get("counted"),
        )  # older files lack them
        for f in pace.steps(data):
            self.facts.setdefault(f[sid], []).append(
                Fact(
                    f[fid],
                    f[sid],
                    f[value],
                    f[amount],
                    f[unit] or "",
                    f[unit_class] or "",
                    f[clause],
                    f[start],
                    f[end],
                    f[year],
                    bool(f[since]),
                    f[qualifier] if qualifier is not None else None,
                    (f[role] if role is not None else None) or "as_of",
                    (f[counted] if counted is not None else None) or "",
                )
            )
        del data
        self.sentences: dict[int, Sentence] = {}
        previous: dict[int, str] = {}  # the folded sentence before, per article (context)
        cols, data = tables.pop("sentences")
        at = {c: i for i, c in enumerate(cols)}
        sid, aid, text, places = at["id"], at["article_id"], at["text"], at["places"]
        norm_at, byline = at.get("norm"), at.get("byline")  # norm: stored since schema version 3
        photo = at.get("photo")  # photo credits: stored since 2026-12 (an older file has none)
        for s in pace.steps(sorted(data, key=lambda s: s[sid])):
            norm = s[norm_at] if norm_at is not None else fold(s[text])
            self.sentences[s[sid]] = Sentence(
                s[sid],
                s[aid],
                s[text],
                norm,
                tuple(p for p in (s[places] or "").split("|") if p),
                previous.get(s[aid], ""),
                frozenset(f.unit_class for f in self.facts.get(s[sid], ())),
                (s[byline] if byline is not None else None) or "",
                (s[photo] if photo is not None else None) or "",
            )
            previous[s[aid]] = norm
        del data
        self.places = {
            p["name"]: PlaceInfo(
                p["name"],
                p["level"],
                p["parent"],
                tuple(a for a in (p["aliases"] or "").split("|") if a),
                tuple(e for e in (p["english"] or "").split("|") if e),
                p["articles"],
            )
            for p in pace.steps(rows["places"])
        }
        self.by_place: dict[str, list[int]] = {}
        for s in pace.steps(self.sentences.values()):
            for p in s.places:
                self.by_place.setdefault(p, []).append(s.id)
        self.alias_to_place = {}
        for p in self.places.values():
            for alias in (p.name, *p.aliases):
                self.alias_to_place.setdefault(alias, p.name)
        self.place_re = longest_first(self.alias_to_place)
        english = {e.lower(): p.name for p in self.places.values() for e in p.english}
        self.english_to_place = english
        self.english_place_re = re.compile(
            r"\b("
            + longest_first(english, re.IGNORECASE).pattern
            + r")(?:\s+(?:county|city|district|town|township|province))?\b",
            re.IGNORECASE,
        )
        self.terms = {t["term"]: t["df"] for t in pace.steps(rows["terms"])}
        self.n = max(1, len(self.sentences))
        # sentence ids per character pair of the folded text: stored by the build (kb/postings.py), computed
        # here for a file written before that (schema version 2)
        self._postings = (
            Postings(grams)
            if grams is not None
            else Postings.from_sentences((s.id, s.norm) for s in self.sentences.values())
        )
        # through a weak reference: the cache of a bound method would be a cycle (index -> cache -> index)
        me = weakref.ref(self)
        self.containing = lru_cache(maxsize=20000)(lambda term: me()._containing(term))
        lengths = [len(s.norm) for s in self.sentences.values()]
        average = sum(lengths) / len(lengths) if lengths else 1.0
        # BM25's length normalisation per sentence (k1 = 1.2, b = 0.75; a bigram counts once), by id
        self._bm25_norm = array("d", bytes(8 * (max(self.sentences, default=0) + 1)))
        for s in pace.steps(self.sentences.values()):
            self._bm25_norm[s.id] = 2.2 / (1 + 1.2 * (0.25 + 0.75 * len(s.norm) / average))

    def bm25(self, text: str, pool: list[int]) -> dict[int, float]:
        """Character-bigram BM25 of the sentences in `pool` against `text` (only those sharing a bigram)."""
        t = fold(text)
        grams = {t[i : i + 2] for i in range(len(t) - 1)}
        wanted = set(pool)
        scores: dict[int, float] = {}
        if not wanted:
            return scores
        lo, hi, norm = min(wanted), max(wanted), self._bm25_norm
        for g in grams:  # each sentence's score sums its pairs in this order, whichever way it is found
            posting = self._postings.get(g)
            if not posting:
                continue
            df = len(posting)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            near = within(posting, lo, hi)  # a place's sentences stand together: one article's ids
            if len(near) > 16 * len(wanted):
                found: Iterable[int] = [i for i in wanted if contains(near, i)]
            else:
                found = wanted.intersection(near)
            for sid in found:
                scores[sid] = scores.get(sid, 0.0) + idf * norm[sid]
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
        postings = []
        for g in {term[i : i + 2] for i in range(len(term) - 1)}:
            posting = self._postings.get(g)
            if not posting:
                return frozenset()
            postings.append(posting)
        if len(postings) == 1:  # a pair: its posting is exactly the sentences holding it
            return frozenset(postings[0])
        postings.sort(key=len)
        ids = set(postings[0])
        for posting in postings[1:]:
            near = within(posting, min(ids), max(ids))
            ids = (
                {i for i in ids if contains(near, i)} if len(near) > 16 * len(ids) else ids.intersection(near)
            )
            if not ids:
                return frozenset()
        return frozenset(i for i in ids if term in self.sentences[i].norm)

    def idf(self, members: tuple[str, ...]) -> float:
        """Inverse document frequency of a concept (any of its members)."""
        held = [self.containing(m) for m in members]
        df = len(held[0]) if len(held) == 1 else len(set().union(*held))
        return math.log((self.n + 1) / (df + 1)) + 1.0

    @functools.cached_property
    def previous_sentence(self) -> dict[int, int]:
        """Sentence id -> the id of the sentence before it in its article (whose text is its `before`)."""
        out, last = {}, {}
        for sid in sorted(self.sentences):
            article = self.sentences[sid].article_id
            if article in last:
                out[sid] = last[article]
            last[article] = sid
        return out

    @functools.cached_property
    def person_names(self) -> frozenset[str]:
        """Every person the articles name (their name facts)."""
        return frozenset(f.value for fs in self.facts.values() for f in fs if f.unit_class == "name")

    @functools.cached_property
    def org_names(self) -> frozenset[str]:
        """Every office the articles name as sending someone (their org facts: 市水利局)."""
        return frozenset(f.value for fs in self.facts.values() for f in fs if f.unit_class == "org")

    def names_an_office(self, members: tuple[str, ...]) -> bool:
        """A concept naming one of those offices (水利局 of 市水利局)."""
        return any(len(m) >= 2 and any(o.endswith(m) for o in self.org_names) for m in members)

    @functools.cached_property
    def with_unit(self) -> dict[str, frozenset[int]]:
        """Unit class -> ids of the sentences holding a figure of it (their `units`)."""
        out: dict[str, set[int]] = {}
        for s in self.sentences.values():
            for unit in s.units:
                out.setdefault(unit, set()).add(s.id)
        return {unit: frozenset(ids) for unit, ids in out.items()}

    @functools.cached_property
    def _children(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = {}
        for p in self.places.values():
            out.setdefault(p.parent, []).append(p.name)
        return out

    @functools.cached_property
    def _place_order(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.places)}

    def within(self, name: str, outer: str) -> bool:
        """Whether place `name` lies within `outer` (紫陵镇 within 沁阳市, 汝阳县 within 洛阳市)."""
        up, seen = self.places.get(name), 0
        while up is not None and up.parent and seen < 8:
            if up.parent == outer:
                return True
            up, seen = self.places.get(up.parent), seen + 1
        return False

    def descendants(self, name: str, levels: tuple[str, ...] | None = None) -> list[str]:
        """Places under `name` in the hierarchy (its districts, towns...), nearest first (each generation
        in the places table's order); with `levels`, only those reached through places of these levels
        (("town", "village"): a county's own towns and villages, not its districts')."""
        out: list[str] = []
        seen: set[str] = set()
        frontier = [name]
        while frontier:
            below = {
                c
                for p in frontier
                for c in self._children.get(p, ())
                if levels is None or self.places[c].level in levels
            }
            frontier = sorted((c for c in below if c not in seen), key=self._place_order.__getitem__)
            out += frontier
            seen.update(frontier)
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
