"""Admins edit articles and rebuild; a failed rebuild never takes the serving fact base away."""

import pytest

from engine import Engine
from engine.core import build
from kb import store

RUYANG = "luoyang-2020-ruyang-exit-reserve-pork-health.txt"


def test_editing_an_article_changes_the_answer(tmp_path, articles_copy):
    db = tmp_path / "facts.db"
    engine = Engine(db, articles_dir=articles_copy)
    assert engine.ask("汝阳县未脱贫人口有多少").value == "5155人"
    path = articles_copy / RUYANG
    path.write_text(
        path.read_text(encoding="utf-8").replace("2207 户 5155 人", "2207 户 6001 人"), encoding="utf-8"
    )
    report = engine.rebuild()
    assert report.ok and RUYANG in report.changed_articles and report.added_facts >= 1
    assert engine.ask("汝阳县未脱贫人口有多少").value == "6001人"


def test_a_new_article_about_a_new_county_is_answerable(tmp_path, articles_copy):
    (articles_copy / "lankao-2020-test.txt").write_text(
        "兰考县脱贫攻坚综述\n\n兰考县总面积1116平方公里。兰考县共有贫困村115个，"
        "兰考县驻村第一书记345名。兰考县贫困发生率降至1.27%。\n",
        encoding="utf-8",
    )
    engine = Engine(tmp_path / "facts.db", articles_dir=articles_copy)
    assert engine.ask("兰考县有多少个贫困村").value == "115个"
    assert engine.ask("How many first secretaries does Lankao have?").value == "345 first secretaries (345名)"
    assert (
        not engine.ask("沁阳有多少名驻村第一书记").found
        or "345" not in engine.ask("沁阳有多少名驻村第一书记").text
    )


def test_broken_new_files_are_rejected_with_a_reason(tmp_path, articles_copy):
    (articles_copy / "broken.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    (articles_copy / "empty.txt").write_text("", encoding="utf-8")
    report = build(articles_copy, tmp_path / "facts.db")
    assert report.ok and report.articles == 5
    broken, empty = sorted(report.rejected)
    assert broken.startswith("broken.txt: binary data, not text") and empty == "empty.txt: empty file"


def test_failed_rebuild_keeps_the_old_base_serving(tmp_path, articles_copy):
    db = tmp_path / "facts.db"
    engine = Engine(db, articles_dir=articles_copy)
    before = db.read_bytes()
    for f in articles_copy.glob("*.txt"):
        f.unlink()
    report = engine.rebuild()
    assert not report.ok and "no readable articles" in report.error
    assert db.read_bytes() == before
    assert engine.ask("汝阳县未脱贫人口有多少").value == "5155人"
    assert not list(tmp_path.glob(".facts.db.building-*"))


def test_reload_ignores_a_truncated_file(tmp_path, built_db):
    db = tmp_path / "facts.db"
    db.write_bytes(built_db.read_bytes())
    engine = Engine(db)
    db.write_bytes(db.read_bytes()[:4096])
    assert engine.reload() is False and engine.last_error
    assert engine.ask("沁县有多少名驻村第一书记").value == "179名"
    with pytest.raises(ValueError):
        store.check(db)


def test_reload_picks_up_a_file_rebuilt_by_the_script(tmp_path, articles_copy):
    db = tmp_path / "facts.db"
    serving = Engine(db, articles_dir=articles_copy)
    path = articles_copy / RUYANG
    path.write_text(path.read_text(encoding="utf-8").replace("1.18%", "0.99%"), encoding="utf-8")
    assert build(articles_copy, db).ok  # what scripts/build_kb.py does, from another process
    assert serving.reload() is True
    assert serving.ask("汝阳县贫困发生率").value == "0.99%"
