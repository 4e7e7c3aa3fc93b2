"""Bad input (project issue 4): empty and white-space messages, 4096 characters and more, emoji, control and
zero-width characters, mixed scripts, SQL and HTML lookalikes, numbers with many digits. Each gets a clear
reply, no exception escapes, and nothing is written where it should not be."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.normalize import MAX_QUESTION
from engine.questionlog import MAX_TEXT, QuestionLog
from engine.types import Answer

GOOD_Q, GOOD_VALUE = "汝阳县未脱贫人口有多少", "5155人"
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ---- strategies ------------------------------------------------------------------------------------------
CONTROL = st.characters(categories=["Cc"])  # \x00-\x1f, \x7f-\x9f
ZERO_WIDTH = st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2060", "\ufeff", "\ufe0f"]
)  # zero-width spaces and joiners, direction marks, BOM, variation selector
INVISIBLE = st.one_of(
    ZERO_WIDTH,
    st.sampled_from(["\u00ad", "\u180e", "\u2066", "\u3164", "\u2800", "\U000e0041"]),
    st.characters(categories=["Cf"]),
)  # soft hyphen, fillers, tags: any format character
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
PUNCTUATION = "!?.,;:…—～·*#()[]{}<>/\\|"
SURROGATE = st.characters(categories=["Cs"])  # lone halves, e.g. from a JSON "\ud83d" escape
WORDS = st.sampled_from(
    [
        "汝阳县",
        "沁县",
        "沁縣",
        "沁阳",
        "焦作",
        "周口",
        "贫困村",
        "未脱贫人口",
        "多少",
        "是谁",
        "县长",
        "呢",
        "2017年",
        "二零一八年",
        "贫困发生率",
        "Ruyang",
        "How many",
        "poor villages",
        "哪个多",
        "和",
        "Қазақ",
        "Ελληνικά",
        "русский",
        "עברית",
        "العربية",
        "हिन्दी",
        "한국어",
        "日本語です",
        "ภาษาไทย",
        "１２３",
        "ｆｕｌｌ",
        "?",
        "？",
        "!",
        "。",
        "#s1",
        "#s",
        " ",
        "\n",
        "\t",
    ]
)
SQL = st.sampled_from(
    [
        "'; DROP TABLE facts; --",
        "' OR '1'='1",
        "1; DELETE FROM sentences",
        '" OR ""="',
        "'); DROP TABLE questions; --",
        "UNION SELECT * FROM sqlite_master --",
        "汝阳县' OR 1=1 --",
        "%' AND 1=0 UNION SELECT sql FROM sqlite_master --",
        "; ATTACH DATABASE '/tmp/x.db' AS x; --",
        "\\x27; PRAGMA writable_schema=1; --",
        "{place}{value}{0}%s%d",
    ]
)
HTML = st.sampled_from(
    [
        "<b>汝阳</b>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&lt;&gt;&amp;",
        "</code><pre>",
        "<a href='tg://user?id=1'>x</a>",
        "]]><!--",
        "<<>>",
        "<i>沁县</i>贫困村",
    ]
)
DIGITS = st.one_of(
    st.integers(min_value=10**15, max_value=10**400).map(str),
    st.text(
        alphabet="0123456789０１２３４５６７８９零一二三四五六七八九十百千万亿.,%-e",
        min_size=10,
        max_size=600,
    ),
)
PIECE = st.one_of(WORDS, SQL, HTML, DIGITS, CONTROL, INVISIBLE, EMOJI, st.text(max_size=8))
MIXED = st.lists(PIECE, max_size=12).map("".join)
SEEN = st.one_of(
    st.characters(categories=["Nd", "P", "S"], exclude_characters="\u2800"),
    EMOJI,
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)  # never invisible
LONG = st.builds(
    lambda seen, rest, n: (seen + rest) * (n // len(seen + rest) + 1),  # >= 683 characters seen
    SEEN,
    st.text(max_size=5),
    st.integers(min_value=4096, max_value=12_000),
)
BLANK = st.text(
    alphabet=st.one_of(st.sampled_from(" \t\n\r\x0b\x0c\u3000\u00a0\u2003\u2028\u2029"), CONTROL, INVISIBLE),
    max_size=50,
)
JUNK = st.one_of(
    st.text(),
    st.text(alphabet=st.one_of(st.characters(), SURROGATE)),
    MIXED,
    LONG,
    BLANK,
    SQL,
    HTML,
    DIGITS,
    st.text(alphabet=EMOJI, min_size=1),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file in `folder` with its size and modification time."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def check_reply(ans: Answer) -> None:
    assert isinstance(ans, Answer)
    assert isinstance(ans.text, str) and ans.text.strip()
    assert isinstance(ans.found, bool)
    ans.text.encode("utf-8")  # sendable as it is: no lone surrogates


# ---- the engine ------------------------------------------------------------------------------------------
def test_junk_never_raises_and_never_touches_the_fact_base(engine, built_db):
    before, files = sha256(built_db), folder_state(built_db.parent)

    @SETTINGS
    @given(JUNK, st.sampled_from([None, "bad-input-1", "bad-input-2"]))
    def ask(text, session):
        check_reply(engine.ask(text, session=session))

    ask()
    assert sha256(built_db) == before
    assert folder_state(built_db.parent) == files  # no journal, no temp file, nothing new next to it
    assert engine.ask(GOOD_Q).value == GOOD_VALUE


@SETTINGS
@given(text=LONG)
def test_4096_characters_and_more_are_refused_clearly(engine, text):
    ans = engine.ask(text)
    assert not ans.found and ans.intent == "too_long" and str(MAX_QUESTION) in ans.text


@pytest.mark.parametrize("text", [" " * 5000, "\u200b" * 4096, "\n\t\u3000" * 2000, "\u00ad\u2066" * 3000])
def test_long_but_empty_messages_are_empty(engine, text):
    assert engine.ask(text).intent == "empty"


@SETTINGS
@given(text=BLANK)
def test_empty_white_space_and_invisible_messages_ask_for_a_question(engine, text):
    ans = engine.ask(text)
    assert not ans.found and ans.intent == "empty" and "请输入一个问题" in ans.text


@SETTINGS
@given(text=st.text(alphabet=st.one_of(EMOJI, st.sampled_from(PUNCTUATION), INVISIBLE), min_size=1))
def test_emoji_and_punctuation_only_is_unreadable(engine, text):
    ans = engine.ask(text)
    assert not ans.found
    shown = [c for c in text if c in PUNCTUATION or 0x1F300 <= ord(c) <= 0x1FAFF]
    assert ans.intent == ("unreadable" if shown else "empty")


@SETTINGS
@given(
    noise=st.lists(st.one_of(CONTROL, INVISIBLE), max_size=6),
    at=st.integers(min_value=0, max_value=11),
)
def test_invisible_characters_inside_a_good_question_do_not_change_the_answer(engine, noise, at):
    ans = engine.ask(GOOD_Q[:at] + "".join(noise) + GOOD_Q[at:])  # e.g. 汝\u00ad阳县, pasted from a web page
    assert ans.found and ans.value == GOOD_VALUE


@settings(SETTINGS, max_examples=50)
@given(junk=st.lists(JUNK, min_size=1, max_size=5))
def test_a_good_question_still_gets_its_answer_after_junk(engine, junk):
    for text in junk:
        check_reply(engine.ask(text, session="bad-input-3"))
    assert engine.ask(GOOD_Q, session="bad-input-3").value == GOOD_VALUE
    assert engine.ask(GOOD_Q).value == GOOD_VALUE


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE facts; --",
        "汝阳县'; DROP TABLE facts; --",
        "<script>汝阳县</script>",
        "沁县 UNION SELECT * FROM facts",
        "9" * 400,
        "#s" + "9" * 40,
        "\ud83d汝阳县",
    ],
)
def test_lookalikes_are_plain_text_to_the_engine(engine, built_db, text):
    ans = engine.ask(text)
    check_reply(ans)
    facts = sqlite3.connect(f"file:{built_db}?mode=ro", uri=True)
    try:
        assert facts.execute("select count(*) from facts").fetchone()[0] > 100
    finally:
        facts.close()
    assert engine.ask(GOOD_Q).value == GOOD_VALUE


# ---- the question log ------------------------------------------------------------------------------------
def utf8(text: str) -> str:
    """`text` as SQLite can hold it: lone surrogates as U+FFFD, everything else exactly as given."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def test_question_log_stores_any_text_exactly(tmp_path):
    qlog = QuestionLog(tmp_path / "questions.db")
    conn = sqlite3.connect(tmp_path / "questions.db")
    counts = {"asked": 0, "answered": 0}

    @SETTINGS
    @given(chat=st.one_of(st.integers().map(str), SQL, JUNK), text=JUNK, found=st.booleans())
    def record(chat, text, found):
        qlog.record(chat, text, found, "unknown", None if found else "汝阳县")
        counts["asked"] += 1
        counts["answered"] += found
        row = conn.execute(
            "select chat, text, found, place from questions order by id desc limit 1"
        ).fetchone()
        assert row == (utf8(chat), utf8(text)[:MAX_TEXT], int(found), None if found else "汝阳县")
        if not found:
            assert utf8(text)[:MAX_TEXT] in {r["text"] for r in qlog.unanswered(limit=10_000)}

    try:
        record()
        assert qlog.pending == 0
        assert qlog.stats() == {**counts, "unanswered": counts["asked"] - counts["answered"]}
    finally:
        conn.close()


def test_question_log_cuts_long_text_at_its_documented_limit(tmp_path):
    qlog = QuestionLog(tmp_path / "questions.db")
    text = "汝阳县" * 2000
    qlog.record("1", text, False, "too_long", None)
    assert MAX_TEXT == 1000
    assert [(r["text"], r["times"]) for r in qlog.unanswered()] == [(text[:1000], 1)]


@pytest.mark.parametrize(
    "text",
    [
        "'); DROP TABLE questions; --",
        "'; DELETE FROM questions; --",
        "x'); ATTACH DATABASE 'evil.db' AS evil; --",
        "'; PRAGMA journal_mode=delete; --",
    ],
)
def test_question_log_survives_sql_lookalikes(tmp_path, text):
    qlog = QuestionLog(tmp_path / "questions.db")
    qlog.record("1", "汝阳县未脱贫人口有多少", True, "how_many", "汝阳县")
    qlog.record(text, text, False, "unknown", text)
    qlog.record("2", text, False, "unknown", None)
    assert qlog.stats() == {"asked": 3, "answered": 1, "unanswered": 2}
    assert qlog.unanswered()[0]["text"] == text and qlog.unanswered()[0]["times"] == 2
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("questions.db")) == []
