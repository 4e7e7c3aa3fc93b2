"""Typed results the engine hands to its callers (bot, scripts, tests)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kb.report import BuildReport

__all__ = ["Source", "Alternative", "Answer", "BuildReport"]


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: the article's title and the sentence quoted."""

    article: str
    quote: str


@dataclass(frozen=True)
class Alternative:
    """Another reading of the question, offered as a "did you mean" choice."""

    label: str  # short text for a button
    question: str  # the question to ask if the user picks it
    key: str | None = None  # the fact it names: engine.cards.fact_key, stable across rebuilds


@dataclass(frozen=True)
class Answer:
    """The engine's reply to one question."""

    found: bool
    text: str  # plain text the user sees (no markup)
    intent: str  # question type, e.g. "how_many", "when", "unknown", "greeting"
    place: str | None = None  # canonical place name the answer is about
    confidence: float = 0.0  # 0..1
    sources: list[Source] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    lang: str = "zh"  # "zh" or "en": the language of the question and the reply
    year: int | None = None
    value: str | None = None  # the figure as written in the source, e.g. "5155人"

    def to_dict(self) -> dict:
        """The JSON shape of scripts/ask.py --json and --jsonl."""
        data = asdict(self)
        data["sources"] = [asdict(s) for s in self.sources]
        data["alternatives"] = [asdict(a) for a in self.alternatives]
        return data
