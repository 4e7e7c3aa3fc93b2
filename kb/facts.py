"""Facts: every figure in a sentence with its clause, metric phrase, year and unit class, and every
person's name (unit class "name": the title before it is the metric) and telephone number ("phone")."""

from __future__ import annotations

import re

from kb.names import names
from kb.numbers import COMPARED, RELATIVE_YEAR, figures, phones, years
from kb.roles import qualifier, role
from kb.senders import senders
from kb.split import clause_at, clause_spans

_LEAD = re.compile(
    r"^(?:其中|同时|此外|另外|目前|截至目前|共计|累计|共|先后|全市|全县|该县|该市|我市|我县|并|还|已|已经|将|为|有)+"
)
_RELATIVE = re.compile("|".join(RELATIVE_YEAR))


def fact_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a figure; a list joined by 、 is cut to the item holding the figure
    when other items hold figures too ("生活补贴4935.99万元、护理补贴5603.99万元")."""
    for c_start, c_end in clause_spans(sentence):
        if c_start <= start < c_end:
            break
    else:
        c_start, c_end = 0, len(sentence)
    pieces, pos = [], c_start
    for i in range(c_start, c_end + 1):
        if i == c_end or sentence[i] == "、":
            pieces.append((pos, i))
            pos = i + 1
    with_figures = [p for p in pieces if figures(sentence[p[0] : p[1]])]
    if len(with_figures) >= 2:
        for p_start, p_end in pieces:
            if p_start <= start < p_end:
                return p_start, p_end
    return c_start, c_end


CONTINUES = ("其中",)  # a sentence opening so goes on with the one before (a part of its whole)


def year_of(
    sentence: str, span: tuple[int, int], article_year: int | None, at: int | None = None
) -> tuple[int | None, bool]:
    """The year a clause speaks of: an explicit year in it (the last one before position `at` when there
    is one: 由2014年的1907元增加到2020年的10118元), else one 去年/今年 in it, else a year-only clause
    just before it, else the sentence's single explicit year. Second value: True for "since" (2016年以来)."""
    clause = sentence[span[0] : span[1]]
    found = years(clause)
    if found:
        before = [y for y in found if at is not None and span[0] + y[0] < at]
        _, year, since = (before or found)[-1]
        return year, since
    rel = _RELATIVE.search(clause)
    if rel and article_year:
        return article_year + RELATIVE_YEAR[rel.group(0)], False
    before = [c for c in clause_spans(sentence) if c[1] <= span[0]]
    if before:  # a lead-in clause that is only a year: "2016年以来，共计投入..."
        lead = sentence[before[-1][0] : before[-1][1]]
        found = years(lead)
        if found and len(lead) <= 8:
            return found[-1][1], found[-1][2]
    found = years(sentence)
    if len({y for _, y, _ in found}) == 1 and (at is None or found[0][0] < at):
        # the sentence's one year, where it stands before the figure: not 近两年…提拔52名，其中2018年提拔14人
        _, year, since = found[0]
        return year, since
    rel = _RELATIVE.findall(sentence)
    if len(set(rel)) == 1 and article_year:
        return article_year + RELATIVE_YEAR[rel[0]], False
    return None, False


def extract(sentence: str, article_year: int | None = None, carried: int | None = None) -> list[dict]:
    """Fact rows (without ids or place) for every figure in `sentence`; `carried`: the year of the sentence
    before, for one that goes on with it (其中，中心城区开工项目12个 after 今年二季度…共计75个)."""
    rows = []
    goes_on = sentence.startswith(CONTINUES)
    for fig in figures(sentence):
        span = fact_span(sentence, fig.start, fig.end)
        clause = sentence[span[0] : span[1]]
        metric = _LEAD.sub("", sentence[span[0] : fig.start]).strip("“”\"'（）() ") or clause
        year, since = year_of(sentence, span, article_year, fig.start)
        if year is None and goes_on:
            year = carried
        before = sentence[span[0] : fig.start]
        baseline = bool(COMPARED.search(before))
        rows.append(
            {
                "value": fig.text,
                "amount": fig.amount,
                "unit": fig.unit,
                "unit_class": fig.unit_class,
                "clause": clause,
                "metric": metric,
                "year": year,
                "since": since,
                "start": fig.start,
                "end": fig.end,
                "qualifier": qualifier(before),
                "role": role(before, sentence[: fig.start], since, baseline),
                "counted": _counted(sentence, fig.end),
            }
        )
    for m in phones(sentence):
        rows.append(_text_fact(sentence, *m.span("number"), "phone", None))
    for start, end in senders(sentence):  # 市水利局派驻…: the office that sent a cadre or a team
        rows.append(_text_fact(sentence, start, end, "org", None))
    for start, end, _name in names(sentence):  # the name is sentence[start:end]
        span = clause_at(sentence, start)
        rows.append(_text_fact(sentence, start, end, "name", year_of(sentence, span, article_year, start)[0]))
    return rows


_COUNTED = re.compile(r"[\u4e00-\u9fff“”\"]{2,}?(?=[和与及、，,。；;的（(]|$)")


def _counted(sentence: str, end: int) -> str:
    """The noun a figure counts, right after it (160个 -> 行政村), up to 8 characters; empty if none."""
    m = _COUNTED.match(sentence, end, min(len(sentence), end + 8))
    return m.group(0).strip('“”"') if m else ""


def _text_fact(sentence: str, start: int, end: int, unit_class: str, year: int | None) -> dict:
    """A fact row for text that is no amount (a phone number, a name): the words before it in its clause
    are the metric (监督投诉电话, 县委书记)."""
    span = clause_at(sentence, start)
    return {
        "value": sentence[start:end],
        "amount": 0.0,
        "unit": "",
        "unit_class": unit_class,
        "clause": sentence[span[0] : span[1]],
        "metric": sentence[span[0] : start],
        "year": year,
        "since": False,
        "start": start,
        "end": end,
        "qualifier": None,
        "role": "as_of",
        "counted": "",
    }
