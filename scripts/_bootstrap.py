"""Let `python scripts/x.py` work with any python: re-run under the project's .venv when the
dependencies are not importable here, and quieten jieba's start-up chatter."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_environment() -> None:
    try:
        # isort: off
        import kb  # noqa: F401 - first: it imports jieba the quick way (kb/__init__.py)
        import jieba  # noqa: F401

        # isort: on
        import rapidfuzz  # noqa: F401
        import sqlite_utils  # noqa: F401
    except ImportError:
        venv_python = ROOT / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        sys.exit("Dependencies are missing: run `make run` (or `make install`) first, see README.md.")
    import jieba

    jieba.setLogLevel(logging.WARNING)
