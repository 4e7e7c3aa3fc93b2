"""Person names in a sentence, found at build time: jieba's part-of-speech tagger is too heavy
(about 55 MB) to keep loaded in every serving process, so names are stored as facts instead."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]{2,4}")


def names(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every word the tagger reads as a person's name (2 to 4 characters)."""
    import jieba.posseg  # here, not at module level: serving processes never load the tagger

    out, pos = [], 0
    for word, flag in jieba.posseg.cut(sentence):
        if flag.startswith("nr") and _CJK.fullmatch(word):
            out.append((pos, pos + len(word), word))
        pos += len(word)
    return out
