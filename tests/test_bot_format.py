"""Replies fit Telegram whatever the engine says: escaped, at most 4096 characters, tags never cut."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.format import LIMIT, answer_html, card_html, source_html
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


def test_only_an_answer_is_bold():
    assert not answer_html(Answer(False, "抱歉，文章里没有找到答案。", "unknown")).startswith("<b>")
