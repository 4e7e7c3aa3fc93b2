"""What a figure is, read from the words around it at build time: its qualifier (remaining, done, total,
new) and the role of its year (as of, since, a change against a baseline (较2019年增长), start or end of a change, target). The question
side of the same roles lives in intents/vocabulary.yaml (qualifiers)."""

from __future__ import annotations

import re

# qualifier cues in the stretch of the clause before a figure (nearest cue wins)
QUALIFIER_CUES: dict[str, str] = {
    "remaining": r"尚未(?:脱贫|出列|退出|摘帽)?|未(?:脱贫|出列|退出|摘帽)?|剩余|还有|仍有|剩下|没有脱贫|还剩",
    "total": r"共|总|累计|合计|全部|总计|全市|全县",
    "done": r"已|实现|完成|脱贫|退出|出列|摘帽",
    "new": r"新增|新建|新培育|新发展|新开工",
}
_QUAL = re.compile("|".join(f"(?P<{name}>{cue})" for name, cue in QUALIFIER_CUES.items()))
_PLAN_WORDS = "力争|计划|预计|拟"
PLANNED = re.compile(_PLAN_WORDS)  # a plan named outright (2019年计划投资…), not only a 将 or 确保 before it
_TARGET = re.compile(f"{_PLAN_WORDS}|将|目标|确保|争取|年底前")
_FROM = re.compile(r"[由从](?:(?:19|20)\d{2}年(?:的|底)?)?$")
_TO = re.compile(r"(?:提高|增加|增长|提升|上升|下降|降低|减少|扩大|缩小|达)(?:到|至)$|降至$|增至$|升至$|到$")


def qualifier(before: str) -> str | None:
    """The qualifier of a figure from the words of its clause before it (the nearest cue)."""
    last = None
    for m in _QUAL.finditer(before):
        last = m.lastgroup
    return last


def role(clause_before: str, sentence_before: str, since: bool, baseline: bool) -> str:
    """The role of a figure: from / to (a change 由A提高到B), target (力争…), since, change or as_of."""
    tail = clause_before[-10:]
    if _FROM.search(tail):
        return "from"
    if _TO.search(tail):
        return "to"
    if _TARGET.search(sentence_before[-40:]):
        return "target"
    if baseline:
        return "change"
    if since:
        return "since"
    return "as_of"


# a change between two states or figures: 由2760元提高到3360元, 从“要我富”到“我要富”, 从输血走向造血
CHANGE = re.compile(
    r"[由从][^，。；]{1,24}?(?:提高到|增加到|增长到|下降到|降低到|减少到|提升到|上升到|扩大到|降至|升至|增至|变为|变成|"
    r"转变为|转为|走向|迈向|向|到|至)[^，。；]{1,24}"
)
_NEGATION = re.compile(r"尚未|还未|仍未|未能|没有|没能|不能|不再|未")


def negated(clause: str) -> bool:
    """Whether a clause says something did not happen (尚未, 没有, 未能)."""
    return bool(_NEGATION.search(clause))
