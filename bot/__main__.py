"""`python -m bot`: the Telegram bot when TELEGRAM_BOT_TOKEN is set, else the console chat."""

from __future__ import annotations

import logging
import os
import sys

import jieba


def main() -> int:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=os.environ.get("LOG_LEVEL", "INFO")
    )
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from engine import Engine

    engine = Engine()
    if not os.environ.get("TELEGRAM_BOT_TOKEN"):
        from bot.console import chat

        return chat(engine)
    from bot.app import run

    return run(engine)


if __name__ == "__main__":
    sys.exit(main())
