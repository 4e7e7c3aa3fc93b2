"""Turn a found hit (or a reason for not finding one) into the text a user reads."""

from __future__ import annotations

from engine.answer import Hit
from engine.index import KnowledgeIndex
from engine.question import Query

_EN_UNIT = {
    "person": "people",
    "household": "households",
    "money": "yuan",
    "percent": "%",
    "area": "",
    "count": "",
    "length": "",
    "weight": "",
    "power": "",
}


def place_label(name: str | None, lang: str, index: KnowledgeIndex) -> str:
    if not name:
        return ""
    if lang == "en":
        info = index.places.get(name)
        english = info.english[0] if info and info.english else name
        return f"{english} ({name})"
    return name


def english_gloss(hit: Hit) -> str:
    """ "13.3万人" -> " (133,000 people)" for English readers; empty when nothing to add."""
    f = hit.fact
    if not f or f.unit_class not in ("person", "household", "money", "count") or f.amount < 10000:
        return ""
    amount = f"{f.amount:,.0f}" if f.amount == int(f.amount) else f"{f.amount:,.2f}"
    unit = _EN_UNIT.get(f.unit_class, "")
    return f" ({amount} {unit})".replace(" )", ")")


def render_hit(q: Query, hit: Hit, index: KnowledgeIndex, templates: dict[str, str]) -> str:
    place = q.place or (hit.sentence.places[0] if hit.sentence.places else None)
    label = place_label(place, q.lang, index)
    year = ""
    if hit.year and not (hit.fact and hit.fact.since):
        year = f" in {hit.year}" if q.lang == "en" else f"（{hit.year}年）"
    article = index.article_title(hit.sentence.article_id)
    if hit.value == hit.quote:  # a clause answer: the clause is the fact
        return templates["text"].format(place=label, year=year, quote=hit.quote, article=article)
    value = hit.value + (english_gloss(hit) if q.lang == "en" else "")
    if q.lang == "en" and q.qtype == "weekday":
        from kb.numbers import WEEKDAY_EN

        value = f"{WEEKDAY_EN.get(hit.value[-1], '')} ({hit.value})"
    return templates["fact"].format(place=label, year=year, value=value, quote=hit.quote, article=article)
