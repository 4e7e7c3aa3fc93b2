"""Figures, units, years, dates and weekdays in Chinese text. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.numerals import small_numeral

# longest units first so that 平方公里 wins over 公里 and 人次 over 人
UNIT_CLASSES: dict[str, tuple[str, ...]] = {
    "percent": ("个百分点", "%"),
    "area": ("平方公里", "平方米", "公顷", "亩"),
    "money": ("元",),
    "person": ("人次", "名", "人", "位"),
    "household": ("户",),
    "length": ("公里", "千米", "米"),
    "weight": ("万公斤", "公斤", "吨"),
    "power": ("兆瓦", "千瓦"),
    "count": (
        "个",
        "家",
        "所",
        "项",
        "条",
        "座",
        "处",
        "笔",
        "支",
        "批",
        "次",
        "场",
        "套",
        "头",
        "袋",
        "间",
        "台",
        "辆",
        "件",
        "起",
        "期",
        "类",
        "种",
        "张",
        "本",
        "片",
        "村",
        "镇",
        "乡",
        "县",
    ),
    "duration": ("天", "年"),
    "age": ("岁",),
    "multiple": ("倍",),  # 是省定任务450公里的5倍
}
_UNITS = sorted(((u, c) for c, us in UNIT_CLASSES.items() for u in us), key=lambda uc: -len(uc[0]))
UNIT_CLASS = dict(_UNITS)
_UNIT_RE = "|".join(re.escape(u) for u, _ in _UNITS)

VALUE_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)(?P<approx1>余|多)?(?P<mag>万亿|千万|百万|万|亿|千|百)?(?P<approx2>余|多)?(?P<unit>{_UNIT_RE})?"
)
# words that make a year the start of what is counted (2016年以来; a resident: 从2016年开始, 2016年到现在)
SINCE = ("以来", "至今", "开始", "算起", "起", "到现在", "到如今", "到今天")
YEAR_RE = re.compile(
    rf"(?<!\d)(?P<year>(?:19|20)\d{{2}})(?:年|年度)(?P<since>{'|'.join(SINCE)}|底|年底|初|前)?"
)
DATE_RE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})年|(?P<rel>去年|今年|前年|明年))?(?P<month>1[0-2]|0?[1-9])月"
    r"(?:(?P<day>[12]\d|3[01]|0?[1-9])日(?:[至到-](?:(?P<month2>1[0-2]|0?[1-9])月)?(?P<day2>[12]\d|3[01]|0?[1-9])日)?)?"
)
# a part of a month: 10月底, 2021年6月中旬 (deadlines)
MONTH_PART_RE = re.compile(r"(?:(?:19|20)\d{2}年)?(?:1[0-2]|0?[1-9])月(?:底|初|末|中旬|上旬|下旬)")
TIME_RE = re.compile(
    r"(?<!\d)(?:[01]?\d|2[0-4])[:：][0-5]\d(?:\s*[至到~—-]\s*(?:[01]?\d|2[0-4])[:：][0-5]\d)?"
)
# a telephone number: 5 to 12 digits (an area code with a dash allowed) shortly after 电话/热线
PHONE_RE = re.compile(r"(?:电话|热线|号码)[^\d，。；,;]{0,6}?(?P<number>(?:0\d{2,3}-)?\d{5,12})(?!\d)")
WEEKDAY_RE = re.compile(r"(?:每)?(?:周|星期|礼拜)(?P<d>[一二三四五六日天])")
WEEKDAY_EN = {
    "一": "Monday",
    "二": "Tuesday",
    "三": "Wednesday",
    "四": "Thursday",
    "五": "Friday",
    "六": "Saturday",
    "日": "Sunday",
    "天": "Sunday",
}
COMPARED = re.compile(
    r"较|同比|相比|较之|(?<!对)比(?![例重率赛])"
)  # what follows is measured against a baseline
_BASELINE = re.compile(f"(?:{COMPARED.pattern})$")
RELATIVE_YEAR = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
_MAG = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


@dataclass(frozen=True)
class Figure:
    """A number with its unit as written: "1900余万元" -> amount 1.9e7, unit 元, class money."""

    text: str
    start: int
    end: int
    amount: float
    unit: str
    unit_class: str


# a count written in Chinese numerals (先后两次承办, 分三批, 六个体系): 二 to 九十九 before a measure word of a
# count, people or households; 一 is left out (一批储备肉, 一个老乡: an article, not a figure), as are ordinals
# (第三批), runs of numerals (十三五) and what points back (这两条路)
_CN_UNITS = "|".join(
    re.escape(u) for c in ("count", "person", "household") for u in UNIT_CLASSES[c] if len(u) == 1
)
CN_VALUE_RE = re.compile(
    rf"(?<![一二两三四五六七八九十百千万第每周期初这那此该])(?P<num>[二两三四五六七八九十]|[一二三四五六七八九]?十[一二三四五六七八九]?)"
    rf"(?P<unit>{_CN_UNITS})"
)


def figures(text: str) -> list[Figure]:
    """Every figure with a unit or magnitude in `text`, years and dates left out."""
    return sorted([*_digit_figures(text), *_numeral_figures(text)], key=lambda f: f.start)


def _numeral_figures(text: str) -> list[Figure]:
    out = []
    for m in CN_VALUE_RE.finditer(text):
        value = small_numeral(m.group("num").replace("两", "二"))
        if value is not None:
            unit = m.group("unit")
            out.append(Figure(m.group(0), m.start(), m.end(), float(value), unit, UNIT_CLASS[unit]))
    return out


_SPAN_OF_YEARS = re.compile(r"(?:分|用|历时|连续|持续)$")
_RANGE_FROM = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:万|亿)?(?:至|到|～|~|—|-)")


def _digit_figures(text: str) -> list[Figure]:
    taken = [m.span() for m in DATE_RE.finditer(text)] + [m.span() for m in YEAR_RE.finditer(text)]
    out = []
    for m in VALUE_RE.finditer(text):
        start, end = m.span()
        if any(s <= start < e for s, e in taken):
            continue
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".:"):
            continue
        unit, mag = m.group("unit") or "", m.group("mag") or ""
        if not unit and not mag:
            continue  # a bare number (phone number, ratio) is not a figure
        if end < len(text) and text[end] == ":":
            continue  # a time of day
        amount = float(m.group("num")) * _MAG.get(mag, 1)
        cls = "percent" if unit == "个百分点" else UNIT_CLASS.get(unit, "count" if mag else "")
        text_ = m.group(0)
        if unit == "年" and not mag and not _SPAN_OF_YEARS.search(text, 0, start):
            continue  # "5年" is too often a span of years (2016-2020年), unless said as one (分3年建设)
        low = _RANGE_FROM.search(text, 0, start)
        if low and low.end() == start:  # 900至1800元: one figure, the range, stated whole
            start, text_ = low.start(), text[low.start() : end]
        out.append(Figure(text_, start, end, amount, unit, cls))
    return out


def years(text: str) -> list[tuple[int, int, bool]]:
    """(position, year, is_since) for explicit years: "2016年以来" is (pos, 2016, True). A year something is
    compared with (较2019年增长, 比2018年) is a baseline, not the year a figure speaks of: left out."""
    return [
        (m.start(), int(m.group("year")), m.group("since") in SINCE)
        for m in YEAR_RE.finditer(text)
        if not is_baseline(text, m.start())
    ]


def is_baseline(text: str, pos: int) -> bool:
    """Whether the year at `pos` is one something is compared with (较2019年增长, 比2018年)."""
    return bool(_BASELINE.search(text[max(0, pos - 3) : pos]))


def dates(text: str) -> list[re.Match]:
    """Month-day dates such as 3月9日, 2020年3月9日至15日, 去年12月15日."""
    return [m for m in DATE_RE.finditer(text) if m.group("day") or m.group("year") or m.group("rel")]


def weekdays(text: str) -> list[re.Match]:
    """周五, 每周五, 星期四 ..."""
    return list(WEEKDAY_RE.finditer(text))


def phones(text: str) -> list[re.Match]:
    """Telephone numbers named as such: 监督投诉电话63300059, 热线12345."""
    return list(PHONE_RE.finditer(text))
