"""Engine answers as Telegram HTML: escaped, under the 4096-character limit."""

from __future__ import annotations

import html

from engine import Answer

LIMIT = 4096


def fit(text: str, limit: int = LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_html(ans: Answer) -> str:
    """The reply: the engine's text, escaped, first line (the figure) in bold."""
    first, _, rest = ans.text.partition("\n")
    body = f"<b>{html.escape(first)}</b>" + (f"\n{html.escape(rest)}" if rest else "")
    return fit(body)


def source_html(ans: Answer | None) -> str:
    if not ans or not ans.sources:
        return "还没有可以查看出处的回答。 (No answer with a source yet.)"
    return fit("\n\n".join(f"<b>《{html.escape(s.article)}》</b>\n“{html.escape(s.quote)}”" for s in ans.sources))
