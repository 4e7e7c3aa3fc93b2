"""A build that refuses to lose data (issue 9, point 1).

An article already in the fact base that becomes unreadable (truncated mid-character, random bytes, bad
encoding, random characters) or loses most of its facts fails the build: exit 1, the file and the reason
named, the old fact base serving. Deleting a file removes its article and the report says what went;
--allow-removal lets an article shrink or be dropped. New files that are no article are rejected with a
reason while the others build.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import intents
from engine import Engine
from engine.core import build, validate
from kb.intake import not_an_article, word_share

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "kb" / "articles"
RUYANG = "luoyang-2020-ruyang-exit-reserve-pork-health.txt"
QINXIAN = "qinxian-2021-poverty-review.txt"
Q, OLD = "汝阳县未脱贫人口有多少", "5155人"


@pytest.fixture
def site(tmp_path, built_db, articles_copy) -> tuple[Path, Path]:
    """An articles folder and the fact base built from it, as an admin has them."""
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    return articles_copy, db


def random_chinese(n: int, seed: int = 7) -> str:
    """Characters drawn with the frequencies of the shipped articles, with punctuation and figures: looks
    like Chinese text, holds no sentence."""
    rnd = random.Random(seed)
    chars = [c for c in (ARTICLES / RUYANG).read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"]
    out = []
    for i in range(n):
        out.append(rnd.choice(chars))
        if i % 23 == 22:
            out.append(f"{rnd.randrange(10, 999)}个。")
    return "".join(out)


def refused(report, name: str, reason: str) -> None:
    assert report.ok is False
    assert "refused to lose data" in report.error and name in report.error and reason in report.error, (
        report.error
    )
    assert report.summary().startswith("Build failed, the previous fact base keeps serving")


def _truncate_mid_character(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:3000])  # 3000 is inside a three-byte character of this file


def _truncate_at_a_character(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 5], encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(path.stat().st_size))


def _random_chinese(path: Path) -> None:
    path.write_text(random_chinese(3000), encoding="utf-8")


def _mojibake(path: Path) -> None:  # UTF-8 bytes read as Latin-1 by some editor and saved again as UTF-8
    path.write_text(path.read_bytes().decode("latin-1"), encoding="utf-8")


def _bad_bytes(path: Path) -> None:  # a stray byte no encoding reads, in the middle of the text
    raw = path.read_bytes()
    path.write_bytes(raw[:2000] + b"\xff\xfe\xfd" + raw[2000:])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        pytest.param(_truncate_mid_character, "the file looks truncated", id="truncated-mid-character"),
        pytest.param(_truncate_at_a_character, "would lose", id="truncated-at-a-character"),
        pytest.param(_random_bytes, "binary data, not text", id="random-bytes"),
        pytest.param(_random_chinese, "random characters", id="random-chinese"),
        pytest.param(_mojibake, "mojibake", id="mojibake"),
        pytest.param(_bad_bytes, "bad encoding: not UTF-8 (byte 0xff at 2000)", id="bad-encoding"),
    ],
)
def test_a_damaged_article_fails_the_build_and_the_old_base_keeps_serving(site, damage, reason):
    articles, db = site
    before = db.read_bytes()
    damage(articles / RUYANG)
    report = build(articles, db)
    refused(report, RUYANG, reason)
    assert db.read_bytes() == before
    assert Engine(db).ask(Q).value == OLD


def test_the_build_script_exits_1_naming_the_file_and_allow_removal_drops_it(site):
    articles, db = site
    _truncate_mid_character(articles / RUYANG)
    script = [
        sys.executable,
        str(ROOT / "scripts" / "build_kb.py"),
        "--articles",
        str(articles),
        "--db",
        str(db),
    ]
    run = subprocess.run(script, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert RUYANG in run.stdout and "ends in the middle of a character" in run.stdout
    run = subprocess.run([*script, "--allow-removal"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Articles removed: {RUYANG}" in run.stdout
    assert f"{RUYANG} dropped from the fact base (allowed removal)" in run.stdout
    assert "no article left about" in run.stdout and "汝阳县" in run.stdout
    assert not Engine(db).ask(Q).found


def test_allow_removal_lets_an_article_shrink(site):
    articles, db = site
    _truncate_at_a_character(articles / RUYANG)
    assert not build(articles, db).ok
    report = build(articles, db, allow_removal=True)
    assert report.ok, report.summary()
    assert RUYANG in report.changed_articles and report.removed_facts > 50
    assert any("would lose" in w and "(allowed removal)" in w for w in report.warnings)


def test_a_small_edit_is_no_loss(site):
    articles, db = site
    path = articles / RUYANG
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: int(len(text) * 0.9)], encoding="utf-8")  # the last tenth cut on purpose
    report = build(articles, db)
    assert report.ok, report.summary()
    assert report.removed_facts > 0 and RUYANG in report.changed_articles


def test_deleting_a_file_removes_its_article_and_says_what_went(site):
    articles, db = site
    (articles / QINXIAN).unlink()
    report = build(articles, db)
    assert report.ok, report.summary()  # the golden question about 沁县 is skipped: removed on purpose
    assert report.removed_articles == [QINXIAN]
    (note,) = report.removal_notes
    assert note.startswith(f"{QINXIAN}: ") and "facts; no article left about" in note and "沁县" in note
    assert "沁阳市" not in note  # still covered by its own article
    assert f"removed {note}" in report.summary()
    assert not Engine(db).ask("沁县有多少名驻村第一书记").found


def test_a_gbk_file_is_read_and_loses_nothing(site):
    articles, db = site
    assert build(articles, db).ok  # rebuilt in this process first: an engine loaded before may cut a
    path = articles / RUYANG  # person's name differently from the session's fresh build (intents' titles)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    report = build(articles, db)
    assert report.ok, report.summary()
    assert report.removed_facts == 0
    assert f"{RUYANG}: read as GB18030 (not UTF-8)" in report.warnings


def test_new_files_that_are_no_articles_are_rejected_and_the_others_build(site):
    articles, db = site
    (articles / "random-chinese.txt").write_text(random_chinese(2000, seed=3), encoding="utf-8")
    (articles / "photo.txt").write_bytes(random.Random(2).randbytes(5000))
    (articles / "notice.txt").write_text(
        "关于做好春节期间安全生产工作的通知\n\n各乡镇、各部门要高度重视，切实加强领导，落实安全责任。"
        "要深入开展隐患排查，确保人民群众过一个欢乐祥和的节日。\n",
        encoding="utf-8",
    )
    report = build(articles, db)
    assert report.ok, report.summary()
    reasons = dict(r.split(": ", 1) for r in report.rejected)
    assert sorted(reasons) == ["notice.txt", "photo.txt", "random-chinese.txt"]
    assert reasons["random-chinese.txt"].startswith("random characters, not sentences")
    assert reasons["notice.txt"] == "no sentence with a figure: nothing to answer from"
    assert "photo.txt" in reasons
    assert report.articles == 5 and report.added_articles == []
    summary = report.summary()
    assert "Rejected, not built (not an article): notice.txt: no sentence with a figure" in summary
    assert Engine(db).ask(Q).value == OLD


def test_a_rejected_new_file_does_not_hide_a_damaged_one(site):
    articles, db = site
    (articles / "photo.txt").write_bytes(random.Random(2).randbytes(5000))
    _random_chinese(articles / QINXIAN)
    report = build(articles, db)
    refused(report, QINXIAN, "random characters")
    assert report.rejected and report.rejected[0].startswith("photo.txt: ")


def test_golden_questions_never_skip_a_place_the_previous_base_covered(tmp_path, articles_copy):
    (articles_copy / RUYANG).unlink()
    db = tmp_path / "facts.db"
    assert build(articles_copy, db).ok  # deleted on purpose: its golden question is skipped
    problems = validate(db, intents.load(), must_cover={"汝阳县"})  # but not when 汝阳县 should be there
    assert problems == [
        "golden question 汝阳县未脱贫人口有多少 cannot be asked: no sentence is about 汝阳县 now"
    ]


def test_the_article_check_separates_articles_from_random_text():
    for path in [*ARTICLES.glob("*.txt"), *(ROOT / "tests" / "data" / "unseen" / "articles").glob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        assert not_an_article(text) is None and word_share(text) > 0.7, path.name
    assert word_share(random_chinese(3000)) < 0.2
