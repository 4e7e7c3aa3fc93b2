"""English questions: places by their English names, the domain glossary (intents/english.yaml), pinyin
names (Zhangjiagou -> 张家沟), and the unit wanted read from the noun after how many/much. A mixin of
QueryParser, which provides the index, the intent set and the shared pieces (small talk, types, places)."""

from __future__ import annotations

import functools
import os
import re

from engine.question import Query
from kb.sounds import key

_YEAR_EN = re.compile(r"(?<!\d)((?:19|20)\d{2})\b")
# a negation just before a glossary phrase: "had not been lifted out of", "haven't yet exited", "yet to"
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\byet to)(?:\s+(?:yet|been|be|got|gotten|have|had|still))*\s*$")
_FOLLOWUP_EN = re.compile(
    r"^\s*(?:and|what about|how about|and what about|and in|what of)\b(.*)$", re.IGNORECASE
)
_NP_END = re.compile(
    r"\b(?:are|is|was|were|do|does|did|will|would|can|could|have|has|had|in|of|for|at|on|to|"
    r"from|by|with|there|still|been|be|get|got)\b"
)
INFLECTED_MIN = 5  # letters two forms of an English word share at least (spend, spent: 4 is too few)
PINYIN_NAME_MIN = 6  # letters: shorter pinyin (fan, cun) matches too many words
_EN_COUNTED = (
    (
        "person",
        r"people|persons|residents|workers|students|doctors|rangers|secretaries|cadres|farmers|"
        r"teachers|villagers|officials|children|elderly|migrants|labou?rers|patients|person-times",
    ),
    ("household", r"households|families|homes"),
    ("money", r"money|funds?|yuan|investment|subsid(?:y|ies)|income|capital"),
    ("power", r"megawatts?|kilowatts?"),
)


_WHICH_PERSON = re.compile(
    r"\s*(?:which|what)(?:\s+[a-z'-]+){0,2}?\s+(leaders?|officials?|cadres?|heads?|chiefs?)\b"
)
_WHAT_IS = re.compile(r"\s*what(?:'s| is| was| were| are)\b")
_NOT_A_FIGURE = re.compile(r"\b(?:used|mean|means|meant|like|about|for|do|does|did|doing|happen|happened)\b")
_NAME_EN = re.compile(r"\b([A-Z][a-z]{1,5})[ -]([A-Z][a-z']{1,7})\b")  # family name, given name


class EnglishParsing:
    """The English half of QueryParser."""

    @functools.cached_property
    def _english_re(self) -> re.Pattern[str]:
        """Every glossary phrase in one pattern, compiled on the first English question, longest first so
        it wins where phrases overlap."""
        phrases = sorted(self.intents.english, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b")

    @functools.cached_property
    def pinyin_terms(self) -> dict[str, str]:
        """Article words of two to four characters by their pinyin written together ("zhangjiagou" -> 张家沟),
        the most frequent word for each sound; built on the first English question that needs it."""
        out: dict[str, str] = {}
        for term, _df in sorted(self.index.terms.items(), key=lambda td: -td[1]):
            if 2 <= len(term) <= 4:
                out.setdefault(key(term).replace(" ", ""), term)
            if 3 <= len(term) <= 5 and term[-1] in "村乡镇县市区":  # Wangquan (village) -> 王泉村
                out.setdefault(key(term[:-1]).replace(" ", ""), term)
        for facts in self.index.facts.values():  # the people the articles name (孔亚平), words or not
            for f in facts:
                if f.unit_class == "name" and 2 <= len(f.value) <= 4:
                    out.setdefault(key(f.value).replace(" ", ""), f.value)
        return out

    def _parse_english(self, text: str) -> Query:
        talk = self.smalltalk(text)
        low = " " + text.lower().replace("’", "'") + " "
        places: list[str] = []
        for m in self.index.english_place_re.finditer(low):
            name = self.index.english_to_place[m.group(1).lower()]
            if name not in places:
                places.append(name)
        low = self.index.english_place_re.sub(" ", low)
        zh_places, _ = self._places_zh(text)
        places += [p for p in zh_places if p not in places]
        year_m = _YEAR_EN.search(low)
        year = int(year_m.group(1)) if year_m else None
        since = bool(year_m and re.search(rf"\b(?:since|from) {year}\b", low))
        qtype, typed = self._qtype(text, english=True)
        unit = self._unit_en(low, qtype)
        words: list[tuple[str, ...]] = []
        for m in self._english_re.finditer(low):
            negated = bool(_NEGATED.search(low[: m.start()]))
            for zh in self.intents.english[m.group(1)]:
                zh = self._negative(zh) if negated else zh
                words.append(self.synonym_of.get(zh, (zh,)))
        low = self._english_re.sub(" ", low)
        title = next((w[0] for w in words if w[0] in self.intents.titles), None)
        if title and qtype in ("list", "what", "where") and re.match(r"\s*(?:which|what)\b", low):
            qtype, typed = "who", True  # which provincial governor …: a holder of the title, a person
        # the title asked is no topic word; of a when or how-many question (when did the mayor go…) it is
        words = [
            w
            for w in words
            if (w[0] not in self.intents.titles or qtype not in ("who", "byline")) and len(w[0]) >= 2
        ]
        places = self._narrower_first(places)
        person = _WHICH_PERSON.match(text.lower())
        if person and qtype in ("list", "what", "where"):  # which provincial leader praised …: a person's
            qtype, typed = "who", True  # name; the word for a person is what is asked, not a topic
            asked = set(self.intents.english.get(person.group(1), ())) | set(
                self.intents.english.get(person.group(1).rstrip("s"), ())
            )
            words = [w for w in words if not asked & set(w)]
        leftovers = [
            w
            for w in re.findall(r"[a-z][a-z'-]+", low)
            if w not in self.intents.english_stopwords and not w.endswith("'s") and len(w) > 2
        ]
        for cue in (c for t in self.intents.types for c in t.cues if c.isascii()):
            leftovers = [w for w in leftovers if w not in cue.split()]
        for w in list(leftovers):  # identify -> the glossary's identification, spend -> spent: one word
            zh = self._inflected(w)
            if zh:
                at = re.search(rf"\b{re.escape(w)}\b", low)
                if at and _NEGATED.search(low[: at.start()]):
                    zh = tuple(self._negative(z) for z in zh)
                words += [self.synonym_of.get(z, (z,)) for z in zh]
                leftovers.remove(w)
        for m in _NAME_EN.finditer(text):  # a person's name in two words (Zhang Shuilin, Xu Yixian): 张水林
            term = self.pinyin_terms.get((m.group(1) + m.group(2)).lower().replace("'", ""))
            if term:
                words.append((term,))
                leftovers = [w for w in leftovers if w not in (m.group(1).lower(), m.group(2).lower())]
        for w in list(
            leftovers
        ):  # a name in pinyin (Zhangjiagou) is the article's word that sounds so (张家沟)
            term = self.pinyin_terms.get(w) if len(w) >= PINYIN_NAME_MIN else None
            if term:
                words.append((term,))
                leftovers.remove(w)
        if unit == "area" and not words and places:  # Which county is bigger: a place's size is its area
            area = self.intents.implied_units["area"][0]
            words.append(self.synonym_of.get(area, (area,)))
        if (
            qtype == "what"
            and unit is None
            and _WHAT_IS.match(low)
            and not _NOT_A_FIGURE.search(low)
            and len(_YEAR_EN.findall(low)) < 2  # … in 2014, and in 2020: the change the sentence states
        ):
            # What was Qin County's GDP / the per-capita income …: a quantity's name asks its figure
            unit = self._implied_unit(words)
            qtype = "how_many" if unit else qtype
        unknown = None
        if not places:  # a capitalised word nothing else explains may be a place the articles lack
            caps = [w for w in re.findall(r"\b[A-Z][a-z]+\b", text[1:]) if w.lower() in leftovers]
            unknown = caps[0] if caps else None
        followup = bool(_FOLLOWUP_EN.match(text)) and not typed
        if talk and not places:
            return Query(text, "en", smalltalk=talk)
        return Query(
            text,
            "en",
            qtype,
            typed,
            tuple(places),
            unknown,
            year,
            title,
            unit,
            self._concepts(words),
            followup=followup,
            wants_year_only=bool(re.search(r"which year|what year", low)),
            wants_time=bool(re.search(r"what time|opening hours|(?:which|what) hours", low)),
            since=since,
            extra={"unmatched": leftovers},
        )

    def _implied_unit(self, words: list[tuple[str, ...]]) -> str | None:
        """The kind of figure the question's words name (收入 in 人均纯收入: money), if one does."""
        for members in words:
            for cls, implied in self.intents.implied_units.items():
                if any(len(w) >= 2 and w in m for w in implied for m in members):
                    return cls
        return None

    def _negative(self, zh: str) -> str:
        """The articles' word for not having done it (已脱贫, 脱贫 -> 未脱贫; 出列 -> 未出列), when they have
        one: "had not been lifted out of poverty" asks what remains."""
        word = "未" + zh.removeprefix("已")
        return word if word in self.synonym_of or self.index.containing(word) else zh

    @functools.cached_property
    def _single_words(self) -> dict[str, tuple[str, ...]]:
        """The glossary's one-word phrases (hyphens split: national-level -> national)."""
        out: dict[str, tuple[str, ...]] = {}
        for phrase, zh in self.intents.english.items():
            if " " not in phrase:
                out.setdefault(phrase, tuple(zh))
                head = phrase.split("-")[0]
                if head != phrase and len(head) >= INFLECTED_MIN:
                    out.setdefault(head, tuple(zh))
        return out

    def _inflected(self, word: str) -> tuple[str, ...] | None:
        """The Chinese of the one-word glossary phrase that is another form of `word` (same stem: they share
        all but at most three letters of the shorter, and at least INFLECTED_MIN), the closest; else None."""
        best, best_len = None, 0
        for phrase, zh in self._single_words.items():
            n = len(os.path.commonprefix((word, phrase)))
            if n >= INFLECTED_MIN and n >= min(len(word), len(phrase)) - 3 and n > best_len:
                best, best_len = zh, n
        return best

    def _unit_en(self, low: str, qtype: str) -> str | None:
        """The kind of figure an English question wants, read from the words after how many/much."""
        if qtype == "rate" or re.search(r"percent|percentage|rate\b|proportion|share", low):
            return "percent"
        if re.search(r"hotline|phone|telephone|number to call", low):
            return "phone"
        if re.search(r"\bhow (?:large|big)\b|\barea\b|square|\b(?:bigger|larger|smaller)\b", low):
            return "area"
        if re.search(r"\bhow long\b|kilomet|\bkm\b", low):
            return "length"
        asked = re.search(r"\bhow (many|much)((?:\s+[a-z'-]+){0,4})", low)
        if not asked:
            return None
        phrase = _NP_END.split(asked.group(2))[0].split()  # how many elderly care beds | will …
        if phrase:  # the counted noun is the last word of the noun phrase (beds, not elderly)
            for cls, pattern in _EN_COUNTED:
                if re.fullmatch(pattern, phrase[-1]):
                    return cls
        return "money" if asked.group(1) == "much" else "count_any"
