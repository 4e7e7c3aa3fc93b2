"""The jieba tokenizer in use. jieba keeps one global dictionary that add_word changes for the whole
process, so a build or an engine that taught it words would change how the next one cuts text. Each build
and each loaded fact base therefore cuts with a tokenizer of its own (`fresh`), bound for a build with
`using`; the global one is never taught anything."""

from __future__ import annotations

import contextvars
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import jieba

_current: contextvars.ContextVar[jieba.Tokenizer | None] = contextvars.ContextVar("tokenizer", default=None)
_taggers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fresh() -> jieba.Tokenizer:
    """A tokenizer with jieba's own dictionary only: a copy of the global one's, which nothing teaches
    (24 ms, where loading the dictionary again takes 1.5 s)."""
    base = jieba.dt
    base.check_initialized()
    tok = jieba.Tokenizer(base.dictionary)
    tok.FREQ, tok.total = dict(base.FREQ), base.total
    tok.user_word_tag_tab = dict(base.user_word_tag_tab)
    tok.cache_file, tok.initialized = base.cache_file, True
    return tok


def current() -> jieba.Tokenizer:
    """The tokenizer of the build under way, else jieba's untaught global one."""
    tok = _current.get() or jieba.dt
    tok.check_initialized()
    return tok


def tagger():
    """jieba's part-of-speech tagger over the current tokenizer (build time only: it is heavy)."""
    import jieba.posseg

    tok = current()
    if tok is jieba.dt:
        return jieba.posseg.dt
    if tok not in _taggers:  # the global tagger's word tags (loading them again takes 0.6 s), over `tok`
        tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
        tagger.tokenizer, tagger.word_tag_tab = tok, dict(jieba.posseg.dt.word_tag_tab)
        _taggers[tok] = tagger
    return _taggers[tok]


@contextmanager
def using(tok: jieba.Tokenizer) -> Iterator[jieba.Tokenizer]:
    """Cut with `tok` inside the block (this thread or task only)."""
    token = _current.set(tok)
    try:
        yield tok
    finally:
        _current.reset(token)
