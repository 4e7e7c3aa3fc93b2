"""Fact cards: the key of a "did you mean" choice names the fact itself, so it survives rebuilds that
renumber every sentence, and a fact that is gone is reported as gone (None), never another one."""

import re
import shutil
from pathlib import Path

from engine import Engine
from engine.cards import fact_key

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "tests" / "data" / "unseen" / "articles"
RUYANG = "luoyang-2020-ruyang-exit-reserve-pork-health.txt"


def test_key_is_a_short_content_hash():
    key = fact_key("a.txt", "汝阳县有78个贫困村。", "78个")
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert key == fact_key("a.txt", "汝阳县有78个贫困村。", "78个")
    assert key != fact_key("b.txt", "汝阳县有78个贫困村。", "78个")
    assert key != fact_key("a.txt", "汝阳县有78个贫困村。", "78")


def test_every_choice_has_a_key_and_its_card_is_that_figure(engine):
    ans = engine.ask("汝阳县贫困村有多少个")
    (alt,) = ans.alternatives
    card = engine.card(alt.key)
    assert card.found and card.value == "4个" and card.place == "汝阳县"
    assert card.text.startswith("汝阳县") and "原文：“如期实现4个贫困村退出”" in card.text
    assert "来源：《洛阳·县区" in card.text
    english = engine.card(alt.key, "en")
    assert english.lang == "en" and "Quote:" in english.text and "Ruyang" in english.text
    assert english.value == "4 poor villages (4个)" and "4 poor villages (4个)" in english.text
    for alt in engine.ask("沁阳市贫困村有多少户").alternatives:  # close topics when nothing is found
        assert alt.key and engine.card(alt.key).place == "沁阳市"
    assert engine.card("0" * 16) is None and engine.card("") is None


def test_the_key_survives_a_rebuild_that_renumbers_and_a_changed_fact_is_gone(tmp_path, articles_copy):
    engine = Engine(tmp_path / "facts.db", articles_dir=articles_copy)
    alt = engine.ask("汝阳县贫困村有多少个").alternatives[0]
    before = engine.card(alt.key)
    # an article whose file sorts first: every later sentence gets a new id
    shutil.copy(UNSEEN / "anyang-2021-livelihood-projects.txt", articles_copy / "aa-anyang.txt")
    assert engine.rebuild().ok
    assert engine.ask("汝阳县贫困村有多少个").alternatives[0].question != alt.question  # renumbered
    assert engine.card(alt.key) == before
    path = articles_copy / RUYANG
    path.write_text(path.read_text(encoding="utf-8").replace("4 个贫困村退出", "5 个贫困村退出"), "utf-8")
    assert "5 个贫困村退出" in path.read_text(encoding="utf-8")
    assert engine.rebuild().ok
    assert engine.card(alt.key) is None


def test_fork_session_copies_the_follow_up_context(engine):
    engine.ask("沁阳市有多少个消费扶贫小菜园", session="fork-a")
    assert engine.fork_session("fork-a", "fork-b")
    engine.ask("焦作市有多少贫困村", session="fork-a")  # a moves on; b stays where a stood
    assert "179个" in engine.ask("那沁县呢", session="fork-a").text  # a: 沁县's poor villages
    b = engine.ask("那沁县呢", session="fork-b")  # b: 沁县's vegetable gardens (the articles have none)
    assert b.intent == "wrong_place" and not b.found and "沁县" in b.text
    assert not engine.fork_session("fork-none", "fork-b")  # no context to copy: b forgets its own
    assert engine.ask("那沁县呢", session="fork-b").intent == "unknown"
