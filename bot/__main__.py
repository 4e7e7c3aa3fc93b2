"""`python -m bot`: the Telegram bot when TELEGRAM_BOT_TOKEN is set, else the console chat.
The settings are checked first: a bad one prints one line on stderr and exits 2."""

from __future__ import annotations

import logging
import sys

from bot.config import USAGE, ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help", "help") for a in args):
        print(USAGE, end="")
        return 0
    if args:
        print(
            f"python -m bot: unexpected argument {args[0]!r} (settings come from the environment; see --help)",
            file=sys.stderr,
        )
        return 2
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"python -m bot: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=settings.log_level)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from engine import Engine

    if settings.token:
        from bot.app import freeze_libraries

        freeze_libraries()
    engine = Engine()
    if not settings.token:
        from bot.console import chat

        return chat(engine)
    from bot.app import run

    return run(engine, settings)


if __name__ == "__main__":
    sys.exit(main())
