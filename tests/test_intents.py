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
        (
            "question_types.yaml",
            "    priority: 90",
            "    priority: high",
            r"types\[3\]\.priority: must be a whole",
        ),
        ("question_types.yaml", "\ntypes:\n", "\ntypes: 5\nunused:\n", "types: must be a list"),
        ("question_types.yaml", "  - name: compare\n", "  - label: compare\n", r"types\[3\]: needs a name"),
        (
            "question_types.yaml",
            "    cues: [周几,",
            "    cues_: [周几,",
            r"types\[4\]\.cues: must be a non-empty list",
        ),
        ("smalltalk.yaml", "  - name: greeting", "  - name: [greeting]", r"intents\[0\]: needs a name"),
        (
            "smalltalk.yaml",
            "  - name: greeting",
            "  - name: weather",
            r"lacks templates \['weather'\] for intents in smalltalk.yaml",
        ),
        ("vocabulary.yaml", "\nsynonyms:\n", "\nsynonyms: 7\nunused:\n", "synonyms: must be a list"),
        ("vocabulary.yaml", "\ntitles: [", "\ntitles_: [", "titles: must be a non-empty list"),
        (
            "english.yaml",
            "\nphrases:\n",
            "\nphrases: just text\nunused:\n",
            "phrases must be a non-empty mapping",
        ),
        ("replies.yaml", "{what}的答案", "{whatt}的答案", r"zh\.not_found: unknown placeholders \['whatt'\]"),
        ("replies.yaml", "（最多 {limit} 个字）", "（最多 {limit 个字）", r"zh\.too_long: bad placeholder"),
        (
            "replies.yaml",
            '  goodbye: "再见！"',
            "  goodbye: [再见]",
            r"zh\.goodbye: must be a non-empty string",
        ),
        ("replies.yaml", '  goodbye: "再见！"', '  goodbye: ""', r"zh\.goodbye: must be a non-empty string"),
    ],
)
def test_bad_intent_files_are_refused_with_a_clear_message(tmp_path, file, old, new, message):
    folder = tmp_path / "intents"
    shutil.copytree(HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(IntentError, match=message) as err:
        intents.load(folder)
    assert file in str(err.value)


def test_a_qualified_word_brings_the_articles_word_for_it(engine):
    """还有多少贫困人口: with the qualifier remaining, 贫困人口 is the articles' 未脱贫人口 (the whole is not
    what is asked), and the 2012 total is not the answer."""
    q = engine._state.parser.parse("汝阳县还有多少贫困人口")
    assert q.qualifier == "remaining" and any("未脱贫人口" in c.members for c in q.concepts)
    assert not any("贫困人口" in c.members for c in q.concepts)
    assert engine.ask("汝阳县还有多少贫困人口").value == "5155人"
    # … but a change from the whole to what remains keeps both
    change = engine._state.parser.parse("汝阳贫困人口从原来多少降到现在还剩多少")
    assert any("贫困人口" in c.members for c in change.concepts)
    plain = engine._state.parser.parse("汝阳县有多少贫困人口")
    assert not any("未脱贫人口" in c.members for c in plain.concepts)
