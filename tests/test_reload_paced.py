"""A reload in a serving bot frees the old fact base by reference counting. Behaviour only: how long a
reload takes is what scripts/bench_load.py --mode reload measures."""

from __future__ import annotations

import gc
import os
import shutil
import weakref

import pytest

from engine import Engine

Q = "汝阳县未脱贫人口有多少"


def _swap_in_copy(src, db) -> None:
    """The same fact base under a new inode, as a rebuild leaves it."""
    shutil.copy(src, f"{db}.new")
    os.replace(f"{db}.new", db)


@pytest.fixture
def serving(tmp_path, built_db) -> Engine:
    db = tmp_path / "facts.db"
    shutil.copy(built_db, db)
    return Engine(db)


def test_a_replaced_fact_base_is_freed_without_the_garbage_collector(serving, built_db):
    assert serving.ask(Q).value == "5155人"
    old = weakref.ref(serving._state.index)
    was = gc.isenabled()
    gc.disable()
    try:
        _swap_in_copy(built_db, serving.db_path)
        assert serving.reload() is True
        assert old() is None  # freed by reference counting: no full collection needs to walk it
    finally:
        if was:
            gc.enable()
