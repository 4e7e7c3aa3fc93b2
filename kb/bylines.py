"""Bylines: who wrote a story (记者, 通讯员), read from a cleaned paragraph. A page holds several stories;
a byline holds for the paragraphs after it until the next one. Photo credits (…摄) are not bylines."""

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
