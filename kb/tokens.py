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
    """A tokenizer with jieba's own dictionary only (loaded from the same cache file as the global one)."""
    tok = jieba.Tokenizer()
    tok.cache_file = jieba.dt.cache_file
    tok.initialize()
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
    if tok not in _taggers:
        _taggers[tok] = jieba.posseg.POSTokenizer(tok)
    return _taggers[tok]


@contextmanager
def using(tok: jieba.Tokenizer) -> Iterator[jieba.Tokenizer]:
    """Cut with `tok` inside the block (this thread or task only)."""
    token = _current.set(tok)
    try:
        yield tok
    finally:
        _current.reset(token)
