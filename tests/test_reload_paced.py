"""A reload in a serving bot: paced (kb/pace.py), warmed before the swap, reusing the tokenizer when the
places are the same, and freeing the old fact base by reference counting. Behaviour only: how long it
takes is what scripts/bench_load.py --mode reload measures."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import weakref

import pytest

from bot import admin
from engine import Engine
from engine.index import KnowledgeIndex
from kb import pace, store, tokens

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


class _Clock:
    """perf_counter and sleep for kb.pace: each reading of the clock moves it on by `step` seconds."""

    def __init__(self, step: float):
        self.now, self.step, self.sleeps = 0.0, step, []

    def perf_counter(self) -> float:
        self.now += self.step
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_unpaced_marks_do_nothing():
    items = [1, 2, 3]
    assert not pace.active()
    assert pace.steps(items) is items  # the iterable itself: no cost outside a paced load
    pace.point()


def test_a_paced_thread_sleeps_after_each_slice(monkeypatch):
    clock = _Clock(step=0.002)
    monkeypatch.setattr(pace, "time", clock)
    with pace.paced(share=0.25, slice_s=0.001) as pacer:
        assert pace.active()
        assert list(pace.steps(range(10 * pace.EVERY))) == list(range(10 * pace.EVERY))
    assert not pace.active()
    # a point every EVERY items, each past the 1 ms slice: every one sleeps three times the slice, so the
    # paced thread holds a quarter of the time
    assert clock.sleeps == [pytest.approx(0.003)] * 10 and pacer.pauses == 10
    monkeypatch.setattr(pace, "time", _Clock(step=0.0001))
    with pace.paced(share=0.25, slice_s=0.001) as pacer:
        list(pace.steps(range(5 * pace.EVERY)))
    assert pacer.pauses == 0  # five points 0.1 ms apart: all within the slice, none sleeps


def test_pacing_is_per_thread_and_nests(monkeypatch):
    import threading

    seen = []
    with pace.paced(share=0.5):
        worker = threading.Thread(target=lambda: seen.append(pace.active()))
        worker.start()
        worker.join()
        with pace.paced(share=0.1):
            assert pace.active()
        assert pace.active()
    assert seen == [False] and not pace.active()
    with pytest.raises(ValueError):
        pace.Pacer(share=0)


def test_a_paced_load_reads_the_same_fact_base(built_db, monkeypatch):
    plain_tables, plain_grams = store.read_index(built_db)
    plain_freq = tokens.fresh().FREQ
    monkeypatch.setattr(pace, "time", _Clock(step=0.002))  # every point pauses, without waiting
    with pace.paced(share=0.25, slice_s=0.001) as pacer:
        tables, grams = store.read_index(built_db)
        freq = tokens.fresh().FREQ
        index = KnowledgeIndex(built_db)
    assert pacer.pauses > 0
    assert tables == plain_tables and grams == plain_grams
    assert list(freq.items()) == list(plain_freq.items())  # the same words in the same order
    plain = KnowledgeIndex(built_db)
    assert index.sentences == plain.sentences and index.facts == plain.facts
    assert index.places == plain.places and index.terms == plain.terms


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


def test_the_new_fact_base_is_warmed_before_it_serves(serving, built_db):
    serving.ask(Q, session="chat")
    before = serving._sessions["chat"]
    _swap_in_copy(built_db, serving.db_path)
    seen = []
    ask = serving._ask

    def noting(state, question, session, trace):  # which generation each warm-up question is asked on
        seen.append((question, state is serving._state, session))
        return ask(state, question, session, trace)

    serving._ask = noting
    warm = (*admin.WARM_UP, "那沁阳呢")  # a follow-up too: no session, so it follows nothing up
    assert serving.reload(warm_up=warm) is True
    assert seen == [(q, False, None) for q in warm]  # on the new fact base, before it served
    assert "_all_sounds" in vars(serving._state.parser.typos)  # built by the warm-up, not by a user
    assert serving._sessions["chat"] is before  # nobody's follow-up context changed
    del serving._ask
    assert serving.ask(Q).value == "5155人"


def test_a_warm_up_that_fails_keeps_the_old_fact_base(serving, built_db):
    old = serving._state
    _swap_in_copy(built_db, serving.db_path)
    ask = serving._ask

    def failing(state, question, session, trace):
        if state is not old:
            raise RuntimeError("broken new fact base")
        return ask(state, question, session, trace)

    serving._ask = failing
    assert serving.reload(warm_up=[Q]) is False
    assert serving._state is old and "broken new fact base" in serving.last_error
    assert serving.ask(Q).value == "5155人"


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


def test_reload_quietly_paces_the_load_and_restores_the_interpreter(serving, built_db):
    threshold, switch = gc.get_threshold(), sys.getswitchinterval()
    inside = {}
    reload = serving.reload

    def noting(warm_up=()):
        inside.update(
            paced=pace.active(),
            warm_up=tuple(warm_up),
            threshold=gc.get_threshold(),
            switch=sys.getswitchinterval(),
        )
        return reload(warm_up=warm_up)

    serving.reload = noting
    _swap_in_copy(built_db, serving.db_path)
    assert admin.reload_quietly(serving) is True
    assert inside["paced"] and inside["warm_up"] == admin.WARM_UP
    assert inside["threshold"] == (*threshold[:2], admin.NO_FULL_COLLECTION)  # young ones still collected
    assert inside["switch"] == min(admin.SWITCH_INTERVAL, switch)
    assert gc.get_threshold() == threshold and sys.getswitchinterval() == switch and not pace.active()
    assert serving.ask(Q).value == "5155人"


def test_a_failed_paced_reload_keeps_the_old_base(serving):
    serving.db_path.write_bytes(serving.db_path.read_bytes()[:4096])
    assert admin.reload_quietly(serving) is False and serving.last_error
    assert serving.ask(Q).value == "5155人"
