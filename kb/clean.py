"""Undo the artefacts of text extracted from newspaper PDFs. Pure functions, no I/O."""

from __future__ import annotations

import re
import statistics
import unicodedata

from kb.bylines import PHOTO_CREDIT, byline_line

_DOUBLED = re.compile(r"(?:(.+?)\1)+")
_TERMINAL = "。！？!?；;：:”」』）)…"
# lines that are page furniture: a lone weekday, a page number, a masthead with ■, a photo credit
_FURNITURE = re.compile(
    r"^(?:星期[一二三四五六日天]|第?\d{1,3}版?|■.*|[（(]?本版图片.*摄[）)]?|本报记者\s*\S{2,4}\s*摄|.{0,12}\s摄)$"
)


_STORY_LEAD = re.compile(r"本报讯|本报记者")


def fold_width(text: str) -> str:
    """Full-width digits, letters and spaces to ASCII; Chinese punctuation stays as written."""
    out = []
    for ch in text:
        if (
            "\uff10" <= ch <= "\uff19"
            or "\uff21" <= ch <= "\uff3a"
            or "\uff41" <= ch <= "\uff5a"
            or ch in "\u3000\u00a0％．"
        ):
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out)


def undouble(line: str) -> str:
    """ "沁阳行动沁阳行动——" -> "沁阳行动—": a line made only of doubled runs loses the copies; so does each
    part of a headline whose halves are doubled apart ("十件民生实事十件民生实事 件件连着民心件件连着民心")."""
    whole = _undouble_run(line)
    if whole != line or len(line.split()) < 2:
        return whole
    parts = line.split()
    fixed = [_undouble_run(p) for p in parts]
    return " ".join(fixed) if all(f != p for f, p in zip(fixed, parts, strict=True)) else line


def _undouble_run(line: str) -> str:
    """The line without its copies when it is made only of doubled runs, else the line unchanged."""
    s = line.strip()
    if len(s) < 4:
        return line
    m = _DOUBLED.fullmatch(s)
    if not m:
        return line
    runs = []
    pos = 0
    while pos < len(s):  # greedy-lazy walk: shortest run that repeats at this point
        for size in range(1, (len(s) - pos) // 2 + 1):
            if s[pos : pos + size] == s[pos + size : pos + 2 * size] and _DOUBLED.fullmatch(
                s[pos + 2 * size :] or "xx"
            ):
                runs.append(s[pos : pos + size])
                pos += 2 * size
                break
        else:
            return line
    return "".join(runs)


def _is_cjk_or_digit(ch: str) -> bool:
    return ch.isdigit() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch in "%.“”‘’"


def squeeze_spaces(text: str) -> str:
    """Drop spaces that PDF extraction put between Chinese characters and digits ("2207 户 5155 人")."""

    def keep(m: re.Match) -> str:
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        if before and after and before.isascii() and after.isascii() and before.isalpha() and after.isalpha():
            return " "
        return ""

    text = re.sub(r"[ \t\u3000\u00a0]+", keep, text)
    return text


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph into one string, broken words mended."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


_CONTINUES = "的了和与及等之、，。；：）)户人个名所万亿元年月日家项条座处笔次余多"


def paragraphs(text: str) -> list[str]:
    """Clean article text split into paragraphs; a paragraph cut by a page break is joined again."""
    text = fold_width(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = squeeze_spaces(undouble(raw)).strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        credit = None if _FURNITURE.match(line) else PHOTO_CREDIT.search(line)
        if credit:  # a photo's credit ends its caption (kept as an article fact: kb/bylines.credits)
            if line[: credit.start()].strip():
                blocks[-1].append(line[: credit.start()].strip())
            blocks.append([])
            continue
        if _FURNITURE.match(line):
            if PHOTO_CREDIT.search(line) and blocks[-1]:  # a credit on its own line ends the caption too
                blocks.append([])
            continue
        blocks[-1].append(line)
    blocks = [b for b in blocks if b]
    lengths = [len(line) for b in blocks for line in b if len(line) >= 8]
    typical = statistics.median(lengths) if lengths else 20
    # a short line without end punctuation followed by more text is a heading: its own paragraph
    split: list[list[str]] = []
    for block in blocks:
        current: list[str] = []
        for i, line in enumerate(block):
            current.append(line)
            is_heading = line[-1] not in _TERMINAL and len(line) < 0.6 * typical and i + 1 < len(block)
            if (is_heading and block[i + 1][0] not in _CONTINUES) or (
                i + 1 < len(block) and byline_line(line)
            ):
                split.append(current)
                current = []
        if current:
            split.append(current)
    merged: list[list[str]] = []
    for block in split:
        if merged:
            tail = merged[-1][-1]
            head = block[0]
            # a story's lead (本报讯（记者…）) starts its own paragraph, whatever the line before it
            open_end = (
                tail[-1] not in _TERMINAL
                and not _FURNITURE.match(head)
                and not _STORY_LEAD.match(head)
                and not byline_line(tail)  # 本报记者 郭树勋 本报通讯员 吴 明: ends, whatever comes after
            )
            continues = head[0] in _CONTINUES or (tail[-1].isdigit() and head[0].isdigit())
            if open_end and (continues or (len(tail) >= 0.7 * typical and _is_cjk_or_digit(head[0]))):
                merged[-1].extend(block)
                continue
        merged.append(list(block))
    return [p for p in (join_lines(b) for b in merged) if p]
