"""Character-bigram postings of the sentences: for every pair of adjacent characters of a folded sentence,
the ids of the sentences holding it, ascending, as int32. Built once with the fact base (the `bigrams`
table: one row per pair, its ids as a little-endian int32 blob) and read back by the engine in one query;
each pair's ids are decoded only when a question first needs them. Python sets of ints cost ~60 bytes an
id, these 4.

`fold` is the form both questions and sentences are compared in; the engine's (engine/normalize.py) is
this one, so that the postings a build stores are those the engine would compute."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

_QUOTES = re.compile(r"[“”‘’「」『』\"'《》〈〉【】\s]")
_BIG_ENDIAN = sys.byteorder == "big"
TABLE = "bigrams"


@functools.lru_cache(maxsize=16384)  # the engine folds the same clauses and spans for many questions
def fold(text: str) -> str:
    """The form both questions and sentences are compared in: NFKC, lower case, no quotes or spaces."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text)).lower()


def grams(norm: str) -> set[str]:
    """The distinct character pairs of a folded text."""
    return {norm[i : i + 2] for i in range(len(norm) - 1)}


def compute(sentences: Iterable[tuple[int, str]]) -> dict[str, array]:
    """Pair -> ascending ids of the sentences holding it, from (id, folded text) in ascending id order."""
    out: dict[str, array] = {}
    last = None
    for sid, norm in sentences:
        if last is not None and sid <= last:
            raise ValueError("sentences must come in ascending id order")
        last = sid
        for g in grams(norm):
            ids = out.get(g)
            if ids is None:
                out[g] = ids = array("i")
            ids.append(sid)
    return out


def encode(ids: array) -> bytes:
    """int32 ids as little-endian bytes (the file reads the same on any machine)."""
    if _BIG_ENDIAN:
        ids = array("i", ids)
        ids.byteswap()
    return ids.tobytes()


def decode(blob: bytes) -> array:
    ids = array("i")
    ids.frombytes(blob)
    if _BIG_ENDIAN:
        ids.byteswap()
    return ids


def rows(sentence_rows: Iterable[dict]) -> list[dict]:
    """The `bigrams` table of a build's sentence rows ({"id", "text"}, and "norm" when folded already)."""
    folded = ((r["id"], r["norm"] if "norm" in r else fold(r["text"])) for r in sentence_rows)
    ordered = sorted(folded, key=lambda r: r[0])
    return [{"gram": g, "ids": encode(ids)} for g, ids in sorted(compute(ordered).items())]


class Postings:
    """Pair -> its sentence ids (an ascending int32 array), decoded from the stored blob on first use."""

    def __init__(self, table: dict[str, bytes | array]):
        self._table = table

    @classmethod
    def from_sentences(cls, sentences: Iterable[tuple[int, str]]) -> Postings:
        """Computed in memory (a fact base written before the `bigrams` table existed)."""
        return cls(dict(compute(sentences)))

    def __len__(self) -> int:
        return len(self._table)

    def get(self, gram: str) -> array | None:
        ids = self._table.get(gram)
        if ids is None or type(ids) is array:
            return ids
        ids = self._table[gram] = decode(ids)  # two threads decoding one pair at once get equal arrays
        return ids


def contains(ids: array, sid: int) -> bool:
    """Whether an ascending array holds `sid` (binary search)."""
    i = bisect_left(ids, sid)
    return i < len(ids) and ids[i] == sid


def within(ids: array, lo: int, hi: int) -> array:
    """The ids in [lo, hi] of an ascending array."""
    return ids[bisect_left(ids, lo) : bisect_right(ids, hi)]
