"""Bylines: who wrote a story (记者, 通讯员), read from a cleaned paragraph. A page holds several stories;
a leading byline (本报记者 X) holds for the paragraphs after it until the next one, a closing one (X 文/图)
for those before it back to the last byline. Photo credits (…摄) are not bylines."""

from __future__ import annotations

import re

_ROLE = r"(?:本报|首席|见习|特约)*(记者|通讯员)"
_NAME = r"([\u4e00-\u9fff]{2,3}?)(?=本报|首席|记者|通讯员|[）)\s，、]|$)"
_BYLINE = re.compile(_ROLE + _NAME)
_LINE = re.compile(r"^(?:本报讯[（(])?" + _ROLE)


def byline(paragraph: str) -> str | None:
    """ "记者 郭树勋；通讯员 吴明" for a byline paragraph (or a 本报讯（记者…） lead), else None."""
    head = paragraph[:40]
    if not _LINE.match(head) or re.search(r"摄[）)]?$", paragraph[:60].split("。")[0]):
        return None
    parts = [f"{role} {name}" for role, name in _BYLINE.findall(head.split("）")[0])]
    return "；".join(parts) or None


_CLOSING = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:文/图|文／图|图/文|文)$")


def closing_byline(paragraph: str) -> str | None:
    """ "作者 吴会菊" for a paragraph that closes a story with its author (吴会菊 文/图), else None."""
    m = _CLOSING.match(paragraph.strip())
    return f"作者 {m.group(1)}" if m else None


def assign(paragraphs: list[str]) -> list[str | None]:
    """The byline of each paragraph's story (a page's first story may stand before its byline)."""
    leading = [byline(p) for p in paragraphs]
    closing = [closing_byline(p) for p in paragraphs]
    out: list[str | None] = []
    current = None
    for lead in leading:
        current = lead or current
        out.append(current)
    for i, close in enumerate(closing):
        j = i
        while close and j >= 0 and not (leading[j] or (closing[j] and j != i)):
            out[j] = close
            j -= 1
    # a story's headline stands right above its byline line (记者 王艳); not above a 本报讯 lead, which the
    # page may set after another story's headline
    for i, lead in enumerate(leading):
        if not lead or re.search(r"[，。]", paragraphs[i]):
            continue
        j = i - 1
        while j >= 0 and _headline(paragraphs[j]) and not (leading[j] or closing[j]):
            out[j] = lead
            j -= 1
    first = next((b for b in out if b), None)
    return [b or first for b in out]


HEADLINE = 40  # characters at most of a headline line


def _headline(paragraph: str) -> bool:
    """A short line that ends no sentence (“百城提质” 三川蝶变): a headline, not a paragraph of text."""
    return len(paragraph) <= HEADLINE and not re.search(r"[。！？；：:]", paragraph)
