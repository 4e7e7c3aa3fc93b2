"""Question text in, clean simplified text out: control characters, width, script, numerals."""

from __future__ import annotations

import re
import unicodedata

import opencc

from kb.postings import fold  # noqa: F401 - the one definition: the stored bigram postings are of its form

MAX_QUESTION = 500  # characters; longer questions are refused with a clear reply
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\ufeff]")
# other characters nobody sees: every other format (Cf) character, fillers and variation selectors; inside a
# word ("汝\u00ad阳县") they would hide the word from the parser
_UNSEEN = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f\U000e0100-\U000e01ef]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CN_DIGIT = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_CN_YEAR = re.compile(r"([零〇○一二三四五六七八九]{4}|[零〇○一二三四五六七八九]{2})年")
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?!代)")
_converter = opencc.OpenCC("t2s")


def strip_invisible(text: str) -> str:
    """Remove control, zero-width, format and direction characters; lone surrogates (which crash
    encoding) become U+FFFD; fold runs of white space."""
    text = _UNSEEN.sub("", _INVISIBLE.sub("", _SURROGATE.sub("\ufffd", text)))
    return re.sub(r"\s+", " ", text).strip()


def _year(digits: str) -> str:
    if len(digits) == 2:
        n = int(digits)
        return str(2000 + n if n <= 40 else 1900 + n)
    return digits


# 这几年 and 近几年 are spans of time, not 几年 asked (how many years): written without the question word
_SOME_YEARS_AS = {
    "这几年": "这些年",
    "那几年": "那些年",
    "近几年": "近些年",
    "前几年": "前些年",
    "几年来": "多年来",
}
_SOME_YEARS = re.compile("|".join(_SOME_YEARS_AS))
SPANS_OF_YEARS = tuple(dict.fromkeys(_SOME_YEARS_AS.values()))  # how a normalized question says them


_DIALECT_DE = re.compile(
    r"嘞(?=[\u4e00-\u9fff])"
)  # 村嘞人: Henan's 的 inside a phrase (a final 嘞 is a particle)


def normalize(text: str) -> str:
    """NFKC, traditional -> simplified, Chinese-numeral and two-digit years (一八年 -> 2018年)."""
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    text = _converter.convert(text)
    text = _CN_YEAR.sub(lambda m: _year("".join(_CN_DIGIT[c] for c in m.group(1))) + "年", text)
    text = _SHORT_YEAR.sub(lambda m: _year(m.group(1)) + "年", text)
    text = _SOME_YEARS.sub(lambda m: _SOME_YEARS_AS[m.group(0)], text)
    text = text.replace("多老些", "多少")  # Henan's how-many: every pattern of 多少 then reads it (多老些人)
    return _DIALECT_DE.sub("的", text)


def is_english(text: str) -> bool:
    """Mostly Latin letters and no more than a few Chinese characters."""
    latin = len(re.findall(r"[A-Za-z]", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return latin >= 3 and latin > 2 * cjk
