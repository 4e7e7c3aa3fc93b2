"""Fact cards: a figure named by a content key that survives rebuilds (sentence ids do not).

The key of a fact is the first 16 hex digits of sha1(article file name, sentence text, value): the
same figure in the same sentence of the same article file has the same key in every build, and a
fact whose sentence or article changed or went away is simply not found (None).
"""

from __future__ import annotations

import hashlib
import weakref

from engine.index import Fact, KnowledgeIndex, Sentence
from engine.reply import figure, place_label
from engine.types import Answer, Source
from intents import IntentSet

KEY_LENGTH = 16
_keys: weakref.WeakKeyDictionary[KnowledgeIndex, dict[str, tuple[Sentence, Fact]]] = (
    weakref.WeakKeyDictionary()
)


def fact_key(article_file: str, sentence: str, value: str) -> str:
    """The stable key of a figure: sha1 of its article's file name, its sentence and its value."""
    digest = hashlib.sha1("\x1f".join((article_file, sentence, value)).encode("utf-8", "replace"))
    return digest.hexdigest()[:KEY_LENGTH]


def key_of(index: KnowledgeIndex, sentence: Sentence, value: str) -> str:
    """The key of `value` in `sentence` of this fact base."""
    return fact_key(index.articles[sentence.article_id]["file"], sentence.text, value)


def clause_key(index: KnowledgeIndex, sentence: Sentence, clause: str) -> str | None:
    """The key of a clause of `sentence` (a where, list or yes/no reading): the sentence's key and the
    clause's place in it ("…:12-30"); None when the clause is not in the sentence as written."""
    at = sentence.text.find(clause)
    if at < 0 or not clause:
        return None
    return f"{key_of(index, sentence, '')}:{at}-{at + len(clause)}"


_sentence_keys: weakref.WeakKeyDictionary[KnowledgeIndex, dict[str, Sentence]] = weakref.WeakKeyDictionary()


def find_clause(index: KnowledgeIndex, key: str) -> tuple[Sentence, str] | None:
    """The sentence and clause a clause_key names, or None when this fact base no longer holds them."""
    head, _, span = key.partition(":")
    a, _, b = span.partition("-")
    if not (a.isdigit() and b.isdigit()):
        return None
    table = _sentence_keys.get(index)
    if table is None:  # one hash per sentence, once per loaded fact base, on the first clause button
        table = {key_of(index, s, ""): s for s in index.sentences.values()}
        _sentence_keys[index] = table
    s = table.get(head)
    start, end = int(a), int(b)
    if s is None or not 0 <= start < end <= len(s.text):
        return None
    return s, s.text[start:end]


def _table(index: KnowledgeIndex) -> dict[str, tuple[Sentence, Fact]]:
    table = _keys.get(index)
    if table is None:  # computed once per loaded fact base (a reload loads a new index)
        table = {}
        for sid, facts in index.facts.items():
            s = index.sentences[sid]
            for f in facts:
                table.setdefault(key_of(index, s, f.value), (s, f))
        _keys[index] = table
    return table


def find(index: KnowledgeIndex, key: str) -> tuple[Sentence, Fact] | None:
    """The sentence and fact with this key, or None when this fact base no longer holds it."""
    return _table(index).get(key) if isinstance(key, str) else None


def card(
    index: KnowledgeIndex,
    key: str,
    templates: dict[str, str],
    lang: str = "zh",
    vocab: IntentSet | None = None,
) -> Answer | None:
    """The fact with this key as an answer: place, year and figure, its clause quoted and its article (a
    clause key: the clause itself, as the answer)."""
    f: Fact | None = None
    if ":" in key:  # a clause key (a where, list or yes/no reading): the clause is the answer
        clause = find_clause(index, key)
        if clause is None:
            return None
        s, quote = clause
    else:
        found = find(index, key)
        if found is None:
            return None
        s, f = found
        quote = f.clause or s.text
    place = s.places[0] if s.places else None
    label = place_label(place, lang, index)
    year = ""
    if f is not None and f.year and not f.since:
        year = f" in {f.year}" if lang == "en" else f"（{f.year}年）"
    article = index.article_title(s.article_id)
    value = quote if f is None else figure(f.value, f, s, lang, vocab)  # English: "4 poor villages (4个)"
    if f is None or f.value == quote:  # a clause or a clause fact: the clause is the answer
        text = templates["text"].format(place=label, year=year, quote=quote, article=article)
    else:
        text = templates["fact"].format(place=label, year=year, value=value, quote=quote, article=article)
    return Answer(
        True,
        text,
        "card",
        place=place,
        confidence=1.0,
        sources=[Source(article, s.text)],
        lang=lang,
        year=f.year if f is not None else None,
        value=value,
    )
