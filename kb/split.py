"""Paragraphs into sentences, sentences into clauses. Pure functions."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])(?![”’」』)）])|(?<=[。！？!?][”’」』])|(?=•)|(?=▲)")
_CLAUSE_SEP = re.compile(r"[，,：；;。！？!?]|(?<!\d):(?!\d)")  # not the colon of a time (9:00)


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends (。！？；), bullets and photo markers."""
    parts = (p.strip(" •▲") for p in _SENTENCE_END.split(paragraph))
    return [p for p in parts if len(p) >= 2]


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: the text between commas, colons and sentence ends."""
    spans, start = [], 0
    for m in _CLAUSE_SEP.finditer(sentence):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans


def clause_at(sentence: str, pos: int) -> tuple[int, int]:
    """The clause span containing character position `pos`."""
    for start, end in clause_spans(sentence):
        if start <= pos < end:
            return start, end
    return 0, len(sentence)
