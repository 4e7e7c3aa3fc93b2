"""The admin's rebuild from inside the bot: run scripts/build_kb.py (the very command admins run)
in a child process, so a crash or the build's memory never touches the serving bot, then load it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from engine import Engine

BUILD_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_kb.py"
BUILD_TIMEOUT = 600.0  # seconds


async def rebuild(engine: Engine, timeout: float = BUILD_TIMEOUT) -> tuple[bool, str]:
    """Rebuild the engine's fact base from its articles folder and load it: (ok, report for the admin)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(BUILD_SCRIPT),
        "--articles",
        str(engine.articles_dir),
        "--db",
        str(engine.db_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return False, f"Build stopped after {timeout:.0f}s; the previous fact base keeps serving."
    report = out.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return (
            False,
            report or f"Build failed (exit {proc.returncode}); the previous fact base keeps serving.",
        )
    await asyncio.to_thread(engine.reload)
    if engine.last_error:
        return False, f"{report}\n{engine.last_error}"
    return True, report
