"""A reload in a serving bot: the tokenizer reused when the places are the same, the old fact base freed by
reference counting. Behaviour only: how long a reload takes is what scripts/bench_load.py --mode reload
measures."""

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


def test_the_tokenizer_is_reused_only_for_the_same_places(tmp_path, articles_copy):
    db = tmp_path / "facts.db"
    engine = Engine(db, articles_dir=articles_copy)
    first = engine._state.parser.tokenizer
    _swap_in_copy(db, db)
    assert engine.reload() is True
    assert engine._state.parser.tokenizer is first  # the same words taught: shared, not copied again
    (articles_copy / "lankao-2020-test.txt").write_text(
        "兰考县脱贫攻坚综述\n\n兰考县共有贫困村115个，兰考县驻村第一书记345名。\n", encoding="utf-8"
    )
    assert engine.rebuild().ok
    taught = engine._state.parser.tokenizer
    assert taught is not first and taught.FREQ["兰考县"] == 3000 and first.FREQ.get("兰考县") != 3000
    assert engine.ask("兰考县有多少个贫困村").value == "115个"
