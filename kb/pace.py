"""Pauses for a long computation that shares its process with others.

A serving bot loads a rebuilt fact base on a worker thread while its other threads go on answering. The
load is pure Python holding the GIL, so left alone it takes about half of the interpreter for as long as it
runs, and every reply in flight meanwhile waits for it again and again. Under `paced(share)` the loading
code, at the points it marks (`steps`, `point`), sleeps after each slice of `slice_s` seconds so that it
holds at most about `share` of the time: the same work, spread over longer, the rest of the process
keeping most of the interpreter. Anywhere else (scripts, builds, a bot's first load, tests) nothing is
paced and the marks cost nothing (`steps` hands back its iterable itself).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

_local = threading.local()
EVERY = 256  # items between two pause points in `steps` (about 0.1-1 ms of a load's loops)


class Pacer:
    """The pauses of one paced computation: after `slice_s` seconds (wall clock) since the last pause, the
    next pause point sleeps `slice_s * (1 - share) / share`."""

    def __init__(self, share: float = 0.25, slice_s: float = 0.001):
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        self.slice = slice_s
        self.pause = slice_s * (1 - share) / share
        self.pauses = 0  # how many times it slept, and for how long in all (for figures)
        self.slept = 0.0
        self._since = time.perf_counter()

    def point(self) -> None:
        now = time.perf_counter()
        if now - self._since < self.slice or not self.pause:
            return
        time.sleep(self.pause)
        self._since = time.perf_counter()
        self.pauses += 1
        self.slept += self._since - now


@contextmanager
def paced(share: float = 0.25, slice_s: float = 0.001) -> Iterator[Pacer]:
    """Pace the pause points this thread reaches inside the block (see the module docstring)."""
    previous = getattr(_local, "pacer", None)
    _local.pacer = pacer = Pacer(share, slice_s)
    try:
        yield pacer
    finally:
        _local.pacer = previous


def active() -> bool:
    """Whether this thread is paced now."""
    return getattr(_local, "pacer", None) is not None


def point() -> None:
    """A place where a paced computation may pause (nothing happens when it is not paced)."""
    pacer = getattr(_local, "pacer", None)
    if pacer is not None:
        pacer.point()


def steps(items: Iterable, every: int = EVERY) -> Iterable:
    """`items`, with a pause point every `every` of them when this thread is paced; else `items` itself."""
    pacer = getattr(_local, "pacer", None)
    return items if pacer is None else _stepped(items, every, pacer)


def _stepped(items: Iterable, every: int, pacer: Pacer) -> Iterator:
    n = 0
    for item in items:
        yield item
        n += 1
        if n == every:
            n = 0
            pacer.point()
