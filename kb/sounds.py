"""How Chinese text sounds: toneless pinyin, the one place this project reads pypinyin
(its mode, one reading per character, is set in kb/__init__.py before pypinyin is imported)."""

from __future__ import annotations

from pypinyin import lazy_pinyin


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of `text`, one per character ("汝阳" -> ["ru", "yang"])."""
    return lazy_pinyin(text)


def key(text: str) -> str:
    """The key two homophones share: "如阳" and "汝阳" both give "ru yang"."""
    return " ".join(syllables(text))
