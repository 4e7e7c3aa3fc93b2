"""Parse a question into what it asks: type, place, year, title, unit wanted and search concepts."""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import replace

import jieba
from rapidfuzz import fuzz, process

from engine.english import EnglishParsing
from engine.index import KnowledgeIndex
from engine.normalize import fold, is_english, normalize
from engine.question import (
    BEYOND_ASKED,
    EACH,
    FILLER_WEIGHT,
    PAGE_CREDITS,
    PERSON_WORDS,
    Concept,
    Query,
    compare_sides,
    mark_head,
    pair_of_one_kind,
)
from engine.typos import TypoFixer
from intents import IntentSet
from kb import pace, tokens
from kb.bylines import HOTLINE
from kb.numbers import SINCE, figures, is_baseline
from kb.numerals import small_numeral
from kb.places import word_cuts

_UNKNOWN_PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(省|市|县|区)")
_NOT_PLACE_STEM = re.compile(r"[全我该本各此这那每哪几多少个和与的在有是了区县市省城]")  # 新乡市 is a place
_YEAR = re.compile(rf"(?<!\d)((?:19|20)\d{{2}})(?:年|\b)({'|'.join(SINCE)})?")
# a numbered framework and its parts (“1+4+2”的框架：“4”是关键机制，即…): the formula is a term, and a
# part asked about (里的4是啥, 那1指的啥) is the article's “4”是, which folds to 4是
_FORMULA = re.compile(r"\d+(?:\+\d+)+")
_NUMBERED_PART = re.compile(r"(?<![\d.+])(\d)[”\"]?(?=是|指)")
_INNER_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])[了的过](?=[\u4e00-\u9fff])")  # 去了哪, 摘的帽
# 发得多, 卖得好: 得 before a degree word joins a verb to how it went; the verb alone is the word
_COMPLEMENT = re.compile(r"(?<=[\u4e00-\u9fff])得(?=[多少快慢好高低大小])")
# 卖出去, 卖掉: a direction or result after a one-character verb says how it went; the verb is the word
_DIRECTION = re.compile(r"(?<=[\u4e00-\u9fff])(?:出去|出来|掉)")
_ENDS_MORE_LESS = re.compile(r"(?:多|少|高|低|大|小)[吗呢啊呀？?！!。]*$")
_COMPARE = re.compile(r"哪个|哪一个|谁|更多|更少|多还是少|比较")
_PUNCT = re.compile(r"[\s\W_]+")
# where a message's questions part; on a phone a space between Chinese words often stands for the comma
_CLAUSE_BREAK = re.compile(r"[，,；;、？?]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_ASPECT = set("了过着")
_ALSO_EN = re.compile(r"(?:,?\s+and|\?)\s+(?=(?:how|what|when|where|who|which)\b)", re.IGNORECASE)
_RISE_ASKED = re.compile(r"(?:涨|增长|增加|提高|上涨|提升)了?(?:多少|几)")
_WHAT_ABOUT = re.compile(r"(?:那|那么)?[\u4e00-\u9fff]{1,12}呢")  # 县长呢, 中职的呢: asks the same of another
# the question types that ask a credit (intents/vocabulary.yaml credits; None: any): who took the photo or
# edited the page is asked as who; which newspaper as anything (哪家报纸: where); the day's issue as when
# (哪天的报纸); a number the page prints as anything (新闻热线多少, 是啥)
_CREDIT_ASKED_BY: dict[str, tuple[str, ...] | None] = {
    "paper": None,
    "issue": ("when", "weekday"),
    HOTLINE: None,
}
_MEASURES = "个名位所家项条户座处笔支批次场套头间台辆件种类张"
_YESNO_END = re.compile(r"(?:吗|嘛|不|没|没有|么)[?？!！。\s]*$")
_WH_ZH = re.compile(r"多少|几|哪|什么|啥|谁|怎么|咋|如何|多大|多长|多高")
# a question word asking (十几万人 is a figure said, not asked; 咋投诉？打哪个电话 asks one thing twice)
_ASKS_ZH = re.compile(r"多少|(?<![十百千万])几(?![十百千万])|哪|什么|啥|谁|多大|多长|多高")
_YESNO_EN = re.compile(r"\s*(?:did|is|are|has|have|does|do|was|were|can|will)\b")
_WH_EN = re.compile(r"\b(?:how|what|which|who|when|where|whom|whose)\b")
_ASKED_MEASURE = re.compile(rf"(?:多少|几)([{_MEASURES}])")
_ASK_MEASURE = re.compile(rf"多少[{_MEASURES}]?|几[{_MEASURES}]")
# …穷人靠产业增收; 带动多少困难群众增收, 多少人脱贫: what the people counted did ends the noun too
_PHRASE_END = r"(?=$|[，,。？?！!的呢了吗啊呀在有是没未已都还能会要被得也就靠]|通过|增收|脱贫|就业|受益|参与|参加|享受|务工)"
_PERSON_NOUN = re.compile(
    rf"^[个名位]?(?:[\u4e00-\u9fff]{{1,6}}的)?[\u4e00-\u9fff]{{0,6}}?(?:{PERSON_WORDS})"
    rf"{_PHRASE_END}"
)
_HOUSEHOLD_NOUN = re.compile(rf"^[个]?[\u4e00-\u9fff]{{0,6}}?户{_PHRASE_END}")
# 哪几个村, and 村子有哪些 (the kind before the question words)
_WHICH_PLACE = re.compile(
    r"哪(?:个|一个|些|几个|[两俩三四五六七八九十]个?)?(村|县|乡|镇|市|区)|(?<=的)(村|县|乡|镇)子?(?:都)?有哪(?:些|几个)"
)
_FINENESS = "村乡镇区县市"
_GOES_WHERE = re.compile(r"[去到跑上往](?:了|过)?(?:哪|什么地方|啥地方)")  # 去哪暗访了: a destination
_ASK_AMOUNT = re.compile(r"多少|几")
_ASK_YEARS = re.compile(r"(?:多少|几)(?:个)?年")
_PERSON_WORD = re.compile(r"人|员|干部|群众|书记|医生|学生|老师")
_WHICH_ITEMS = re.compile(r"哪(?:些|几[个家种项类所条位]?|[两三四五六七八九十][个家种项类所条位])|啥|什么")
_WHICH_N = re.compile(r"哪([一二三四五六七八九十两几\d]+)[个项类种家条所件批大]")


def _numeral(text: str) -> int | None:
    """六 -> 6, 十二 -> 12, 3 -> 3; None for 几 or anything unreadable."""
    simple = small_numeral(text.replace("两", "二"))
    if simple is not None:
        return simple or None
    import cn2an  # only for the rarer numerals: importing it takes ~0.5 s

    try:
        value = cn2an.cn2an(text.replace("两", "二"), "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if value and value == int(value) else None


_last_taught: list[tuple[tuple[tuple[str, int], ...], weakref.ref]] = []  # the words and tokenizer made last


def taught_tokenizer(words: tuple[tuple[str, int], ...]) -> jieba.Tokenizer:
    """A fresh tokenizer (kb/tokens.py) taught `words`, (word, frequency) in this order. The one made last
    is reused while it is alive and was taught the same words (a reload of a fact base naming the same
    places): nothing changes a tokenizer once taught, so two generations of a fact base may share one, and
    the reload neither copies jieba's dictionary (500,000 words: 10-20 ms in one call holding the GIL) nor
    frees the old copy (as long again)."""
    if _last_taught and _last_taught[0][0] == words:
        tok = _last_taught[0][1]()
        if tok is not None:
            return tok
    tok = tokens.fresh()
    for word, freq in pace.steps(words):
        tok.add_word(word, freq=freq)
    _last_taught[:] = [(words, weakref.ref(tok))]
    return tok


class QueryParser(EnglishParsing):
    """Turns raw question text into a Query, using the intent set and the loaded fact base."""

    def __init__(self, intents: IntentSet, index: KnowledgeIndex):
        self.intents = intents
        self.index = index
        self.synonym_of: dict[str, tuple[str, ...]] = {}
        taught = []
        for group in intents.synonyms:
            for member in group:
                self.synonym_of.setdefault(member, group)
                taught.append((member, 2000))
        taught += [(title, 3000) for title in intents.titles]
        taught += [(alias, 3000) for alias in index.alias_to_place]
        taught += [(name, 3000) for name in sorted(index.person_names)]  # 孔亚平, not 孔 + 亚平
        self.tokenizer = taught_tokenizer(tuple(taught))  # jieba's global one is never taught anything
        self._members = sorted(self.synonym_of, key=len, reverse=True)
        # what a typo may be repaired into: places, domain words, titles, and article words of three or more
        # characters (two-character words collide too easily: 县先 must not become 显现)
        vocabulary = {t: df for t, df in index.terms.items() if len(t) >= 3}
        for name in (*index.alias_to_place, *intents.titles):
            vocabulary[name] = vocabulary.get(name, 0) + 100
        for member in self.synonym_of:
            vocabulary[member] = vocabulary.get(member, 0) + 100
        self.typos = TypoFixer(vocabulary, known=index.terms, tokenizer=self.tokenizer)
        self._unit_of = {
            w: cls
            for cls, words in intents.implied_units.items()
            if cls in ("area", "length", "money")
            for w in words
        }
        self._smalltalk = [(ex.lower(), name) for name, exs in intents.smalltalk.items() for ex in exs]
        self._stop_chars = {w for w in intents.stopwords if len(w) == 1}
        # words that say which figure is wanted (当初, 打算, 加起来) are slots, not topics to search for
        self._slot_words = {w for ws in intents.slots.values() for w in ws if not w.isascii()}
        self._measure_res = [  # 多少名, 几个: the measure word says the kind of figure (longest words first)
            (
                cls,
                re.compile(
                    r"(?:多少|几)(?:个)?(?:"
                    + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                    + ")"
                ),
            )
            for cls, words in intents.measure_words.items()
        ]

    # ---- entry point -------------------------------------------------------------------------
    def parse(self, raw: str) -> Query:
        text = normalize(raw)
        q = self._parse_english(text) if is_english(text) else self._parse_chinese(text)
        return self._slots(q)

    def parts(self, text: str) -> list[str]:
        """The questions a message asks, one per clause a question word types (临港论坛哪天开的，签了几个项目:
        two) or asking the one before of another thing (县委书记是谁，县长呢); a clause asking nothing
        (缺技术和缺资金致贫，哪个占比高) stays with the one beside it."""
        if is_english(text):  # How big is Ruyang County and how many people live there?
            halves = [h.strip(" ,") for h in _ALSO_EN.split(text) if h.strip(" ,?")]
            if len(halves) == 2 and all(self._parse_english(h).typed for h in halves):
                return halves
            return [text]
        chunks = [c for c in _CLAUSE_BREAK.split(normalize(text)) if c.strip()]
        if len(chunks) < 2:
            return [text]
        out: list[str] = []
        pending = ""  # clauses before the first question
        for chunk in chunks:
            q = self._parse_chinese(chunk)
            # 是哪个报纸登的; 都有些啥项目: a question word (not only a cue) makes a clause a question
            if (
                q.typed or _ASKS_ZH.search(chunk) or self._credit(q, chunk.lower(), False)
            ) and not q.smalltalk:
                out.append(pending + chunk)
                pending = ""
            elif out and _WHAT_ABOUT.fullmatch(chunk.strip()):  # 县委书记是谁，县长呢: the same, of another
                out.append(chunk)
            elif out:
                out[-1] += "，" + chunk
            else:
                pending += chunk + "，"
        if pending:
            return [text]
        return out

    def _slots(self, q: Query) -> Query:
        """Qualifier and role slots from the question's words (intents/vocabulary.yaml slots)."""
        if q.smalltalk:
            return q
        english = q.lang == "en"
        low = q.text.lower()

        def said(slot: str) -> bool:
            return _says(q.text, low, english, self.intents.slots[slot])

        qualifier = next((s for s in ("remaining", "new", "total", "done") if said(s)), None)
        forms = self.intents.qualified.get(qualifier or "", {})
        if q.qtype == "fromto" or said("asks_from"):
            forms = {}  # 从原来多少降到还剩多少: 还剩 qualifies the end of a change, which names the whole
        if forms:  # 还有多少贫困人口: the articles call them 未脱贫人口, and that is the wording to look for
            body = q.body
            for word, theirs in forms.items():
                body = body.replace(word, theirs) if theirs not in body else body
            q = replace(q, concepts=tuple(self._qualified(c, forms) for c in q.concepts), body=body)
        credit = self._credit(q, low, english)
        if credit:  # 照片是谁拍的, 那版的编辑是谁: a credit of the article, the cue words no topic
            asked = PAGE_CREDITS if credit in PAGE_CREDITS else (credit,)  # 哪个报纸登的: either page word
            cues = set().union(*(self.intents.credits[c] for c in asked))
            words = {w for ws in self.intents.credits.values() for w in ws if w.isascii()}  # no topic either
            unmatched = [w for w in q.extra.get("unmatched", ()) if not any(w.startswith(c) for c in words)]
            q = replace(
                q,
                qtype="byline",
                typed=True,
                credit=credit,
                # the cue's own words (新闻热线: 新闻, 热线) are no topic either
                concepts=tuple(
                    c
                    for c in q.concepts
                    if not any(
                        m in w for m in c.members for w in cues if w in q.text or english and not w.isascii()
                    )
                    and not cues & set(c.members)
                ),
                extra={**q.extra, "unmatched": unmatched} if "unmatched" in q.extra else q.extra,
            )
        # what the resident already knows is not what they ask: figures written in digits (a Chinese
        # numeral's reading is less sure: 两千二百零七户 reads as 七户)
        given = [f for f in figures(q.text) if f.text[0].isdigit() and f.unit_class != "year"]
        asks_org = said("asks_org")
        if asks_org and q.qtype in ("what", "where"):  # 工作队是啥单位的人, 从哪派来的: an office's name
            q = replace(q, qtype="who", typed=True)
        return replace(
            q,
            qualifier=qualifier,
            asks_from=said("asks_from"),
            asks_target=said("asks_target"),
            asks_org=asks_org,
            per_unit=said("per_unit"),
            beyond=not english and bool(BEYOND_ASKED.search(q.text)),
            given=tuple(f.amount for f in given),
        )

    def _credit(self, q: Query, low: str, english: bool) -> str | None:
        """Which credit a question asks (照片谁拍的: photo; 编辑是谁: 编辑; 哪家报纸登的: paper; 哪天的报纸:
        issue), if one."""
        return next(
            (
                c
                for c, words in self.intents.credits.items()
                if _asked_by(c, q.qtype)
                and _says(q.text, low, english, words, stem=True)
                and not self._ranked_credit[c].search(q.text)  # 总编辑: another role
            ),
            None,
        )

    def _qualified(self, c: Concept, forms: dict[str, str]) -> Concept:
        """A concept with the articles' word for it under the question's qualifier (and that word's
        synonyms) among its members: only a word the articles hold (出列村 is no article's word; their
        出列 villages are 贫困村 with 出列 beside them)."""
        extra = [w for m in c.members if m in forms for w in self.synonym_of.get(forms[m], (forms[m],))]
        if not any(self.index.containing(w) for w in extra):
            return c
        return replace(c, members=tuple(dict.fromkeys(extra)))  # the qualified thing, not the whole

    # ---- pieces shared by both languages -----------------------------------------------------
    def smalltalk(self, text: str) -> str | None:
        """The small-talk intent a whole message matches closely, if any."""
        plain = _PUNCT.sub("", text.lower())
        if not plain:
            return None
        hit = process.extractOne(plain, self._smalltalk_plain, scorer=fuzz.ratio, score_cutoff=88)
        return self._smalltalk[hit[2]][1] if hit else None

    @functools.cached_property
    def _smalltalk_plain(self) -> list[str]:
        return [_PUNCT.sub("", ex) for ex, _ in self._smalltalk]

    @functools.cached_property
    def _cues(self) -> dict[bool, list[tuple[str, re.Pattern[str] | None, str]]]:
        """Per language (english or not), the question types' cues in order, each as (type, regex or None,
        word): what _qtype tries, compiled once."""
        out: dict[bool, list[tuple[str, re.Pattern[str] | None, str]]] = {True: [], False: []}
        for qt in self.intents.types:
            for cue in qt.cues:
                if cue.isascii():
                    anchored = cue.startswith("^")  # "^did ": only where the question starts
                    pattern = ("^" if anchored else r"\b") + re.escape(cue.lstrip("^").strip()) + r"\b"
                    out[True].append((qt.name, re.compile(pattern), cue))
                if cue.startswith("re:"):  # a construction, not a word: 收不收, 有没有 (V-not-V)
                    out[False].append((qt.name, re.compile(cue[3:]), cue))
                elif not cue.isascii():
                    out[False].append((qt.name, None, cue))
        return out

    def has_cue(self, text: str, kind: str) -> bool:
        """Whether a Chinese text holds a cue of a kind of question (是不是…: yesno), whatever kind it is typed."""
        return any(
            name == kind and (cue in text if pattern is None else pattern.search(text))
            for name, pattern, cue in self._cues[False]
        )

    def cue_words(self, text: str) -> frozenset[str]:
        """The question words a Chinese text holds (叫啥, 哪个单位), none inside a longer one it holds."""
        found = {cue for _, pattern, cue in self._cues[False] if pattern is None and cue in text}
        return frozenset(c for c in found if not any(c != d and c in d for d in found))

    def _qtype(self, text: str, english: bool) -> tuple[str, bool]:
        low = text.lower()
        # 政府给贴息不, 也在名单里吗, Did … fall below 1%: a question that ends (or, in English, begins) as
        # a yes/no one does and asks no wh-word is one, whatever topic words (名单, rate) it holds
        if (english and _YESNO_EN.match(low) and not _WH_EN.search(low)) or (
            not english and _YESNO_END.search(text) and not _WH_ZH.search(text)
        ):
            return "yesno", True
        target = low.strip() if english else text
        # 去了哪, 修的哪些: a particle inside a cue (去哪, 哪些) leaves it a cue
        bare = target if english else _INNER_PARTICLE.sub("", text)
        cuts = None
        for name, pattern, cue in self._cues[english]:
            if pattern:
                if pattern.search(target):
                    return name, True
                continue
            if cue in target and len(cue) >= 2:
                if cuts is None:
                    with tokens.using(self.tokenizer):
                        cuts = word_cuts(text)
                # a cue the words hold only inside a longer word is none (作者 in 一线社区工作者; but 到多少
                # in 提到多少 runs on past the word it starts in): it starts inside a word and ends in it too
                if all(
                    m.start() not in cuts and not any(m.start() < c < m.end() for c in cuts)
                    for m in re.finditer(re.escape(cue), text)
                ):
                    continue
                return name, True
            if cue in target or cue in bare:
                return name, True
        return "what", False

    @functools.cached_property
    def _cue_words(self) -> list[str]:
        """Chinese cues of two characters or more, longest first: taken out of the search words (啥意思
        before 是啥, or 是啥意思 would leave 意思 to search for)."""
        cues = {
            c
            for qt in self.intents.types
            for c in qt.cues
            if not c.isascii() and len(c) >= 2 and c[:3] != "re:"
        }
        return sorted(cues, key=lambda c: (-len(c), c))

    def concepts_of(self, words: list[tuple[str, ...]]) -> tuple[Concept, ...]:
        """Concepts of words found outside the question (the person the chat's last answer named)."""
        return self._concepts(words)

    def _concepts(self, words: list[tuple[str, ...]]) -> tuple[Concept, ...]:
        out: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        for members in words:
            if members in seen:
                continue
            seen.add(members)
            unit = next((self._unit_of[m] for m in members if m in self._unit_of), None)
            weight = self.index.idf(members)
            if self._filler(members):
                weight = FILLER_WEIGHT
            out.append(Concept(members, weight, unit))
        return tuple(out)

    def _nested(self, places: list[str]) -> bool:
        """Whether the second place lies within the first (沁阳市紫陵镇范村): one place, not two to compare."""
        return self.index.within(places[1], places[0])

    def _narrower_first(self, places: list[str]) -> list[str]:
        """洛阳汝阳县, Wen County of Jiaozuo: of two nested places the narrower is the one asked about."""
        return [places[1], places[0], *places[2:]] if len(places) >= 2 and self._nested(places) else places

    def _filler(self, members: tuple[str, ...]) -> bool:
        """A word no article holds that is only a verb form or holds a particle (投了, 区有, 前要): it
        should not block an answer the way an unknown topic (大学) does."""
        word = members[0]
        if len(members) > 1 or any(self.index.containing(m) for m in members):
            return False
        if word[-1] in "省市县区乡镇":  # 新乡市: a place the articles lack, not filler
            return False
        return word[-1] in _ASPECT or any(ch in self._stop_chars for ch in word)

    # ---- Chinese -----------------------------------------------------------------------------
    def _parse_chinese(self, text: str) -> Query:
        talk = self.smalltalk(text)
        text = self.typos.fix(text)
        places, rest = self._places_zh(text)
        unknown = None if places else self._unknown_place(rest)
        # 比2019年增长了多少: 2019 is what the figure is compared with, not its year
        year_m = next((m for m in _YEAR.finditer(rest) if not is_baseline(rest, m.start())), None)
        year = int(year_m.group(1)) if year_m else None
        since = bool(year_m and year_m.group(2))
        years = tuple(dict.fromkeys(int(m.group(1)) for m in _YEAR.finditer(rest)))  # 从2016年到2019年
        if year_m:
            rest = rest.replace(year_m.group(0), " ")
        qtype, typed = self._qtype(text, english=False)
        which_n = _WHICH_N.search(text)
        if which_n and qtype in ("what", "how_many"):
            qtype, typed = "list", True  # 六个体系是哪六个: the items, not their number
        list_size = _numeral(which_n.group(1)) if which_n else None
        # 哪个乡哪个村: the finest kind asked, whose answer names the coarser ones before it
        which_all = list(_WHICH_PLACE.finditer(text))
        which_place = min(which_all, key=lambda m: _FINENESS.index(m.group(1) or m.group(2)), default=None)
        if which_place and qtype in ("what", "where", "list", "how_many"):
            qtype, typed = "where", True  # 搬到了哪个村: a place's name
        two_places = len(places) >= 2 and not self._nested(places)
        places = self._narrower_first(places)
        if (
            two_places
            and (_COMPARE.search(text) or EACH.search(text))
            or compare_sides(text)
            and (_ENDS_MORE_LESS.search(text) or EACH.search(text) or pair_of_one_kind(text))
        ):
            qtype, typed = "compare", True
        title = next((t for t in self.intents.titles if t in text), None)
        alias = None
        if title is None:  # 沁阳市委一把手: the title residents mean
            alias = next((a for a in self.intents.title_aliases if a in text), None)
            title = self.intents.title_aliases.get(alias) if alias else None
        if title and (
            re.search(f"(?:哪个|哪位|哪一位|什么){re.escape(alias or title)}", text)
            or re.search(r"是(?:哪个|哪位|哪一位)[？?]?$", text)  # 沁县县委书记是哪个: the holder
        ):
            qtype, typed = "who", True  # 哪个省长来周口夸过: which holder of the title, a person's name
        if typed and qtype != "who":
            title = None  # 有多少名第一书记: the title is what is counted, not whose name is asked
        unit = self._unit_zh(text, qtype)
        # 哪个县 asks, it is no search word (it would leave 县先 behind); taken out before the measure words
        # and cues, or 哪几个村靠旅游 leaves 村靠
        for m in which_all:
            rest = rest.replace(m.group(0), " ")
        body = _ASK_MEASURE.sub(" ", rest)  # 多少所普惠性…: the measure word is no part of the next word
        if title:  # 沁阳市委书记: the place took 市, so 委书记 is what is left of the title
            body = re.sub(f"委?{re.escape(alias)}", " ", body) if alias else body.replace(title, " ")
            if title[0] in "省市县区":
                body = body.replace(title[1:], " ")
        for cue in self._cue_words:
            body = body.replace(cue, " ")
        concepts = mark_head(self._concepts(_numbered(text) + self._words_zh(body)), text)
        if unit == "area" and not concepts and places:
            # 汝阳县有多大: a place's own size is its area (not 沁县有多少人, whose 人口 a 贫困人口 holds too)
            word = self.intents.implied_units[unit][0]
            concepts = mark_head(self._concepts([self.synonym_of.get(word, (word,))]), text)
        if unit == "area" and concepts and not any(c.unit == "area" for c in concepts):
            unit = "size"  # 电站有多大, 多大规模: 多大 asks the size of a thing (an area only of a place), no count
        body = re.sub(r"\s+", "", body)
        wants_year = bool(re.search(r"哪一?年|几几年|什么年份?", text))
        wants_time = bool(re.search(r"几点|几时|什么时间段|营业时间", text))
        # …呢 asks the chat's last question again, unless the message asked one itself first (基层就诊率要到
        # 多少，县域就诊率呢: the 呢 leans on its own first half, and the parts read it so)
        clauses = [c for c in _CLAUSE_BREAK.split(text) if c.strip()]
        followup = (
            (bool(re.search(r"呢[?？]?$", text)) and not self.cue_words("".join(clauses[:-1])))
            or text.startswith("那")
            or (not typed and not concepts and bool(places or year or title))
            # 多少户, 哪天去的: a question word and nothing it asks about: the chat's thing, asked another way
            or (typed and not concepts and not places and not title and not talk)
        )
        if talk and not places and not year:
            return Query(text, smalltalk=talk)
        # a concept that says the unit (投诉电化 repaired to 电话: a phone); not when a rise is asked (收入涨了
        # 多少: by how much, in yuan or in percent)
        if unit is None and not followup and not _rise_in_one_year(text):
            unit = next(
                (
                    cls
                    for c in concepts
                    for cls, words in self.intents.implied_units.items()
                    if any(m in words for m in c.members)
                ),
                None,
            )
        return Query(
            text,
            "zh",
            qtype,
            typed,
            tuple(places),
            unknown,
            year,
            title,
            unit,
            concepts,
            followup=followup,
            wants_year_only=wants_year,
            body=body,
            since=since,
            wants_time=wants_time,
            list_size=list_size,
            item_kind=self._item_kind(text) if qtype in ("list", "where") else None,
            place_kind=(which_place.group(1) or which_place.group(2)) if which_place else None,
            destination=bool(_GOES_WHERE.search(text)) and not which_place,
            place_many=bool(
                which_place and re.search(r"哪(?:些|几|[两俩三四五六七八九十])", which_place.group(0))
            ),
            measure=next((m.group(1) for m in _ASKED_MEASURE.finditer(text)), None),
            measures=tuple(m.group(1) for m in _ASKED_MEASURE.finditer(text)),
            years=years if len(years) == 2 else (),
            units_asked=self._units_asked(text),
        )

    def _item_kind(self, text: str) -> str | None:
        """The noun right after 哪些/哪几个… (靠哪些大企业搞产业: 企业), a one-character word before it skipped."""
        m = _WHICH_ITEMS.search(text)
        if not m:
            return None
        words = [w for w in self.tokenizer.lcut(text[m.end() : m.end() + 8]) if w.strip()]
        noun = next((w for w in words[:2] if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w)), None)
        return noun if noun and noun not in self.intents.stopwords else None

    def _places_zh(self, text: str) -> tuple[list[str], str]:
        places: list[str] = []
        for m in self.index.place_re.finditer(text):
            name = self.index.alias_to_place[m.group(0)]
            if name not in places:
                places.append(name)
        rest = self.index.place_re.sub(" ", text)
        return places, rest

    def _unknown_place(self, text: str) -> str | None:
        for m in _UNKNOWN_PLACE.finditer(text):
            stem = m.group(1)
            if (
                not _NOT_PLACE_STEM.search(stem)
                and fold(stem) not in fold(" ".join(self.intents.titles))
                and not self.index.containing(m.group(0))
                # 徐衣显市长: the 市 of a title after a name, no place
                and not any(text.startswith(title, m.start(2)) for title in self.intents.titles)
            ):
                return m.group(0)
        return None

    def _units_asked(self, text: str) -> tuple[str | None, ...]:
        """The kind of figure each 多少/几 of the question asks (多少干部组成了多少支工作队: person, count)."""
        starts = [m.start() for m in _ASK_AMOUNT.finditer(text)]
        if len(starts) < 2:
            return ()
        ends = [*starts[1:], len(text)]
        return tuple(self._unit_of_part(text[a:b]) for a, b in zip(starts, ends, strict=True))

    def _unit_of_part(self, part: str) -> str | None:
        if _ASK_YEARS.match(part):  # 分几年: a duration
            return "duration"
        return self._unit_zh(part, "how_many") or ("person" if _PERSON_WORD.search(part[:8]) else None)

    def _unit_zh(self, text: str, qtype: str) -> str | None:
        """The kind of figure wanted, in this order: a rate; a noun of people or households ending the phrase
        after 多少/几 (多少个村医); an explicit measure word (多少名, 几个); a unit word in the phrase after
        多少 (带动多少贫困人口增收); else the unit-bearing word nearest the end of the question (its head:
        纯收入标准是多少 asks for money, though 人口 comes earlier). Phrases that only look like a unit word
        (投入使用) are left out first."""
        if qtype == "rate":
            return "percent"
        if qtype in ("when", "weekday"):
            return None  # 几月几号竣工: a date, no figure of a kind
        if qtype in ("list", "where", "who"):
            text = _WHICH_ITEMS.sub(" ", text)  # 哪几个部门: which ones, not how many (几个 asks no count)
        for phrase in self.intents.not_units:
            text = text.replace(phrase, " ")
        ask = _ASK_AMOUNT.search(text)
        after = text[ask.end() :] if ask else None
        if after is not None and _HOUSEHOLD_NOUN.match(after):
            return "household"
        if after is not None and _PERSON_NOUN.match(after):
            return "person"
        for cls, pattern in self._measure_res:
            if pattern.search(text):
                return cls
        tables = (self.intents.unit_words, self.intents.implied_units)
        if _rise_in_one_year(text):  # 收入涨了多少: by how much, in yuan or in percent (增长幅度10.3%)
            tables = (self.intents.unit_words,)
        if after is not None:
            phrase = re.split(r"[，,。？?！!]", after, maxsplit=1)[0][:10]
            found = [
                (phrase.find(w), -len(w), cls)
                for table in tables
                for cls, words in table.items()
                for w in words
                if w in phrase
            ]
            if found:
                return min(found)[2]
        best: tuple[int, int, str] | None = None  # (end position, length, class)
        for table in tables:
            for cls, words in table.items():
                for w in words:
                    pos = text.rfind(w)
                    if pos >= 0 and (best is None or (pos + len(w), len(w)) > best[:2]):
                        best = (pos + len(w), len(w), cls)
        return best[2] if best else None

    @functools.cached_property
    def _ranked_credit(self) -> dict[str, re.Pattern[str]]:
        """Per credit, its words with a rank before them (总编辑, 副编辑): another role than the credit."""
        return {
            c: re.compile(rf"[总副主](?:{'|'.join(map(re.escape, words))})")
            for c, words in self.intents.credits.items()
        }

    @functools.cached_property
    def _long_stopwords(self) -> tuple[str, ...]:
        """Stopwords of three characters or more, longest first."""
        return tuple(sorted((w for w in self.intents.stopwords if len(w) >= 3), key=len, reverse=True))

    def _words_zh(self, body: str) -> list[tuple[str, ...]]:
        words: list[tuple[str, ...]] = []
        # 摘的帽, 脱了贫: a verb and its object split by a particle are the articles' word (摘帽, 脱贫)
        body = _INNER_PARTICLE.sub(lambda m: "" if self._known_word(_around(m)) else m.group(0), body)
        body = _COMPLEMENT.sub(
            lambda m: m.group(0) if self._known_word(m.string[m.start() - 1 : m.end()]) else "", body
        )
        body = _DIRECTION.sub(
            lambda m: (
                " "
                if self._known_word(m.string[m.start() - 1])
                and not self._known_word(m.string[m.start() - 1 : m.end()])
                else m.group(0)
            ),
            body,
        )
        for member in self._members:  # known domain words first, longest first
            if len(member) >= 2 and member in body:
                words.append(self.synonym_of[member])
                body = body.replace(member, " ")
        for w in self._long_stopwords:  # 这些年, 加起来: cut before the tokenizer splits them (年加)
            body = body.replace(w, " ")
        for unit_words in self.intents.unit_words.values():  # 人口, 多少钱 ... say the unit, not the topic
            for w in unit_words:
                body = body.replace(w, " ")
        residue: list[tuple[str, ...]] = []
        for token in self._joined(self.tokenizer.lcut(body)):
            token = token.strip()
            if (
                token in self._slot_words
                and token not in self.synonym_of
                and not self.index.containing(token)
            ):
                continue
            if len(token) == 1 and token in self.synonym_of and token not in self.intents.stopwords:
                words.append(self.synonym_of[token])  # 卖 is one of 销售's words
                continue
            if len(token) < 2 or token in self.intents.stopwords or not re.search(r"[\u4e00-\u9fff]", token):
                continue
            if _MAGNITUDE.fullmatch(token):  # 1.8万多: what is left of a figure the question states
                continue
            if all(ch in self._stop_chars for ch in token):  # 是从, 都有: stop characters jieba joined
                continue
            if token not in self.synonym_of and not self.index.containing(token):
                core = self._without_function_chars(token)
                if core is not None:  # 能卖 -> 卖, 都种 -> 种: jieba joined a modal or adverb to the word
                    words.append(self.synonym_of.get(core, (core,)))
                    continue
                rest = token.strip("".join(self._stop_chars))
                if rest != token and len(rest) < 2:  # 就诊率要 -> 率要 once 就诊 is taken: a stop character
                    residue.append((token,))  # and a leftover one, a word only where there is no other
                    continue
                # a word no article holds that sounds just like a known one is an IME slip (投诉电化 -> 电话)
                token = self.typos.sounds_like(token) or token
            words.append(self.synonym_of.get(token, (token,)))
        return words or residue

    def _without_function_chars(self, token: str) -> str | None:
        """The word left when stop characters at either end are dropped, if that one is known (a domain
        word, or one the articles hold); None when nothing is dropped or the rest is unknown too."""
        core = token.strip("".join(self._stop_chars))
        if core == token:
            return None
        if core in self.synonym_of or (len(core) >= 2 and self.index.containing(core)):
            return core
        return None

    def _known_word(self, word: str) -> bool:
        return word in self.synonym_of or word in self.index.terms

    def _joined(self, tokens: list[str]) -> list[str]:
        """jieba's tokens with a run of single characters joined where the articles hold the join (因/病 ->
        因病): a one-character word of a question is too often dropped, and the pair is a word."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if len(t) == 1 and t not in self._stop_chars and re.match(r"[\u4e00-\u9fff]", t):
                j = i + 1
                while (
                    j < len(tokens)
                    and j - i < 4
                    and len(tokens[j]) == 1
                    and tokens[j] not in self._stop_chars
                ):
                    j += 1
                for k in range(j, i + 1, -1):  # the longest join the articles hold
                    word = "".join(tokens[i:k])
                    if self.index.containing(word):
                        out.append(word)
                        i = k
                        break
                else:
                    out.append(t)
                    i += 1
                continue
            out.append(t)
            i += 1
        return out


_MAGNITUDE = re.compile(r"[万亿千百十余多几]+")


def _rise_in_one_year(text: str) -> bool:
    """Whether a question asks by how much a thing rose, of no span of years (从2014年到2020年涨了多少 asks
    the two years' figures, of the thing's own unit)."""
    return bool(_RISE_ASKED.search(text)) and len(_YEAR.findall(text)) < 2


def _asked_by(credit: str, qtype: str | None) -> bool:
    asked = _CREDIT_ASKED_BY.get(credit, ("who", "byline"))
    return asked is None or qtype in asked


def _says(text: str, low: str, english: bool, words: tuple[str, ...], stem: bool = False) -> bool:
    """Whether a question holds one of `words` of its language (an English one as a whole word, or as the
    start of one with `stem`: photo, photographer)."""
    end = "" if stem else r"\b"
    return any(
        re.search(rf"\b{re.escape(w)}{end}", low) if english else w in text
        for w in words
        if w.isascii() == english
    )


def _numbered(text: str) -> list[tuple[str, ...]]:
    """A numbered framework's formula (1+4+2) and the part of it asked about (4 -> 4是), as terms."""
    words = [(m.group(0),) for m in _FORMULA.finditer(text)]
    return words + [(m.group(1) + "是",) for m in _NUMBERED_PART.finditer(_FORMULA.sub(" ", text))]


def _around(m: re.Match[str]) -> str:
    """The two characters either side of a match of one character (摘的帽 -> 摘帽)."""
    return m.string[m.start() - 1] + m.string[m.end()]
