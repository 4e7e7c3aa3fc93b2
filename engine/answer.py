"""Find the sentence and the figure (or date, name, clause) that answers a parsed question."""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from engine.index import Fact, KnowledgeIndex, Sentence
from engine.normalize import fold
from engine.question import BEYOND_STATED, FILLER_WEIGHT, PAGE_CREDITS, PERSON_WORDS, Concept, Query, restates
from engine.rank import Ranker
from kb.numbers import DATE_RE, MONTH_PART_RE, RELATIVE_YEAR, SINCE, TIME_RE, WEEKDAY_RE, YEAR_RE, figures
from kb.places import LEVEL_OF_KIND
from kb.roles import CHANGE, PLANNED, qualifier
from kb.split import clause_at, clause_spans

MAX_CANDIDATES = 60  # sentences scored in detail per question
MIN_COVERAGE = 0.45  # share of the known concept weight a candidate sentence must hold (else BM25 brings it)
BM25_POOL = 8  # sentences the bigram BM25 adds to the candidates, whatever their concept coverage
COUNTABLE = {"count", "person", "household"}
SIZES = {"area", "length", "power", "weight", "money"}
CONTEXT_CREDIT = 0.6  # a concept only in the sentence before counts this much
UNIT_CREDIT = 0.5  # a concept stood for only by a figure of its unit (面积 <- 1320平方公里) counts this much
SEPARATOR_GAP = 3  # a comma or list mark between a concept and a figure counts as this many more characters
_ORG = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:局|委|部|办|厅|院|中心|集团|公司|协会|合作社|组织部|工作队)")
_ITEM_SEP = re.compile(r"、|和|及")
_TITLE = re.compile(r"《[^《》]+》")
# an enumeration that ends as the kind of place asked: 一斗水、九渡、赵庄等村, 等5个县
_KIND_TAIL = {k: re.compile(f"等(?:[\\d一二三四五六七八九十几]+个)?{k}") for k in LEVEL_OF_KIND}
_ASPECT_MARK = re.compile(r"[了着过]")
_HEADLINE = re.compile(r"[^。！？!?；;：:]{1,40}")  # a headline or caption: short, ends no sentence


def _kind_tail(q: Query, clause: str) -> bool:
    """The clause's enumeration ends in the kind asked: 一斗水、九渡、赵庄等村 (哪几个村), …振东集团等大型企业
    (哪些大企业), …永辉超市…等40家门店 (哪些超市: 超市 among the last words before 等… ends)."""
    if q.place_kind:
        return bool(_KIND_TAIL[q.place_kind].search(clause))
    kind = q.item_kind
    if not kind:
        return False
    tail = re.escape(kind[-2:])  # …等大型企业; or the kind heads the items: 投放品种为冻前腿瘦肉、…
    return bool(re.search(f"等[^，。；、]{{0,6}}{tail}|{tail}(?:为|是|有|包括|分别是|：|:)", clause))


_COUNTED_NOUN = re.compile(r"[\u4e00-\u9fff“”\"]{2,}?(?=[和与及、，,。；;的]|$)")


@dataclass
class Hit:
    """One answer candidate: the sentence, what was extracted from it, and its features (engine/rank.py);
    `score` is the ranker's."""

    sentence: Sentence
    value: str  # what the reply states: a figure, a date, a name, or a clause
    quote: str  # the shortest stretch of the sentence that holds the value
    features: dict[str, float]
    coverage: float
    fact: Fact | None = None
    year: int | None = None
    score: float = 0.0


def _weight(c: Concept) -> float:
    """A concept's weight; the head (what the question asks about) counts double."""
    return c.weight * (2 if c.head else 1)


def coverage(sentence: Sentence, concepts: tuple[Concept, ...]) -> float:
    """Weighted share of the concepts the sentence holds (partly, when only its predecessor does)."""
    total = sum(c.weight for c in concepts)
    if not total:
        return 0.0
    got = context = 0.0
    for c in concepts:
        if any(m in sentence.norm for m in c.members):
            got += c.weight
        elif c.unit and c.unit in sentence.units:  # some area figure is not necessarily the 面积 asked
            got += c.weight * UNIT_CREDIT
        elif any(m in sentence.before for m in c.members):
            context += c.weight * CONTEXT_CREDIT
    return (got + context) / total if got else 0.0  # the sentence itself must hold one of them


def coverages(
    pool: list[int], concepts: tuple[Concept, ...], index: KnowledgeIndex
) -> dict[int, float] | None:
    """coverage() of every sentence of the pool at once (the same floats), for pools of thousands (a question
    naming no place, many articles): the pool is split by set operations into the sentences that hold each
    concept, only a figure of its unit, or it only in the sentence before, and each group's share is computed
    once, as coverage() would. None where that could differ from coverage(): a concept word not in folded
    form (containing() folds it), or the same sentence twice in the pool."""
    if not all(m and fold(m) == m for c in concepts for m in c.members) or len(set(pool)) != len(pool):
        return None
    total = sum(c.weight for c in concepts)
    if not total:
        return dict.fromkeys(pool, 0.0)
    previous = index.previous_sentence
    parts: dict[tuple[int, ...], set[int]] = {(): set(pool)}  # what each concept is to a group: 1 held,
    for c in concepts:  # 2 by its unit, 3 in the sentence before, 0 not at all
        held = [index.containing(m) for m in c.members]
        held_any = held[0] if len(held) == 1 else frozenset().union(*held)
        units = index.with_unit.get(c.unit, frozenset()) if c.unit else frozenset()
        split: dict[tuple[int, ...], set[int]] = {}
        for signature, ids in parts.items():
            own = ids & held_any
            rest = ids - own
            by_unit = rest & units
            rest -= by_unit
            before = {i for i in rest if previous.get(i) in held_any}
            rest -= before
            for state, group in ((1, own), (2, by_unit), (3, before), (0, rest)):
                if group:
                    split[(*signature, state)] = group
        parts = split
    out: dict[int, float] = {}
    for signature, ids in parts.items():
        got = context = 0.0
        for c, state in zip(concepts, signature, strict=True):
            if state == 1:
                got += c.weight
            elif state == 2:
                got += c.weight * UNIT_CREDIT
            elif state == 3:
                context += c.weight * CONTEXT_CREDIT
        out.update(dict.fromkeys(ids, (got + context) / total if got else 0.0))
    return out


@lru_cache(maxsize=8192)  # a pure function of the text: the same spans of the same sentences recur
def _gap(between: str) -> int:
    """Characters between a concept and a figure, other figures left out, separators counting extra
    (因学致贫占6.3%、缺劳力致贫占6.2%: 缺劳力 belongs to the figure after it)."""
    seps = sum(between.count(ch) for ch in "，、；。,;")
    return len(between) - sum(f.end - f.start for f in figures(between)) + SEPARATOR_GAP * seps


def _closeness(sentence: Sentence, start: int, end: int, concepts: tuple[Concept, ...]) -> float:
    """How near the concepts stand to the span [start, end) of the sentence text (0..1), measured in the
    folded text (quotes do not part 驻村“第一书记”) and not counting other figures in between
    (贫困人口13759户54026人: both figures are the 贫困人口's). The question's head concept counts double."""
    text = sentence.text
    total = sum(_weight(c) for c in concepts) or 1.0
    lead, span = fold(text[:start]), fold(text[start:end])
    n_start, n_end = len(lead), len(lead) + len(span)
    norm = sentence.norm
    score = 0.0
    for c in concepts:
        best = None
        for m in c.members:
            for mm in re.finditer(re.escape(m), norm):
                if mm.end() <= n_start:
                    d = _gap(norm[mm.end() : n_start])
                elif mm.start() >= n_end:
                    d = _gap(norm[n_end : mm.start()])
                else:
                    d = 0
                best = d if best is None else min(best, d)
        if best is not None:
            score += _weight(c) / (1 + best / 3)
    return score / total


_PERSON_COUNTED = re.compile(rf"^[\u4e00-\u9fff]{{0,4}}?(?:{PERSON_WORDS})")


def _counts_something_else(
    text: str, end: int, concepts: tuple[Concept, ...], question_text: str, unit_class: str | None = None
) -> bool:
    """Whether the noun right after a counted figure names none of the question's concepts (160个 行政村),
    or a narrower kind of one (45个 深度贫困村 for 贫困村): a measure word classifies the noun after it, so
    the figure counts that."""
    m = _COUNTED_NOUN.match(text, end, min(len(text), end + 12))
    if not m:
        return False
    noun = fold(m.group(0))
    if _ASPECT_MARK.search(noun):  # 1.75万人实现了就业: a predicate follows, not the noun counted
        return False
    if unit_class == "person" and _PERSON_COUNTED.match(noun):  # 多少人: 1.5万贫困人口 are people
        return False
    words = [w for c in concepts for w in c.members if len(w) >= 2]
    head = noun[:4]
    if not any(w in noun or any(head[i : i + 2] in w for i in range(len(head) - 1)) for w in words):
        return True  # nothing in common (160个行政村; 1031个工作队 still counts the 驻村工作队)
    ends = [w for w in words if noun.endswith(w)]
    if not ends:
        return False
    modifier = noun[: -len(max(ends, key=len))]  # 45个深度贫困村: a narrower kind of the 贫困村 asked about
    return 2 <= len(modifier) <= 3 and modifier not in question_text and not any(modifier in w for w in words)


@lru_cache(maxsize=512)
def _own_wording(body: str, concepts: tuple[Concept, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The question's own character pairs outside its concepts' words, and the concept words it used itself
    (for synonyms): computed once per question, however many clauses are compared with it."""
    spans = [
        (m.start(), m.end()) for c in concepts for w in c.members for m in re.finditer(re.escape(w), body)
    ]
    pairs = frozenset(
        body[i : i + 2] for i in range(len(body) - 1) if not any(a <= i and i + 2 <= b for a, b in spans)
    )
    own = tuple(w for c in concepts for w in c.members if w in body and len(c.members) > 1)
    return pairs, own


def literal_overlap(body: str, clause: str, concepts: tuple[Concept, ...] = ()) -> float:
    """How much of the question's own wording the (folded) clause repeats (0..1): the share of the body's
    character pairs that occur in it, leaving out pairs inside a concept's word (the concepts are scored
    already), plus a part for each concept the clause names with the very word the question used (贫困人口
    rather than its synonym 贫困群众)."""
    clause = fold(clause)
    pairs, own = _own_wording(body, concepts)
    share = sum(p in clause for p in pairs) / len(pairs) if pairs else 0.0
    exact = sum(w in clause for w in own) / len(own) if own else 0.0
    return (share + exact) / 2 if own else share


@lru_cache(maxsize=512)
def _said(text: str, concepts: tuple[Concept, ...]) -> frozenset[str]:
    """The characters a question and its concepts' words hold: once per question, not per candidate."""
    return frozenset(text) | {ch for c in concepts for m in c.members for ch in m}


def unasked(q: Query, clause: str, value: str) -> float:
    """Share of the clause's Chinese characters, the value's aside, that neither the question nor its
    concepts' words hold: what the clause says beyond what was asked (7个乡镇和部门主要领导被约谈 for
    沁县有几个乡镇 says mostly something else)."""
    said = _said(q.text, q.concepts)
    rest = [ch for ch in fold(clause).replace(value, "", 1) if "\u4e00" <= ch <= "\u9fff"]
    return sum(ch not in said for ch in rest) / len(rest) if rest else 0.0


def _clause_share(clause: str, concepts: tuple[Concept, ...]) -> float:
    """Weighted share of the concepts (the head double) the clause holds."""
    total = sum(_weight(c) for c in concepts) or 1.0
    return sum(_weight(c) for c in concepts if any(m in clause for m in c.members)) / total


def _item_at(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The item of an enumeration that holds text[start:end], with its whole clause; None outside one."""
    a, b = clause_at(text, start)
    if "、" not in text[a:b]:
        return None
    first = max(a, text.rfind("、", a, start) + 1)
    last = text.find("、", end, b)
    return text[first : last if last >= 0 else b], text[a:b]


def _item_share(text: str, start: int, end: int, concepts: tuple[Concept, ...]) -> float:
    """Share of the concepts in the item of an enumeration that holds text[start:end] (派驻…岩山村第一书记杨希庆、
    …南官庄村第一书记王建国: the village and the person of one item belong together); 0 outside one."""
    at = _item_at(text, start, end)
    return _clause_share(at[0], concepts) if at else 0.0


def _in_another_item(
    text: str, start: int, end: int, names: tuple[str, ...], rivals: tuple[str, ...]
) -> bool:
    """Whether text[start:end] stands in an item of an enumeration that names a rival of the asked place
    or person (`names`) and not it, while another item does (…范村第一书记孔亚平、…岩山村第一书记杨希庆:
    孔亚平 is 范村's, not 岩山村's): another's, never stated for the one asked. An item naming no rival is
    part of one thing (张家沟村支部书记、村主任郭新文)."""
    at = _item_at(text, start, end) if names else None
    if at is None:
        return False
    item, clause = at
    if any(n in item for n in names) or not any(n in clause for n in names):
        return False
    return any(r in item for r in rivals if r not in names)


def _clause_qualifier(clause: str, q: Query) -> dict[str, float]:
    """Whether a clause says the asked qualifier happened (全县顺利实现高质量脱贫摘帽 for 脱贫了没有), read
    with the figures' cues (kb/roles.py) once the question's own words are taken out (脱贫 is what is
    asked, not that it is done)."""
    if not q.qualifier:
        return {}
    rest = clause
    for c in q.concepts:
        for m in c.members:
            # 贫困人口全部脱贫: all of them did what is asked, the strongest "done" (全部 alone is a total)
            rest = rest.replace(f"全部{m}", " 已 ").replace(m, " ")
    found = qualifier(rest)
    if not found:
        return {}
    return {"qual_agree": 1.0} if found == q.qualifier else {"qual_conflict": 1.0}


def _place_words(s: Sentence, index: KnowledgeIndex) -> tuple[str, ...]:
    """The names and aliases of the places a sentence names."""
    return tuple(a for p in s.places for a in index.aliases_of(p))


def _lead_share(text: str, fact: Fact, facts: list[Fact], concepts: tuple[Concept, ...]) -> float:
    """Share of the concepts in the figure's own lead: its clause's words after the figure before it
    (危房改造1.79万户（其中建档立卡贫困户1.14万户）: 其中建档立卡贫困户 names the 1.14万, not the 1.79万)."""
    a, _ = clause_at(text, fact.start)
    # … and after the noun that figure counts (19个国家级贫困县和14个省级贫困县: 国家级 is the 19's)
    ends = (g.end + (len(g.counted) if g.counted and text.startswith(g.counted, g.end) else 0) for g in facts)
    start = max((e for e in ends if a <= e <= fact.start), default=a)
    return _clause_share(text[start : fact.start], concepts)


def _unit_ok(fact: Fact, wanted: str | None, qtype: str) -> bool:
    if wanted == "count_any":
        return fact.unit_class in COUNTABLE
    if wanted == "size":  # 卫生室有多大: a magnitude (平方米, 兆瓦, 亿元), never how many of it (150个)
        return fact.unit_class in SIZES
    if wanted in COUNTABLE and not fact.unit and fact.unit_class == "count":
        return True  # 总人口52万: a magnitude with no unit word counts whatever the question counts
    if wanted:
        return fact.unit_class == wanted
    if qtype == "rate":
        return fact.unit_class == "percent"
    return fact.unit_class not in ("duration", "name", "phone", "org", "multiple", "")  # only when asked for


def _year_ok(fact_year: int | None, since: bool, q: Query, subject_year: int | None) -> bool:
    """Whether a figure is of the year asked (any, when none is)."""
    if q.year is None:
        return True
    if fact_year is None:  # an undated figure in an article about one year (2016年…综述) is that year's
        fact_year, since = subject_year, False
    return fact_year == q.year and since == q.since  # 2016年 is not 2016年以来


def _place_pool(q: Query, index: KnowledgeIndex) -> list[int]:
    """The ids of the sentences about the question's place, in order."""
    pool = index.by_place.get(q.place, [])
    # 汝阳's towns are not 洛阳's own: below a place only its towns and villages, unless asked which one
    below = index.descendants(q.place, None if q.place_kind else ("town", "village"))
    if below:  # 沁县哪个村, 杨安乡张家沟村的村支书: its towns' and villages' sentences answer too
        pool = sorted(set(pool).union(*(index.by_place.get(p, []) for p in below)))
    return pool


def candidates(q: Query, index: KnowledgeIndex) -> list[tuple[Sentence, float, float]]:
    """Sentences about the question's place that hold enough of its concepts, joined by the best by
    character-bigram BM25 (so a word no article uses lowers a score and blocks nothing); each with its
    concept coverage and relative BM25, best first."""
    if q.place:
        pool = _place_pool(q, index)
    else:
        ids: set[int] = set()
        for c in q.concepts:
            for m in c.members:
                ids |= index.containing(m)
        pool = sorted(ids)
    known = tuple(c for c in q.concepts if any(index.containing(m) for m in c.members))
    if q.qtype == "byline" and not known and q.place:  # 沁阳那版是谁写的: the article about the place
        homes = {
            a["id"] for a in index.articles.values() if q.place in (a.get("home_county"), a.get("home_city"))
        }
        pool = [sid for sid in pool if index.sentences[sid].article_id in homes] or pool
    # the question with its concepts' synonyms: 没有脱贫 finds 未脱贫 too
    bm25 = index.bm25(" ".join([q.body or q.text, *(m for c in q.concepts for m in c.members)]), pool)
    best_bm25 = max(bm25.values(), default=0.0) or 1.0
    top_bm25 = set(heapq.nsmallest(BM25_POOL, bm25, key=lambda sid: (-bm25[sid], sid)))
    out = []
    covs = coverages(pool, known, index) if known else None
    if covs is not None:  # the same candidates as the loop below, in another order (sorted below)
        pool = [
            sid
            for sid, cov in covs.items()
            if cov >= MIN_COVERAGE
            or (sid in top_bm25 and cov > 0)
            or ((q.place_many or q.qtype == "when") and not cov)  # what the sentence before says (below)
        ]
    for sid in pool:
        s = index.sentences[sid]
        cov = (
            covs[sid]
            if covs is not None
            else coverage(s, known)
            if known
            else (1.0 if q.title or q.qtype == "byline" else 0.0)
        )
        held_before = [any(m in s.before for m in c.members) for c in known]
        if (
            not cov
            and known
            and (
                (q.place_many and all(held_before))
                # 郸城哪天宣布摘帽: a sentence of no date of its own, after one saying what happened that day
                or (q.qtype == "when" and any(held_before) and not DATE_RE.search(s.text))
            )
        ):
            # 哪几个县摘帽了: …宣布…脱贫摘帽。我市淮阳、商水…榜上有名: the places named right after the
            # sentence that says what happened to them
            cov = CONTEXT_CREDIT
        if cov >= MIN_COVERAGE or (sid in top_bm25 and cov > 0):
            out.append((s, cov, bm25.get(sid, 0.0) / best_bm25))
    # ties in article order, the same on every run (nsmallest: sorted(...)[:MAX_CANDIDATES] of thousands)
    return heapq.nsmallest(MAX_CANDIDATES, out, key=lambda sc: (-sc[1] - 0.5 * sc[2], sc[0].id))


def _base(
    q: Query, s: Sentence, cov: float, bm25: float, rank: int, kind: str, index: KnowledgeIndex
) -> dict[str, float]:
    """The features every candidate of a sentence shares."""
    return {
        "cov": cov,
        "bm25": bm25,
        "rank": 1.0 / (1 + rank),
        "place_named": float(bool(q.place) and any(a in s.text for a in index.aliases_of(q.place))),
        "headline": float(_HEADLINE.fullmatch(s.text) is not None),
        "sub_place": float(bool(q.place) and q.place not in s.places),
        "parent_first": float(bool(q.place) and _about_parent(s, q.place, index)),
        f"kind_{kind}": 1.0,
        f"ask@{q.qtype}": 1.0,
    }


def _about_parent(s: Sentence, place: str, index: KnowledgeIndex) -> bool:
    """The sentence is first about a place that holds the one asked (市里成立4个督查组…109个贫困村 in a
    paragraph on 修武县): its figures are likely the city's, not the county's."""
    return bool(s.places) and s.places[0] != place and index.within(place, s.places[0])


def _head_in(clause: str, concepts: tuple[Concept, ...]) -> float:
    return float(any(c.head and any(m in fold(clause) for m in c.members) for c in concepts))


_PER = re.compile(r"每|人均|户均|年均|平均|均")


def _per_unit(text: str, start: int) -> bool:
    """Whether the figure at `start` is one per household, person or year (户均增收1800元, 每人每年)."""
    return bool(_PER.search(text[max(0, start - 8) : start]))


def _figure_hits(q: Query, s: Sentence, base: dict, index: KnowledgeIndex) -> list[Hit]:
    hits = []
    subject_year = index.subject_year.get(s.article_id)
    issued = index.articles[s.article_id].get("year")
    facts = index.facts.get(s.id, [])
    names = index.aliases_of(q.place) if q.place else ()
    rivals = _place_words(s, index) if names else ()
    for f in facts:
        if not _unit_ok(f, q.unit_class, q.qtype) or not _year_ok(f.year, f.since, q, subject_year):
            continue
        if _in_another_item(s.text, f.start, f.end, names, rivals):
            continue  # 郸城县…2个、淮阳县…3个: the other county's figure
        if q.qualifier == "done" and f.role == "target":
            continue  # 已经建好多少套: a plan's figure (计划分3年建设8500套) says nothing of what is done
        if (
            f.role == "target"
            and not q.asks_target
            and PLANNED.search(f.clause.split(f.value)[0])
            and any(
                g.role in ("as_of", "since") and g.unit_class == f.unit_class and g.clause != f.clause
                for g in facts
            )
        ):
            continue  # 总投资多少: not the 计划投资155.2亿元 beside the 总投资371.23亿元 of the same sentence
        if (
            f.role == "from"
            and not q.asks_from
            and any(g.role == "to" and g.clause == f.clause for g in facts)
        ):
            continue  # 低保标准现在是多少: not the 2760元 of 由2760元提高到3360元, where the change began
        per = _per_unit(s.text, f.start) or bool(_PER.search(f.clause.split(f.value)[0]))
        if q.per_unit and not per:
            continue  # 每户补多少钱: not a total (拨付资金2.68亿元); 人均纯收入由…1907元 is one per person
        if (
            q.measure
            and f.unit_class == "count"
            and f.unit
            and "个" not in (q.measure, f.unit)
            and f.unit != q.measure
        ):
            continue  # 多少张床位 is not 10所: a measure word other than the loose 个 names what is counted
        if f.unit_class in COUNTABLE and _counts_something_else(
            s.text, f.end, q.concepts, q.text, q.unit_class
        ):
            continue  # 160个行政村, 45个深度贫困村: not a count of the 贫困村 asked about
        x = dict(base)
        x.update(
            near=_closeness(s, f.start, f.end, q.concepts),
            share=_clause_share(f.clause, q.concepts),
            lead_share=_lead_share(s.text, f, facts, q.concepts),
            literal=literal_overlap(q.body, f.clause, q.concepts),
            unasked=unasked(q, f.clause, f.value),
            head=_head_in(f.clause, q.concepts),
            # an undated figure in an article about one year is of that year (as _year_ok reads it)
            year_match=float(bool(q.year) and (f.year if f.year is not None else subject_year) == q.year),
            history=float(q.year is None and bool(f.year and issued and f.year < issued) and not f.since),
            history_from=float(
                q.asks_from and q.year is None and bool(f.year and issued and f.year < issued) and not f.since
            ),
            role_from=float(f.role == "from" and not q.asks_from),
            role_target=float(f.role == "target" and not q.asks_target),
            role_change=float(f.role == "change" and q.qtype != "rate"),
            unit_asked=float(bool(q.unit_class)),
            qual_agree=float(bool(q.qualifier) and f.qualifier == q.qualifier),
            qual_conflict=float(bool(q.qualifier and f.qualifier) and f.qualifier != q.qualifier),
            **({f"plain_{f.qualifier}": 1.0} if f.qualifier and not q.qualifier else {}),
            counted=float(bool(f.counted) and _clause_share(f.counted, q.concepts) > 0),
            per_agree=float(q.per_unit and per),
            beyond=float(q.beyond and bool(BEYOND_STATED.search(s.text[: f.start]))),
            restated=float(restates(f.amount, q.given)),
            plain_per=float(not q.per_unit and per),
        )
        hits.append(Hit(s, f.value, f.clause, x, base["cov"], f, f.year))
    return hits


def _date_hits(q: Query, s: Sentence, base: dict) -> list[Hit]:
    hits = []
    text = s.text
    if q.qtype == "weekday":
        found = [(m.start(), m.end(), m.group(0)) for m in WEEKDAY_RE.finditer(text)]
    elif q.wants_time:  # 几点到几点: times of day
        found = [(m.start(), m.end(), m.group(0)) for m in TIME_RE.finditer(text)]
    else:
        found = [(m.start(), m.end(), m.group(0)) for m in DATE_RE.finditer(text) if m.group("day")]
        found += [  # 2011年12月: a month of a year, where no day is given
            (m.start(), m.end(), m.group(0))
            for m in DATE_RE.finditer(text)
            if m.group("year") and not m.group("day")
        ]
        found += [(m.start(), m.end(), m.group(0)) for m in MONTH_PART_RE.finditer(text)]  # 10月底前完成
        if q.wants_year_only or not found:
            # 2017年底 and 2020年前 are dates too; 2014年以来 only where the start is asked (从哪年开始)
            found += [
                (m.start(), m.end(), m.group(0))
                for m in YEAR_RE.finditer(text)
                if m.group("since") not in SINCE or q.asks_from or q.since
            ]
    if (
        not found
        and q.qtype == "when"
        and base["cov"] == CONTEXT_CREDIT  # the sentence holds none of what is asked; the one before does
        and not YEAR_RE.search(text)
        and (m := DATE_RE.match(s.before))  # 5月9日，河南省举行…: a sentence opening with its day
        and m.group("day")
        and not (m.group("day2") or m.group("rel"))  # one day of its own (not 10月11日至12日, 去年…)
        and s.before[m.end() : m.end() + 1] in ("，", ",")
        and (not q.wants_year_only or m.group("year"))  # 哪年建成: a day of no year is no answer
    ):
        # 我市淮阳、商水…榜上有名 after "5月9日，河南省举行…新闻发布会：…": the event's day, said just before
        x = dict(base)
        x.update(near=0.0, share=_clause_share(text, q.concepts), head=_head_in(text, q.concepts))
        return [Hit(s, m.group(0), s.before[: m.end() + 1] + "…" + text, x, base["cov"])]
    for start, end, value in found:
        c_start, c_end = next(((a, b) for a, b in clause_spans(text) if a <= start < b), (0, len(text)))
        clause = text[c_start:c_end]
        x = dict(base)
        x.update(
            near=_closeness(s, start, end, q.concepts),
            share=_clause_share(clause, q.concepts),
            head=_head_in(clause, q.concepts),
            literal=literal_overlap(q.body, clause, q.concepts),
        )
        hits.append(Hit(s, value, clause, x, base["cov"]))
    return hits


def _who_hits(q: Query, s: Sentence, base: dict, index: KnowledgeIndex) -> list[Hit]:
    text = s.text
    hits = []
    names = index.aliases_of(q.place) if q.place else ()
    rivals = _place_words(s, index)
    if q.asks_org:  # 杨希庆是哪个单位派的: an office (the one that sent him), no person's name
        facts = index.facts.get(s.id, [])
        people = [f.value for f in facts if f.unit_class == "name"]
        asked = (*names, *(p for p in people if _asked_person(q, p)))  # the asked person's item's office
        others = (*rivals, *(p for p in people if not _asked_person(q, p)))
        for f in facts:
            if f.unit_class == "org" and not _in_another_item(text, f.start, f.end, asked, others):
                x = dict(base)
                x.update(
                    near=_closeness(s, f.start, f.end, q.concepts),
                    share=_clause_share(f.clause, q.concepts),
                    item_share=_item_share(text, f.start, f.end, q.concepts),
                    unit_asked=1.0,
                )
                hits.append(Hit(s, f.value, f.clause, x, base["cov"], f, f.year))
        return hits + _org_clauses(q, s, base)
    if q.title:
        for f in index.facts.get(s.id, []):
            if f.unit_class != "name" or not text[: f.start].endswith(q.title):
                continue
            if _in_another_item(text, f.start, f.end, names, rivals):
                continue
            pos = f.start - len(q.title)
            if text[max(0, pos - 1) : pos] == "副" and not q.title.startswith("副"):
                continue
            x = dict(base)
            x.update(near=1.0, share=_clause_share(f.clause, q.concepts), unit_asked=1.0, person=1.0)
            hits.append(Hit(s, f.value, f.clause, x, base["cov"], f, f.year))
        hits += _holder_hits(q, s, base)
        if hits:
            return hits
    for f in index.facts.get(s.id, []):  # 张家沟村那个村支书叫啥: the people the sentence names
        if (
            f.unit_class == "name"
            and f.value not in q.text
            and not any(f.value in c.members for c in q.concepts)  # Who is Kong Yaping: not 孔亚平 again
            and not _in_another_item(text, f.start, f.end, names, rivals)
        ):
            x = dict(base)
            x.update(
                near=_closeness(s, f.start, f.end, q.concepts),
                share=_clause_share(f.clause, q.concepts),
                item_share=_item_share(text, f.start, f.end, q.concepts),
                head=_head_in(f.clause, q.concepts),
                literal=literal_overlap(q.body, f.clause, q.concepts),
                person=1.0,
            )
            hits.append(Hit(s, f.value, f.clause, x, base["cov"], f, f.year))
    return hits + _org_clauses(q, s, base)


def _asked_person(q: Query, name: str) -> bool:
    """The question (or the part of the message before it, 杨希庆是哪个单位派的，去的哪个村子) names the person."""
    return name in q.text or any(name in c.members for c in q.concepts)


def _org_clauses(q: Query, s: Sentence, base: dict) -> list[Hit]:
    """The sentence's clauses naming an office or organisation (市商务局、发改委、财政局联合组织…)."""
    hits = []
    for a, b in clause_spans(s.text):
        clause = s.text[a:b]
        if _ORG.search(clause):
            x = dict(base)
            x.update(
                share=_clause_share(clause, q.concepts),
                head=_head_in(clause, q.concepts),
                literal=literal_overlap(q.body, clause, q.concepts),
            )
            hits.append(Hit(s, clause, clause, x, base["cov"]))
    return hits


# a role given to an office (市委书记任第一组长, 分别由市领导担任组长): the holder, before 任
_HOLDS = re.compile(r"^(?:分别)?(?:由)?([\u4e00-\u9fff]{2,12}?)(?:担任|出任|任)([\u4e00-\u9fff]{1,8})$")
_ROLE_RANKS = ("副", "第一", "常务")  # 副组长 and 第一组长 are other roles than 组长


def _holder_hits(q: Query, s: Sentence, base: dict) -> list[Hit]:
    """谁当第一组长: the office a clause gives the role asked (市委书记任第一组长), not the deputy's (副组长)
    unless asked; the role as the question says it (组长 is not 第一组长)."""
    hits: list[Hit] = []
    if "任" not in s.text or q.title not in s.text:  # most sentences: no role given, nothing to split
        return hits
    for a, b in clause_spans(s.text):
        m = _HOLDS.match(s.text[a:b].rstrip("。；"))
        if not m or not m.group(2).endswith(q.title):
            continue
        prefix = m.group(2)[: -len(q.title)]
        before = q.text[: q.text.find(q.title)] if q.title in q.text else ""
        asked = next((w for w in _ROLE_RANKS if before.endswith(w)), "")
        if prefix != asked if prefix in ("", *_ROLE_RANKS) else prefix not in q.text:
            continue
        x = dict(base)
        x.update(near=1.0, share=_clause_share(m.group(0), q.concepts), unit_asked=1.0, person=1.0)
        hits.append(Hit(s, m.group(1), m.group(0), x, base["cov"]))
    return hits


def _byline_hits(q: Query, s: Sentence, base: dict, index: KnowledgeIndex) -> list[Hit]:
    """Who wrote the story a sentence stands in (its byline); or who took its photo (the caption's credit,
    else the article's photographers), or who of the page's staff is asked (编辑, 校对), or the newspaper or
    issue date the page prints."""
    if q.credit == "photo":
        value = s.photo or index.articles[s.article_id].get("photos") or ""
    elif q.credit in PAGE_CREDITS:  # what the page prints (a file built before 2026-12-04 has neither)
        value = index.articles[s.article_id].get(q.credit) or ""
    elif q.credit:
        staff = index.staff.get(s.article_id, {})
        value = f"{q.credit} {staff[q.credit]}" if q.credit in staff else ""
    else:
        value = s.byline
    if not value:
        return []
    x = dict(base)
    x.update(share=1.0, near=1.0, person=float(bool(q.credit == "photo" and s.photo)))
    head = index.articles[s.article_id].get("head") or ""
    # quoted from the page head: what it prints, and the staff it names (编辑：郭 剑)
    printed = q.credit in PAGE_CREDITS or (q.credit not in (None, "photo") and q.credit in head)
    return [Hit(s, value, head if printed else s.text, x, base["cov"])]


DIGIT = re.compile(r"\d")  # a clause that states a figure (the yes/no verdict's fact, engine/core.py)
_DEFINES = re.compile(r"即|就是|也就是|包括|具体|分别是|主要是|：|（")
_WHERE_CUE = re.compile(r"门店|超市|商场|地点|地址|位于|投放点")


def _clause_hits(q: Query, s: Sentence, base: dict) -> list[Hit]:
    """Clauses as answers (what, where, list); the sentence must hold what is asked (the head concept)
    itself, not only in its context."""
    text = s.text
    hits = []
    # … but the kind of items a list asks need not be named (哪几个部门: 市商务局、发改委、财政局)
    if any(
        c.head and q.item_kind not in c.members and not any(m in s.norm for m in c.members)
        for c in q.concepts
    ):
        return hits
    spans = clause_spans(text)
    # each piece with the text before it in the sentence (the previous sentence for the first clause):
    # a definition or an enumeration follows the clause that names the term (推行“两定制、一兜底”，即…)
    # and the clause after it: the 40家门店 of 在…超市…等40家门店，投放一批政府储备肉 are where the meat is sold
    pieces = [
        (
            text[a:b],
            0.0,
            text[spans[i - 1][0] : a] if i else s.before,
            text[b : spans[i + 1][1]] if i + 1 < len(spans) else "",
        )
        for i, (a, b) in enumerate(spans)
    ]
    # from a clause to the end: 即…、…和…
    pieces += [(text[a:], 1.0, text[:a] if i else s.before, "") for i, (a, _) in enumerate(spans[:-1])]
    if q.qtype == "fromto":
        pieces += [(m.group(0), 2.0, text[: m.start()], "") for m in CHANGE.finditer(text)]
    for clause, kind, before, after in pieces:
        items = [i for i in _ITEM_SEP.split(clause) if i] if clause.count("、") >= 1 else []
        titles = _TITLE.findall(clause)
        items = items or (titles if len(titles) >= 2 else [])  # 《脱贫路上好支书》《春风吹进芦家岭》…: items
        x = dict(base)
        x.update(
            prev_share=_clause_share(fold(before[-40:]), q.concepts),
            next_share=_clause_share(fold(after[:40]), q.concepts),
            defines=float(bool(_DEFINES.match(clause))),
            share=_clause_share(clause, q.concepts),
            head=_head_in(clause, q.concepts),
            literal=literal_overlap(q.body, clause, q.concepts),
            items=min(len(items), 6) / 6,
            list_size=float(bool(q.list_size) and len(items) == q.list_size),
            where_cue=float(bool(_WHERE_CUE.search(clause))),
            # 一斗水、九渡、赵庄等村: an enumeration of the kind of place asked (哪几个村)
            kind_tail=float(bool(items and _kind_tail(q, clause))),
            short=float(len(clause) < 6),
            figured=float(bool(DIGIT.search(clause))),
            **_clause_qualifier(clause, q),
            span=float(kind == 1.0),
            change=float(kind == 2.0 or (q.qtype == "fromto" and bool(CHANGE.search(clause)))),
        )
        hits.append(Hit(s, clause, clause, x, base["cov"]))
    # a quotation just before the term asked says what it is: “宁愿苦干改山河，不甘苦熬度岁月”的“登山精神”,
    # 打造“满城文化半城水，内联外通达江海”中原港城
    members = [m for c in q.concepts for m in c.members if len(m) >= 2]
    for m in _QUOTED.finditer(text):
        after = text[m.end() : m.end() + 12].lstrip("的“")
        if members and any(after.startswith(w) for w in members) and m.group(1) not in q.text:
            x = dict(base)
            x.update(
                next_share=_clause_share(after, q.concepts),
                defines=1.0,
                share=_clause_share(text[m.end() : m.end() + 12], q.concepts),
                literal=literal_overlap(q.body, m.group(1), q.concepts),
                quote_def=1.0,
            )
            start = next((a for a, b in spans if a <= m.start() < b), m.start())
            end = next((b for a, b in spans if a <= m.end() < b), len(text))
            hits.append(Hit(s, m.group(1), text[start:end], x, base["cov"]))  # the quote shows the term
    return hits


_NAME_BOUNDARY = set("乡镇县市区村的到在了和与及是为从向对把被省年月日个")
_GENERIC_PLACE = re.compile(
    r"(?:贫困|行政|示范|深度|重点|出列|帮扶|试点|旅游|美丽|先进|标杆|[全整该本各每个的等和与在到了驻进入下包])$"
)


def _place_name_hits(q: Query, s: Sentence, base: dict, index: KnowledgeIndex) -> list[Hit]:
    """哪个村/哪个县: names of that kind in the sentence (or, when it says 该村, in the one before): known
    places first, else a two- or three-character name before the kind; not those the question names;
    nearest the question's words first."""
    kind = q.place_kind or ""
    text, hits, names = s.text, [], []
    # 杨希庆在哪个村: the places of the item that names the person asked, not those of the items beside it
    named = [  # a name that heads a place (张家沟 of 张家沟村) is no person
        f.value
        for f in index.facts.get(s.id, [])
        if f.unit_class == "name" and not re.search(re.escape(f.value) + "[村乡镇县市区]", text)
    ]
    people = tuple(n for n in named if _asked_person(q, n))
    sources = [(text, True)] + ([(s.before, False)] if f"该{kind}" in text else [])
    for source, own in sources:
        found: list[tuple[int, int, str, bool]] = []
        known_at: dict[int, int] = {}  # end -> start of each known place the text names
        for m in index.place_re.finditer(source):
            known_at[m.end()] = m.start()
            name = index.alias_to_place[m.group(0)]
            info = index.places.get(name)
            # 哪几个县: 偃师市 is a county too (a county-level city); 哪几个村: 九渡 is a village named bare
            if name.endswith(kind) or (info is not None and info.level == LEVEL_OF_KIND.get(kind)):
                found.append((m.start(), m.end(), name, True))
        for m in re.finditer(rf"([\u4e00-\u9fff]{{2,3}}){kind}", source):
            stem = m.group(1)
            cut = max((i for i, ch in enumerate(stem) if ch in _NAME_BOUNDARY), default=-1)
            if cut >= 0:  # 牛寺乡王泉村, 城郊的段柳村, 紫陵镇范村: the name starts after
                stem = stem[cut + 1 :]
            first = m.end() - len(stem) - 1
            if not stem or any(a < m.end() and first < b for b, a in known_at.items()):
                continue  # 派驻郭村镇: the 郭村 of a known town is no village
            found.append((first, m.end(), stem + kind, False))
        for start, end, name, known in found:
            if (not known and _GENERIC_PLACE.search(name[:-1])) or name in q.places or name[:-1] in q.text:
                continue
            if own and _in_another_item(text, start, end, people, tuple(named)):
                continue
            clause = next((text[a:b] for a, b in clause_spans(text) if a <= start < b), text) if own else text
            chain = start  # 孟州市槐树乡岩山村: the places written just before it say where it lies
            while chain in known_at:
                chain = known_at[chain]
            x = dict(base)
            x.update(
                near=_closeness(s, start, end, q.concepts) if own else 0.5,
                item_share=_item_share(text, start, end, q.concepts) if own else 0.0,
                where_cue=float(known),
                share=_clause_share(clause, q.concepts),
            )
            value = source[chain:start] + name if chain < start else name
            hits.append(Hit(s, value, clause, x, base["cov"]))
            if own:
                names.append(name)
    names = list(dict.fromkeys(names))
    if q.place_many and len(names) >= 2:  # 哪几个县: every one the sentence names, together
        x = dict(base)
        x.update(items=min(len(names), 6) / 6, where_cue=1.0, share=_clause_share(text, q.concepts))
        hits.append(Hit(s, "、".join(names), text, x, base["cov"]))
    return hits


def _destination_hits(q: Query, s: Sentence, base: dict, index: KnowledgeIndex) -> list[Hit]:
    """去哪暗访了: the known places each clause names (到修武县、武陟县对…进行暗访), together; not those the
    question names itself."""
    hits = []
    for a, b in clause_spans(s.text):
        clause = s.text[a:b]
        names = [index.alias_to_place[m.group(0)] for m in index.place_re.finditer(clause)]
        names = [n for n in dict.fromkeys(names) if n not in q.places]
        if names:
            x = dict(base)
            x.update(
                near=_closeness(s, a, b, q.concepts),
                share=_clause_share(clause, q.concepts),
                items=min(len(names), 6) / 6,
                where_cue=1.0,
            )
            hits.append(Hit(s, "、".join(names), clause, x, base["cov"]))
    return hits


def elsewhere_share(q: Query, index: KnowledgeIndex) -> float:
    """Share of the question's concept weight that the articles hold only about other places than the one
    asked (沁县的小菜园: 小菜园 is 沁阳's): what the place's own sentences cannot say."""
    if not q.place:
        return 0.0
    pool = set(_place_pool(q, index))
    total = missing = 0.0
    for c in q.concepts:
        held = set().union(*(index.containing(m) for m in c.members))
        if c.weight <= FILLER_WEIGHT or not held:
            continue
        total += c.weight
        if not held & pool:
            missing += c.weight
    return missing / total if total else 0.0


def unknown_share(q: Query, index: KnowledgeIndex) -> float:
    """Share of the question's concept weight that no article holds anywhere (fillers aside): 大学, 许昌."""
    total = sum(c.weight for c in q.concepts if c.weight > FILLER_WEIGHT)
    if not total:
        return 0.0
    missing = sum(
        c.weight
        for c in q.concepts
        if c.weight > FILLER_WEIGHT and not any(index.containing(m) for m in c.members)
    )
    return missing / total


def extract(q: Query, index: KnowledgeIndex) -> list[Hit]:
    """Every answer candidate of the question's kind, with its features, unranked."""
    hits: list[Hit] = []
    for rank, (s, cov, bm25) in enumerate(candidates(q, index)):
        if q.qtype in ("how_many", "rate") or (q.qtype in ("what", "compare") and q.unit_class):
            kind = "figure"
        elif q.qtype in ("when", "weekday"):
            kind = "date"
        elif q.qtype == "who" or q.qtype == "byline":
            kind = "name"
        elif q.place_kind:
            kind = "place"
        else:
            kind = "clause"
        base = _base(q, s, cov, bm25, rank, kind, index)
        if kind == "figure":
            hits += _figure_hits(q, s, base, index)
        elif kind == "date":
            hits += _date_hits(q, s, base)
        elif q.qtype == "byline":
            hits += _byline_hits(q, s, base, index)
        elif kind == "name":
            hits += _who_hits(q, s, base, index)
        elif kind == "place":
            hits += _place_name_hits(q, s, base, index)
        else:
            hits += _clause_hits(q, s, base)
            if q.destination:
                hits += _destination_hits(q, s, base, index)
    if q.year is not None and q.qtype not in ("how_many", "rate"):
        hits = [h for h in hits if _of_year(h.sentence, q.year, index)]
    return hits


def _of_year(s: Sentence, year: int, index: KnowledgeIndex) -> bool:
    """Whether a sentence tells of `year`: it names it, its article is about that year, or it names no year
    and its article, about no one year, was issued then (我市淮阳…4个国家级贫困县榜上有名, in a 2019 report)."""
    if str(year) in s.text:
        return True
    subject = index.subject_year.get(s.article_id)
    if subject is not None:
        return subject == year
    names_a_year = bool(YEAR_RE.search(s.text)) or any(word in s.text for word in RELATIVE_YEAR)
    return not names_a_year and index.articles[s.article_id].get("year") == year


def find(q: Query, index: KnowledgeIndex, ranker: Ranker) -> list[Hit]:
    """Answer candidates for a question, best first by the ranker (empty when nothing fits)."""
    hits = extract(q, index)
    for h in hits:
        h.features["length"] = math.log1p(len(h.value))
        h.score = ranker.score(h.features)
    hits.sort(key=lambda h: (-h.score, h.sentence.id))
    return hits


# what follows a clause naming a term when the rest of the sentence says what the term is
_DEFINITION_NEXT = re.compile(r"^[，,：:；;]?\s*(?:即|就是|也就是|包括|分别是|主要是|具体是|（|\()")
_QUOTED = re.compile(r"“([^“”]+)”")


def with_rest(hit: Hit, whole: bool = False) -> Hit:
    """A clause with the rest of its sentence after it (超额完成了省下达的目标任务 with 提前一年完成任务); with
    `whole`, the sentence from its start (发放扶贫贷款3.3亿元，全部享受政府贴息: the fact a yes rests on)."""
    text = hit.sentence.text
    at = text.find(hit.value)
    if at < 0:
        return hit
    value = text[0 if whole else at :].rstrip("。；;")
    return replace(hit, value=value, quote=value)


# 淮阳、商水、太康、郸城4个国家级贫困县: items, how many they are, and what kind (one group of an enumeration)
_GROUP = re.compile(
    r"((?:[\u4e00-\u9fff]{1,6}、)+[\u4e00-\u9fff]{1,6}?)(\d+|[一二三四五六七八九十两]+)个(\S+)"
)


def own_group(best: Hit, concepts: tuple[Concept, ...]) -> Hit:
    """Of an enumeration in groups (淮阳…4个国家级贫困县和西华、扶沟2个省级贫困县), the group of the kind
    asked (国家级): the group whose kind alone holds one of the question's words; else the whole."""
    chunks = [m for m in (_GROUP.search(c) for c in re.split(r"和|以及|，", best.value)) if m]
    if len(chunks) < 2:
        return best
    # the words that name one group's kind only (国家级, not the 贫困县 both are), the head's first (省级
    # of 那省级的呢, after a question on the 国家级 ones)
    for asked in ([c for c in concepts if c.head], concepts):
        words = [w for c in asked for w in c.members if len(w) >= 2]
        telling = [w for w in words if sum(w in m.group(3) for m in chunks) == 1]
        own = [m for m in chunks if any(w in m.group(3) for w in telling)]
        if len(own) == 1:
            return replace(best, value=own[0].group(0))
    return best


def with_definition(hit: Hit, concepts: tuple[Concept, ...] = ()) -> Hit:
    """A clause naming a term (推行“两定制、一兜底”) with the rest of its sentence when that goes on to say what
    the term is (，即为贫困户实施医疗定制…), or a definition's first clause with the ones that finish it: a
    what-is or list question is answered by the whole definition, not by the name or a part."""
    text = hit.sentence.text
    at = text.find(hit.value)
    rest = text[at + len(hit.value) :] if at >= 0 else ""
    if not rest.strip("。；; "):
        return hit
    # the definition (即…) goes on after this clause: 即…医疗定制、培训就业定制，对…实行政府兜底; or the
    # clause quotes the term asked and the sentence goes on about it (开展“昼访夜谈”活动，每月吃住在村…)
    quoted = (m.group(1) for m in _QUOTED.finditer(hit.value))
    asked = any(any(w in term for c in concepts for w in c.members) for term in quoted)
    if not (_DEFINITION_NEXT.match(rest) or _DEFINITION_NEXT.match(hit.value) or asked):
        return hit
    return with_rest(hit)


SAME_METRIC = 90  # rapidfuzz partial ratio of two clauses, figures left out, from which they state one metric


def newest_of_conflict(hits: list[Hit], index: KnowledgeIndex) -> tuple[Hit, Hit | None]:
    """The best hit, or, when a close one from another article gives the same metric (same place, unit and
    year role, the clause worded alike) with another value, the one from the newer article (the newer
    report, whatever year each figure is dated); and the other."""
    best = hits[0]
    if not best.fact:
        return best, None
    for h in hits[1:6]:
        f = h.fact
        if (
            f is None
            or h.sentence.article_id == best.sentence.article_id
            or h.value == best.value
            or f.unit_class != best.fact.unit_class
            or f.role != best.fact.role
            or h.sentence.places[:1] != best.sentence.places[:1]
            or not _same_metric(f.clause, best.fact.clause)
        ):
            continue
        newer = max(
            (best, h), key=lambda x: (index.articles[x.sentence.article_id].get("date") or "", -x.sentence.id)
        )
        return newer, (h if newer is best else best)
    return best, None


def _issued(index: KnowledgeIndex, hit: Hit) -> str:
    """An article's issue date as text that sorts (its date, else its year)."""
    article = index.articles[hit.sentence.article_id]
    return str(article.get("date") or article.get("year") or "")


def _same_metric(a: str, b: str) -> bool:
    """Whether two clauses, figures left out, word one metric (未脱贫人口 in 汝阳县未脱贫人口…)."""
    a, b = _without_figures(a), _without_figures(b)
    return min(len(a), len(b)) >= 4 and fuzz.partial_ratio(a, b) >= SAME_METRIC


def _without_figures(clause: str) -> str:
    for f in reversed(figures(clause)):
        clause = clause[: f.start] + clause[f.end :]
    return clause
