"""Bylines: who wrote a story (记者, 通讯员), read from a cleaned paragraph. A page holds several stories;
a leading byline (本报记者 X) holds for the paragraphs after it until the next one, a closing one (X 文/图)
for those before it back to the last byline. Photo credits (…摄) are not bylines."""

from __future__ import annotations

import re

from kb.numbers import DATE_RE, WEEKDAY_RE

_ROLE = r"(?:本报|首席|见习|特约)*(记者|通讯员)"
_NAME = r"([\u4e00-\u9fff]{2,3}?)(?=本报|首席|记者|通讯员|[）)\s，、]|$)"
_BYLINE = re.compile(_ROLE + _NAME)
_LINE = re.compile(r"^(?:本报讯[（(])?" + _ROLE)
_ONLY = re.compile(rf"(?:{_ROLE}[\u4e00-\u9fff]{{2,3}})+")  # 本报记者郭树勋本报通讯员吴明, nothing else


def byline_line(line: str) -> bool:
    """Whether a line of the page is a byline and nothing else: it ends its paragraph (the headline
    under it, 全面小康不落一人, is no part of the names)."""
    return bool(_ONLY.fullmatch(line))


def byline(paragraph: str) -> str | None:
    """ "记者 郭树勋；通讯员 吴明" for a byline paragraph (or a 本报讯（记者…） lead), else None."""
    head = paragraph[:40]
    if not _LINE.match(head) or re.search(r"摄[）)]?$", paragraph[:60].split("。")[0]):
        return None
    parts = [f"{role} {name}" for role, name in _BYLINE.findall(head.split("）")[0])]
    return "；".join(parts) or None


_CLOSING = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:文/图|文／图|图/文|文)$")


# a short story's authors in brackets after its last sentence: …满意率达96%。 （吴静、文魁）
_CLOSING_BRACKET = re.compile(r"[。！？”]\s*[（(]([\u4e00-\u9fff]{2,3}(?:[、，][\u4e00-\u9fff]{2,3})*)[）)]$")


def closing_byline(paragraph: str) -> str | None:
    """ "作者 吴会菊" for a paragraph that closes a story with its author (吴会菊 文/图, …。（吴静、文魁）),
    else None."""
    m = _CLOSING.match(paragraph.strip()) or _CLOSING_BRACKET.search(paragraph.strip())
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
            if j != i and _headline(paragraphs[j]):  # a headline: a story begins here or before
                break
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
    # a byline line set under the text of its story (…进行免费产前诊断。 本报记者 智慧 通讯员 耿梅), not under
    # a headline: the story's, back to the headline or credit that ends the one before
    for i, lead in enumerate(leading):
        if not lead or re.search(r"[，。]", paragraphs[i]) or i == 0 or _headline(paragraphs[i - 1]):
            continue
        j = i - 1
        while j >= 0 and not (leading[j] or closing[j] or _headline(paragraphs[j])):
            out[j] = lead
            j -= 1
    first = next((b for b in out if b), None)
    return [b or first for b in out]


HEADLINE = 40  # characters at most of a headline line


def _headline(paragraph: str) -> bool:
    """A short line that ends no sentence (“百城提质” 三川蝶变): a headline, not a paragraph of text."""
    return len(paragraph) <= HEADLINE and not re.search(r"[。！？；：:]", paragraph)


# a photo's credit closes its caption (…使该村500人脱贫致富。 本报记者 刘金元 摄) or stands on the line after
# it; one for a whole page reads （本版图片均由本报记者杨帆摄）
PHOTO_CREDIT = re.compile(
    r"(?:本报)?(?:首席|见习|特约)?(?:摄影)?记者\s*([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,2})\s*摄[）)]?\s*$"
)
_ALL_PHOTOS = re.compile(r"图片均由(?:本报)?(?:摄影)?记者\s*([\u4e00-\u9fff]{2,3}?)\s*摄")
# the page's staff line: ■编辑：郭 剑│版式：李新战│校对：董 蕾│组版：张 震
# and the numbers it prints for readers (■新闻热线：8797000)
STAFF_ROLES = ("编辑", "版式", "校对", "组版", "美编", "责编")
HOTLINE = "新闻热线"  # the credit these are stored and asked as
PAGE_NUMBERS = (HOTLINE, "读者热线", "热线电话")
_STAFF = re.compile(
    rf"({'|'.join(STAFF_ROLES)})[：:]\s*([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,2}})"
    rf"|({'|'.join(PAGE_NUMBERS)})[：:]\s*(\d[\d-]{{4,}})"
)


_CAPTION_DATE = re.compile(r"(?:^|[。！？])((?:19|20)\d{2}年\d{1,2}月\d{1,2}日，)")


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def credits(text: str) -> tuple[list[tuple[str, str]], str, str]:
    """An article's photo captions with who took each ((caption, name), white space removed), who took its
    photos ("刘金元、赵耀东", in order) and its page's staff ("编辑 郭剑；校对 董蕾"), read from its lines."""
    captions: list[tuple[str, str]] = []
    names: list[str] = []
    staff: dict[str, str] = {}
    lines: list[str] = []  # the lines since the last blank line or credit: the caption a credit closes
    for raw in text.splitlines():
        line = raw.strip()
        for role, name, _field, number in _STAFF.findall(line):
            staff.setdefault(role or HOTLINE, _bare(name or number))
        page = [m.group(1) for m in _ALL_PHOTOS.finditer(line)]
        names += page
        m = None if page else PHOTO_CREDIT.search(line)
        if m:
            name = _bare(m.group(1))
            lines.append(line[: m.start()])
            caption = _bare("".join(lines))
            # a caption opens with the day the photo was taken, after the text it may follow unbroken
            dated = [d.start(1) for d in _CAPTION_DATE.finditer(caption)]
            caption = caption[dated[-1] :] if dated else caption
            if caption:
                captions.append((caption, name))
            names.append(name)
            lines = []
        elif not line:
            lines = [] if lines and lines[-1] == "" else lines + [""]
        else:
            lines = [ln for ln in lines if ln] + [line] if lines and lines[-1] != "" else [line]
    return captions, "、".join(dict.fromkeys(names)), "；".join(f"{r} {n}" for r, n in staff.items())


# the page head a newspaper prints above its stories: the date and weekday on lines of their own
# (2017年1月12日 / 星期四) and the paper's name in its masthead (■官方微博：@焦作日报(新浪、腾讯)■…)
_PAPER = re.compile(r"[\u4e00-\u9fff]{2,4}(?:日报|晚报|时报)")
HEAD_LINES = 8  # non-blank lines at most of a page head, above the first story
HEAD_FIELD = 20  # characters at most of its date line (2021年1月8日 星期五 安阳新闻)


def masthead(text: str) -> tuple[str, str, str]:
    """The newspaper a page prints its name as ("焦作日报"), the issue's date ("2017年1月12日 星期四") and
    the head's lines they and the page's staff stand in (the quote), read from the page head; "" for what
    the page does not print (a story cut from its page)."""
    from kb.clean import undouble  # the head is doubled like headlines; kb.clean imports this module

    paper = day = weekday = ""
    printed: list[str] = []
    head = [undouble(ln.strip()) for ln in text.splitlines() if ln.strip()][:HEAD_LINES]
    for line in head:
        bare = _bare(line)
        if re.search(r"[。！？]", bare):  # a sentence: the stories have begun
            break
        short = len(bare) <= HEAD_FIELD  # a field of the head, not the first line of a story
        found = day, weekday, paper
        if not day and short and (m := DATE_RE.match(bare)) and m.group("year") and m.group("day"):
            day = m.group(0)
        if not weekday and short and (m := WEEKDAY_RE.search(bare)):
            weekday = m.group(0)
        if not paper and ("■" in bare or "官方微博" in bare) and (m := _PAPER.search(bare)):
            paper = m.group(0)
        if found != (day, weekday, paper) or _STAFF.search(line):  # the staff line: who edited the page
            printed.append(line)
    return paper, " ".join(p for p in (day, weekday) if p), " ".join(printed)
