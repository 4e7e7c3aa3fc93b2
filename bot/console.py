"""Console chat on the same engine as the Telegram bot (used when no token is configured).
No telegram import here: it must work with nothing but the engine."""

from __future__ import annotations

import sys
from typing import TextIO

from engine import Answer, Engine

BANNER = (
    "Programme bot — console chat (no TELEGRAM_BOT_TOKEN set). Ask in Chinese or English; "
    "/source shows the full quote of the last answer, /topics what I cover, /help, /quit."
)


def _source_text(last: Answer | None) -> str:
    if not last or not last.sources:
        return "还没有可以查看出处的回答。 (No answer with a source yet.)"
    return "\n".join(f"《{s.article}》\n“{s.quote}”" for s in last.sources)


def chat(
    engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, session: str = "console"
) -> int:
    """Read questions line by line until end of input or /quit; print each reply."""
    interactive = stdin.isatty()
    if interactive:
        print(BANNER, file=stdout)
    last: Answer | None = None
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if text in ("/quit", "/exit", "quit", "exit"):
            return 0
        if text == "/source":
            print(_source_text(last), file=stdout)
        elif text == "/topics":
            topics = engine.topics()
            print("地区 Places: " + "、".join(topics["places"]), file=stdout)
            print("文章 Articles: " + "；".join(topics["subjects"]), file=stdout)
        elif text in ("/help", "/start"):
            print(engine.ask("帮助").text, file=stdout)
        elif text:
            ans = engine.ask(text, session=session)
            if ans.found:  # /source keeps showing the last answer that had one, as in Telegram
                last = ans
            print(ans.text, file=stdout)
            for i, alt in enumerate(ans.alternatives, start=1):
                print(f"  [{i}] {alt.label}", file=stdout)
        stdout.flush()
