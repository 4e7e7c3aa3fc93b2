"""The jieba tokenizer in use. jieba keeps one global dictionary that add_word changes for the whole
process, so a build or an engine that taught it words would change how the next one cuts text. Each build
and each loaded fact base therefore cuts with a tokenizer of its own (`fresh`), bound for a build with
`using`; the global one is never taught anything."""

from __future__ import annotations

import contextlib
import contextvars
import marshal
import os
import tempfile
import weakref
from array import array
from collections.abc import Iterator
from contextlib import contextmanager

import jieba

_current: contextvars.ContextVar[jieba.Tokenizer | None] = contextvars.ContextVar("tokenizer", default=None)
_taggers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_QUICK_SUFFIX = ".kb-quick"  # beside jieba's cache file: the same dictionary, quicker to read


def _cache_file(tok: jieba.Tokenizer) -> str:
    """The file jieba's Tokenizer.initialize reads its default dictionary from."""
    return os.path.join(tok.tmp_dir or tempfile.gettempdir(), tok.cache_file or "jieba.cache")


def _stamp(path: str) -> str:
    st = os.stat(path)
    return f"{jieba.__version__}:{st.st_size}:{st.st_mtime_ns}"


def initialize(tok: jieba.Tokenizer | None = None) -> jieba.Tokenizer:
    """jieba's global tokenizer with its dictionary loaded. jieba unmarshals 500,000 words from its cache file
    (1.3 s of a 2 s start); a copy of them beside it, as one string and one int64 array, loads in a tenth of
    that and gives the same dictionary (FREQ in the same order, total). The copy is written after jieba's own
    load and used only while jieba's cache file is the one it was made from."""
    tok = tok or jieba.dt
    if tok.initialized or tok.dictionary != jieba.DEFAULT_DICT:
        tok.check_initialized()
        return tok
    cache = _cache_file(tok)
    quick = cache + _QUICK_SUFFIX
    try:
        with open(quick, "rb") as f:
            stamp, total, words, freqs = marshal.load(f)
        if stamp != _stamp(cache):
            raise ValueError("jieba's cache changed")
        counts = array("q")
        counts.frombytes(freqs)
        keys = words.split("\n")
        if len(keys) != len(counts):
            raise ValueError("truncated")
        with tok.lock:
            if not tok.initialized:
                tok.FREQ, tok.total, tok.initialized = dict(zip(keys, counts, strict=True)), total, True
        return tok
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tok.check_initialized()
    try:
        freqs = array("q", tok.FREQ.values())
        words = "\n".join(tok.FREQ)
        if words.count("\n") != len(freqs) - 1:
            return tok  # a word holding a line break: no copy
        stamp = _stamp(cache)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(quick) or None, prefix="jieba-kb-")
    except (OSError, TypeError, OverflowError):
        return tok  # no copy (a read-only folder, say): jieba's own load next time too
    try:
        with os.fdopen(fd, "wb") as f:
            marshal.dump((stamp, tok.total, words, freqs.tobytes()), f)
        os.replace(tmp, quick)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return tok


def fresh() -> jieba.Tokenizer:
    """A tokenizer with jieba's own dictionary only: a copy of the global one's, which nothing teaches
    (24 ms, where loading the dictionary again takes 1.5 s). The copy is one dict() holding the GIL for
    those 24 ms: dict() of a dict copies its table as a block, while any copy in steps (update() from
    slices of its items) inserts word by word, ten times the CPU (250 ms), which a paced reload
    (kb/pace.py) would spread but not save; a reload that teaches the same words skips the copy
    (engine/query.py taught_tokenizer)."""
    base = initialize()
    tok = jieba.Tokenizer(base.dictionary)
    tok.FREQ, tok.total = dict(base.FREQ), base.total
    tok.user_word_tag_tab = dict(base.user_word_tag_tab)
    tok.cache_file, tok.initialized = base.cache_file, True
    return tok


def current() -> jieba.Tokenizer:
    """The tokenizer of the build under way, else jieba's untaught global one."""
    tok = _current.get() or initialize()
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
