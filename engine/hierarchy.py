"""Questions the gazetteer answers by itself: which city or province a place is in ("武乡县属于哪个市",
"汝阳是哪个市的", "Which province is Qin County in?"), with the source of the administrative data named;
and a question about a place the gazetteer knows but no article covers ("奉节县有多少贫困村"), which gets
the honest "no articles about 重庆市奉节县" instead of figures of another place.

The places come from the fact base's `gazetteer` table (kb/build.py: the national gazetteer generated from
jionlp's china_location data, the curated kb/gazetteer.yaml and the places found in the articles), read
once per loaded fact base on the first question, not at start-up.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import weakref
from dataclasses import dataclass

from engine.normalize import normalize
from engine.types import Answer, Source
from kb import pace, store
from kb.places import word_cuts

CONFIDENCE = 0.99
_SOURCE_ZH = {
    "jionlp china_location": "行政区划数据：jionlp china_location",
    "kb/gazetteer.yaml": "项目地名表 kb/gazetteer.yaml",
}
_SOURCE_EN = {
    "jionlp china_location": "administrative divisions: jionlp china_location",
    "kb/gazetteer.yaml": "the project's gazetteer, kb/gazetteer.yaml",
}
_LEVEL_WORD = {
    "省": "province",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县": "county",
    "区": "county",
    "镇": "town",
    "乡": "town",
}
_MORE_LEVELS = re.compile(rf"哪(?:个|一个)?([{''.join(_LEVEL_WORD)}])")  # 在哪个县哪个镇: each level asked
_ZH_ASK = re.compile(
    r"(?:属于|隶属于?|归属于?|归|是|在|位于|地处|处于)(?:哪个|哪一个|哪|什么)"
    r"(省|市|州|盟|县|区|镇|乡|地区|地方|里|儿)"
    r"|的(?:上级|上一级)(?:行政区|单位)?是"
)
# what may stand between the place and the question words: 沁县是归哪个市管的, 沁县到底属于哪个市
_GAP = re.compile(r"(?:的|是|到底|究竟)*")
# the whole question must be the pattern, the place alone in its group: "Which county has the most poor
# villages in Jiaozuo?" is no hierarchy question
_EN_ASKS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:in\s+)?(?:which|what)\s+(?P<level>province|city|prefecture|county|region)\s+(?:is|are)\s+"
        r"(?P<place>.+?)(?:\s+(?:in|part\s+of|under|located\s+in|located))?$",
        r"^(?:which|what)\s+(?P<level>province|city|prefecture|county|region)\s+(?:does|do)\s+"
        r"(?P<place>.+?)\s+belong\s+to$",
        r"^(?P<place>.+?)\s+(?:is\s+(?:in|part\s+of|under)|belongs\s+to)\s+(?:which|what)\s+"
        r"(?P<level>province|city|prefecture|county|region)$",
        r"^where\s+(?:is|are)\s+(?P<place>.+?)(?:\s+located)?$",
    )
]
_EN_LEVEL = {
    "province": "province",
    "region": "province",
    "city": "city",
    "prefecture": "city",
    "county": "county",
}
_EN_SUFFIX = re.compile(r"\s+(?:county|city|district|town|township|province|prefecture)$", re.IGNORECASE)
_RANK = {"province": 0, "city": 1, "county": 2, "district": 2, "town": 3, "village": 4}


@dataclass(frozen=True)
class PlaceRow:
    name: str
    level: str
    parent: str | None
    english: tuple[str, ...]
    source: str
    parent_source: str | None
    code: str | None


class _Table:
    """The gazetteer table of one fact base, indexed by every name a place goes by."""

    def __init__(self, rows: list[PlaceRow], aliases: dict[str, list[PlaceRow]]):
        self.rows = rows
        self.by_alias = aliases
        self.by_name: dict[str, list[PlaceRow]] = {}
        for row in pace.steps(rows):
            self.by_name.setdefault(row.name, []).append(row)
        self.english: dict[str, list[PlaceRow]] = {}
        for row in pace.steps(rows):
            for name in row.english:
                self.english.setdefault(_EN_SUFFIX.sub("", name.lower()), []).append(row)
        lengths: dict[str, set[int]] = {}
        for alias in pace.steps(aliases):
            lengths.setdefault(alias[0], set()).add(len(alias))
        self.lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, alias) of the names in `text`, longest first; two-character names only at word
        boundaries (范县 is not in 示范县)."""
        out, pos, cuts = [], 0, None
        while pos < len(text):
            for size in self.lengths.get(text[pos], ()):
                alias = text[pos : pos + size]
                if pos + size > len(text) or alias not in self.by_alias:
                    continue
                if size <= 2:
                    cuts = cuts if cuts is not None else word_cuts(text)
                    if pos not in cuts or pos + size not in cuts:
                        continue
                out.append((pos, pos + size, alias))
                pos += size
                break
            else:
                pos += 1
        return out

    def chain(self, row: PlaceRow) -> list[PlaceRow]:
        """The parents of a place, nearest first."""
        out: list[PlaceRow] = []
        while row.parent and len(out) < 6:
            parents = self.by_name.get(row.parent, [])
            parents = [p for p in parents if _RANK.get(p.level, 5) < _RANK.get(row.level, 5)] or parents
            if not parents or parents[0] in out:
                break
            row = parents[0]
            out.append(row)
        return out


_tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _table(index) -> _Table:
    table = _tables.get(index)
    if table is None:
        table = _tables[index] = _read(index.path)
    return table


_last: list[tuple[tuple, _Table]] = []  # the rows of the table read last, and the table made of them


def _read(path) -> _Table:
    """The gazetteer of a fact base. Its rows rarely change between builds (they come from
    kb/china_places.tsv and kb/gazetteer.yaml): the table made from the same rows is reused, so a
    serving bot's reload does not build it again (about 50 ms holding the GIL)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        try:
            found = store.fetch(
                conn.execute(
                    "select name, level, parent, aliases, english, source, parent_source, code from gazetteer"
                )
            )
        finally:
            conn.close()
    except sqlite3.Error:  # a fact base built before the gazetteer table: nothing to answer from
        return _Table([], {})
    content = tuple(found)
    if _last and _last[0][0] == content:
        return _last[0][1]
    table = _build(found)
    _last[:] = [(content, table)]
    return table


def _build(found: list[tuple]) -> _Table:
    rows: list[PlaceRow] = []
    aliases: dict[str, list[PlaceRow]] = {}
    for name, level, parent, alias_text, english, source, parent_source, code in pace.steps(found):
        row = PlaceRow(
            name,
            level,
            parent,
            tuple(e for e in (english or "").split("|") if e),
            source,
            parent_source,
            code,
        )
        rows.append(row)
        for alias in {name, *(a for a in (alias_text or "").split("|") if len(a) >= 2)}:
            aliases.setdefault(alias, []).append(row)
    return _Table(rows, aliases)


def answer_hierarchy(text: str, index, lang: str) -> Answer | None:
    """The answer to a question the gazetteer alone answers, or None to let the engine answer it.

    Hierarchy questions get found=True, intent "hierarchy", value = the parent asked for (the whole chain
    when no level is asked), confidence 0.99 and the source of the administrative data. A question naming
    a known place that no article covers, and no place that one does, gets found=False, "unknown_place".
    """
    if not isinstance(text, str) or not text:
        return None
    if lang == "en":
        return _english(text, index)
    text = normalize(text)
    ask = _ZH_ASK.search(text)
    table = _table(index)
    if not table.rows:
        return None
    if ask:
        return _hierarchy_zh(text, ask, table, index)
    return _unknown_place(text, table, index)


def _pick(rows: list[PlaceRow], index) -> list[PlaceRow]:
    """The places a name may mean, those the articles cover first; several when it stays ambiguous."""
    covered = [r for r in rows if r.name in index.by_place]
    if covered:
        return covered[:1]
    known = [r for r in rows if r.name in index.places]
    return known[:1] or list({r.code or r.name: r for r in rows}.values())


def _hierarchy_zh(text: str, ask: re.Match, table: _Table, index) -> Answer | None:
    # the place right before the question words (武乡县属于哪个市); "焦作的旅游扶贫在哪个县" asks the articles
    found = [m for m in table.mentions(text[: ask.start()]) if _GAP.fullmatch(text[m[1] : ask.start()])]
    if not found:
        return None
    alias = found[-1][2]
    rows = _pick(table.by_alias[alias], index)
    wanted = _LEVEL_WORD.get(ask.group(1) or "")
    if len(rows) > 1:
        return _ambiguous(alias, rows, table, "zh")
    row = rows[0]
    chain = table.chain(row)
    source = _source_zh(row)
    if not chain:
        if row.level != "city" or not (row.code or "").endswith("0000"):
            return None  # a province: nothing above it to name
        return Answer(  # 北京市属于哪个省
            True,
            f"{row.name}是直辖市，与省同级，不属于任何省（{source}）",
            "hierarchy",
            place=row.name,
            confidence=CONFIDENCE,
            sources=[Source(source, row.name)],
            lang="zh",
            value=row.name,
        )
    value_row = next((p for p in chain if _level_of(p) == wanted), None) if wanted else None
    path = "".join(p.name for p in reversed(chain))
    value = value_row.name if value_row else path
    levels = {_LEVEL_WORD[m.group(1)] for m in _MORE_LEVELS.finditer(text, ask.start())}
    if len(levels) > 1:  # 坞庄村在哪个县哪个镇: 博爱县孝敬镇
        value = "".join(p.name for p in reversed(chain) if _level_of(p) in levels) or value
    if wanted == "province" and chain[-1].level == "city":  # 奉节县属于哪个省: 重庆市, a municipality
        path, value = "直辖市" + path, chain[-1].name
    return Answer(
        True,
        f"{row.name}属于{path}（{source}）",
        "hierarchy",
        place=row.name,
        confidence=CONFIDENCE,
        sources=[Source(source, " > ".join(p.name for p in (*reversed(chain), row)))],
        lang="zh",
        value=value,
    )


def _level_of(row: PlaceRow) -> str:
    return "county" if row.level == "district" else row.level


def _source_zh(row: PlaceRow) -> str:
    src = row.parent_source or row.source
    if src and src.startswith("article "):
        return f"据文章 {src[len('article ') :]}"
    return _SOURCE_ZH.get(src, src or "地名表")


def _ambiguous(alias: str, rows: list[PlaceRow], table: _Table, lang: str) -> Answer:
    options = ["".join(p.name for p in reversed(table.chain(r))) + r.name for r in rows[:8]]
    source = _SOURCE_ZH["jionlp china_location"] if lang == "zh" else _SOURCE_EN["jionlp china_location"]
    if lang == "zh":
        text = f"叫{alias}的地方不止一个：{'、'.join(options)}（{source}）"
    else:
        text = f"Several places are called {alias}: {', '.join(options)} ({source})"
    return Answer(
        True,
        text,
        "hierarchy",
        place=None,
        confidence=0.9,
        sources=[Source(source, "；".join(options))],
        lang=lang,
        value="、".join(options),
    )


def _unknown_place(text: str, table: _Table, index) -> Answer | None:
    """A known place no article covers, named in a question about no covered place: say so honestly."""
    if index.place_re.search(text):
        return None  # the engine knows a place in it (perhaps with no sentences: it says so itself)
    for _, _, alias in table.mentions(text):
        rows = [r for r in table.by_alias[alias] if r.name not in index.places]
        if not rows or index.containing(alias) or alias in index.terms:
            continue  # a word the articles use (富民 of 富民产业) is no place here
        row = rows[0]
        where = "".join(p.name for p in reversed(table.chain(row))) + row.name if len(rows) == 1 else alias
        covered = "、".join(p.name for p in index.covered_places()[:8])
        return Answer(
            False,
            _templates()["zh"]["unknown_place"].format(place=where, places=covered),
            "unknown_place",
            place=row.name if len(rows) == 1 else None,
            lang="zh",
        )
    return None


@functools.lru_cache(maxsize=1)
def _templates() -> dict:
    import intents

    return intents.load().replies


def _english(text: str, index) -> Answer | None:
    question = re.sub(r"[\s?？.!。]+$", "", text.strip())
    ask = next((m for p in _EN_ASKS if (m := p.match(question))), None)
    if not ask:
        return None
    table = _table(index)
    name = _EN_SUFFIX.sub("", re.sub(r"^the\s+", "", ask.group("place").strip(), flags=re.IGNORECASE))
    rows = table.english.get(name.lower(), [])
    if not rows:
        return None
    rows = _pick(rows, index)
    if len(rows) > 1:
        return _ambiguous(name, rows, table, "en")
    row = rows[0]
    chain = table.chain(row)
    if not chain:
        return None
    wanted = _EN_LEVEL.get((ask.groupdict().get("level") or "").lower())
    value_row = next((p for p in chain if _level_of(p) == wanted), None) if wanted else None
    src = row.parent_source or row.source
    source = _SOURCE_EN.get(src, src or "gazetteer")

    def label(r: PlaceRow) -> str:
        return f"{r.english[0]} ({r.name})" if r.english else r.name

    path = ", ".join(label(p) for p in chain)
    return Answer(
        True,
        f"{label(row)} is in {path} ({source}).",
        "hierarchy",
        place=row.name,
        confidence=CONFIDENCE,
        sources=[Source(source, " > ".join(p.name for p in (*reversed(chain), row)))],
        lang="en",
        value=value_row.name if value_row else "".join(p.name for p in reversed(chain)),
    )
