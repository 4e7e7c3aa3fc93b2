"""The admin's rebuild from inside the bot: run scripts/build_kb.py (the very command admins run)
in a child process, so a crash or the build's memory never touches the serving bot and the event
loop never waits for it, then load it on a worker thread, paced (reload_quietly). The child runs at a
lower CPU priority (nice 19), so on a small machine the build yields to the answering."""

from __future__ import annotations

import asyncio
import gc
import shutil
import sys
import threading
from pathlib import Path

from engine import Engine
from kb import pace

BUILD_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_kb.py"
BUILD_TIMEOUT = 600.0  # seconds
NICE = ["nice", "-n", "19"] if shutil.which("nice") else []
_gc_lock = threading.Lock()
_gc_paused = 0
_saved: dict[str, object] = {}


# asked on a freshly loaded fact base before it is swapped in, so that the tables the engine builds on first
# use (the typo fixer's table of sounds, the gazetteer, English words) are built by the reloading thread, not
# on a user's question
WARM_UP = (
    "汝阳县还有多少贫困人口没有脱贫？",
    "明天洛阳下雨吗",
    "How many poor villages does Ruyang have?",
    "今天是星期几",
)
SWITCH_INTERVAL = 0.0005  # seconds a thread holds the GIL before another may take it, while loading
LOAD_SHARE = 0.25  # of the interpreter (the GIL) at most for the loading thread (kb/pace.py)
NO_FULL_COLLECTION = 1 << 30  # gc threshold of the oldest generation while loading


def reload_quietly(engine: Engine) -> bool:
    """engine.reload() (on a worker thread) so that the other chats hardly notice it.

    Loading a fact base is pure Python holding the GIL, and on a busy 2-core machine the bot runs near
    its capacity: whatever the load takes of the interpreter, the replies in flight wait for. So:

    - the load is paced (kb/pace.py): it sleeps three milliseconds after every millisecond of work,
      holding at most LOAD_SHARE of the interpreter, so it takes two to four times as long (0.2-0.5 s of
      wall time with the shipped articles under scripts/bench_load.py's load, about 0.1 s of CPU) while
      the old fact base goes on answering;
    - the new fact base is asked WARM_UP before it is swapped in (engine.reload's warm_up);
    - no full collection of the cyclic garbage collector while loading (each walks every object with the
      GIL held: 0.4 s at 100 articles); the young generations are still collected, a few hundred
      objects at a time, so none is left to collect at once afterwards (the one full collection that
      then follows, as one does every so often anyway, walks the new fact base once);
    - the GIL switch interval is 0.5 ms, so a thread that wakes up (a reply arrived) waits at most that
      long for the loading thread to let go.

    Work is also saved: the pinyin of words is remembered across loads (kb/sounds.py), the gazetteer table
    (engine/hierarchy.py) and the taught tokenizer (engine/query.py) are reused when unchanged, and the old
    fact base is freed by reference counting (engine/index.py holds no cycle)."""
    global _gc_paused
    with _gc_lock:
        if _gc_paused == 0:
            _saved["threshold"], _saved["switch"] = gc.get_threshold(), sys.getswitchinterval()
        _gc_paused += 1
        gc.set_threshold(*_saved["threshold"][:2], NO_FULL_COLLECTION)
        sys.setswitchinterval(min(SWITCH_INTERVAL, _saved["switch"]))
    try:
        with pace.paced(LOAD_SHARE):
            return engine.reload(warm_up=WARM_UP)
    finally:
        with _gc_lock:
            _gc_paused -= 1
            if _gc_paused == 0:
                sys.setswitchinterval(_saved["switch"])
                gc.set_threshold(*_saved["threshold"])


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
