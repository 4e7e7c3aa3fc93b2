"""The question log's confidence and weak questions, and the admins' labelled-questions file."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from engine.labels import LabelFile, candidates, fact_base_articles, label_id
from engine.questionlog import QuestionLog


def test_confidence_is_recorded_and_an_old_log_gains_the_column(tmp_path):
    path = tmp_path / "questions.db"
    conn = sqlite3.connect(path)  # a log written before confidence was recorded
    conn.execute(
        "create table questions (id integer primary key, ts float, chat text, text text, found integer,"
        " intent text, place text)"
    )
    conn.execute(
        "insert into questions (ts, chat, text, found, intent, place) values (1, 'c', '旧问题', 0, 'x', null)"
    )
    conn.execute(
        "insert into questions (ts, chat, text, found, intent, place) values (2, 'c', '旧答案', 1, 'x', null)"
    )
    conn.commit()
    conn.close()
    log = QuestionLog(path)
    log.record("c", "新问题", True, "how_many", "汝阳县", confidence=0.55)
    log.record("c", "有把握", True, "how_many", "汝阳县", confidence=0.95)
    log.record("c", "不带分数", False, "unknown", None)  # callers that do not pass it still work
    rows = sqlite3.connect(path).execute("select text, confidence from questions order by id").fetchall()
    assert rows == [
        ("旧问题", None),
        ("旧答案", None),
        ("新问题", 0.55),
        ("有把握", 0.95),
        ("不带分数", None),
    ]
    weak = {r["text"]: r for r in log.weak()}
    assert set(weak) == {"旧问题", "新问题", "不带分数"}  # an old answered row has no confidence to judge
    assert weak["新问题"]["found"] and weak["新问题"]["confidence"] == 0.55
    assert log.stats() == {"asked": 5, "answered": 3, "unanswered": 2}
    assert [r["text"] for r in log.unanswered()] == ["不带分数", "旧问题"]


def test_weak_questions_most_asked_first_with_records_kept_in_memory(tmp_path):
    log = QuestionLog(tmp_path / "q.db")
    for _ in range(3):
        log.record("a", "沁阳市贫困村有多少户", False, "how_many", "沁阳市", confidence=0.0)
    log.record("b", "汝阳县有多少所大学", False, "how_many", "汝阳县", confidence=0.0)
    log.record("b", "汝阳县有多少所大学", True, "how_many", "汝阳县", confidence=0.9)  # not weak
    log._pending.append((9e9, "c", "汝阳县有多少所大学", 0, "how_many", None, 0.0))  # not yet written
    log._pending.append((9e9, "c", "新的问题", 1, "how_many", None, 0.3))
    rows = log.weak()
    assert [(r["text"], r["times"]) for r in rows][:2] == [
        ("沁阳市贫困村有多少户", 3),
        ("汝阳县有多少所大学", 2),
    ]
    assert rows[-1]["text"] == "新的问题" and rows[-1]["confidence"] == 0.3
    assert log.weak(below=0.2)[-1]["text"] == "汝阳县有多少所大学"


def test_a_label_is_one_scorer_case_line_and_relabelling_replaces_it(tmp_path):
    labels = LabelFile(tmp_path / "training" / "admin.jsonl")
    assert labels.read() == []
    first = labels.record("沁阳市贫困村有多少个", "20个", "qinyang-2020-livelihood-projects.txt", 7)
    labels.record("汝阳县有多少所大学", None, "ignored.txt", 7)
    assert first["id"] == "admin-" + hashlib.sha1("沁阳市贫困村有多少个".encode()).hexdigest()[:12]
    lines = (tmp_path / "training" / "admin.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    case = json.loads(lines[0])
    assert set(case) == {"id", "q", "found", "expect", "forbid", "tags", "article", "labelled_by", "ts"}
    assert (
        case["found"] is True
        and case["expect"] == ["20个"]
        and case["forbid"] == []
        and case["tags"] == ["admin"]
    )
    assert case["article"] == "qinyang-2020-livelihood-projects.txt" and case["labelled_by"] == 7
    assert json.loads(lines[1]) | {"ts": None} == {
        "id": label_id("汝阳县有多少所大学"),
        "q": "汝阳县有多少所大学",
        "found": False,
        "expect": [],
        "forbid": [],
        "tags": ["admin"],
        "article": None,
        "labelled_by": 7,
        "ts": None,
    }
    labels.record("沁阳市贫困村有多少个", None, None, 8)  # changed mind: replaced in place, not appended
    rows = labels.read()
    assert [r["q"] for r in rows] == ["沁阳市贫困村有多少个", "汝阳县有多少所大学"]
    assert rows[0]["found"] is False and rows[0]["labelled_by"] == 8
    assert list((tmp_path / "training").iterdir()) == [tmp_path / "training" / "admin.jsonl"]  # no temp files


def test_a_hand_edited_line_that_is_not_json_is_kept(tmp_path):
    path = tmp_path / "admin.jsonl"
    path.write_text('{"id": "x-1", "q": "别的"}\nnot json, kept\n', encoding="utf-8")
    LabelFile(path).record("问题", "1个", None, 1)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (
        lines[:2] == ['{"id": "x-1", "q": "别的"}', "not json, kept"] and json.loads(lines[2])["q"] == "问题"
    )


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "admin.jsonl"
    labels = LabelFile(path)
    labels.record("问题", "1个", None, 1)
    before = path.read_bytes()

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr("engine.labels.os.replace", broken)
    with pytest.raises(OSError):
        labels.record("问题二", "2个", None, 1)
    assert path.read_bytes() == before and list(tmp_path.iterdir()) == [path]


def test_candidates_are_the_answer_and_its_alternatives_with_their_article_files(engine):
    ans, cands = candidates(engine, "汝阳县贫困村有多少个")
    assert ans.found and cands[0].value == ans.value == "78个"
    assert "4个" in [c.value for c in cands[1:]]  # the other reading the engine offers
    assert all(c.article == "luoyang-2020-ruyang-exit-reserve-pork-health.txt" for c in cands)
    ans, cands = candidates(engine, "沁阳市贫困村有多少户")  # not answered: the close topics' figures
    assert not ans.found and cands and all(c.value in c.quote and c.article for c in cands)
    assert all(len(c.label) <= 40 for c in cands)
    ans, cands = candidates(engine, "汝阳县有多少所大学")
    assert not ans.found and cands == []


def test_fact_base_articles_name_files_titles_newspapers_dates(built_db, tmp_path):
    arts = {a.file: a for a in fact_base_articles(built_db)}
    assert arts["qinxian-2021-poverty-review.txt"].newspaper == "长治日报"
    assert arts["qinxian-2021-poverty-review.txt"].date == "2021-03-01"
    assert fact_base_articles(tmp_path / "missing.db") == []


def test_candidates_take_an_alternatives_fact_by_its_key_when_the_engine_names_it(built_db):
    from types import SimpleNamespace

    from engine.types import Answer, Source

    src = Source("沁阳行动——民生事业篇", "20个贫困村全部摘帽退出。")

    class KeyedEngine:  # the engine's cards API: Alternative.key and Engine.card(key)
        db_path = built_db

        def ask(self, question, session=None):
            return Answer(
                False,
                "没有",
                "how_many",
                alternatives=[SimpleNamespace(label="沁阳市：20个贫困村", question="#s1", key="k1")],
            )

        def card(self, key, lang="zh"):
            return (
                Answer(True, "沁阳市：20个", "card", place="沁阳市", value="20个", sources=[src])
                if key == "k1"
                else None
            )

    _, cands = candidates(KeyedEngine(), "沁阳市贫困村有多少个")
    assert [(c.label, c.value, c.article) for c in cands] == [
        ("沁阳市 20个", "20个", "qinyang-2020-livelihood-projects.txt")
    ]
