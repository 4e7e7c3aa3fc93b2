"""Load and validate the intent files. A bad file raises IntentError naming the file and the problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

import yaml

HERE = Path(__file__).resolve().parent
FILES = ("question_types.yaml", "smalltalk.yaml", "vocabulary.yaml", "english.yaml", "replies.yaml")
UNIT_CLASSES = {
    "person",
    "household",
    "count",
    "money",
    "percent",
    "area",
    "length",
    "weight",
    "power",
    "duration",
    "age",
    "multiple",
    "phone",
}
REPLY_KEYS = {
    "fact",
    "text",
    "compare",
    "compare_line",
    "more",
    "less",
    "yes",
    "no",
    "other_report",
    "compare_partial",
    "not_found",
    "unknown_place",
    "wrong_year",
    "wrong_place",
    "wrong_place_info",
    "suggest",
    "unsure",
    "which_place",
    "empty",
    "too_long",
    "unreadable",
    "greeting",
    "help",
    "thanks",
    "goodbye",
    "out_of_scope",
    "procedure",
}
# placeholders the engine fills in each formatted template (any other one would fail at answer time)
TEMPLATE_FIELDS = {
    "fact": {"place", "year", "value", "quote", "article"},
    "text": {"place", "year", "quote", "article"},
    "compare": {"verdict", "lines"},
    "more": {"winner"},
    "other_report": {"year", "value"},
    "less": {"winner"},
    "compare_line": {"place", "value", "quote"},
    "compare_partial": {"line", "missing"},
    "not_found": {"what"},
    "unknown_place": {"place", "places"},
    "wrong_year": {"place", "year"},
    "suggest": {"topics"},
    "too_long": {"limit"},
}


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
    not_units: tuple[str, ...] = ()  # phrases holding a unit word that say no unit (投入使用 is not money)
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)  # qualifier and role cues of questions
    # which credit a byline question asks: photo, or a page staff role (编辑, 校对…) -> its cue words
    credits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    out_of_scope: tuple[
        str, ...
    ] = ()  # topics no article is about (天气): an unanswered question on one says so
    # how to apply or sign up (咋申请): the articles report programmes, they give no procedure
    procedure: tuple[str, ...] = ()
    title_aliases: dict[str, str] = field(default_factory=dict)  # 一把手 -> 书记: what residents call a title
    # qualifier -> question word -> the articles' word for it so qualified (remaining: 贫困人口 -> 未脱贫人口)
    qualified: dict[str, dict[str, str]] = field(default_factory=dict)
    # the English of each unit figures are written in: unit -> (one, many); ("", "") for a measure word
    units_en: dict[str, tuple[str, str]] = field(default_factory=dict)
    # article words that are things one counts, by their English from english.yaml: 贫困村 -> ("poor
    # village", "poor villages") (one is "" when the glossary has no singular): what 78个 counts
    english_nouns: dict[str, tuple[str, str]] = field(default_factory=dict)


# libyaml's parser where installed: ~0.2 s less of every start than the Python one
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse(text: str):
    """yaml.safe_load, with libyaml's parser where installed; a file it refuses is parsed again by the Python
    one, so that what is accepted and the errors reported are the Python loader's."""
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # the safe loader, in C
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    try:
        data = _parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IntentError(f"{name}: file is missing") from exc
    except OSError as exc:
        raise IntentError(f"{name}: cannot be read: {exc}") from exc
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
        if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():  # YAML on/no
            raise IntentError(f"{where}: every entry must be a non-empty string, got {item!r}")
        out.append(str(item).strip())
    if len(set(out)) != len(out):
        dupes = sorted({x for x in out if out.count(x) > 1})
        raise IntentError(f"{where}: duplicate entries {dupes}")
    return tuple(out)


def _rows(value, where: str) -> list:
    """A list from the YAML (missing counts as empty); anything else is an IntentError."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise IntentError(f"{where}: must be a list, got {type(value).__name__}")
    return value


def _name(row, where: str) -> str:
    """The `name` of a YAML entry: a non-empty string, else an IntentError."""
    if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
        raise IntentError(f"{where}: needs a name")
    return row["name"].strip()


def _priority(row: dict, where: str) -> int:
    """The `priority` of a question type: a whole number (0 when missing)."""
    value = row.get("priority", 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise IntentError(f"{where}.priority: must be a whole number, got {value!r}")
    return value


def _template(text, where: str, allowed: set[str] | None) -> str:
    """A reply template: a string using only placeholders the engine fills (`allowed`; None: unchecked)."""
    if not isinstance(text, str) or not text.strip():
        raise IntentError(f"{where}: must be a non-empty string")
    if allowed is None:
        return text
    try:
        fields = {f for _, f, _, _ in Formatter().parse(text) if f is not None}
    except ValueError as exc:
        raise IntentError(f"{where}: bad placeholder: {exc}") from exc
    unknown = sorted(fields - allowed)
    if unknown:
        raise IntentError(f"{where}: unknown placeholders {unknown} (allowed: {sorted(allowed)})")
    return text


def _unit_map(data: dict, key: str, file: str) -> dict[str, tuple[str, ...]]:
    raw = data.get(key)
    if not isinstance(raw, dict) or not raw:
        raise IntentError(f"{file}: {key} must be a non-empty mapping")
    unknown = set(raw) - UNIT_CLASSES
    if unknown:
        raise IntentError(f"{file}: {key} names unknown unit classes {sorted(unknown)}")
    return {k: _strings(v, f"{file}: {key}.{k}") for k, v in raw.items()}


def _units_en(raw) -> dict[str, tuple[str, str]]:
    """vocabulary.yaml's units_en: unit -> its English, one word for both numbers or [one, many]."""
    if not isinstance(raw, dict) or not raw:
        raise IntentError("vocabulary.yaml: units_en must be a non-empty mapping of units to their English")
    out = {}
    for unit, english in raw.items():
        where = f"vocabulary.yaml: units_en.{unit}"
        if isinstance(english, str):
            out[str(unit)] = (english.strip(), english.strip())
        elif (
            isinstance(english, list)
            and len(english) == 2
            and all(isinstance(e, str) and e.strip() for e in english)
        ):
            out[str(unit)] = (english[0].strip(), english[1].strip())
        else:
            raise IntentError(f'{where}: must be a string ("" for a measure word) or [one, many]')
    return out


def _english_nouns(english: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, str]]:
    """Article words whose English in english.yaml is a plural noun ("poor villages": [贫困村]), by
    that word: the first such phrase of the file, and its singular when the file has it too."""
    plural: dict[str, str] = {}
    for phrase, words in english.items():
        if len(words) == 1 and len(words[0]) >= 2 and phrase.endswith("s") and not phrase.endswith("'s"):
            plural.setdefault(words[0], phrase)
    out = {}
    for zh, many in plural.items():
        ones = [many[:-1]] + ([many[:-3] + "y"] if many.endswith("ies") else [])  # villages, secretaries
        out[zh] = (next((one for one in ones if english.get(one) == (zh,)), ""), many)
    return out


SLOTS = {
    "remaining",
    "total",
    "done",
    "asks_org",
    "new",
    "asks_from",
    "asks_target",
    "asks_less",
    "per_unit",
    "decrease",
    "asks_all",
    "asks_end",
}


def _title_aliases(raw, titles) -> dict[str, str]:
    """vocabulary.yaml's title_aliases: a resident's word for a title -> the title (one of `titles`)."""
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and v in (titles or ()) for k, v in raw.items()
    ):
        raise IntentError("vocabulary.yaml: title_aliases must map words to titles listed in titles")
    return dict(raw)


def _qualified(raw) -> dict[str, dict[str, str]]:
    """vocabulary.yaml's qualified: qualifier (one of the slots) -> {question word: the articles' word}."""
    ok = isinstance(raw, dict) and all(
        q in SLOTS
        and isinstance(m, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
        for q, m in raw.items()
    )
    if not ok:
        raise IntentError("vocabulary.yaml: qualified must map slot names to {question word: article word}")
    return {q: dict(m) for q, m in raw.items()}


def _slots(raw) -> dict[str, tuple[str, ...]]:
    """vocabulary.yaml's slots: words of a question that say which figure it wants (还有 -> remaining)."""
    if not isinstance(raw, dict) or set(raw) != SLOTS:
        raise IntentError(f"vocabulary.yaml: slots must map exactly {sorted(SLOTS)} to word lists")
    return {k: _strings(v, f"vocabulary.yaml: slots.{k}") for k, v in raw.items()}


def load(folder: str | Path = HERE) -> IntentSet:
    """Read every intent file in `folder`, check it, and return the intent set."""
    folder = Path(folder)
    qt, st, vocab, en, rep = (_read(folder, f) for f in FILES)

    types = []
    for i, row in enumerate(_rows(qt.get("types"), "question_types.yaml: types")):
        where = f"question_types.yaml: types[{i}]"
        types.append(
            QuestionType(
                _name(row, where),
                _priority(row, where),
                _strings(row.get("cues"), f"{where}.cues"),
                _strings(row.get("examples"), f"{where}.examples"),
            )
        )
    if not types:
        raise IntentError("question_types.yaml: no types")
    smalltalk = {}
    for i, row in enumerate(_rows(st.get("intents"), "smalltalk.yaml: intents")):
        name = _name(row, f"smalltalk.yaml: intents[{i}]")
        smalltalk[name] = _strings(row.get("examples"), f"smalltalk.yaml: {name}.examples")
    seen: dict[str, str] = {}
    for name, examples in [(t.name, t.examples) for t in types] + list(smalltalk.items()):
        for ex in examples:
            if ex.lower() in seen and seen[ex.lower()] != name:
                raise IntentError(f"smalltalk.yaml: example {ex!r} is in both {seen[ex.lower()]} and {name}")
            seen[ex.lower()] = name

    synonyms = tuple(
        _strings(g, f"vocabulary.yaml: synonyms[{i}]")
        for i, g in enumerate(_rows(vocab.get("synonyms"), "vocabulary.yaml: synonyms"))
    )
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
        silent = sorted(set(smalltalk) - set(table))
        if silent:
            raise IntentError(f"replies.yaml: {lang} lacks templates {silent} for intents in smalltalk.yaml")
        replies[lang] = {
            str(k): _template(v, f"replies.yaml: {lang}.{k}", TEMPLATE_FIELDS.get(str(k)))
            for k, v in table.items()
        }

    return IntentSet(
        units_en=_units_en(vocab.get("units_en")),
        english_nouns=_english_nouns(english),
        types=tuple(sorted(types, key=lambda t: -t.priority)),
        smalltalk=smalltalk,
        synonyms=synonyms,
        unit_words=_unit_map(vocab, "unit_words", "vocabulary.yaml"),
        measure_words=_unit_map(vocab, "measure_words", "vocabulary.yaml"),
        implied_units=_unit_map(vocab, "implied_units", "vocabulary.yaml"),
        titles=_strings(vocab.get("titles"), "vocabulary.yaml: titles"),
        title_aliases=_title_aliases(vocab.get("title_aliases", {}), vocab.get("titles")),
        qualified=_qualified(vocab.get("qualified", {})),
        slots=_slots(vocab.get("slots")),
        credits={
            str(k): _strings(v, f"vocabulary.yaml: credits.{k}")
            for k, v in (vocab.get("credits") or {}).items()
        },
        stopwords=stopwords,
        english=english,
        english_stopwords=frozenset(_strings(en.get("stopwords"), "english.yaml: stopwords")),
        replies=replies,
        not_units=_strings(vocab["not_units"], "vocabulary.yaml: not_units") if "not_units" in vocab else (),
        out_of_scope=_lower_words(vocab, "out_of_scope"),
        procedure=_lower_words(vocab, "procedure"),
    )


def _lower_words(vocab: dict, key: str) -> tuple[str, ...]:
    """vocabulary.yaml's word list `key` in lower case (matched against a lower-cased question), or ()."""
    if key not in vocab:
        return ()
    return tuple(w.lower() for w in _strings(vocab[key], f"vocabulary.yaml: {key}"))
