"""Small numerals read without cn2an (importing it costs ~0.5 s of a start): 3, 六, 十二, 二十, 二十三.
What cn2an.cn2an(text, "smart") reads them as (tests/test_speed.py checks every one of these forms)."""

from __future__ import annotations

import re

_DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")}
_TENS = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?")


def small_numeral(text: str) -> int | None:
    """The value of up to six ASCII digits, one Chinese digit or a Chinese number below 100 (十, 十二, 二十,
    二十三); None for anything else (the caller asks cn2an)."""
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    if len(text) == 1 and text in _DIGIT:
        return _DIGIT[text]
    m = _TENS.fullmatch(text)
    if m:
        return 10 * (_DIGIT[m.group(1)] if m.group(1) else 1) + (_DIGIT[m.group(2)] if m.group(2) else 0)
    return None
