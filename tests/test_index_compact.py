"""The fact base's compact representation (issue 11.3): bigram postings stored by the build as int32 blobs and
decoded on demand, the trie regex of place names, small numerals without cn2an, pinyin per character. Each is
checked against the straightforward computation it replaces: the same candidates, matches and values. (How
fast they are is measured in scripts/bench.py, never here.)"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import sqlite3
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from engine import Engine
from engine import answer as finder
from engine.index import KnowledgeIndex, longest_first
from engine.normalize import fold
from engine.query import _numeral
from kb import postings, sounds, store
from kb.numerals import small_numeral

ROOT = Path(__file__).resolve().parent.parent


# ---- references: the set-based code the compact postings replaced -------------------------------------
class Reference:
    """Bigram postings as Python sets, BM25 and `containing` over them, computed from the sentences."""

    def __init__(self, index: KnowledgeIndex):
        self.index = index
        self.bigrams: dict[str, set[int]] = {}
        for s in index.sentences.values():
            for i in range(len(s.norm) - 1):
                self.bigrams.setdefault(s.norm[i : i + 2], set()).add(s.id)
        lengths = [len(s.norm) for s in index.sentences.values()]
        average = sum(lengths) / len(lengths)
        self.norm = {
            s.id: 2.2 / (1 + 1.2 * (0.25 + 0.75 * len(s.norm) / average)) for s in index.sentences.values()
        }

    def bm25(self, text: str, pool: list[int]) -> dict[int, float]:
        t = fold(text)
        grams = {t[i : i + 2] for i in range(len(t) - 1)}
        wanted = set(pool)
        scores: dict[int, float] = {}
        for g in grams:
            posting = self.bigrams.get(g)
            if not posting:
                continue
            df = len(posting)
            idf = math.log(1 + (self.index.n - df + 0.5) / (df + 0.5))
            for sid in (
                posting & wanted if len(posting) > len(wanted) else (i for i in posting if i in wanted)
            ):
                scores[sid] = scores.get(sid, 0.0) + idf * self.norm[sid]
        return scores

    def containing(self, term: str) -> frozenset[int]:
        term = fold(term)
        sentences = self.index.sentences
        if len(term) < 2:
            return frozenset(s.id for s in sentences.values() if term and term in s.norm)
        ids: set[int] | None = None
        for i in range(len(term) - 1):
            posting = self.bigrams.get(term[i : i + 2], set())
            ids = set(posting) if ids is None else ids & posting
            if not ids:
                return frozenset()
        return frozenset(i for i in ids if term in sentences[i].norm)

    def descendants(self, name: str) -> list[str]:
        out, frontier = [], [name]
        while frontier:
            places = self.index.places.values()
            frontier = [p.name for p in places if p.parent in frontier and p.name not in out]
            out += frontier
        return out


@pytest.fixture(scope="module")
def index(built_db) -> KnowledgeIndex:
    return KnowledgeIndex(built_db)


@pytest.fixture(scope="module")
def reference(index) -> Reference:
    return Reference(index)


def _terms(index: KnowledgeIndex, n: int = 400) -> list[str]:
    rng = random.Random(11)
    words = sorted(index.terms)
    pieces = [s.norm[i : i + k] for s in index.sentences.values() for i, k in ((3, 1), (5, 2), (9, 3))]
    return (
        rng.sample(words, min(n, len(words))) + rng.sample(pieces, n) + ["", "县", "汝阳县", "没有的词", "ab"]
    )


# ---- postings ---------------------------------------------------------------------------------------------
def test_postings_round_trip():
    ids = array("i", [1, 2, 7, 40_000, 2**31 - 1])
    blob = postings.encode(ids)
    assert len(blob) == 4 * len(ids)
    assert postings.decode(blob) == ids
    assert blob[:4] == (1).to_bytes(4, "little")  # little-endian on any machine
    computed = postings.compute([(1, "汝阳县"), (2, "阳县城"), (5, "县")])
    assert {g: list(a) for g, a in computed.items()} == {"汝阳": [1], "阳县": [1, 2], "县城": [2]}
    with pytest.raises(ValueError):
        postings.compute([(2, "ab"), (1, "cd")])


def test_the_stored_postings_are_those_of_the_sentences(built_db, index, reference):
    conn = sqlite3.connect(built_db)
    try:
        stored = dict(conn.execute("select gram, ids from bigrams"))
        version = conn.execute("select value from meta where key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()
    assert version == str(store.SCHEMA_VERSION)
    assert set(stored) == set(reference.bigrams)
    for gram, blob in stored.items():
        ids = postings.decode(blob)
        assert list(ids) == sorted(reference.bigrams[gram])  # ascending, each sentence once
        assert index._postings.get(gram) == ids
    assert index._postings.get("没有") is None or "没有" in reference.bigrams


def test_containing_and_bm25_give_the_candidates_of_the_set_based_index(index, reference):
    for term in _terms(index):
        assert index._containing(term) == reference.containing(term), term
    rng = random.Random(5)
    ids = sorted(index.sentences)
    pools = [index.by_place[p] for p in sorted(index.by_place)[:40]]
    pools += [sorted(rng.sample(ids, k)) for k in (1, 5, 50, 300, len(ids))]
    texts = [s.text for s in rng.sample(list(index.sentences.values()), 30)] + ["汝阳县未脱贫人口有多少", "x"]
    for text in texts:
        for pool in pools:
            assert index.bm25(text, pool) == reference.bm25(text, pool)  # equal floats, not close ones


def test_a_file_without_stored_postings_is_served_alike(built_db, tmp_path, index):
    """A fact base of schema version 2 (no bigrams table): its postings are computed at load, the same."""
    old = tmp_path / "v2.db"
    old.write_bytes(built_db.read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("drop table bigrams")
    conn.execute("alter table sentences drop column norm")
    conn.execute("update meta set value = '2' where key = 'schema_version'")
    conn.commit()
    conn.close()
    legacy = KnowledgeIndex(old)
    assert len(legacy._postings) == len(index._postings)
    for term in _terms(index, 100):
        assert legacy.containing(term) == index.containing(term)
    questions = [
        "汝阳县未脱贫人口有多少",
        "焦作有多少个市级领导联系分包贫困村",
        "周口住院救助了多少人次",
        "沁县属于哪个省",
    ]
    new_engine, old_engine = Engine(built_db), Engine(old)
    for q in questions:
        assert old_engine.ask(q).to_dict() == new_engine.ask(q).to_dict()


def test_coverage_of_a_whole_pool_is_coverage_of_each_sentence(engine):
    """answer.coverages (set operations over the pool) gives every sentence the float coverage() gives it,
    for the questions' own pools and for pools of every sentence."""
    state = engine._state
    index = state.index
    questions = [json.loads(line)["q"] for line in (ROOT / "training" / "dev.jsonl").open(encoding="utf-8")]
    questions += ["汝阳县未脱贫人口有多少", "面积有多大", "贫困发生率", "扶贫车间带动多少人就业"]
    checked = 0
    for text in questions:
        q = state.parser.parse(text)
        known = tuple(c for c in q.concepts if any(index.containing(m) for m in c.members))
        if not known:
            continue
        held = set().union(*(index.containing(m) for c in known for m in c.members))
        for pool in (
            index.by_place.get(q.place, []) if q.place else [],
            sorted(held),
            sorted(index.sentences),
        ):
            got = finder.coverages(pool, known, index)
            assert got == {sid: finder.coverage(index.sentences[sid], known) for sid in pool}, text
            checked += 1
    assert checked > 100
    assert finder.coverages([1, 1], known, index) is None  # the same sentence twice: the caller loops


def test_descendants_in_the_order_of_the_places_table(index, reference):
    for name in index.places:
        assert index.descendants(name) == reference.descendants(name)


# ---- place names: a trie regex matching what the longest-first alternation matches ----------------------------
def test_the_trie_regex_matches_what_the_alternation_does(index):
    words = sorted(index.alias_to_place)
    plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    assert index.place_re.pattern != plain.pattern
    rng = random.Random(3)
    texts = [s.text for s in index.sentences.values()]
    texts += [
        "".join(rng.choice(words)[: rng.randint(1, 4)] + rng.choice("县市的 ") for _ in range(6))
        for _ in range(500)
    ]
    for text in texts:
        assert [m.span() for m in index.place_re.finditer(text)] == [m.span() for m in plain.finditer(text)]
    nested = ["a", "ab", "abc", "abd", "b", "bcd", "x.y", "x"]
    plain = re.compile("|".join(map(re.escape, sorted(nested, key=len, reverse=True))))
    for text in map("".join, itertools.product("abcdx.y", repeat=5)):
        assert [m.span() for m in longest_first(nested).finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]
    english = ["ruyang", "ru", "ruyang county", "jiaozuo"]
    plain = re.compile(r"\b(" + "|".join(sorted(english, key=len, reverse=True)) + r")\b", re.I)
    trie = re.compile(r"\b(" + longest_first(english, re.I).pattern + r")\b", re.I)
    for text in ("Ruyang County", "ru yang", "RUYANGX ru", "jiaozuo-ruyang"):
        assert [m.span(1) for m in trie.finditer(text)] == [m.span(1) for m in plain.finditer(text)]
    assert longest_first([]).pattern == "" and longest_first(["Ab"], re.I).pattern == "Ab"


# ---- numerals and sounds ----------------------------------------------------------------------------------
def test_small_numerals_read_as_cn2an_reads_them():
    import cn2an

    def by_cn2an(text: str) -> int | None:
        try:
            value = cn2an.cn2an(text.replace("两", "二"), "smart")
        except (ValueError, KeyError, TypeError):
            return None
        return int(value) if value and value == int(value) else None

    for n in range(1, 4):  # every string of the characters 哪N个 may hold, up to three long
        for chars in itertools.product("一二三四五六七八九十两几0123456789", repeat=n):
            text = "".join(chars)
            assert _numeral(text) == by_cn2an(text), text
    assert (
        small_numeral("二十三") == 23 and small_numeral("三百") is None and small_numeral("1234567") is None
    )


def test_pinyin_per_character_is_pypinyins(index):
    from pypinyin import lazy_pinyin

    words = list(index.terms) + list(index.alias_to_place) + ["兙兡", "A级", "2020年", "汝 阳", ""]
    for word in words:
        assert sounds.syllables(word) == lazy_pinyin(word), word


# ---- what serving imports ----------------------------------------------------------------------------------
def test_serving_imports_nothing_heavy_it_does_not_need(built_db):
    code = (
        "import sys; from engine import Engine; e = Engine(sys.argv[1]); e.ask('汝阳县未脱贫人口有多少'); "
        "e.ask('六个体系是哪六个'); print(sorted(m for m in ('numpy', 'cn2an', 'pkg_resources', 'kb.build', "
        "'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(built_db)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "[]", out.stderr[-2000:]


def test_jiebas_dictionary_read_from_the_quick_copy_is_jiebas(tmp_path):
    """kb.tokens.initialize: the first load is jieba's own and writes the copy; the next ones read the copy
    and get the same words in the same order with the same counts; a changed cache file is not trusted."""
    import shutil

    import jieba

    from kb import tokens

    jieba.dt.check_initialized()
    shutil.copy(tokens._cache_file(jieba.dt), tmp_path / "jieba.cache")

    def tokenizer() -> jieba.Tokenizer:
        tok = jieba.Tokenizer()
        tok.tmp_dir = str(tmp_path)
        return tok

    first = tokens.initialize(tokenizer())
    assert (tmp_path / ("jieba.cache" + tokens._QUICK_SUFFIX)).exists()
    again = tokens.initialize(tokenizer())
    assert again.FREQ == jieba.dt.FREQ and list(again.FREQ) == list(jieba.dt.FREQ)
    assert again.total == first.total == jieba.dt.total
    assert again.lcut("汝阳县未脱贫人口有多少") == jieba.dt.lcut("汝阳县未脱贫人口有多少")
    cache = tmp_path / "jieba.cache"
    cache.write_bytes(cache.read_bytes())  # the same content, another stamp: read by jieba again
    stale = tokenizer()
    tokens.initialize(stale)
    assert stale.FREQ == jieba.dt.FREQ
    assert not list(tmp_path.glob("jieba-kb-*"))  # no temp file left
