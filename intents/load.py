"""Load and validate the intent files. A bad file raises IntentError naming the file and the problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FILES = ("question_types.yaml", "smalltalk.yaml", "vocabulary.yaml", "english.yaml", "replies.yaml")
UNIT_CLASSES = {"person", "household", "count", "money", "percent", "area", "length", "weight", "power", "duration"}
REPLY_KEYS = {"fact", "text", "compare", "compare_line", "not_found", "unknown_place", "wrong_year", "suggest",
              "empty", "too_long", "unreadable", "greeting", "help", "thanks", "goodbye", "out_of_scope"}


class IntentError(ValueError):
    """An intent file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class QuestionType:
    name: str
    priority: int
    cues: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class IntentSet:
    types: tuple[QuestionType, ...]
    smalltalk: dict[str, tuple[str, ...]]
    synonyms: tuple[tuple[str, ...], ...]
    unit_words: dict[str, tuple[str, ...]]
    measure_words: dict[str, tuple[str, ...]]
    implied_units: dict[str, tuple[str, ...]]
    titles: tuple[str, ...]
    stopwords: frozenset[str]
    english: dict[str, tuple[str, ...]]
    english_stopwords: frozenset[str]
    replies: dict[str, dict[str, str]] = field(default_factory=dict)


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IntentError(f"{name}: file is missing") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IntentError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise IntentError(f"{name}: top level must be a mapping")
    if data.get("version") != 1:
        raise IntentError(f"{name}: unknown version {data.get('version')!r} (expected 1)")
    return data


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise IntentError(f"{where}: must be a non-empty list")
    out = []
    for item in value:
        if not isinstance(item, str | int) or not str(item).strip():
            raise IntentError(f"{where}: every entry must be a non-empty string, got {item!r}")
        out.append(str(item).strip())
    if len(set(out)) != len(out):
        dupes = sorted({x for x in out if out.count(x) > 1})
        raise IntentError(f"{where}: duplicate entries {dupes}")
    return tuple(out)


def _unit_map(data: dict, key: str, file: str) -> dict[str, tuple[str, ...]]:
    raw = data.get(key)
    if not isinstance(raw, dict) or not raw:
        raise IntentError(f"{file}: {key} must be a non-empty mapping")
    unknown = set(raw) - UNIT_CLASSES
    if unknown:
        raise IntentError(f"{file}: {key} names unknown unit classes {sorted(unknown)}")
    return {k: _strings(v, f"{file}: {key}.{k}") for k, v in raw.items()}


def load(folder: str | Path = HERE) -> IntentSet:
    """Read every intent file in `folder`, check it, and return the intent set."""
    folder = Path(folder)
    qt, st, vocab, en, rep = (_read(folder, f) for f in FILES)

    types = []
    for i, row in enumerate(qt.get("types") or []):
        where = f"question_types.yaml: types[{i}]"
        if not isinstance(row, dict) or not row.get("name"):
            raise IntentError(f"{where}: needs a name")
        types.append(QuestionType(str(row["name"]), int(row.get("priority", 0)),
                                  _strings(row.get("cues"), f"{where}.cues"),
                                  _strings(row.get("examples"), f"{where}.examples")))
    if not types:
        raise IntentError("question_types.yaml: no types")
    smalltalk = {}
    for i, row in enumerate(st.get("intents") or []):
        if not isinstance(row, dict) or not row.get("name"):
            raise IntentError(f"smalltalk.yaml: intents[{i}] needs a name")
        smalltalk[str(row["name"])] = _strings(row.get("examples"), f"smalltalk.yaml: {row['name']}.examples")
    seen: dict[str, str] = {}
    for name, examples in [(t.name, t.examples) for t in types] + list(smalltalk.items()):
        for ex in examples:
            if ex.lower() in seen and seen[ex.lower()] != name:
                raise IntentError(f"example {ex!r} is in both {seen[ex.lower()]} and {name}")
            seen[ex.lower()] = name

    synonyms = tuple(_strings(g, f"vocabulary.yaml: synonyms[{i}]") for i, g in enumerate(vocab.get("synonyms") or []))
    if not synonyms:
        raise IntentError("vocabulary.yaml: synonyms must be a non-empty list")
    stopwords = frozenset(_strings(vocab.get("stopwords"), "vocabulary.yaml: stopwords"))
    clash = sorted(stopwords & {w for g in synonyms for w in g})
    if clash:
        raise IntentError(f"vocabulary.yaml: words both stopword and synonym: {clash}")

    phrases = en.get("phrases")
    if not isinstance(phrases, dict) or not phrases:
        raise IntentError("english.yaml: phrases must be a non-empty mapping")
    english = {str(k).lower(): _strings(v, f"english.yaml: phrases[{k!r}]") for k, v in phrases.items()}

    replies = {}
    for lang in ("zh", "en"):
        table = rep.get(lang)
        if not isinstance(table, dict):
            raise IntentError(f"replies.yaml: {lang} must be a mapping")
        missing = REPLY_KEYS - set(table)
        if missing:
            raise IntentError(f"replies.yaml: {lang} lacks templates {sorted(missing)}")
        replies[lang] = {str(k): str(v) for k, v in table.items()}

    return IntentSet(
        types=tuple(sorted(types, key=lambda t: -t.priority)),
        smalltalk=smalltalk,
        synonyms=synonyms,
        unit_words=_unit_map(vocab, "unit_words", "vocabulary.yaml"),
        measure_words=_unit_map(vocab, "measure_words", "vocabulary.yaml"),
        implied_units=_unit_map(vocab, "implied_units", "vocabulary.yaml"),
        titles=_strings(vocab.get("titles"), "vocabulary.yaml: titles"),
        stopwords=stopwords,
        english=english,
        english_stopwords=frozenset(_strings(en.get("stopwords"), "english.yaml: stopwords")),
        replies=replies,
    )
