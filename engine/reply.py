"""Turn a found hit (or a reason for not finding one) into the text a user reads."""

from __future__ import annotations

import re

from engine.answer import Hit
from engine.index import Fact, KnowledgeIndex, Sentence
from engine.question import Query
from intents import IntentSet
from intents.load import UNIT_CLASSES

_APPROX = re.compile(r"\d[余多]")  # 1900余万元, 3000多人: "over"
_AMOUNTS = UNIT_CLASSES - {"phone"}  # units whose figures are amounts to write out in English


def place_label(name: str | None, lang: str, index: KnowledgeIndex) -> str:
    if not name:
        return ""
    if lang == "en":
        info = index.places.get(name)
        english = info.english[0] if info and info.english else name
        return f"{english} ({name})"
    return name


def place_short(name: str | None, lang: str, index: KnowledgeIndex) -> str:
    """A place as a button names it: its English name alone for English readers ("Ruyang")."""
    if not name:
        return ""
    info = index.places.get(name) if lang == "en" else None
    return info.english[0] if info and info.english else name


def english_number(amount: float) -> str:
    """13.3万 -> "133,000", 387.6万 -> "3.876 million", 2.5亿 -> "250 million": every digit kept."""
    for size, word in ((1e9, " billion"), (1e6, " million")):
        if amount >= size:
            return f"{amount / size:,.6f}".rstrip("0").rstrip(".") + word
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def counted_noun(fact: Fact, sentence: Sentence | None, vocab: IntentSet, one: bool) -> str:
    """The English of what a figure counts, when the glossary knows the noun: the one right after it
    (4个贫困村退出, 2842名生态护林员) or, failing that, right before it (贫困村78个); else ""."""
    nouns = vocab.english_nouns
    ahead = sentence.text[: fact.start] if sentence is not None else ""
    found = max((w for w in nouns if fact.counted.startswith(w)), key=len, default=None)
    found = found or max((w for w in nouns if ahead and ahead.endswith(w)), key=len, default=None)
    if not found:
        return ""
    singular, plural = nouns[found]
    return singular if one else plural


def figure(
    value: str, fact: Fact | None, sentence: Sentence | None, lang: str, vocab: IntentSet | None
) -> str:
    """A stated value as the reader reads it. Chinese: as the article writes it. English: the number
    in English with the unit's English (vocabulary.yaml units_en) and, in brackets, the article's own
    figure, so nothing is lost and the figure is still found as written: "78个" -> "78 poor villages
    (78个)", "13.3万人" -> "133,000 people (13.3万人)", "1900余万元" -> "over 19 million yuan
    (1900余万元)". A date, a name, a clause or a percentage stays as it is."""
    if lang != "en" or vocab is None or fact is None or fact.value != value:
        return value
    if fact.unit_class not in _AMOUNTS or not fact.amount or fact.unit == "%":
        return value
    one = fact.amount == 1
    singular, plural = vocab.units_en.get(fact.unit, ("", ""))
    noun = (singular or plural) if one else plural
    if not noun:  # a measure word (78个): what it counts
        noun = counted_noun(fact, sentence, vocab, one)
    elif fact.unit_class == "person":  # 2842名生态护林员, 第一书记345名: the rangers, not just people
        noun = counted_noun(fact, sentence, vocab, one) or noun
    approx = "over " if _APPROX.search(value) else ""
    english = f"{approx}{english_number(fact.amount)} {noun}".strip()
    return value if english == value else f"{english} ({value})"


def hit_value(hit: Hit, lang: str, vocab: IntentSet | None) -> str:
    """The value a hit states, as `figure` words it."""
    return figure(hit.value, hit.fact, hit.sentence, lang, vocab)


def render_hit(
    q: Query, hit: Hit, index: KnowledgeIndex, templates: dict[str, str], vocab: IntentSet | None = None
) -> str:
    place = q.place or (hit.sentence.places[0] if hit.sentence.places else None)
    label = place_label(place, q.lang, index)
    year = ""
    if hit.year and not (hit.fact and hit.fact.since):
        year = f" in {hit.year}" if q.lang == "en" else f"（{hit.year}年）"
    article = index.article_title(hit.sentence.article_id)
    quote = hit.quote
    if hit.value == hit.quote:
        if q.qtype not in ("when", "weekday"):  # a clause answer: the clause is the fact
            return _unheaded(
                templates["text"].format(place=label, year=year, quote=hit.quote, article=article),
                label or year,
            )
        quote = hit.sentence.text  # 4月11日，在…签约仪式现场: a date alone in its clause quotes its sentence
    value = hit_value(hit, q.lang, vocab)
    if q.lang == "en" and q.qtype == "weekday":
        from kb.numbers import WEEKDAY_EN

        value = f"{WEEKDAY_EN.get(hit.value[-1], '')} ({hit.value})"
    return _unheaded(
        templates["fact"].format(place=label, year=year, value=value, quote=quote, article=article),
        label or year,
    )


def _unheaded(text: str, head: str) -> str:
    """A reply with no place and no year for its head (national news) starts with its value, not a bare ：."""
    return text if head else re.sub(r"^\s*[：:]\s*", "", text)
