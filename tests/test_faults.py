"""Faults (project issue 4): broken articles and intent files, a fact base file missing, locked or
truncated, rebuilds that fail halfway or run at once, reloads while questions are answered, and a
question log that cannot be written. The bot keeps answering from the last good fact base, says what
failed, and loses no question."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import intents
import kb.build
from engine import Engine
from engine import core as engine_core
from engine.core import build
from engine.questionlog import QuestionLog
from intents.load import HERE, IntentError
from kb import store

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "kb" / "articles"
RUYANG = "luoyang-2020-ruyang-exit-reserve-pork-health.txt"
Q, OLD, NEW = "汝阳县未脱贫人口有多少", "5155人", "6001人"
QINXIAN, QINXIAN_VALUE = "沁县有多少名驻村第一书记", "179名"


def leftovers(folder: Path) -> list[str]:
    """Temp files of builds in `folder`."""
    return sorted(p.name for p in folder.glob(".*.building-*"))


@pytest.fixture
def serving(tmp_path, built_db) -> tuple[Engine, Path]:
    """An engine serving a copy of the session's fact base (nothing rebuilt)."""
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    return Engine(db, articles_dir=ARTICLES), db


@pytest.fixture(scope="module")
def edited_db(tmp_path_factory) -> Path:
    """A second good fact base, built from articles where 汝阳's 5155 people became 6001."""
    folder = tmp_path_factory.mktemp("edited")
    shutil.copytree(ARTICLES, folder / "articles")
    path = folder / "articles" / RUYANG
    path.write_text(
        path.read_text(encoding="utf-8").replace("2207 户 5155 人", "2207 户 6001 人"), encoding="utf-8"
    )
    report = build(folder / "articles", folder / "facts.db")
    assert report.ok, report.summary()
    return folder / "facts.db"


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    """All rows of a fact base from the shipped articles, computed once."""
    return kb.build.compile_rows(kb.build.read_articles(ARTICLES, []))


def put(source: Path, db: Path) -> None:
    """Swap a copy of `source` in as `db`, the way a build does (a new file, renamed over the old)."""
    shutil.copyfile(source, db.with_name("incoming.db"))
    os.replace(db.with_name("incoming.db"), db)


# ---- fact base missing or unreadable at start ----------------------------------------------------------
def test_missing_fact_base_is_built_from_the_articles(tmp_path):
    db = tmp_path / "not-yet" / "facts.db"  # not even its folder exists
    engine = Engine(db, articles_dir=ARTICLES)
    assert db.exists() and store.check(db)["facts"] > 100
    assert engine.ask(Q).value == OLD and engine.last_error is None
    assert leftovers(db.parent) == []


@pytest.mark.parametrize("articles", ["nowhere", "empty"])
def test_missing_fact_base_without_articles_is_a_clear_error(tmp_path, articles):
    (tmp_path / "empty").mkdir()
    with pytest.raises(RuntimeError) as err:
        Engine(tmp_path / "facts.db", articles_dir=tmp_path / articles)
    message = str(err.value)
    assert "facts.db is missing" in message and "could not be built" in message
    assert ("does not exist" if articles == "nowhere" else "no readable articles") in message
    assert "previous fact base" not in message  # there is none
    assert not (tmp_path / "facts.db").exists()


def test_unreadable_fact_base_at_start_is_rebuilt_from_the_articles(tmp_path):
    db = tmp_path / "facts.db"
    db.write_bytes(b"not a database " * 100)
    engine = Engine(db, articles_dir=ARTICLES)
    assert engine.ask(Q).value == OLD
    assert store.check(db)["facts"] > 100


def test_unreadable_fact_base_without_articles_is_a_clear_error(tmp_path):
    db = tmp_path / "facts.db"
    db.write_bytes(b"not a database " * 100)
    with pytest.raises(
        RuntimeError, match=r"facts\.db cannot be read .* could not be built .*does not exist"
    ):
        Engine(db, articles_dir=tmp_path / "nowhere")
    assert db.read_bytes() == b"not a database " * 100  # left as found, for the admin to look at


# ---- fact base broken or missing while serving ---------------------------------------------------------
def _truncate_half(db: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _no_tables(db: Path) -> None:
    db.unlink()
    sqlite3.connect(db).execute("create table other (x)").connection.commit()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda db: db.write_bytes(b""), id="empty-file"),
        pytest.param(lambda db: db.write_bytes(os.urandom(64 * 1024)), id="garbage"),
        pytest.param(_truncate_half, id="truncated-half"),
        pytest.param(lambda db: db.write_bytes(db.read_bytes()[:100]), id="header-only"),
        pytest.param(_no_tables, id="sqlite-without-our-tables"),
        pytest.param(lambda db: db.unlink(), id="deleted"),
    ],
)
def test_a_broken_file_on_reload_keeps_the_last_good_base(serving, built_db, damage):
    engine, db = serving
    damage(db)
    assert engine.reload() is False
    assert engine.last_error and engine.last_error.startswith(
        "reload failed, previous fact base still serving"
    )
    assert engine.ask(Q).value == OLD and engine.ask(QINXIAN).value == QINXIAN_VALUE
    put(built_db, db)  # the admin puts a good file back
    assert engine.reload() is True and engine.last_error is None
    assert engine.ask(Q).value == OLD


def test_a_locked_new_file_is_not_waited_for_forever(serving, edited_db, monkeypatch):
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.1)
    engine, db = serving
    put(edited_db, db)
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("begin exclusive")
    try:
        assert engine.reload() is False
        assert "locked" in engine.last_error
        assert engine.ask(Q).value == OLD
    finally:
        locker.execute("rollback")
        locker.close()
    assert engine.reload() is True and engine.ask(Q).value == NEW  # picked up once the lock is gone


def test_a_rebuild_swaps_in_while_the_old_file_is_locked(tmp_path, articles_copy, built_db, monkeypatch):
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.1)
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    engine = Engine(db, articles_dir=articles_copy)
    path = articles_copy / RUYANG
    path.write_text(
        path.read_text(encoding="utf-8").replace("2207 户 5155 人", "2207 户 6001 人"), encoding="utf-8"
    )
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("begin exclusive")
    try:
        report = engine.rebuild()
        assert report.ok, report.summary()
        assert any("could not compare with the previous fact base" in w for w in report.warnings)
        assert engine.ask(Q).value == NEW
        assert (
            locker.execute("select count(*) from facts where value = ?", [OLD]).fetchone()[0] >= 1
        )  # still its file
    finally:
        locker.execute("rollback")
        locker.close()
    assert leftovers(tmp_path) == []


def test_a_file_swapped_in_during_a_reload_is_picked_up_next(serving, edited_db, built_db, monkeypatch):
    engine, db = serving
    put(edited_db, db)

    class SwapWhileReading(engine_core.KnowledgeIndex):
        def __init__(self, path):
            super().__init__(path)
            put(built_db, db)  # a build finishes right after this reload read the file

    monkeypatch.setattr(engine_core, "KnowledgeIndex", SwapWhileReading)
    assert engine.reload() is True and engine.ask(Q).value == NEW
    monkeypatch.undo()
    assert engine.reload() is True, "the file swapped in during the last reload must not look already loaded"
    assert engine.ask(Q).value == OLD


# ---- rebuilds that fail ----------------------------------------------------------------------------------
def _half_write(rows_real_write):
    def write(path, rows):
        rows_real_write(path, {**rows, "facts": rows["facts"][: len(rows["facts"]) // 2]})
        raise OSError("No space left on device")

    return write


def _raise(message):
    def fail(*_args, **_kwargs):
        raise RuntimeError(message)

    return fail


@pytest.mark.parametrize(
    ("module", "name", "make", "message"),
    [
        (store, "write", lambda: _half_write(store.write), "No space left on device"),
        (kb.build, "compile_rows", lambda: _raise("extractor crashed"), "extractor crashed"),
        (store, "check", lambda: _raise("check crashed"), "check crashed"),
        (store, "swap", lambda: _raise("rename failed"), "rename failed"),
    ],
)
def test_a_rebuild_failing_halfway_keeps_the_old_base(
    serving, rows, monkeypatch, module, name, make, message
):
    engine, db = serving
    before = db.read_bytes()
    monkeypatch.setattr(kb.build, "compile_rows", lambda _articles: rows)  # the slow, pure part, done once
    monkeypatch.setattr(module, name, make())
    report = engine.rebuild()
    assert report.ok is False and message in report.error
    assert report.summary().startswith("Build failed, the previous fact base keeps serving")
    assert engine.last_error and message in engine.last_error
    assert db.read_bytes() == before
    assert leftovers(db.parent) == []
    assert engine.ask(Q).value == OLD


_KILLED_BUILD = """
import sys, time
from kb import store
from engine.core import build

def stall(path):
    print("written", flush=True)
    time.sleep(120)

store.check = stall
build(sys.argv[1], sys.argv[2])
"""


def test_a_build_killed_midway_leaves_the_old_base_and_the_next_build_cleans_up(serving):
    engine, db = serving
    before = db.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(ARTICLES), str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    watchdog = threading.Timer(120, child.kill)
    watchdog.start()
    try:
        assert child.stdout.readline().strip() == "written"
        assert leftovers(db.parent), "the build must be killed while its temp file exists"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        watchdog.cancel()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    assert engine.reload() is False and engine.ask(Q).value == OLD
    report = engine.rebuild()  # the dead build's lock is gone with it; its temp file goes now
    assert report.ok, report.summary()
    assert any("left by an interrupted build" in w for w in report.warnings)
    assert leftovers(db.parent) == []
    assert engine.ask(Q).value == OLD


def test_two_rebuilds_at_once_both_succeed(tmp_path, built_db):
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    engine = Engine(db, articles_dir=ARTICLES)
    start = threading.Barrier(2)
    reports, errors = [], []

    def rebuild() -> None:
        try:
            start.wait()
            reports.append(engine.rebuild())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=rebuild) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [r.ok for r in reports] == [True, True], [r.error for r in reports]
    assert store.check(db)["facts"] > 100 and leftovers(tmp_path) == []
    assert engine.ask(Q).value == OLD


def test_a_build_waiting_on_another_gives_up_with_a_clear_error(serving, monkeypatch):
    engine, db = serving
    before = db.read_bytes()
    monkeypatch.setattr(kb.build, "BUILD_WAIT_SECONDS", 0.2)
    with open(db.with_name(f"{db.name}-build.lock"), "a") as held:  # another build holds the lock
        fcntl.flock(held, fcntl.LOCK_EX)
        report = engine.rebuild()
    assert report.ok is False and "another build of" in report.error and "still running" in report.error
    assert db.read_bytes() == before and engine.ask(Q).value == OLD


# ---- reloads and rebuilds while questions are being answered ---------------------------------------------
def test_reload_and_rebuild_while_questions_are_answered(tmp_path, articles_copy, built_db, edited_db):
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    engine = Engine(db, articles_dir=articles_copy)
    stop = threading.Event()
    seen: list[tuple[str | None, str, str | None]] = []
    errors: list[BaseException] = []

    def ask_forever(session: str) -> None:
        while not stop.is_set():
            try:
                ruyang, qinxian = engine.ask(Q, session=session), engine.ask(QINXIAN)
                seen.append((ruyang.value, ruyang.sources[0].quote if ruyang.sources else "", qinxian.value))
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return
            stop.wait(0.005)  # leave the reloading thread most of the GIL

    def answered_meanwhile() -> None:
        """Let the askers answer a few questions from the generation now serving."""
        mark = len(seen)
        for _ in range(10_000):
            if len(seen) >= mark + 8 or errors:
                return
            stop.wait(0.001)

    askers = [threading.Thread(target=ask_forever, args=(f"c{i}",)) for i in range(3)]
    for t in askers:
        t.start()
    try:
        for _ in range(2):  # a file rebuilt by the script, picked up by reload()
            put(edited_db, db)
            assert engine.reload() is True
            answered_meanwhile()
            put(built_db, db)
            assert engine.reload() is True
            answered_meanwhile()
        path = articles_copy / RUYANG  # and the admin's /reload: a rebuild in this process
        path.write_text(
            path.read_text(encoding="utf-8").replace("2207 户 5155 人", "2207 户 6001 人"), encoding="utf-8"
        )
        assert engine.rebuild().ok
        answered_meanwhile()
    finally:
        stop.set()
        for t in askers:
            t.join()
    assert errors == []
    assert {value for value, _, _ in seen} == {OLD, NEW}  # both generations served while the askers ran
    for value, quote, qinxian in seen:  # never a mix of two generations
        assert value[:-1] in quote.replace(" ", ""), (value, quote)
        assert qinxian == QINXIAN_VALUE
    assert engine.ask(Q).value == NEW


# ---- broken articles -----------------------------------------------------------------------------------
def test_broken_new_files_and_metadata_entries_are_rejected_and_the_rest_build(tmp_path, articles_copy):
    (articles_copy / "garbage.txt").write_bytes(os.urandom(4096))
    (articles_copy / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    with open(articles_copy / "huge.txt", "wb") as huge:
        huge.truncate(kb.build.MAX_ARTICLE_BYTES + 1)  # sparse: never read
    (articles_copy / "bad-utf8.txt").write_bytes(
        "汝阳县贫困人口".encode() * 10 + b"\xff\xfe" + "脱贫".encode()
    )
    (articles_copy / "latin.txt").write_text(
        "No Chinese text here at all. 12345 people. " * 20, encoding="utf-8"
    )
    (articles_copy / "folder.txt").mkdir()
    (articles_copy / "lankao-2020-test.txt").write_text(
        "兰考县脱贫攻坚综述\n\n兰考县总面积1116平方公里。兰考县共有贫困村115个，兰考县驻村第一书记345名。\n",
        encoding="utf-8",
    )
    meta = articles_copy / "articles.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            "  date: 2020-03-09\n", "  date: 2020-02-30\n  newspaper: {bad: field}\n"
        )
        + "lankao-2020-test.txt: [not, a, mapping]\n",
        encoding="utf-8",
    )
    report = build(articles_copy, tmp_path / "facts.db")
    assert report.ok, report.summary()
    assert report.articles == 6
    for name in ("garbage.txt", "blank.txt", "huge.txt", "bad-utf8.txt", "latin.txt", "folder.txt"):
        assert any(r.startswith(f"{name}: ") for r in report.rejected), name
    reasons = dict(r.split(": ", 1) for r in report.rejected)
    assert "binary data" in reasons["garbage.txt"] and "not a regular file" in reasons["folder.txt"]
    assert "larger than" in reasons["huge.txt"] and "bad encoding" in reasons["bad-utf8.txt"]
    assert reasons["blank.txt"] == reasons["latin.txt"] == "no Chinese text to read"
    assert "Rejected, not built (not an article): garbage.txt: binary data" in report.summary()
    assert any("field newspaper ignored" in w for w in report.warnings)
    assert any("entry for lankao-2020-test.txt ignored" in w for w in report.warnings)
    engine = Engine(tmp_path / "facts.db")
    assert engine.ask(Q).value == OLD  # 2020-02-30 did not cost 汝阳 its metadata
    assert engine.ask("兰考县有多少个贫困村").value == "115个"


def test_unreadable_metadata_fails_the_build_clearly_and_keeps_the_old_base(serving, articles_copy):
    engine, db = serving
    before = db.read_bytes()
    (articles_copy / "articles.yaml").write_text("luoyang.txt: [unclosed\n", encoding="utf-8")
    report = engine.rebuild(articles_copy)
    assert report.ok is False
    assert "articles.yaml ignored" in report.error  # the cause, not only "golden question no longer answered"
    assert db.read_bytes() == before and engine.ask(Q).value == OLD


# ---- malformed intent files ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b""), "top level must be a mapping"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00garbage"), "not valid YAML"),
        (lambda p: p.write_text("- a list\n", encoding="utf-8"), "top level must be a mapping"),
        (lambda p: p.unlink(), "file is missing"),
        (lambda p: (p.unlink(), p.mkdir()), "cannot be read"),
    ],
)
def test_an_unreadable_intent_file_is_refused_naming_it(tmp_path, damage, message):
    folder = tmp_path / "intents"
    shutil.copytree(HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    damage(folder / "vocabulary.yaml")
    with pytest.raises(IntentError, match=f"^vocabulary.yaml: {message}"):
        intents.load(folder)


def test_engine_with_a_malformed_intent_folder_says_which_file(tmp_path, built_db):
    folder = tmp_path / "intents"
    shutil.copytree(HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "replies.yaml").write_text("version: 1\nzh: {}\nen: {}\n", encoding="utf-8")
    with pytest.raises(IntentError, match="^replies.yaml: zh lacks templates"):
        Engine(built_db, intents_dir=folder)


# ---- a question log that cannot be written ---------------------------------------------------------------
def _rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select chat, text, found, intent, place from questions order by id").fetchall()
    finally:
        conn.close()


def test_question_log_locked_by_another_connection_keeps_records_until_it_can_write(tmp_path, caplog):
    path = tmp_path / "questions.db"
    qlog = QuestionLog(path, timeout=0.05)
    qlog.record("1", "汝阳县未脱贫人口有多少", True, "how_many", "汝阳县")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("begin exclusive")
    try:
        for i in range(5):
            qlog.record(str(i), f"没答上的问题{i % 2}", False, "unknown", None)  # must not raise
        assert qlog.pending == 5
        assert "kept in memory" in caplog.text
        assert qlog.stats() == {"asked": 6, "answered": 1, "unanswered": 5}
        assert [(r["text"], r["times"]) for r in qlog.unanswered()] == [
            ("没答上的问题0", 3),
            ("没答上的问题1", 2),
        ]
    finally:
        locker.execute("rollback")
        locker.close()
    qlog.record("9", "沁县呢", True, "how_many", "沁县")
    assert qlog.pending == 0
    rows = _rows(path)
    assert [r[1] for r in rows] == ["汝阳县未脱贫人口有多少"] + [f"没答上的问题{i % 2}" for i in range(5)] + [
        "沁县呢"
    ]
    assert qlog.stats() == {"asked": 7, "answered": 2, "unanswered": 5}


def test_question_log_locked_at_start_up(tmp_path):
    path = tmp_path / "questions.db"
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("begin exclusive")
    try:
        qlog = QuestionLog(path, timeout=0.05)  # must not stop the bot from starting
        qlog.record("1", "第一个问题", False, "unknown", None)
        assert qlog.pending == 1 and qlog.stats()["unanswered"] == 1
    finally:
        locker.execute("rollback")
        locker.close()
    qlog.record("1", "第二个问题", False, "unknown", None)
    assert qlog.pending == 0
    assert [r[1] for r in _rows(path)] == ["第一个问题", "第二个问题"]


def test_question_log_in_a_folder_that_cannot_be_created_yet(tmp_path):
    blocker = tmp_path / "var"
    blocker.write_text("a file where the log's folder should be", encoding="utf-8")
    qlog = QuestionLog(blocker / "questions.db", timeout=0.05)
    for i in range(3):
        qlog.record(str(i), f"问题{i}", False, "unknown", None)
    assert qlog.pending == 3
    assert qlog.stats() == {"asked": 3, "answered": 0, "unanswered": 3}
    assert {r["text"] for r in qlog.unanswered()} == {"问题0", "问题1", "问题2"}
    blocker.unlink()  # the admin fixes the folder
    qlog.record("3", "问题3", True, "how_many", "沁县")
    assert qlog.pending == 0
    assert [r[1] for r in _rows(blocker / "questions.db")] == ["问题0", "问题1", "问题2", "问题3"]


def read_only(folder: Path, on: bool) -> None:
    """Make `folder` unwritable, or writable again. Modes do not stop root, so for root the (empty) folder
    is swapped for a plain file of the same name, inside which nothing can be created, and back."""
    if os.geteuid() != 0:
        folder.chmod(0o500 if on else 0o700)
    elif on:
        folder.rmdir()
        folder.write_text("")
    else:
        folder.unlink()
        folder.mkdir()


def test_question_log_in_a_read_only_folder(tmp_path):
    folder = tmp_path / "var"
    folder.mkdir()
    read_only(folder, True)
    try:
        qlog = QuestionLog(folder / "questions.db", timeout=0.05)  # the bot still starts
        qlog.record("0", "只读时的问题", False, "unknown", None)
        qlog.record("1", "只读时答上的问题", True, "how_many", "沁县")
        assert qlog.pending == 2 and not (folder / "questions.db").exists()
        assert qlog.stats() == {"asked": 2, "answered": 1, "unanswered": 1}
    finally:
        read_only(folder, False)
    qlog.record("2", "恢复后的问题", False, "unknown", None)
    assert qlog.pending == 0
    assert [r[1] for r in _rows(folder / "questions.db")] == [
        "只读时的问题",
        "只读时答上的问题",
        "恢复后的问题",
    ]


def test_question_log_kept_in_memory_is_bounded(tmp_path, monkeypatch):
    from engine import questionlog

    folder = tmp_path / "var"
    folder.mkdir()
    read_only(folder, True)
    try:
        monkeypatch.setattr(questionlog, "MAX_PENDING", 3)
        qlog = QuestionLog(folder / "questions.db", timeout=0.05)
        for n in range(5):
            qlog.record(str(n), f"问题{n}", False, "unknown", None)
        assert qlog.pending == 3 and qlog.dropped == 2
    finally:
        read_only(folder, False)
    qlog.record("5", "问题5", False, "unknown", None)
    assert [r[1] for r in _rows(folder / "questions.db")] == ["问题2", "问题3", "问题4", "问题5"]
