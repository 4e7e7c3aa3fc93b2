"""The admin's rebuild from inside the bot: run scripts/build_kb.py (the very command admins run)
in a child process, so a crash or the build's memory never touches the serving bot and the event
loop never waits for it, then load it on a worker thread. The child runs at a lower CPU priority
(nice 19), so on a small machine the build yields to the answering."""

from __future__ import annotations

import asyncio
import gc
import shutil
import sys
import threading
from pathlib import Path

from engine import Engine

BUILD_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_kb.py"
BUILD_TIMEOUT = 600.0  # seconds
NICE = ["nice", "-n", "19"] if shutil.which("nice") else []
_gc_lock = threading.Lock()
_gc_paused = 0
_saved: dict[str, object] = {}


# asked once on a freshly loaded fact base, so that the tables the engine builds on first use (the
# pinyin table for typo repair, English words) are built by the reloading thread, not on a user's question
WARM_UP = (
    "汝阳县还有多少贫困人口没有脱贫？",
    "明天洛阳下雨吗",
    "How many poor villages does Ruyang have?",
    "今天是星期几",
)
SWITCH_INTERVAL = 0.0005  # seconds a thread holds the GIL before another may take it, while loading


def reload_quietly(engine: Engine) -> bool:
    """engine.reload() (on a worker thread) so that the event loop hardly notices it.

    Loading a fact base is pure Python holding the GIL. Two things would stall the loop meanwhile:
    every full collection of the cyclic garbage collector the load triggers walks all objects with
    the GIL held (at 100 articles about 0.4 s each), and every time the loop wakes up (a reply
    arrived, a thread finished) it waits up to the GIL switch interval (5 ms) for the loading thread
    to let go, many times per message. So the collector is paused during the load (reference
    counting still frees memory; it catches up afterwards) and the switch interval is 0.5 ms. A new
    fact base is asked WARM_UP before this returns.

    What matters most is how much computing this is, not how it is spread: with the bot near its
    capacity on a busy 2-core machine, any extra CPU makes a queue the next replies wait in. So the
    load reuses what the previous one made (the pinyin of words, kb/sounds.py; the gazetteer table,
    engine/hierarchy.py): about 0.12 s of CPU with the shipped articles, from 0.3-0.5 s. (Pacing this
    thread instead, a sleep every 2 ms through sys.setprofile, doubled its CPU and made the queue worse.)"""
    global _gc_paused
    with _gc_lock:
        if _gc_paused == 0:
            _saved["gc"], _saved["switch"] = gc.isenabled(), sys.getswitchinterval()
        _gc_paused += 1
        gc.disable()
        sys.setswitchinterval(min(SWITCH_INTERVAL, _saved["switch"]))
    try:
        changed = engine.reload()
        if changed:  # what the first questions on a new fact base build lazily, built now by this thread
            for q in WARM_UP:
                engine.ask(q)
        return changed
    finally:
        with _gc_lock:
            _gc_paused -= 1
            if _gc_paused == 0:
                sys.setswitchinterval(_saved["switch"])
                if _saved["gc"]:
                    gc.enable()


async def rebuild(engine: Engine, timeout: float = BUILD_TIMEOUT) -> tuple[bool, str]:
    """Rebuild the engine's fact base from its articles folder and load it: (ok, report for the admin)."""
    proc = await asyncio.create_subprocess_exec(
        *NICE,
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
    await asyncio.to_thread(reload_quietly, engine)
    if engine.last_error:
        return False, f"{report}\n{engine.last_error}"
    return True, report
