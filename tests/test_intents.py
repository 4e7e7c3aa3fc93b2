"""The intent set is data: validated here so a bad edit fails CI, not the bot."""

import shutil
from pathlib import Path

import pytest

import intents
from intents.load import HERE, IntentError


def test_shipped_intent_set_is_valid():
    s = intents.load()
    assert {t.name for t in s.types} >= {"how_many", "rate", "when", "who", "where", "list", "compare"}
    assert all(t.cues and t.examples for t in s.types)
    assert set(s.replies) == {"zh", "en"}


def test_intent_files_hold_no_figures():
    for path in Path(HERE).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for figure in ("5155", "48871", "179", "1332", "2842", "王小平", "卢展明"):
            assert figure not in text, f"{path.name} holds an answer ({figure})"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("question_types.yaml", "cues: [是谁,", "cues: [是谁, 是谁,", "duplicate"),
        ("smalltalk.yaml", "examples: [谢谢,", "examples: [你好, 谢谢,", "in both"),
        ("vocabulary.yaml", "version: 1", "version: 7", "unknown version"),
        ("replies.yaml", "  thanks: ", "  thankz: ", "lacks templates"),
        ("english.yaml", "phrases:", "phrases: [", "not valid YAML"),
    ],
)
def test_bad_intent_files_are_refused_with_a_clear_message(tmp_path, file, old, new, message):
    folder = tmp_path / "intents"
    shutil.copytree(HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(IntentError, match=message):
        intents.load(folder)
