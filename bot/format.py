"""Engine answers as Telegram HTML: escaped, under the 4096-character limit, tags never cut."""

from __future__ import annotations

import html

from engine import Answer

LIMIT = 4096
NO_SOURCE = "还没有可以查看出处的回答。 (No answer with a source yet.)"


def fit(text: str, limit: int = LIMIT) -> str:
    """Plain text cut to `limit` characters, with an ellipsis when cut."""
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


def html_blocks(blocks: list[tuple[str, str]], limit: int = LIMIT, sep: str = "\n") -> str:
    """(tag, text) pairs joined as HTML within `limit`: tag "" is plain, "b"/"i" wrap the text.
    Later blocks are cut first; a block that no longer fits is left out."""
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


def answer_html(ans: Answer) -> str:
    """The reply: the engine's text, escaped; the first line of an answer (the figure) in bold."""
    first, _, rest = ans.text.partition("\n")
    return html_blocks([("b" if ans.found else "", first)] + ([("", rest)] if rest else []))


def card_html(ans: Answer) -> str:
    """An inline-mode fact card: the answer and, in italics, the article it comes from."""
    first, _, rest = ans.text.partition("\n")
    blocks = [("b", first)] + ([("", rest)] if rest else [])
    return html_blocks(blocks + ([("i", ans.sources[0].article)] if ans.sources else []))


def source_html(ans: Answer | None) -> str:
    """The full quotes and article titles of an answer, for /source."""
    if not ans or not ans.sources:
        return NO_SOURCE
    blocks: list[tuple[str, str]] = []
    for s in ans.sources:
        blocks += [("b", f"《{s.article}》"), ("", f"“{s.quote}”")]
    return html_blocks(blocks)
