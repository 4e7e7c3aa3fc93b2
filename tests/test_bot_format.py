"""Replies fit Telegram whatever the engine says: escaped, at most 4096 characters, tags never cut."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.format import (
    LABEL_LIMIT,
    LIMIT,
    MAX_MESSAGES,
    answer_html,
    answer_messages,
    button_label,
    card_html,
    clip_echo,
    source_html,
)
from engine import Answer, Source

TAG = re.compile(r"</?[bi]>")
texty = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6000
) | st.sampled_from(["<&>" * 3000, "汝阳" * 5000, "a\n" * 4000, "&amp;" * 2000])


def _plain(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


@settings(max_examples=150, deadline=None)
@given(first=texty, rest=texty, article=texty)
def test_any_answer_becomes_balanced_html_within_the_limit(first, rest, article):
    text = first.replace("\n", " ") + "\n" + rest
    ans = Answer(True, text, "how_many", sources=[Source(article, rest)])
    for markup in (answer_html(ans), card_html(ans), source_html(ans)):
        assert len(markup) <= LIMIT
        tags = TAG.findall(markup)
        assert tags.count("<b>") == tags.count("</b>") and tags.count("<i>") == tags.count("</i>")
        assert "<" not in TAG.sub("", markup)  # every other < arrives escaped
    plain = _plain(answer_html(ans))
    assert text.startswith(plain.removesuffix("…"))  # a cut keeps the beginning, the figure first


def test_short_answer_is_untouched_but_escaped():
    ans = Answer(True, "汝阳县：5155人\n原文：“<未脱贫人口> & 5155人”", "how_many")
    assert answer_html(ans) == "<b>汝阳县：5155人</b>\n原文：“&lt;未脱贫人口&gt; &amp; 5155人”"


def test_each_part_of_an_answer_stating_several_is_bold():
    ans = Answer(True, "周口市：4月11日\n原文：“4月11日…”\n\n周口市：38个\n原文：“共有38个项目签约”", "when")
    assert answer_html(ans) == (
        "<b>周口市：4月11日</b>\n原文：“4月11日…”\n\n<b>周口市：38个</b>\n原文：“共有38个项目签约”"
    )


def test_only_an_answer_is_bold():
    assert not answer_html(Answer(False, "抱歉，文章里没有找到答案。", "unknown")).startswith("<b>")


@settings(max_examples=80, deadline=None)
@given(first=texty, rest=texty)
def test_a_long_answer_is_split_into_messages_losing_nothing(first, rest):
    text = first.replace("\n", " ") + "\n" + rest
    ans = Answer(True, text, "how_many")
    messages = answer_messages(ans)
    assert 1 <= len(messages) <= MAX_MESSAGES
    for markup in messages:
        assert 0 < len(markup) <= LIMIT
        tags = TAG.findall(markup)
        assert tags.count("<b>") == tags.count("</b>") and "<" not in TAG.sub("", markup)
    plain = "".join(_plain(m) for m in messages).replace("\n", "")
    whole = text.replace("\n", "")
    if len(messages) < MAX_MESSAGES:
        assert plain == whole or (plain == "…" and not whole)
    else:
        assert whole.startswith(plain.removesuffix("…"))


def test_split_happens_after_a_sentence():
    sentence = "汝阳县有78个贫困村，全部退出。"
    ans = Answer(True, "汝阳县：78个\n" + sentence * 400, "how_many")
    messages = answer_messages(ans)
    assert len(messages) == 2 and messages[0].startswith("<b>汝阳县：78个</b>\n")
    assert all(m.endswith("。") for m in messages) and messages[1].startswith(sentence)


def test_button_labels_end_after_a_whole_word_and_keep_figures_whole():
    assert button_label("汝阳县 4个") == "汝阳县 4个"
    label = button_label("焦作市：全市贫困发生率由2014年的6.18%下降到1.18%以下")
    assert len(label) <= LABEL_LIMIT and label.endswith("…")
    assert label.startswith("焦作市：全市贫困发生率") and not re.search(r"\d…$|\d\.…$|6\.1…", label)


def test_a_not_found_reply_quotes_at_most_sixty_characters_of_the_question():
    long = "啊" * 480
    clipped = clip_echo(f"抱歉，文章里没有找到“{long}”的答案。\n您可以问问：汝阳县“脱贫”")
    assert clipped.startswith("抱歉，文章里没有找到“" + "啊" * 59 + "…”的答案。") and clipped.endswith(
        "您可以问问：汝阳县“脱贫”"
    )
    english = clip_echo("Sorry, the articles do not answer “" + "junk " * 100 + "”.")
    assert len(english) < 110 and english.endswith("…”.")
    short = "抱歉，文章里没有找到“汝阳县有多少所大学”的答案。"
    assert clip_echo(short) == short
