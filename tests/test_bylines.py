"""Which story, and so which byline, each cleaned paragraph of a page belongs to."""

from kb.bylines import assign


def test_a_headline_above_a_byline_line_is_that_storys():
    paras = ["记者李凤霞", "第一篇的正文。", "“百城提质”三川蝶变", "记者王艳", "第二篇的正文。"]
    assert assign(paras) == ["记者 李凤霞", "记者 李凤霞", "记者 王艳", "记者 王艳", "记者 王艳"]


def test_a_headline_above_a_news_lead_keeps_the_story_before_it():
    # the page sets a story's headline after its closing byline, and the next story opens 本报讯（…）
    paras = [
        "第一篇的正文。",
        "吴会菊文/图",
        "“登山精神”指引如期脱贫摘帽",
        "本报讯（记者李迎博）记者日前获悉，投放储备肉。",
    ]
    out = assign(paras)
    assert out[0] == "作者 吴会菊" and out[3] == "记者 李迎博" and out[2] != "记者 李迎博"
