"""How Chinese text sounds: toneless pinyin, the one place this project reads pypinyin
(its mode, one reading per character, is set in kb/__init__.py before pypinyin is imported)."""

from __future__ import annotations

import functools
import re

from pypinyin import lazy_pinyin

KEY_CACHE = 1 << 17  # words whose key is remembered: a reload's tables (typo repair, pinyin names) reuse them
_SYLLABLE: dict[str, str | None] = {}  # a Chinese character's syllable (None: pypinyin has none), read once


def _syllable(ch: str) -> str | None:
    """The one syllable of a Chinese character, or None when pypinyin keeps it as it is."""
    try:
        return _SYLLABLE[ch]
    except KeyError:
        pass
    out = lazy_pinyin(ch) if "\u4e00" <= ch <= "\u9fff" else []
    _SYLLABLE[ch] = found = out[0] if len(out) == 1 and out[0] != ch else None
    return found


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of `text`, one per character ("汝阳" -> ["ru", "yang"])."""
    # one reading per character (no phrases, kb/__init__.py): a run of Chinese characters reads character by
    # character, each looked up once per process (pypinyin's own path costs ~0.3 ms a call)
    out = [_syllable(ch) for ch in text]
    return out if None not in out else lazy_pinyin(text)


@functools.lru_cache(maxsize=KEY_CACHE)
def key(text: str) -> str:
    """The key two homophones share: "如阳" and "汝阳" both give "ru yang". Remembered per word: the
    tables a freshly loaded fact base builds hold mostly the words of the one before, so a reload in a
    serving bot spends its CPU (and the GIL) on new words only."""
    return " ".join(syllables(text))


_FUZZY = re.compile(r"\b(zh|ch|sh)|(ng)\b")


def fuzzy(sound: str) -> str:
    """A key with the distinctions pinyin keyboards let slip folded away: zh/z, ch/c, sh/s, ng/n
    ("gai zhao" and "gai zao" meet)."""
    return _FUZZY.sub(lambda m: (m.group(1) or "")[:1] or "n", sound)


@functools.lru_cache(maxsize=KEY_CACHE)
def fuzzy_key(text: str) -> str:
    """fuzzy(key(text)), remembered per word as key() is (the typo fixer's table of every known word by
    its fuzzy sound is built again for each fact base loaded)."""
    return fuzzy(key(text))
