"""Homophone typo repair: a stretch of the question that is no word but sounds like a known term
(如阳 -> 汝阳, 焦做 -> 焦作, 贫困发生绿 -> 贫困发生率). 沁阳 and 沁县 sound different, so never merge."""

from __future__ import annotations

import functools
import re
import weakref

import jieba

from kb import pace
from kb.sounds import fuzzy_key, key

_COMMON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tokenizer -> TypoFixer._common
_GRAMMAR = set("个名位的了在是有和与及等也都还就吗呢吧啊着过")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class TypoFixer:
    """Knows the fact base's terms by sound; replaces unknown stretches that sound like one."""

    def __init__(self, terms: dict[str, int], known: dict[str, int] | None = None, tokenizer=None):
        """`terms`: what a typo may be repaired into (with weights); `known`: further words that are never
        typos themselves (all the articles' words)."""
        self.known = {**(known or {}), **terms}
        self.tokenizer = tokenizer or jieba.dt
        self.by_sound: dict[str, str] = {}
        for term, _weight in pace.steps(sorted(terms.items(), key=lambda tw: -tw[1])):
            if 2 <= len(term) <= 6:
                self.by_sound.setdefault(key(term), term)

    def _is_word(self, text: str) -> bool:
        return text in self.known or self.tokenizer.FREQ.get(text, 0) > 0

    def fix(self, text: str) -> str:
        """`text` with sound-alike typos replaced by the known term."""
        return _CJK_RUN.sub(lambda m: self._fix_run(m.group(0)), text)

    def _fix_run(self, s: str) -> str:
        """Try stretches of two to four whole jieba tokens, longest first, that are not words."""
        cuts = [0]
        for token in self.tokenizer.lcut(s, HMM=False):
            cuts.append(cuts[-1] + len(token))
        for span in (4, 3, 2):
            for a in range(len(cuts) - span):
                i, j = cuts[a], cuts[a + span]
                sub = s[i:j]
                if (
                    j - i > 6
                    or self._is_word(sub)
                    or s[i] in _GRAMMAR
                    and cuts[a + 1] - i == 1
                    or s[j - 1] in _GRAMMAR
                    and j - cuts[a + span - 1] == 1
                ):
                    continue  # 多少个乡镇: a measure word or particle at either end is grammar, not a slip
                term = self.by_sound.get(key(sub))
                if term and term != sub:
                    return s[:i] + term + self._fix_run(s[j:])
        return s

    def sounds_like(self, word: str) -> str | None:
        """For a word no article holds: the article word that sounds like it (电化 -> 电话, 收义 -> 收益),
        allowing the z/zh, c/ch, s/sh and n/ng slips pinyin keyboards forgive (改照 -> 改造)."""
        if not 2 <= len(word) <= 6:
            return None
        everything = self._all_sounds  # built on first use: a reload's warm-up question builds it
        if self.tokenizer.FREQ.get(word, 0) > self._common:
            return None  # 一斤, 城里, 报销: a common word is the one meant, not a slip for 已经, 成立, 包销
        term = self.by_sound.get(key(word)) or everything.get(fuzzy_key(word))
        return term if term != word else None

    @functools.cached_property
    def _common(self) -> int:
        """The dictionary frequency above which a word is commoner than three in four of the tokenizer's
        words (16 in jieba's own): such a word is typed on purpose. Once per tokenizer (a sort of its
        350,000 words, 40 ms), shared by the fact-base generations that share it."""
        cut = _COMMON.get(self.tokenizer)
        if cut is None:
            freqs = sorted(f for f in self.tokenizer.FREQ.values() if f > 0)
            cut = _COMMON[self.tokenizer] = freqs[3 * len(freqs) // 4] if freqs else 0
        return cut

    @functools.cached_property
    def _all_sounds(self) -> dict[str, str]:
        """Every known word by its fuzzy sound, the most frequent first (built on first use)."""
        out: dict[str, str] = {}
        for term, _weight in pace.steps(sorted(self.known.items(), key=lambda tw: -tw[1])):
            if 2 <= len(term) <= 6:
                out.setdefault(fuzzy_key(term), term)
        return out
