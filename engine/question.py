"""A parsed question: what it asks (Query) and what it is about (its concepts, with synonyms and weights),
which concept it asks for (the head), and how a follow-up changes them. Types and pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Concept:
    """One thing the question mentions, with its synonyms; matched if any member is in a sentence."""

    members: tuple[str, ...]
    weight: float
    unit: str | None = None  # a figure of this class stands for the concept (面积 <- 1320平方公里)
    head: bool = False  # what the question asks about: 多少蔬菜, 增收多少 (weighs double near the figure)


# the nouns that count people (多少贫困人口, 1.5万贫困人口达到脱贫标准): a figure counting one is of persons
PERSON_WORDS = "人口|人|员|医|师|生|工|民|者|书记|干部|群众|百姓|乡亲|老乡"
FILLER_WEIGHT = 0.5  # weight of a filler word the articles never use (see QueryParser._filler)
_ASK = re.compile(r"多少|几月几[号日]|几|什么时候|啥时候|何时|哪一?天|哪一?年|哪里|哪儿|在哪|是谁|谁")


def mark_head(concepts: tuple[Concept, ...], text: str) -> tuple[Concept, ...]:
    """Mark the concept the question asks about: the one just after the question word (多少蔬菜), else the
    one ending nearest before it (增收多少, 什么时候竣工 -> 竣工 after, 两条路 before: 竣工)."""
    ask = _ASK.search(text)
    if not ask or len(concepts) < 2:
        return concepts
    after, before = [], []
    for i, c in enumerate(concepts):
        for m in c.members:  # each occurrence counts: 农村低保…各发了多少低保金 asks for the 低保金
            pos = text.find(m, ask.end())
            if 0 <= pos - ask.end() <= 2:
                after.append((pos - ask.end(), i))
            pos = text.rfind(m, 0, ask.start())
            if pos >= 0:
                before.append((ask.start() - pos - len(m), i))
    pick = min(after or before, default=None)
    if pick is None:
        return concepts
    return tuple(replace(c, head=True) if i == pick[1] else c for i, c in enumerate(concepts))


def title_for_place(title: str | None, place: str | None) -> str | None:
    """A 市/县/区 title follows the place's own suffix: 沁县's 市委书记 is its 县委书记, 焦作市's 县长 its 市长;
    a bare 书记 is the place's party secretary."""
    if not title or not place or place[-1] not in "市县区":
        return title
    if title == "书记":  # 沁阳的书记 / the Party secretary of Qinyang: the place's own party secretary
        return place[-1] + "委书记"
    return place[-1] + title[1:] if title[0] in "市县区" else title


def _share_a_word(a: Concept, b: Concept) -> bool:
    """Whether two concepts have a two-character stretch in common (门诊救助 and 住院救助 share 救助)."""
    pairs = {m[i : i + 2] for m in a.members for i in range(len(m) - 1)}
    return any(m[i : i + 2] in pairs for m in b.members for i in range(len(m) - 1))


def restates(amount: float, given: tuple[float, ...]) -> bool:
    """Whether a figure's amount is one the question states (within 2 %: its 1.8万多 is the 1.8万余名)."""
    return any(abs(amount - a) <= 0.02 * a for a in given)


def follow_up_concepts(last: tuple[Concept, ...], new: tuple[Concept, ...]) -> tuple[Concept, ...]:
    """What a follow-up asks about: its new concepts (the head) in place of the old ones they resemble
    (住院救助呢 after 门诊救助), added to the others as a refinement (中心城区呢 after 开工项目); filler
    words alone (沁县派了多少呢) keep the old concepts."""
    new = tuple(c for c in new if c.weight > FILLER_WEIGHT)
    if not new:
        return last
    kept = tuple(replace(c, head=False) for c in last if not any(_share_a_word(c, n) for n in new))
    return kept + tuple(replace(c, head=True) for c in new)


# the credits a page prints itself (kb/bylines.masthead): which newspaper, which day's issue
PAGE_CREDITS = ("paper", "issue")


@dataclass(frozen=True)
class Query:
    text: str
    lang: str = "zh"
    qtype: str = "what"
    typed: bool = False  # a cue word fixed the type
    places: tuple[str, ...] = ()
    unknown_place: str | None = None
    year: int | None = None
    title: str | None = None
    unit_class: str | None = None
    concepts: tuple[Concept, ...] = ()
    smalltalk: str | None = None
    followup: bool = False
    wants_year_only: bool = False
    since: bool = False  # the year is a starting point: 2016年以来
    wants_time: bool = False  # a time of day: 几点到几点
    list_size: int | None = None  # how many items a list question names: 哪六个 -> 6
    place_kind: str | None = None  # 村/县/乡/镇…: the question asks which one (哪个村)
    item_kind: str | None = (
        None  # the noun a list question asks items of (哪些大企业: 企业; 哪几家超市: 超市)
    )
    place_many: bool = False  # … or which ones (哪些县, 哪几个县): all of them
    destination: bool = False  # where someone went (去哪暗访了, 到哪调研): the places a clause names
    body: str = ""  # the question's own words once place, year, title and cue words are taken out
    qualifier: str | None = None  # remaining / total / done / new: which of the figures (intents slots)
    asks_from: bool = False  # where a change began (原来, 从)
    asks_target: bool = False  # a plan or target (计划, 力争, 能不能)
    asks_org: bool = False  # an office, not a person (哪个单位派的, 哪个部门)
    per_unit: bool = False  # a figure per household, person, year… (每户补多少, 人均): not a total
    beyond: bool = False  # how much above or below another figure (比全省平均高多少): the difference
    given: tuple[float, ...] = ()  # amounts the question states itself (培训了1.8万多…最后多少人上岗)
    measure: str | None = None  # the measure word asked with (多少张床位: 张)
    measures: tuple[str, ...] = ()  # every measure word asked with (分几批培育了多少个: 批, 个)
    units_asked: tuple[str | None, ...] = ()  # per 多少/几 of a question asking two figures, the kind wanted
    years: tuple[int, ...] = ()  # two years the question spans (从2016年到2019年, 2018年比2017年): both asked
    credit: str | None = (
        None  # a credit asked instead of a byline: photo, a page staff role (编辑), PAGE_CREDITS
    )
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def place(self) -> str | None:
        return self.places[0] if self.places else None


_SIDES = re.compile(
    r"^(.+?)(?:和|跟|与|同|还是)(.+?)[，,\s]*(?:哪个|哪一个|哪年|哪样|哪项|哪种|哪边|谁)(.*)$"
)
# 门诊救助和住院救助各多少人次, 汝阳跟沁县分别派了多少: both figures, no verdict (各县 is no such 各)
EACH = re.compile(r"各(?![县市区乡镇村级类项地部门单位种])|分别")
_EACH_SIDES = re.compile(r"^(.+?)(?:和|跟|与|同)(.+?)[，,\s]*(?:各自|各|分别)(.*)$")
_MORE_LESS = re.compile(r"(?:更|比较|最)?(?:多|少|高|低|大|小)(?:一些|一点|些)?[吗呢啊呀？?！!。]*$")


# 基层就诊率和县域就诊率要到多少: two figures of one kind (their names end alike), asked together
_SAME_HEAD_SIDES = re.compile(
    r"^([\u4e00-\u9fff]{2,14}?)(?:和|跟|与)([\u4e00-\u9fff]{2,14}?)((?:要|将|能)?(?:到|达到|是|有|为)?多少[？?]?)$"
)


def pair_of_one_kind(text: str) -> bool:
    """Whether the question asks the figures of two things whose names end in the same word (…看病率和…看病率
    要到多少), each its own figure, as 各 would say."""
    m = _SAME_HEAD_SIDES.match(text)
    return bool(m) and m.group(1)[-1] == m.group(2)[-1]


def compare_sides(text: str) -> list[tuple[str, str]] | None:
    """The two things a comparison names (修那两条路跟建医养中心，哪个花的钱多), each with a question of
    its own ("修那两条路花的钱多少"); None when the question names no two things."""
    m = (
        _SIDES.match(text)
        or _EACH_SIDES.match(text)
        or (_SAME_HEAD_SIDES.match(text) if pair_of_one_kind(text) else None)
    )
    if not m:
        return None
    if m.re is _SAME_HEAD_SIDES:
        return [(side, f"{side}{m.group(3)}") for side in (m.group(1), m.group(2))]
    rest = _MORE_LESS.sub("", m.group(3))
    sides = [_SIDE_TAIL.sub("", side) or side for side in (m.group(1), m.group(2))]
    # 哪个人多, 哪个钱多: a lone noun is what is counted (多少人), not a verb asking how much (发得多少)
    ask = f"多少{rest}" if len(rest) == 1 else f"{rest}多少"
    return [(side, f"{side}{ask}") for side in sides]


# what a side's words end in that asks, not names (省里定的任务比咋样？: 省里定的任务)
_SIDE_TAIL = re.compile(r"(?:比|相比|比较|比起来)?(?:咋样|怎么样|如何)?[？?，,。！!\s]*$")
_HOW_MUCH = re.compile(r"多少|(?<![十百千万])几(?!乎|十年)|多大|多长")  # 十几万人 is a figure, not asked


_ENUMERATED = re.compile(
    r"(?:多少|几)[个名户家所项条]?[\u4e00-\u9fff]{1,6}?(?:[、和](?![^、和]*(?:多少|几))[\u4e00-\u9fff]{1,6})+"
)
_HOW_MUCH_EN = re.compile(r"\bhow (?:many|much)\b", re.IGNORECASE)
# how many households and people: two counts of one thing, one "how many"
_TWO_COUNTED_EN = re.compile(
    r"\bhow many (?:households|families|people|persons|villages|projects)\s+and\s+"
    r"(?:households|families|people|persons|villages|projects)\b",
    re.IGNORECASE,
)


# 比全省平均高多少, 比省里的任务多多少: the difference from another figure is asked
BEYOND_ASKED = re.compile(r"比[^，,。？?]{1,14}?(?:高|多|低|少|快|慢|超)了?(?:多少|几)")
# 高于全省平均水平0.7个百分点: a figure stated as a difference from another
BEYOND_STATED = re.compile(r"(?:高于|低于|超过|超出|多于|少于|快于|慢于)[^，,。；;]{0,12}$")


def _things(enumeration: re.Match[str]) -> list[str]:
    """The things of an _ENUMERATED match (多少个乡镇、贫困村和贫困户: 乡镇, 贫困村, 贫困户)."""
    return re.split("[、和]", re.sub(r"^(?:多少|几)[个名户家所项条]?", "", enumeration.group(0)))


def enumerated_asked(text: str) -> list[str]:
    """The things one question word counts in an enumeration (多少个乡镇、贫困村和贫困户: 乡镇, 贫困村, 贫困户);
    none when it counts one thing."""
    m = _ENUMERATED.search(text)
    return _things(m) if m else []


def figures_asked(text: str) -> int:
    """How many figures a question asks for (多少笔创业贷款，多少钱: two; how many loans … and how much)."""
    if text.isascii():
        return len(_HOW_MUCH_EN.findall(text)) + len(_TWO_COUNTED_EN.findall(text))
    # 多少个乡镇、贫困村、贫困户: one question word, a figure for each thing it enumerates
    return len(_HOW_MUCH.findall(text)) + sum(len(_things(m)) - 1 for m in _ENUMERATED.finditer(text))
