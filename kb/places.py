"""Places: the gazetteer, places discovered in articles, and which places a sentence is about."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.sounds import syllables

GAZETTEER = Path(__file__).with_name("gazetteer.yaml")
SUFFIXES = ("经开区", "街道", "省", "市", "县", "区", "乡", "镇")
LEVEL_OF_SUFFIX = {
    "省": "province",
    "市": "city",
    "县": "county",
    "区": "district",
    "乡": "town",
    "镇": "town",
    "街道": "town",
    "经开区": "district",
}
# words that end like a place but are not one (全市, 该县, 城区 ...)
_NOT_A_STEM = set(
    "全我该本各此这那每市县区省城乡镇村地辖老山片社园景港战郊新两多个等和与在的外内上下其及或即分"
)
# what 我市/全市/市委 and 我县/全县/县委 point at: the article's home city / county
CITY_REFS = re.compile(
    r"我市|全市|本市|市委|市政府|市里|市级领导|市区|市县|市直|市财政|市民政|市人社|市商务|市卫健"
)
COUNTY_REFS = re.compile(r"我县|全县|本县|县委|县政府|县里|县直|县扶贫")
THIS_CITY = re.compile(r"该市")
THIS_COUNTY = re.compile(r"该县")


@dataclass
class Place:
    name: str
    level: str
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    source: str = "gazetteer"


def stem(name: str) -> str:
    """汝阳县 -> 汝阳; 沁县 -> 沁县 (a one-character stem is too ambiguous to stand alone)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def english_name(name: str) -> str:
    """Pinyin of the stem, capitalised: 兰考县 -> Lankao."""
    return "".join(syllables(stem(name))).capitalize()


def load_gazetteer(path: Path = GAZETTEER) -> dict[str, Place]:
    """The curated places, with short forms derived for counties and cities."""
    places: dict[str, Place] = {}
    for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        place = Place(
            row["name"],
            row["level"],
            row.get("parent"),
            list(row.get("aliases", [])),
            list(row.get("english", [])),
        )
        short = stem(place.name)
        if short != place.name and place.level in ("province", "city", "county", "district"):
            place.aliases.append(short)
        places[place.name] = place
    return places


_COMMON_STEMS = {
    "贫困",
    "重点",
    "国定",
    "省定",
    "示范",
    "百强",
    "试点",
    "先进",
    "全国",
    "老区",
    "山区",
    "片区",
    "城区",
    "新区",
    "园区",
    "景区",
    "社区",
    "港区",
    "战区",
    "郊区",
    "市区",
    "县区",
    "地区",
    "辖区",
    "一个",
    "每个",
    "这个",
    "那个",
    "各个",
    "我们",
    "他们",
}
_NOT_PLACE_TAGS = {"a", "ad", "an", "b", "c", "d", "m", "p", "q", "r", "u", "v", "vd", "vn", "f", "t"}


def _looks_like_stem(stem_: str) -> bool:
    import jieba.posseg

    if stem_ in _COMMON_STEMS or any(ch in _NOT_A_STEM for ch in stem_):
        return False
    return jieba.posseg.dt.word_tag_tab.get(stem_) not in _NOT_PLACE_TAGS


def discover(texts: list[str], known: dict[str, Place], min_count: int = 3) -> dict[str, Place]:
    """Counties, cities and districts named often enough that are not in the gazetteer.

    A candidate is two characters and 县/市/区, not counted ("14个国定贫困县"), whose stem is not
    an everyday word (贫困, 重点 ...).
    """
    import jieba

    counts: Counter[str] = Counter()
    for text in texts:
        cuts = None
        for m in re.finditer(
            r"(?<![个\d等级和、])([\u4e00-\u9fff]{2})(县|市|区)(?![委长级里直区域城])", text
        ):
            if (
                cuts is None
            ):  # word boundaries: a place starts and ends at one (not 实现了市县, 永辉超市, 猪肉市场)
                cuts, pos = {0}, 0
                for word in jieba.lcut(text, HMM=False):
                    pos += len(word)
                    cuts.add(pos)
            if m.start() in cuts and m.end() in cuts:
                counts[m.group(1) + m.group(2)] += 1
    found = {}
    known_names = set(known) | {a for p in known.values() for a in p.aliases}
    for name, n in counts.items():
        if n < min_count or name in known_names or not _looks_like_stem(name[:2]):
            continue
        if any(k in name for k in known_names if len(k) >= 2):
            continue
        found[name] = Place(
            name, LEVEL_OF_SUFFIX[name[-1]], None, [stem(name)], [english_name(name)], source="discovered"
        )
    return found


class Gazetteer:
    """Finds place mentions in text: longest alias first, never 沁县 inside 沁阳."""

    def __init__(self, places: dict[str, Place]):
        self.places = places
        self.alias_to_name: dict[str, str] = {}
        for p in places.values():
            for alias in [p.name, *p.aliases]:
                self.alias_to_name.setdefault(alias, p.name)
        ordered = sorted(self.alias_to_name, key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of every place named in `text`."""
        if not self._re:
            return []
        return [(m.start(), m.end(), self.alias_to_name[m.group(0)]) for m in self._re.finditer(text)]

    def level(self, name: str) -> str:
        return self.places[name].level if name in self.places else ""


def infer_home(texts: list[str], gaz: Gazetteer, level: str) -> str | None:
    """The place of `level` the article names most often."""
    counts = Counter(n for t in texts for _, _, n in gaz.mentions(t) if gaz.level(n) == level)
    return counts.most_common(1)[0][0] if counts else None


def attribute(
    paragraphs: list[list[str]], gaz: Gazetteer, home_city: str | None, home_county: str | None
) -> list[list[list[str]]]:
    """For each sentence of each paragraph, the places it is about, most specific first.

    Explicit mentions count; 我市/全市/市委 mean the home city, 我县/全县/县委 the current county,
    该市/该县 the last city or county named. A sentence naming no place inherits the paragraph's,
    and the article's subject after them (同时，发展电商… after a sentence on one town is the county's too).
    """
    subject = home_county or home_city
    last_city = home_city
    last_county = home_county
    out: list[list[list[str]]] = []
    carry: list[str] = []  # the place of the last sentence before this paragraph
    for para in paragraphs:
        context: list[str] = list(carry)
        para_out = []
        for sent in para:
            refs: list[str] = []
            if THIS_CITY.search(sent) and last_city:
                refs.append(last_city)
            if THIS_COUNTY.search(sent) and last_county:
                refs.append(last_county)
            if COUNTY_REFS.search(sent) and (last_county or home_county):
                refs.append(last_county or home_county)
            if CITY_REFS.search(sent) and home_city:
                refs.append(home_city)
            found: list[str] = []
            for _, _, name in gaz.mentions(sent):
                if name not in found:
                    found.append(name)
                lvl = gaz.level(name)
                if lvl == "county" or (lvl == "district" and name.endswith("区")):
                    last_county = name
                    if name.endswith("市"):
                        last_city = name
                elif lvl == "city":
                    last_city = name
            places = []
            for name in refs + found:
                if name not in places:
                    places.append(name)
            if not places:  # inherited: the context's places, and the article's subject after them
                places = list(context) + ([subject] if subject and subject not in context else [])
            # the paragraph's places stay in scope for the sentences after it (这两条路 ...)
            context = places + [p for p in context if p not in places]
            para_out.append(places)
            carry = places[:1]
        out.append(para_out)
    return out
