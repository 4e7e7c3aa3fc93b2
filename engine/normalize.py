"""Question text in, clean simplified text out: control characters, width, script, numerals."""

from __future__ import annotations

import re
import unicodedata

import opencc

MAX_QUESTION = 500  # characters; longer questions are refused with a clear reply
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe0e\ufe0f]")
_QUOTES = re.compile(r"[“”‘’「」『』\"'《》〈〉【】\s]")
_CN_DIGIT = {"零": "0", "〇": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
             "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([零〇○一二三四五六七八九]{4}|[零〇○一二三四五六七八九]{2})年")
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?!代)")
_converter = opencc.OpenCC("t2s")


def strip_invisible(text: str) -> str:
    """Remove control, zero-width and direction characters; fold runs of white space."""
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def _year(digits: str) -> str:
    if len(digits) == 2:
        n = int(digits)
        return str(2000 + n if n <= 40 else 1900 + n)
    return digits


def normalize(text: str) -> str:
    """NFKC, traditional -> simplified, Chinese-numeral and two-digit years (一八年 -> 2018年)."""
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    text = _converter.convert(text)
    text = _CN_YEAR.sub(lambda m: _year("".join(_CN_DIGIT[c] for c in m.group(1))) + "年", text)
    text = _SHORT_YEAR.sub(lambda m: _year(m.group(1)) + "年", text)
    return text


def fold(text: str) -> str:
    """The form both questions and sentences are compared in: NFKC, lower case, no quotes or spaces."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text)).lower()


def is_english(text: str) -> bool:
    """Mostly Latin letters and no more than a few Chinese characters."""
    latin = len(re.findall(r"[A-Za-z]", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return latin >= 3 and latin > 2 * cjk
