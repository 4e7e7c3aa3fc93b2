"""Engine answers as Telegram HTML: escaped, each message under the 4096-character limit, tags never
cut; a reply too long for one message is split at sentence (then clause, then word) boundaries into
a few messages instead of being cut."""

from __future__ import annotations

import html
import re

import jieba

from engine import Answer

LIMIT = 4096
MAX_MESSAGES = 5  # a reply longer than this many messages is cut (with an ellipsis) after the fifth
LABEL_LIMIT = 24  # characters of a button label
LABEL_LIMIT_EN = 40  # characters of an English one (Latin letters take about half the room of characters)
ECHO_LIMIT = 60  # characters of the user's own question a reply may quote back
NO_SOURCE = "还没有可以查看出处的回答。 (No answer with a source yet.)"
NO_SOURCE_EN = "No answer with a source yet: ask a question first."

_SENTENCE_END = re.compile(r"(?<=\n)|(?<=[。！？!?；;])|(?<=[.] )")
# split points, coarsest first: lines, sentences, clauses, words
_BOUNDARIES = (
    re.compile(r"(?<=\n)"),
    re.compile(r"(?<=[。！？!?；;])|(?<=[.] )"),
    re.compile(r"(?<=[，,、：:）)」”])|(?<= )"),
)
_DIGITS = re.compile(r"^[\d.,%]+$")
_ECHO = re.compile(r"“(.*?)”(?=的答案。|\.(?:\n|$))", re.DOTALL)  # the question quoted by not_found


def fit(text: str, limit: int = LIMIT) -> str:
    """Plain text cut to `limit` characters, with an ellipsis when cut (for one-line titles)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_within(text: str, budget: int) -> str:
    """`text` HTML-escaped, cut (with an ellipsis) so the escaped form is at most `budget` characters."""
    escaped = html.escape(text)
    if len(escaped) <= budget:
        return escaped
    out, used = [], 0
    for ch in text:
        piece = html.escape(ch)
        if used + len(piece) > budget - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def _size(text: str) -> int:
    return len(html.escape(text))


def split_plain(text: str, budget: int, level: int = 0) -> list[str]:
    """`text` in pieces whose escaped form fits `budget`, split at the coarsest boundary that works:
    line ends, then sentence ends, then clause marks, then (last resort) characters."""
    if _size(text) <= budget:
        return [text] if text else []
    if level >= len(_BOUNDARIES):
        out, cur = [], ""
        for ch in text:
            if cur and _size(cur + ch) > budget:
                out.append(cur)
                cur = ""
            cur += ch
        return out + ([cur] if cur else [])
    out, cur = [], ""
    for unit in (u for u in _BOUNDARIES[level].split(text) if u):
        if _size(unit) > budget:
            if cur:
                out.append(cur)
                cur = ""
            out += split_plain(unit, budget, level + 1)
        elif _size(cur + unit) > budget:
            out.append(cur)
            cur = unit
        else:
            cur += unit
    return out + ([cur] if cur else [])


def _atoms(text: str, budget: int) -> list[str]:
    """`text` as lines and sentences (the units a message may end after), each cut further only
    when it alone is longer than `budget`."""
    out = []
    for unit in _SENTENCE_END.split(text):
        if unit:
            out += [unit] if _size(unit) <= budget else split_plain(unit, budget, 2)
    return out


def html_messages(
    blocks: list[tuple[str, str]], limit: int = LIMIT, max_messages: int = MAX_MESSAGES
) -> list[str]:
    """(tag, text) pairs as HTML messages within `limit` each: tag "" is plain, "b"/"i" wrap the text.
    Blocks are joined by line breaks and packed into as few messages as they need, each message
    ending after a whole line or sentence, so no tag and no sentence is cut (unless one sentence
    alone is longer than a message). More than `max_messages` are cut, with an ellipsis."""
    messages: list[list[list]] = []  # per message: segments [block number, tag, text]
    cur: list[list] = []
    used = 0
    for n, (tag, text) in enumerate(blocks):
        wrap = len(tag) * 2 + 5 if tag else 0
        for atom in _atoms(text, limit - wrap):
            same = bool(cur) and cur[-1][0] == n  # the block goes on in this message: no new tags
            cost = _size(atom) + (0 if same else wrap + (1 if cur else 0))
            if cur and used + cost > limit:
                messages.append(cur)
                cur, used, cost = [], 0, wrap + _size(atom)
            if cur and cur[-1][0] == n:
                cur[-1][2] += atom
            else:
                cur.append([n, tag, atom])
            used += cost
    if cur:
        messages.append(cur)
    out = []
    for segments in messages[:max_messages]:
        parts = []
        for _, tag, text in segments:
            body = html.escape(text)
            parts.append(f"<{tag}>{body}</{tag}>" if tag else body)
        out.append("\n".join(parts).strip("\n") or "…")
    if len(messages) > max_messages and len(out[-1]) < limit:
        out[-1] += "…"
    return out or ["…"]


def text_messages(text: str, limit: int = LIMIT) -> list[str]:
    """Plain text as HTML messages (for /topics, /stats, the rebuild report)."""
    return html_messages([("", text)], limit)


def _answer_blocks(ans: Answer) -> list[tuple[str, str]]:
    """The first line of an answer in bold, and of each part of one stating several (parted by a blank
    line: 哪天开的，签了几个项目)."""
    parts = [p.partition("\n") for p in ans.text.split("\n\n")] if ans.found else []
    if len(parts) < 2 or not all(first and rest for first, _, rest in parts):
        first, _, rest = ans.text.partition("\n")
        return [("b" if ans.found else "", first)] + ([("", rest)] if rest else [])
    blocks: list[tuple[str, str]] = []
    for first, _, rest in parts:
        blocks += [("b", first), ("", rest + "\n")]  # the blank line between parts
    blocks[-1] = ("", blocks[-1][1][:-1])
    return blocks


def answer_messages(ans: Answer) -> list[str]:
    """The reply: the engine's text, escaped; the first line of an answer (the figure) in bold."""
    return html_messages(_answer_blocks(ans))


def answer_html(ans: Answer) -> str:
    """The reply as one message (cut if it must be): inline results and places that take one text."""
    return html_blocks(_answer_blocks(ans))


def html_blocks(blocks: list[tuple[str, str]], limit: int = LIMIT, sep: str = "\n") -> str:
    """(tag, text) pairs joined as HTML within `limit` in ONE message: later blocks are cut first;
    a block that no longer fits is left out."""
    out, used = [], 0
    for tag, text in blocks:
        wrap = (f"<{tag}>", f"</{tag}>") if tag else ("", "")
        room = limit - used - len(wrap[0]) - len(wrap[1]) - (len(sep) if out else 0)
        if room < 2:
            break
        body = escape_within(text, room)
        out.append(wrap[0] + body + wrap[1])
        used += len(out[-1]) + (len(sep) if len(out) > 1 else 0)
    return sep.join(out)


def card_html(ans: Answer) -> str:
    """An inline-mode fact card: the answer and, in italics, the article it comes from."""
    blocks = _answer_blocks(ans)
    return html_blocks(blocks + ([("i", ans.sources[0].article)] if ans.sources else []))


def source_messages(ans: Answer | None, lang: str = "zh") -> list[str]:
    """The full quotes and article titles of an answer, for /source."""
    if not ans or not ans.sources:
        return [html.escape(NO_SOURCE_EN if lang == "en" else NO_SOURCE)]
    blocks: list[tuple[str, str]] = []
    for s in ans.sources:
        blocks += [("b", f"《{s.article}》"), ("", f"“{s.quote}”")]
    return html_messages(blocks)


def source_html(ans: Answer | None) -> str:
    """/source as one message."""
    if not ans or not ans.sources:
        return NO_SOURCE
    blocks: list[tuple[str, str]] = []
    for s in ans.sources:
        blocks += [("b", f"《{s.article}》"), ("", f"“{s.quote}”")]
    return html_blocks(blocks)


def clip_echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """A reply that quotes the user's question (“…”) quotes at most `limit` characters of it."""

    def clip(m: re.Match) -> str:
        inner = m.group(1)
        return m.group(0) if len(inner) <= limit else f"“{inner[: limit - 1].rstrip()}…”"

    return _ECHO.sub(clip, text, count=1)


def button_label(label: str, limit: int | None = None, lang: str = "zh") -> str:
    """A button label of at most `limit` characters (LABEL_LIMIT, LABEL_LIMIT_EN in English), cut after
    a whole word (a figure keeps its unit: "20个" is never split) with an ellipsis when cut. English is
    cut at spaces, so "(78个)" stays whole or goes."""
    limit = limit or (LABEL_LIMIT_EN if lang == "en" else LABEL_LIMIT)
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    if lang == "en" and " " in label:
        out = ""
        for word in label.split(" "):
            if len(out) + len(word) + 1 > limit - 1:
                break
            out = f"{out} {word}" if out else word
        out = out.rstrip(" ,;:(")
        if out:
            return out + "…"
    words: list[str] = []
    for token in jieba.lcut(label, HMM=False):
        if words and _DIGITS.match(words[-1]) and (len(token) == 1 or _DIGITS.match(token)):
            words[-1] += token  # 20 + 个, 1 + .18 + %: a figure and its unit are one word
        else:
            words.append(token)
    out = ""
    for word in words:
        if len(out) + len(word) > limit - 1:
            break
        out += word
    out = out.rstrip(' ，,、：:；;（(“"') or label[: limit - 1]
    return out + "…"
