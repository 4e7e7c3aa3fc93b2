"""Engine: the one object callers hold. Loads the fact base, answers, reloads."""

from __future__ import annotations

import heapq
import logging
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import intents
from engine import answer as finder
from engine import cards
from engine.hierarchy import answer_hierarchy
from engine.index import KnowledgeIndex
from engine.normalize import MAX_QUESTION, SPANS_OF_YEARS, strip_invisible
from engine.query import QueryParser
from engine.question import (
    EACH,
    Query,
    compare_sides,
    enumerated_asked,
    figures_asked,
    follow_up_concepts,
    pair_of_one_kind,
    restates,
    title_for_place,
)
from engine.rank import Ranker, sigmoid, weights_path
from engine.reply import figure, hit_value, place_label, place_short, render_hit
from engine.types import Alternative, Answer, Source
from kb import pace, tokens
from kb.report import BuildReport
from kb.roles import negated

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS = 10_000
READING_GAP = 4.6  # ranker logits: another reading within about 1:100 odds of the best is offered as a button
_MORE_LESS_ASKED = re.compile(r"更|哪个|哪一个|谁|多还是少|高还是低|比较")
_CHANGE_TURN = re.compile(
    r"(多少|几(?![号点时日月天])|(?<=[从由])\d+(?:\.\d+)?)[^，,。？?]{0,8}?(到|至|成)"
)  # 从原来的多少减到…, 从78个减到…: where the halves part
BESIDE = 10  # characters at most between two figures of one clause stated together (1370笔2.05亿元)
_CLAUSE_MARK = re.compile(r"[，,。；;：:、]")
_NOT_BESIDE = ("percent", "name", "phone", "age", "duration")  # a rate or a name is no how-many of a thing
_DIGIT = re.compile(r"\d")


def _holds(q: Query, words: tuple[str, ...]) -> bool:
    """Whether the question holds one of `words` (lower-case, as intents/ loads them)."""
    low = q.text.lower()
    return any(w in low for w in words)


_FIGURE_KINDS = ("how_many", "rate", "compare", "fromto")  # questions whose answer is a figure
_HE_OR_SHE = re.compile(r"[他她](?!们)")
_PINNED = re.compile(r"^#s(\d{1,9})$")


def _stamp(path: Path | None) -> tuple | None:
    try:
        st = path.stat() if path else None
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size) if st else None


def default_db_path() -> Path:
    """The fact base file: $KB_DB or kb/facts.db in the project."""
    return Path(os.environ.get("KB_DB") or ROOT / "kb" / "facts.db")


def default_articles_dir() -> Path:
    """The articles folder: $KB_ARTICLES or kb/articles in the project."""
    return Path(os.environ.get("KB_ARTICLES") or ROOT / "kb" / "articles")


# the words that each ask a date of their own (从啥时候开工到啥时候修完: two); not 几点到几点, one span of hours
_WHEN_ASKED = re.compile(r"什么时候|啥时候|哪天|哪一天|几月几[号日]|何时")


def _dates_asked(text: str) -> int:
    """How many dates a question asks."""
    return len(_WHEN_ASKED.findall(text))


def _figures(q: Query) -> int:
    """How many figures a question asks (a follow-up with no question word of its own: its question's)."""
    if "each_year" in q.extra:  # one year's figure of 从2016年到2019年涨了多少: one, whatever the wording
        return 1
    return figures_asked(q.text) or q.extra.get("figures", 0)


_HOW_IT_IS = re.compile(r"情况|回事")
# a follow-up's year said against the chat's (那前一年呢), or every year of it (这几年加起来一共多少)
_YEAR_STEP = {"前一年": -1, "上一年": -1, "头一年": -1, "后一年": 1, "下一年": 1, "第二年": 1}
_SOME_YEARS = re.compile("|".join(SPANS_OF_YEARS))  # as normalized (这几年 -> 这些年)


def _step_year(year: int | None, text: str) -> int | None:
    """The chat's year, or the one before or after it that a follow-up says (那前一年呢)."""
    step = next((n for word, n in _YEAR_STEP.items() if word in text), 0)
    return year + step if year is not None else None


def _shared_predicate(text: str, asked: list[Query]) -> list[Query]:
    """Questions of one message enumerated with 、 (有多少贫困村、多少贫困人口脱贫): what the last says after
    its own head (脱贫) is said of each before it too."""
    seps, end = [], 0
    for sub in asked:
        at = text.find(sub.text, end)
        if at < 0:
            return asked
        seps.append(text[end:at].strip())
        end = at + len(sub.text)
    if len(asked) < 2 or any(sep != "、" for sep in seps[1:]) or any(a.qtype != "how_many" for a in asked):
        return asked
    tail = [c for c in asked[-1].concepts if not c.head]
    return [
        replace(a, concepts=a.concepts + tuple(c for c in tail if c not in a.concepts)) for a in asked[:-1]
    ] + [asked[-1]]


def _source(hit: finder.Hit, index: KnowledgeIndex) -> Source:
    """Where a hit's value comes from: its sentence, or the page head it quotes (哪家报纸: the masthead)."""
    printed = hit.quote if hit.quote not in hit.sentence.text else hit.sentence.text
    return Source(index.article_title(hit.sentence.article_id), printed)


def _said_once(parts: list[str], sep: str = "") -> list[str]:
    """The parts of a reply, each without the part before it where it opens by repeating it (从多少涨到多少，
    翻番了没: the verdict's part states the change again)."""
    return [
        p.removeprefix(parts[i - 1] + sep).strip() if i and p.startswith(parts[i - 1] + sep) else p
        for i, p in enumerate(parts)
    ]


class _Loaded:
    """One consistent generation: fact base index + parser, swapped as a whole on reload."""

    def __init__(self, path: Path, intent_set: intents.IntentSet):
        # stamp first: a file swapped in while we read must look changed to the next reload()
        st = path.stat()
        self.stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        self.index = KnowledgeIndex(path)
        self.parser = QueryParser(intent_set, self.index)


class Engine:
    """Answers questions from a fact base file; safe to share between threads and tasks.

    If the file is missing or unreadable it is built from the articles first (RuntimeError saying why
    when that fails too). `reload()` picks up a file rebuilt by scripts/build_kb.py; a file that cannot
    be read leaves the previous one serving, and `last_error` says what failed.
    """

    def __init__(
        self,
        db_path: str | Path | None = None,
        *,
        articles_dir: str | Path | None = None,
        intents_dir: str | Path | None = None,
        ranker: Ranker | None = None,
    ):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self.articles_dir = Path(articles_dir) if articles_dir else default_articles_dir()
        self.intents = intents.load(intents_dir) if intents_dir else intents.load()
        # the trained weights, re-read when retrained (not when a caller hands its own ranker, as CV does)
        self._weights = None if ranker else weights_path()
        self._weights_stamp = _stamp(self._weights)
        self.ranker = ranker or Ranker.load(self._weights)
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._sessions: OrderedDict[str, Query] = OrderedDict()
        self.last_error: str | None = None
        if not self.db_path.exists():
            self._first_build(f"fact base {self.db_path} is missing")
            return
        try:
            self._state = _Loaded(self.db_path, self.intents)
        except Exception as exc:  # noqa: BLE001 - truncated, garbage or locked: the articles are the source
            log.warning("fact base %s cannot be read (%s); building it from the articles", self.db_path, exc)
            self._first_build(f"fact base {self.db_path} cannot be read ({exc})")

    def _first_build(self, problem: str) -> None:
        """Build the fact base at start-up; raise RuntimeError naming the problem if that fails."""
        report = self.rebuild()
        if not report.ok:
            raise RuntimeError(f"{problem} and could not be built from {self.articles_dir}: {report.error}")

    # ---- answering ---------------------------------------------------------------------------
    def ask(self, question: str, session: str | None = None, trace: dict | None = None) -> Answer:
        """Answer one question; `session` keeps follow-up context ("那沁阳呢") per chat."""
        # one generation for the whole question, even if a reload swaps it
        return self._ask(self._state, question, session, trace)

    def _ask(self, state: _Loaded, question: str, session: str | None, trace: dict | None) -> Answer:
        text = strip_invisible(question) if isinstance(question, str) else ""
        zh = self.intents.replies["zh"]
        if not text:
            return Answer(False, zh["empty"], "empty")
        if len(text) > MAX_QUESTION:
            return Answer(False, zh["too_long"].format(limit=MAX_QUESTION), "too_long")
        if not re.search(r"[\w\u4e00-\u9fff]", text):
            return Answer(False, zh["unreadable"], "unreadable")
        pinned = _PINNED.match(text)
        if pinned:
            return self._pinned(state, int(pinned.group(1)))
        q = state.parser.parse(text)
        t = self.intents.replies[q.lang]
        if q.smalltalk:
            return Answer(False, t[q.smalltalk], q.smalltalk, lang=q.lang, confidence=1.0)
        with tokens.using(state.parser.tokenizer):  # word boundaries as this fact base's parser cuts them
            gazetteer_answer = answer_hierarchy(  # 沁县属于哪个省; 奉节县: no articles (read as repaired:
                q.text if q.lang == "zh" else text,
                state.index,
                q.lang,  # 汝洋县 is 汝阳县, not 洋县)
            )
        if gazetteer_answer is not None:
            return gazetteer_answer
        q = self._with_context(state, q, session)
        topic = self._on_topic(q, session)
        # 一年能卖多少钱 after 沁县有多少个电商扶贫服务站: the chat's place and thing first, the question as
        # it stands (another place's figure) only when that finds nothing
        inner: dict | None = {} if trace is not None and topic is not None else trace
        result = self._answer(state, topic, t, inner) if topic is not None else None
        if result is not None and result.found:
            q = topic
            if trace is not None:
                trace.update(inner)
        else:
            result = self._answer(state, q, t, trace)
        if session is not None and not q.smalltalk and (q.concepts or q.title):
            if result.found and result.value in state.index.person_names:  # 他 in the next question
                q = replace(q, extra={**q.extra, "person": result.value})
            self._remember(session, q)
        return result

    def _with_context(self, state: _Loaded, q: Query, session: str | None) -> Query:
        last = self._sessions.get(session) if session is not None else None
        if not last or not q.followup:
            return q
        said = [w for w in _YEAR_STEP if w in q.text]  # 前一年: a year word, not a thing asked (一年)
        if said and last.year is None and q.year is None:
            return q  # 那前一年呢 after a question of no year: no year to count from, nothing to repeat
        own = tuple(c for c in q.concepts if not any(m in w for m in c.members for w in said))
        if _HE_OR_SHE.search(q.text) and last.extra.get("person"):  # 他在哪个村 after 谁…: the one named
            own = (*own, *state.parser.concepts_of([(last.extra["person"],)]))
        # 那市长去了哪 after 王小平书记去哪暗访了: another office's holder, asked the last question's kind of
        # thing, not the person before nor what he did
        other_office = (any(self._is_role(c) for c in own) and not set(own) & set(last.concepts)) or bool(
            q.title and last.title != q.title  # 那市长呢 after 杨希庆是哪个单位派的: the mayor, by name
        )
        last_concepts = () if other_office else last.concepts
        names = state.index.person_names
        # 那孔亚平呢 after 杨希庆…: the other person; 那…派的第一书记叫啥: a person asked, none given
        if any(m in names for c in own for m in c.members) or q.qtype == "who" and q.typed:
            last_concepts = tuple(c for c in last_concepts if not any(m in names for m in c.members))
        if any(state.index.names_an_office(c.members) for c in own):  # 那市水利局派的呢 after 市总工会…
            last_concepts = tuple(c for c in last_concepts if not state.index.names_an_office(c.members))
        merged = replace(
            last,
            text=q.text,
            lang=q.lang,
            places=q.places or last.places,
            unknown_place=q.unknown_place,
            # a span (从2014年到2020年) is no one year for the follow-up: 那一年平均涨多少 asks the whole of it;
            # 那前一年呢 the year before the chat's; 这几年加起来一共多少 all of them
            year=q.year
            if q.year is not None
            else (
                None
                if q.places or len(last.years) >= 2 or self._all_years(q)
                else _step_year(last.year, q.text)
            ),
            # … nor are the span's two years asked again once the follow-up asks a thing of its own
            years=q.years or (() if own else last.years),
            title=q.title or last.title,
            concepts=follow_up_concepts(last_concepts, own),
            body=q.body if own else last.body,
            # 那一年平均涨多少 asks afresh (a rate, not the money of 收入从多少涨到多少); 农村的呢 does not
            unit_class=q.unit_class or (None if q.typed and own else last.unit_class),
            qualifier=q.qualifier or last.qualifier,
            qtype=q.qtype if q.typed else ("who" if q.title else last.qtype),
            # 他在哪个村 after who he is: the kind of place it asks is its own
            # (那市长去了哪 after 去了哪几个县: the chat's)
            place_kind=q.place_kind or (last.place_kind if q.qtype == "where" or not q.typed else None),
            place_many=q.place_many if q.place_kind else last.place_many,
            # 那中心城区呢 after 开工了多少个项目？总投资多少: both figures again
            extra={**last.extra, "new_words": bool(own), "figures": _figures(last)},
            followup=True,
            asks_org=q.asks_org if other_office else last.asks_org or q.asks_org,
        )
        return merged

    def _is_role(self, c) -> bool:
        """The concept is an office (市长, 书记: vocabulary.yaml titles)."""
        return any(m in self.intents.titles for m in c.members)

    def _on_topic(self, q: Query, session: str | None) -> Query | None:
        """A question naming no place, asked after one that did, read as about that place and thing too
        (花了多少钱, 哪天去的): None when it names its own place or the chat has none."""
        last = self._sessions.get(session) if session is not None else None
        if not last or not last.places or q.followup or q.places or q.unknown_place or not q.concepts:
            return None
        return replace(
            q,
            places=last.places,
            year=q.year if q.year is not None or self._all_years(q) else _step_year(last.year, q.text),
            concepts=follow_up_concepts(last.concepts, q.concepts),
            extra={**q.extra, "new_words": True},
            followup=True,
        )

    def _all_years(self, q: Query) -> bool:
        """Whether a follow-up asks of every year of the chat's (这几年加起来一共多少): a span of them, or a total."""
        return bool(_SOME_YEARS.search(q.text)) or self._asks(q, "total")

    def _remember(self, session: str, q: Query) -> None:
        with self._lock:
            self._sessions[session] = q
            self._sessions.move_to_end(session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)

    def _answer(self, state: _Loaded, q: Query, t: dict[str, str], trace: dict | None = None) -> Answer:
        index = state.index
        if q.unknown_place or (q.place and q.place not in index.by_place):
            covered = [place_label(p.name, q.lang, index) for p in index.covered_places()[:8]]
            where = q.unknown_place or place_label(q.place, q.lang, index)
            return Answer(
                False,
                t["unknown_place"].format(place=where, places="、".join(covered)),
                "unknown_place",
                place=q.place,
                lang=q.lang,
            )
        if not q.concepts and not q.title and q.qtype != "byline":  # 那版编辑是谁: the page is the topic
            return self._not_found(state, q, t)
        if _holds(q, self.intents.procedure):  # 低保咋申请: no article says how
            return Answer(False, t["procedure"], "procedure", place=q.place, lang=q.lang)
        q = replace(q, title=title_for_place(q.title, q.place))
        if q.qtype == "compare" and len(q.places) >= 2:
            return self._compare(state, q, t)
        texts = state.parser.parts(q.text) if q.qtype != "compare" else [q.text]
        if (
            len(q.years) == 2
            and len(q.places) < 2
            and q.qtype in ("fromto", "how_many", "rate", "what", "compare")
            # the two years in one of the message's questions (2020年多少人，比2019年涨了多少: two questions)
            and any(all(str(y) in text for y in q.years) for text in texts)
        ):
            if q.qtype == "fromto":  # 由2014年的1907元增加到2020年的10118元: one clause may state the change
                direct = self._answer(state, replace(q, years=()), t, trace)
                if direct.found:
                    return direct
            ask = "rate" if q.qtype == "rate" else "how_many"  # 扶贫资金从2016年到2019年: each year's figure
            subs = [
                (
                    f"{y}年",
                    replace(
                        q, year=y, since=False, qtype=ask, years=(), extra={**q.extra, "each_year": True}
                    ),
                )
                for y in q.years
            ]
            return self._compare(state, q, t, subs, each=True)
        asked = [state.parser.parse(text) for text in texts] if len(texts) > 1 else []
        if asked:
            both = self._compound(state, q, t, asked)
            if both is not None:
                return both
        sides = compare_sides(q.text) if q.qtype == "compare" else None
        if sides:  # 修路跟建医养中心，哪个花钱多: two things of one place
            subs = [(label, replace(state.parser.parse(ask), qtype="how_many")) for label, ask in sides]
            subs = [(label, replace(sub, places=sub.places or q.places)) for label, sub in subs]
            return self._compare(state, q, t, subs)
        hits = finder.find(q, index, self.ranker)
        if q.qtype in ("how_many", "rate") and any(c.head and c.unit is None for c in q.concepts):
            # 培训…1.8万余名，帮助1.75万人实现了就业 for 多少人找着活了: in a sentence with a figure of the kind
            # asked in the clause of the word asked (the head, when it is no word for the unit: 多少钱), that one
            headed = {h.sentence.id for h in hits if h.features.get("head") and h.features.get("unit_asked")}
            hits = [h for h in hits if h.sentence.id not in headed or h.features.get("head")]
        if q.beyond:  # 比全省平均高多少: in a sentence stating the difference, the difference, not its base
            differs = {h.sentence.id for h in hits if h.features.get("beyond")}
            hits = [h for h in hits if h.sentence.id not in differs or h.features.get("beyond")]
        change = q.qtype == "fromto" and q.asks_from
        if change:  # 从多少涨到多少: only a change states both ends (not 年人均收入9000元以上); 降到多少了
            # asks the end alone; and a change of figures when figures are asked (not 从“要我富”到“我要富”)
            figures = _figures(q) > 0
            hits = [h for h in hits if h.features.get("change") and (not figures or _DIGIT.search(h.value))]
        if (
            q.given
            and q.qtype in ("how_many", "rate", "what")
            and not q.asks_from
            and not state.parser.has_cue(q.text, "yesno")
        ):  # 培训了1.8万多…最后多少人上岗: what the resident already knows is no answer to what they ask (it is
            # said beside the answer); but where a change began (从78个减到还剩几个) is its start, and 是不是
            # 到了99% asks whether the figure stated is the one
            hits = [h for h in hits if not h.features.get("restated")] or hits
        stated = q.extra.get("stated")
        if stated:  # a later part of a message asking two things: not the figure stated for the one before
            hits = [h for h in hits if (h.sentence.text, h.value) not in stated]
            if q.qtype in ("what", "list", "where", "who"):  # … nor the clause holding it (都建啥 after
                # 总投资多少: not 启动总投资42.9亿元的文化产业项目, which that answer quoted)
                said = [(t, v) for t, v in stated if _DIGIT.search(v)]  # (a village named is no figure)
                hits = [h for h in hits if not any(t == h.sentence.text and v in h.value for t, v in said)]
        unmatched = len(q.extra.get("unmatched", ()))
        if q.lang == "en" and unmatched > len(q.concepts):
            hits = []  # more of the question not understood than understood: an honest "I don't know"
        signals = self._signals(q, hits, index) if hits else {}
        confidence = self.ranker.confidence(signals) if hits else 0.0
        if change and confidence < self.ranker.threshold and q.unit_class:
            ends = self._ends(state, q, t)  # 从原来的多少减到现在剩多少: the two ends in two sentences
            if ends is not None:
                return ends
        if trace is not None:
            trace.update(query=q, hits=hits, signals=signals, confidence=confidence)
        if not hits:
            return self._not_found(state, q, t)
        if confidence < self.ranker.threshold:
            return self._unsure(state, q, t, hits, confidence)
        best, text, value, items = self._stated(q, hits, index, t)
        # 哪天开工、哪天修好: one stated is no answer to both; nor two to 多少个乡镇、贫困村、贫困户
        if (
            items < self._asks_apart(asked, state.parser)
            or (q.qtype == "how_many" and items < _figures(q))
            or (q.qtype == "when" and items < _dates_asked(q.text))
        ):
            return self._unsure(state, q, t, hits, confidence)
        place = q.place or (best.sentence.places[0] if best.sentence.places else None)
        return Answer(
            True,
            text,
            q.qtype,
            place=place,
            confidence=round(confidence, 3),
            sources=[_source(best, index)],
            alternatives=self._readings(hits, best.score - READING_GAP, index, q.lang)[1:4],
            lang=q.lang,
            year=best.year,
            value=value,
        )

    @staticmethod
    def _asks_apart(asked: list[Query], parser: QueryParser) -> int:
        """How many things of their own a message's questions ask: a yes/no (有没有…？装机多大) rests on the
        figure stated anyway, and one of the same kind with no words of its own asks the one before again
        unless its question words differ (叫啥，是哪个单位派的: a name, then who sent him; 在哪办的，哪天:
        another kind, another thing)."""

        def new_thing(i: int, sub: Query) -> bool:
            if i and not sub.concepts and sub.qtype == "what" and _HOW_IT_IS.search(sub.text):
                return False  # 是甚情况, 咋回事: how it stands, nothing of its own (在干啥 asks a thing)
            if i == 0 or sub.concepts or sub.qtype != asked[i - 1].qtype:
                return True
            if sub.unit_class and asked[i - 1].unit_class and sub.unit_class != asked[i - 1].unit_class:
                return True  # how big is it, and how many people: another kind of figure, another thing
            mine, theirs = parser.cue_words(sub.text), parser.cue_words(asked[i - 1].text)
            return bool(mine and theirs) and not mine & theirs

        return max(1, sum(1 for i, sub in enumerate(asked) if sub.qtype != "yesno" and new_thing(i, sub)))

    def _ends(self, state: _Loaded, q: Query, t: dict[str, str]) -> Answer | None:
        """A change no clause states (从原来的多少减到现在剩多少): where it began and where it stands, asked as
        the message's two halves about one thing (the end never the figure of the start); both stated, or
        None."""
        turn = _CHANGE_TURN.search(q.text)
        if not turn:
            return None
        halves = [q.text[: turn.start(2)], q.text[turn.end(2) :]]
        subject = re.split(r"[从由]", halves[0], maxsplit=1)[0]  # 汝阳贫困人口: what both halves are about
        end = state.parser.parse(halves[1])
        if end.qualifier is None and any(w in q.text for w in self.intents.slots["decrease"]):
            # 减到现在多少户: what a decrease leaves is what remains (the articles' 未脱贫户)
            halves[1] = self.intents.slots["remaining"][0] + halves[1]
        halves[1] = subject + halves[1]
        asked = re.search(r"(?:多少|几)([^\u4e00-\u9fff]*[个户人名家所项元]?)", halves[0])
        if asked and turn.group(1) in ("多少", "几"):  # 从原来的多少减: asked plainly, where it began
            halves[0] = f"{subject}{self.intents.slots['asks_from'][0]}有多少{asked.group(1)}"
        start, end = (state.parser.parse(half) for half in halves)
        # where it began is a figure of the kind the end asks (not 从“要我富”到“我要富”, a change of words)
        start = replace(start, qtype="rate" if end.qtype == "rate" else "how_many", asks_from=True)
        answer = self._compound(state, q, t, [start, end])
        return replace(answer, intent="fromto") if answer is not None else None

    def _compound(self, state: _Loaded, q: Query, t: dict[str, str], asked: list[Query]) -> Answer | None:
        """A message asking two things (焦作培训了多少贫困劳动力，多少人就业了): each answered, a later one about
        the place, year and thing of the one before unless it names its own; all stated, or None (then the
        message is answered as one question)."""
        answers, prev, stated = [], None, set()
        asked = _shared_predicate(q.text, asked)
        for sub in asked:
            if prev is None:  # the first: the message's place and year (a follow-up's, from the chat)
                sub = replace(
                    sub,
                    places=sub.places or q.places,
                    year=q.year if sub.year is None else sub.year,
                    # 他是哪天走的 在哪个村: a follow-up's parts are about the chat's person or thing
                    concepts=q.concepts if q.followup else sub.concepts,
                    title=sub.title or (q.title if q.followup else None),
                )
            else:
                sub = replace(
                    sub,
                    places=sub.places or prev.places,
                    year=sub.year if sub.year is not None else prev.year,
                    # 县长呢, 中职的呢: no question word of its own, the one before asked of another thing
                    qtype=sub.qtype if sub.typed else ("who" if sub.title else prev.qtype),
                    unit_class=sub.unit_class or (None if sub.typed else prev.unit_class),
                    concepts=follow_up_concepts(prev.concepts, sub.concepts)
                    if sub.concepts
                    else prev.concepts,
                    extra={**sub.extra, "stated": frozenset(stated)},
                )
            answers.append(self._answer(state, sub, t))
            stated.update((source.quote, answers[-1].value) for source in answers[-1].sources)
            prev = sub
        # as sure as its least sure part: the parts of one message are about one thing and stand or fall
        # together (out of fold, the least sure part's confidence is the share of such answers right; the
        # product of the parts' said 0.6-0.8 of answers 88 % right)
        sure = min(a.confidence for a in answers)
        values = [a.value for a in answers]
        if not all(a.found and a.value for a in answers) or len(set(values)) < len(values):
            return None
        if sure < self.ranker.threshold:
            return None
        sep = "; " if q.lang == "en" else "；"
        texts = [a.text for a in answers]
        sources = [s for a in answers for s in a.sources]
        return Answer(
            True,
            "\n\n".join(_said_once(texts)),  # a blank line between the parts
            answers[0].intent,
            place=answers[0].place,
            confidence=round(sure, 3),
            sources=[s for i, s in enumerate(sources) if s not in sources[:i]],
            lang=q.lang,
            year=answers[0].year,
            value=sep.join(_said_once(values, sep)),
        )

    def _asks(self, q: Query, slot: str) -> bool:
        """Whether the question holds one of a slot's words (vocabulary.yaml slots)."""
        return _holds(q, self.intents.slots[slot])

    def _stated(
        self, q: Query, hits: list[finder.Hit], index: KnowledgeIndex, t: dict[str, str]
    ) -> tuple[finder.Hit, str, str, int]:
        """The best candidate, the reply's text and what it states (the value): the newest report's figure,
        a definition whole, the second figure asked, a yes/no verdict with its fact."""
        best, other = finder.newest_of_conflict(hits, index)
        if q.qtype in ("what", "list") and best.fact is None:
            best = finder.with_definition(best, q.concepts)
        if q.qtype in ("list", "where") and best.fact is None:  # 国家级贫困县有哪几个: not the 省级 ones too
            best = finder.own_group(best, q.concepts)
        if q.qtype == "fromto" and best.fact is None and not q.asks_from and self._asks(q, "asks_end"):
            # 现在提到多少了: the figure the change reached (3360元 of 由2760元提高到3360元), not both
            end = next(
                (
                    f
                    for f in index.facts.get(best.sentence.id, [])
                    if f.role == "to" and f.value in best.value
                ),
                None,
            )
            best = replace(best, value=end.value, quote=best.value, fact=end) if end else best
        verdict = ""
        if q.qtype == "yesno" and best.fact is None and not finder.DIGIT.search(best.value):
            # 贫困村都退出了没: the verdict rests on the fact that counts them (179个贫困村全部退出) when one
            # of the next readings says as much, with the same verdict
            best = next(
                (
                    h
                    for h in hits[1:5]
                    if h.fact is None
                    and finder.DIGIT.search(h.value)
                    and h.features.get("share", 0.0) >= best.features.get("share", 0.0)
                    and negated(h.quote) == negated(best.quote)
                ),
                best,
            )
        if q.qtype == "yesno":  # the clause's own verdict; the answer rests on it and its sentence's rest
            some_left = any(  # 全部脱贫了没: not while the sentence counts some still left (未脱贫…5155人)
                f.qualifier == "remaining" and f.amount for f in index.facts.get(best.sentence.id, [])
            )
            asks_all = self._asks(q, "asks_all")
            verdict = t["no"] if negated(best.quote) or (asks_all and some_left) else t["yes"]
            if best.fact is None:
                best = finder.with_rest(best, whole=True)
        en = q.lang == "en"
        phones = self._other_phones(q, best, index)
        if phones:  # the numbers' clauses quoted together
            best = replace(best, quote=best.sentence.text.rstrip("。；"))
        listed = self._enumerated(q, best, index)
        if listed:  # and the enumeration's
            sent = best.sentence.text
            a, b = sent.find(listed[0].clause), sent.find(listed[-1].clause) + len(listed[-1].clause)
            best = replace(best, quote=sent[a:b]) if 0 <= a < b else best
        text, value = render_hit(q, best, index, t, self.intents), hit_value(best, q.lang, self.intents)
        if other is not None:  # two articles, one metric: the newest article's figure, and the other named
            text += "\n" + t["other_report"].format(
                year=index.articles[other.sentence.article_id].get("year") or "",
                value=hit_value(other, q.lang, self.intents),
            )
        stated, sep = value, "; " if en else "；"  # the best figure as the reply says it, and their separator
        second = None if listed else self._second_figure(q, best, index) or self._beyond_base(q, best, index)
        beside = (
            None if second or listed else self._given(q, best, index) or self._beside_figure(q, best, index)
        )
        # 多少个乡镇、贫困村和贫困户: each thing's figure, in the question's order; 多少笔，多少钱: the figure beside it
        together = listed or (sorted((best.fact, second), key=lambda f: f.start) if second else None)
        if together:
            value = sep.join(figure(f.value, f, best.sentence, q.lang, self.intents) for f in together)
            text = text.replace(stated, value, 1)
        elif beside:  # the figure asked first, the one its clause pairs with it after: 5155人（2207户）
            other = figure(beside.value, beside, best.sentence, q.lang, self.intents)
            value = f"{stated} ({other})" if en else f"{stated}（{other}）"
            text = text.replace(stated, value, 1)
        elif (
            phones
        ):  # 有问题打啥电话投诉: the sentence's numbers for it, which the question does not tell apart
            value = sep.join(f.value for f in sorted((best.fact, *phones), key=lambda f: f.start))
            text = text.replace(stated, value, 1)
        later = self._second_date(q, best, hits)
        if later is not None:  # 从啥时候开工到啥时候修完: both dates, in the sentence's order
            pair = sorted((best, later), key=lambda h: h.sentence.text.find(h.value))
            value = sep.join(hit_value(h, q.lang, self.intents) for h in pair)
            text = text.replace(stated, value, 1)
        if q.qtype == "yesno":  # the verdict first, then the fact it rests on
            text, value = (
                (f"{verdict}. {text}", f"{verdict}: {stated}")
                if en
                else (f"{verdict}。{text}", f"{verdict}：{stated}")
            )
        # a change states both ends, unless the end alone was asked (提高到多少: 3360元)
        both = q.qtype == "fromto" and not (best.fact is not None and best.fact.role == "to")
        return best, text, value, len(listed) if listed else 2 if second or both or later else 1

    @staticmethod
    def _second_date(q: Query, best: finder.Hit, hits: list[finder.Hit]) -> finder.Hit | None:
        """For a question asking two dates (从啥时候开工到啥时候修完), the other date of the best one's sentence."""
        if q.qtype != "when" or _dates_asked(q.text) < 2:
            return None
        return next(
            (
                h
                for h in hits
                if h.sentence.id == best.sentence.id
                and h.value not in best.value
                and best.value not in h.value
            ),
            None,
        )

    @staticmethod
    def _beyond_base(q: Query, best: finder.Hit, index: KnowledgeIndex):
        """For a difference asked (比全省平均高多少) and stated (高于全省平均水平0.7个百分点), the figure it is
        the difference of, just before it (增长幅度平均为10.3%): both are said."""
        if not (q.beyond and best.fact and best.features.get("beyond")):
            return None
        before = [
            f
            for f in index.facts.get(best.sentence.id, [])
            if f.end <= best.fact.start and f.unit_class == best.fact.unit_class and f.amount
        ]
        return max(before, key=lambda f: f.end, default=None)

    @staticmethod
    def _second_figure(q: Query, best: finder.Hit, index: KnowledgeIndex):
        """For a question asking two figures (多少户多少人), the other one in the best figure's sentence: of
        the other kind asked, nearest the first (else the one beside it of another kind); None if none."""
        if not best.fact or _figures(q) < 2:
            return None
        facts = [f for f in index.facts.get(best.sentence.id, []) if f.amount and f.id != best.fact.id]
        # a bare magnitude (1.5万贫困人口) counts what the question counts first (多少人): the other is wanted
        bare = not best.fact.unit and best.fact.unit_class == "count" and q.unit_class in finder.COUNTABLE
        wanted = [u for u in q.units_asked if u and u != (q.unit_class if bare else best.fact.unit_class)]
        counted = [m for m in q.measures if m != best.fact.unit]
        if wanted:  # 多少干部组成了多少支工作队: person, after the count of teams
            facts = [f for f in facts if f.unit_class == wanted[0]]
        elif counted:  # 分几批培育了多少个基地: the count of batches beside that of bases
            facts = [f for f in facts if f.unit == counted[0]]
        else:
            facts = [f for f in facts if f.unit_class != best.fact.unit_class]
        return min(facts, key=lambda f: abs(f.start - best.fact.start), default=None)

    @staticmethod
    def _enumerated(q: Query, best: finder.Hit, index: KnowledgeIndex) -> list | None:
        """For one question word counting several things (多少个乡镇、贫困村和贫困户), the best figure's
        sentence's figure of each, in the question's order; None unless it has one for every thing."""
        things = enumerated_asked(q.text)
        if len(things) < 2 or not best.fact:
            return None
        facts = [f for f in index.facts.get(best.sentence.id, []) if f.amount and f.counted]
        out: list = []
        for thing in things:  # 贫困 (of 贫困户, cut short) takes the first such figure not taken yet
            f = next((f for f in facts if f not in out and f.counted.startswith(thing[:2])), None)
            if f is None:
                return None
            out.append(f)
        return out if best.fact in out else None

    @staticmethod
    def _other_phones(q: Query, best: finder.Hit, index: KnowledgeIndex) -> list:
        """The other phone numbers of the best one's sentence when the question's words tell none of them
        apart (投诉电话 63300059 and 质量、价格投诉电话 12315 for 有问题打啥电话; only 12315 for 价格有问题)."""
        if not best.fact or best.fact.unit_class != "phone":
            return []
        others = [
            f
            for f in index.facts.get(best.sentence.id, [])
            if f.unit_class == "phone" and f.id != best.fact.id
        ]

        # the question's own words (an English question's: what its words stand for)
        said = [m for c in q.concepts for m in c.members if m in q.text or q.lang == "en"]

        def apart(f) -> bool:  # a word of the question in one number's clause and not the other's
            return any((m in best.fact.clause) != (m in f.clause) for m in said)

        return [f for f in others if not apart(f)]

    @staticmethod
    def _given(q: Query, best: finder.Hit, index: KnowledgeIndex):
        """The figure the question states itself, in the answer's sentence (培训了1.8万多…最后多少人上岗:
        1.75万人（1.8万余名）): said beside the answer, so the resident sees which one it goes with."""
        if not best.fact or not q.given or best.features.get("restated"):
            return None
        return next(
            (f for f in index.facts.get(best.sentence.id, []) if f.amount and restates(f.amount, q.given)),
            None,
        )

    @staticmethod
    def _beside_figure(q: Query, best: finder.Hit, index: KnowledgeIndex):
        """For a question asking one figure, the figure of another kind its clause pairs with it (发放创业贷款
        1370笔2.05亿元, 投入资金39亿元对1122所学校): how many and how much of one thing, stated together."""
        if not best.fact or _figures(q) != 1 or best.fact.role == "change":
            return None
        text = best.sentence.text
        for f in index.facts.get(best.sentence.id, []):
            if f.id == best.fact.id or not f.amount or f.unit_class in (best.fact.unit_class, *_NOT_BESIDE):
                continue
            if {f.unit_class, best.fact.unit_class} == {"household", "person"} and q.unit_class:
                continue  # 2207户5155人: one population counted two ways; the noun asked (人口, 户) picks one
            a, b = sorted(((best.fact.start, best.fact.end), (f.start, f.end)))
            between = text[a[1] : b[0]]
            if len(between) <= BESIDE and not _CLAUSE_MARK.search(between):
                return f
        return None

    def _signals(self, q: Query, hits: list[finder.Hit], index: KnowledgeIndex) -> dict[str, float]:
        """What the calibrator reads of a question's candidates (engine/rank.py SIGNALS)."""
        best = hits[0]

        def same(h: finder.Hit) -> bool:  # 开展“昼访夜谈”活动 and the clause with the rest of its sentence:
            if h.value == best.value:  # one answer in two spans, no rival to itself
                return True
            return (
                best.fact is None
                and h.fact is None
                and h.sentence.id == best.sentence.id
                and (h.value in best.value or best.value in h.value)
            )

        other = next((h for h in hits[1:] if not same(h)), None)
        places = {h.sentence.places[0] for h in hits[:5] if h.sentence.places}
        weight = [math.exp(max(-30.0, h.score - best.score)) for h in hits]
        mass = sum(weight)
        if best.fact is None:
            mass /= sum(w for w, h in zip(weight, hits, strict=True) if same(h))
        f = best.features
        clause = q.qtype in ("what", "list") and best.fact is None
        return {
            "score": best.score,
            "prob": sigmoid(best.score),
            "share_top": 1.0 / mass,
            "margin": best.score - other.score if other else 1.0,
            "cov": best.coverage,
            "unknown": finder.unknown_share(q, index),
            "elsewhere": finder.elsewhere_share(q, index),
            "no_place": float(not q.place),
            "places": min(len(places) - 1, 3) if places else 0.0,
            "typed": float(q.typed),
            **{
                k: f.get(k, 0.0)
                for k in ("kind_figure", "kind_date", "kind_name", "kind_clause", "kind_place")
            },
            "candidates": math.log1p(len(hits)),
            "top_share": f.get("share", 0.0),
            "top_near": f.get("near", 0.0),
            "top_literal": f.get("literal", 0.0),
            "top_unasked": f.get("unasked", 0.0),
            "top_qual": f.get("qual_agree", 0.0) - f.get("qual_conflict", 0.0),
            "top_year": f.get("year_match", 0.0),
            "top_place": f.get("place_named", 0.0),
            "top_parent": f.get("parent_first", 0.0),
            # a what-is or list answer that goes on to the definition the sentence gives (engine/answer.py)
            "top_defined": float(clause and finder.with_definition(best, q.concepts) is not best),
            "ask_figure": float(q.qtype in ("how_many", "rate", "compare")),
            "ask_when": float(q.qtype in ("when", "weekday")),
            "ask_who": float(q.qtype in ("who", "byline")),
            "ask_items": float(q.qtype in ("list", "what", "where")),
            "ask_yesno": float(q.qtype == "yesno"),
            "ask_change": float(q.qtype == "fromto"),
            "followup": float(q.followup and q.extra.get("new_words", True)),  # 一年能卖多少钱 after …
            "followup_same": float(q.followup and not q.extra.get("new_words", True)),  # 2019年呢, 那沁阳呢
            "agree": sum(h.value == best.value for h in hits[:5]) / 5,
            # the best answer looks like what its kind of question asks: a store or site for where, items
            # for a list, a person's name for who
            "top_looks": {"where": f.get("where_cue", 0.0), "list": f.get("items", 0.0)}.get(
                q.qtype, f.get("person", 0.0) if q.qtype == "who" else 0.0
            ),
            "two_missing": float(
                bool(best.fact) and _figures(q) >= 2 and not self._second_figure(q, best, index)
            ),
        }

    def _readings(
        self, hits: list[finder.Hit], floor: float, index: KnowledgeIndex, lang: str = "zh"
    ) -> list[Alternative]:
        """Readings with distinct values scoring at least `floor`, best first, as did-you-mean choices."""
        out: list[Alternative] = []
        seen: set[str] = set()
        for h in hits:
            if h.score < floor or len(out) >= 4:
                break
            if h.value in seen:
                continue
            seen.add(h.value)
            where = h.sentence.places[0] if h.sentence.places else ""
            key = (
                cards.key_of(index, h.sentence, h.fact.value)
                if h.fact
                else cards.clause_key(index, h.sentence, h.value)  # a where, list or yes/no reading
            )
            if lang == "en":  # Ruyang: 4 poor villages (4个), cut by the bot at a word
                label = f"{place_short(where, lang, index)}: {hit_value(h, lang, self.intents)}".lstrip(": ")
            else:
                label = f"{where} {h.value}"[:40]
            out.append(Alternative(label, f"#s{h.sentence.id}", key))
        return out

    def _unsure(
        self, state: _Loaded, q: Query, t: dict[str, str], hits: list[finder.Hit], confidence: float
    ) -> Answer:
        """Not sure enough to state a figure: say so, and offer the places (when none was named and the
        candidates are of several) or the best readings to choose from."""
        places = []
        for h in hits[:8]:
            p = h.sentence.places[0] if h.sentence.places else None
            if p and p not in places:
                places.append(p)
        if not q.place and not q.place_kind and len(places) >= 2:  # 哪个村: the place is the answer asked
            choices = [Alternative(place_label(p, q.lang, state.index), f"{p} {q.text}") for p in places[:4]]
            return Answer(
                False,
                t["which_place"],
                "which_place",
                lang=q.lang,
                alternatives=choices,
                confidence=round(confidence, 3),
            )
        return Answer(
            False,
            t["unsure"],
            "unsure",
            place=q.place,
            lang=q.lang,
            confidence=round(confidence, 3),
            alternatives=self._readings(hits, float("-inf"), state.index, q.lang)[:3],
        )

    def _compare(
        self,
        state: _Loaded,
        q: Query,
        t: dict[str, str],
        sides: list[tuple[str, Query]] | None = None,
        each: bool = False,
    ) -> Answer:
        """Two figures of the same kind (of two places, or of two things `sides` names), both stated, and
        which is more (or less, when asked)."""
        if sides is None:
            sides = [(p, replace(q, places=(p,), qtype="how_many")) for p in q.places[:2]]
        found = [
            (label, sub, [h for h in finder.find(sub, state.index, self.ranker) if h.fact][:6])
            for label, sub in sides
        ]
        rows, missing = self._pair(found)
        sure = 1.0
        side = {label: (sub, hits) for label, sub, hits in found}
        # the chosen figure leads its side's candidates: its confidence is that side's
        for label, hit in rows:
            sub, hits = side[label]
            # … among its figures of the pair's kind: a 99% beside 20个 and 78个 is no rival for a count,
            # nor is the other side's figure (中职 beside 高中's 9882.7万元)
            taken = {(h.sentence.text, h.value) for other, h in rows if other != label}
            reordered = [
                hit,
                *(
                    h
                    for h in hits
                    if h is not hit
                    and h.fact.unit_class == hit.fact.unit_class
                    and (h.sentence.text, h.value) not in taken
                ),
            ]
            sure *= self.ranker.confidence(self._signals(sub, reordered, state.index))

        sep = "; " if q.lang == "en" else "；"

        def line(place: str, hit: finder.Hit) -> str:
            return t["compare_line"].format(
                place=place_label(place, q.lang, state.index) or place,
                value=hit_value(hit, q.lang, self.intents),
                quote=hit.quote,
            )

        def stated(pairs) -> str:
            return sep.join(
                f"{place_label(p, q.lang, state.index) or p} {hit_value(h, q.lang, self.intents)}"
                for p, h in pairs
            )

        if len(rows) == 1 and sure >= self.ranker.threshold:  # one figure only: no comparison made up
            (place, hit), label = rows[0], place_label(missing[0], q.lang, state.index)
            return Answer(  # not an answer to what was asked (both figures): said, but not as found
                False,
                t["compare_partial"].format(line=line(place, hit), missing=label),
                "compare_partial",
                place=place,
                confidence=round(sure, 3),
                lang=q.lang,
                sources=[Source(state.index.article_title(hit.sentence.article_id), hit.sentence.text)],
            )
        if len(rows) < 2 or sure < self.ranker.threshold:
            return self._not_found(state, q, t)
        # 各多少, 基层就诊率和县域就诊率要到多少: both, no verdict
        if each or (EACH.search(q.text) or pair_of_one_kind(q.text)) and not _MORE_LESS_ASKED.search(q.text):
            text, value = sep.join(line(p, h) for p, h in rows), stated(rows)
        else:
            fewer = self._asks(q, "asks_less")
            rows.sort(key=lambda ph: ph[1].fact.amount, reverse=not fewer)
            winner = place_label(rows[0][0], q.lang, state.index) or rows[0][0]
            verdict = t["less" if fewer else "more"].format(winner=winner)
            lines = sep.join(line(p, h) for p, h in rows)  # the winner first
            text, value = t["compare"].format(verdict=verdict, lines=lines), f"{stated(rows)}{sep}{verdict}"
        (_, a), (_, b) = rows[:2]
        if (
            a.sentence.id == b.sentence.id
        ):  # 修建农村公路2291公里，是省定…任务450公里的5倍: the relation stated
            times = [f.value for f in state.index.facts.get(a.sentence.id, []) if f.unit_class == "multiple"]
            if len(times) == 1:
                value += sep + times[0]
        return Answer(
            True,
            text,
            "compare",
            place=rows[0][0],
            confidence=round(sure, 3),
            lang=q.lang,
            sources=[
                Source(state.index.article_title(h.sentence.article_id), h.sentence.text) for _, h in rows
            ],
            value=value,
        )

    @staticmethod
    def _pair(found) -> tuple[list[tuple[str, finder.Hit]], list[str]]:
        """The figure of each side: the pair of candidates, one per side, of one kind of figure and not
        the same figure, with the best scores together (高中和中职国家助学金: not 9882.7万元 twice)."""
        if len(found) == 2 and found[0][2] and found[1][2]:
            pairs = [
                (a.score + b.score, i, j, a, b)
                for i, a in enumerate(found[0][2])
                for j, b in enumerate(found[1][2])
                if a.fact.unit_class == b.fact.unit_class
                and (a.sentence.id, a.fact.start) != (b.sentence.id, b.fact.start)
            ]
            if pairs:
                _, _, _, a, b = max(pairs, key=lambda p: (p[0], -p[1], -p[2]))
                return [(found[0][0], a), (found[1][0], b)], []
        rows = [(label, hits[0]) for label, _, hits in found if hits]
        return rows, [label for label, _, hits in found if not hits]

    def _not_found(self, state: _Loaded, q: Query, t: dict[str, str]) -> Answer:
        if _holds(q, self.intents.out_of_scope):  # 明天洛阳下雨吗: no article is about that
            return Answer(False, t["out_of_scope"], "out_of_scope", place=q.place, lang=q.lang)
        what = f"“{q.text}”"
        if q.year is not None:
            relaxed = finder.find(replace(q, year=None), state.index, self.ranker)
            # only when that year is what is missing: not when a figure of that very year was there and
            # something else ruled it out (从多少涨到多少 asks a change no clause states)
            if relaxed and not any(
                f.year == q.year for h in relaxed for f in state.index.facts.get(h.sentence.id, ())
            ):
                return Answer(
                    False,
                    t["wrong_year"].format(
                        place=place_label(q.place, q.lang, state.index) or "", year=q.year
                    ),
                    "wrong_year",
                    place=q.place,
                    lang=q.lang,
                )
        if q.followup and q.place and not q.extra.get("new_words", True):
            # 那沁阳呢: the thing asked is the chat's last one; what is missing is that place's figure
            return Answer(
                False,
                t["wrong_place" if q.qtype in _FIGURE_KINDS else "wrong_place_info"].format(
                    place=place_label(q.place, q.lang, state.index)
                ),
                "wrong_place",
                place=q.place,
                lang=q.lang,
            )
        topics = self.suggest(state, q)
        text = t["not_found"].format(what=what)
        if topics:
            text += "\n" + t["suggest"].format(
                topics=("; " if q.lang == "en" else "；").join(a.label for a in topics)
            )
        return Answer(
            False, text, q.qtype if q.concepts else "unknown", place=q.place, lang=q.lang, alternatives=topics
        )

    def suggest(self, state: _Loaded, q: Query) -> list[Alternative]:
        """Close topics for a question with no answer: sentences holding some of its words."""
        scored = []
        pool = state.index.by_place.get(q.place, []) if q.place else []
        if not pool:  # only sentences holding one of the question's words can score (not all 50,000)
            pool = set().union(*(state.index.containing(m) for c in q.concepts for m in c.members))
        covs = finder.coverages(list(pool), q.concepts, state.index)
        for sid in pool:
            s = state.index.sentences[sid]
            cov = covs[sid] if covs is not None else finder.coverage(s, q.concepts)
            if cov > 0 and state.index.facts.get(sid):
                scored.append((cov, s))
        out = []
        for _, s in heapq.nsmallest(3, scored, key=lambda cs: (-cs[0], cs[1].id)):  # sorted(...)[:3]
            f = state.index.facts[s.id][0]
            where = s.places[0] if s.places else ""
            if q.lang == "en":  # no English for the clause: the place and the figure in English
                label = (
                    f"{place_short(where, 'en', state.index)}: {figure(f.value, f, s, 'en', self.intents)}"
                )
            else:
                label = f"{where}：{f.clause}"[:40]
            out.append(
                Alternative(
                    label.lstrip(": "),
                    f"#s{s.id}",
                    cards.key_of(state.index, s, f.value),
                )
            )
        return out

    def _pinned(self, state: _Loaded, sid: int) -> Answer:
        s = state.index.sentences.get(sid)
        zh = self.intents.replies["zh"]
        if not s:
            return Answer(False, zh["not_found"].format(what=f"#{sid}"), "unknown")
        title = state.index.article_title(s.article_id)
        place = s.places[0] if s.places else None
        return Answer(
            True,
            zh["text"].format(place=place or "", year="", quote=s.text, article=title),
            "pinned",
            place=place,
            confidence=1.0,
            sources=[Source(title, s.text)],
        )

    def card(self, key: str, lang: str = "zh") -> Answer | None:
        """The fact an `Alternative.key` names, as an answer (figure, quote, article); None when the
        fact base no longer holds it."""
        lang = lang if lang in self.intents.replies else "zh"
        return cards.card(self._state.index, key, self.intents.replies[lang], lang, self.intents)

    # ---- state -------------------------------------------------------------------------------
    def reset(self, session: str) -> None:
        """Forget the follow-up context of one session."""
        with self._lock:
            self._sessions.pop(session, None)

    def fork_session(self, src: str, dst: str) -> bool:
        """Give session `dst` the follow-up context of session `src` (True), or none when `src` has
        none (False), so a follow-up in `dst` continues exactly where `src` stood."""
        with self._lock:
            last = self._sessions.get(src)
            if last is None:
                self._sessions.pop(dst, None)
                return False
            self._sessions[dst] = last
            self._sessions.move_to_end(dst)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return True

    def topics(self, lang: str = "zh") -> dict[str, list[str]]:
        """Places and subjects the fact base covers: {"places": [...], "subjects": [...]}; places by
        their English names too for lang "en" ("Ruyang (汝阳县)")."""
        index = self._state.index
        return {
            "places": [
                place_label(p.name, lang, index)
                for p in index.covered_places()
                if p.level in ("city", "county", "district")
            ],
            "subjects": [a["title"] for a in index.articles.values()],
        }

    def reload(self, warm_up: Iterable[str] = ()) -> bool:
        """Load the fact base file (and the ranker's weights) again if they changed on disk; keep the old
        ones on any error. A new fact base is asked the questions `warm_up` before it is swapped in, so that
        what the first questions build lazily (the typo fixer's table of sounds, the gazetteer, English
        words) is built here and not on a user's question; the old one answers meanwhile."""
        with self._reload_lock:  # two reloads at once could otherwise leave the older file serving
            if self._weights and _stamp(self._weights) != self._weights_stamp:
                try:
                    self.ranker, self._weights_stamp = Ranker.load(self._weights), _stamp(self._weights)
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("ranker weights %s not reloaded, the old ones serve: %s", self._weights, exc)
            try:
                st = self.db_path.stat()
                if (st.st_ino, st.st_mtime_ns, st.st_size) == self._state.stamp:
                    return False
                fresh = _Loaded(self.db_path, self.intents)
                for q in warm_up:
                    self._ask(fresh, q, None, None)  # no session: nobody's follow-up context changes
                    pace.point()
            except Exception as exc:  # noqa: BLE001 - a bad file must never stop the old one serving
                self.last_error = f"reload failed, previous fact base still serving: {exc}"
                log.warning(self.last_error)
                return False
            self._state = fresh
            self.last_error = None
            return True

    def rebuild(self, articles_dir: str | Path | None = None) -> BuildReport:
        """Build the fact base from the articles (same code as scripts/build_kb.py), then reload."""
        report = build(articles_dir or self.articles_dir, self.db_path, self.intents)
        if not report.ok:
            if hasattr(self, "_state"):
                self.last_error = f"rebuild failed, previous fact base still serving: {report.error}"
            return report
        if not hasattr(self, "_state"):
            self._state = _Loaded(self.db_path, self.intents)
        elif not self.reload() and self.last_error:  # built and swapped in, but this engine could not load it
            report = replace(report, warnings=[*report.warnings, self.last_error])
        return report


GOLDEN = ROOT / "kb" / "golden.yaml"


def validate(path: Path, intent_set: intents.IntentSet, must_cover: set[str] | None = None) -> list[str]:
    """Problems with a freshly built fact base: golden questions it can no longer answer.

    A golden question whose place has no article is skipped only when that was expected: its articles were
    deleted (or dropped with --allow-removal), or it never had one. `must_cover` are the places the
    previous fact base covered through articles still present; one of them gone is a problem.
    """
    import yaml

    problems = []
    try:
        loaded = _Loaded(path, intent_set)
    except Exception as exc:  # noqa: BLE001
        return [f"cannot load: {exc}"]
    golden = yaml.safe_load(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else []
    for row in golden or []:
        place = row.get("place")
        if place and place not in loaded.index.by_place:
            if place in (must_cover or ()):
                problems.append(
                    f"golden question {row['q']} cannot be asked: no sentence is about {place} now"
                )
            continue  # that place's articles were removed on purpose
        q = loaded.parser.parse(row["q"])
        if not finder.find(q, loaded.index, Ranker.load()):
            problems.append(f"golden question no longer answered: {row['q']}")
    return problems


def build(
    articles_dir: str | Path,
    db_path: str | Path,
    intent_set: intents.IntentSet | None = None,
    *,
    allow_removal: bool = False,
) -> BuildReport:
    """The admin's rebuild: build, validate with the golden questions, swap in. Old base kept on failure.

    `allow_removal` lets articles already in the fact base shrink or be dropped (scripts/build_kb.py
    --allow-removal); without it such a loss fails the build."""
    from kb.build import build_kb  # here: serving never builds unless the file is missing or a rebuild asked

    intent_set = intent_set or intents.load()
    return build_kb(
        articles_dir,
        db_path,
        validate=lambda p, must_cover: validate(p, intent_set, must_cover),
        allow_removal=allow_removal,
    )
