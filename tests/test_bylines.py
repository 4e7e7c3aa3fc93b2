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


def test_photo_credits_and_page_staff_are_read_from_the_lines():
    from kb.bylines import credits

    text = (
        "■编辑：郭 剑│版式：李新战│校对：董 蕾\n"
        "去年全市改善了生产生活条件。\n"
        " 2016年12月15日，博爱县坞庄村村民在管理大棚蔬菜。使该村500人脱贫致富。 本报记者 刘金元 摄\n"
        "\n"
        "2016年11月12日，饲养员在饲养肉牛。\n"
        "\n"
        "本报记者 赵耀东 摄\n"
    )
    captions, photos, staff = credits(text)
    assert (
        captions
        == [
            ("2016年12月15日，博爱县坞庄村村民在管理大棚蔬菜。使该村500人脱贫致富。", "刘金元"),
            ("2016年11月12日，饲养员在饲养肉牛。", "赵耀东"),
        ]
    )  # a caption opens with its date, after the text it follows unbroken; a credit alone closes the one before
    assert photos == "刘金元、赵耀东"
    assert staff == "编辑 郭剑；版式 李新战；校对 董蕾"
    assert credits("（本版图片均由本报记者杨帆摄）")[1] == "杨帆"


def test_a_credit_ends_its_caption_and_stays_out_of_the_next_sentence():
    from kb.clean import paragraphs

    paras = paragraphs("村民在剪兔毛。 本报记者 刘金元 摄\n2016年11月12日，饲养员在饲养肉牛。\n")
    assert paras == ["村民在剪兔毛。", "2016年11月12日，饲养员在饲养肉牛。"]


def test_authors_in_brackets_close_a_short_story_back_to_its_headline():
    paras = ["可购买政府储备肉", "近期，西工区委组织部采取一线工作法。", "满意率达96%。 （吴静、文魁）"]
    assert assign(paras)[1:] == ["作者 吴静、文魁", "作者 吴静、文魁"]


def test_the_page_head_gives_the_newspaper_and_the_issue_date():
    from kb.bylines import masthead

    head = (
        "\n20172017年年11月月1212日日\n\n星期四星期四\n\n0303\n\n"
        "■官方微博：@焦作日报(新浪、腾讯)■新闻热线：8797000■编辑：郭 剑\n\n"
        "•2月23日，市委召开全市扶贫开发工作会议。河南日报报道了此事。\n"
    )
    paper, issue, printed = masthead(head)
    assert (paper, issue) == ("焦作日报", "2017年1月12日 星期四")  # doubled head characters undone
    assert printed.startswith("2017年1月12日 星期四 ■官方微博：@焦作日报")
    assert masthead("20212021年年11月月88日日 星期五星期五\n第第44版版\n")[1] == "2021年1月8日 星期五"
    # a story cut from its page prints neither; a date opening its first sentence is no issue date
    assert masthead("本报记者 郭树勋\n2017年3月27日，河南省政府召开新闻发布会，河南日报记者到场。\n") == (
        "",
        "",
        "",
    )


def test_a_byline_line_under_its_storys_text_is_that_storys():
    """本报记者 智慧 通讯员 耿梅 set below the story's last paragraph (its headline further down the page):
    the story's text back to the credit closing the story before is theirs, not the earlier lead's."""
    paras = [
        "本报讯（记者李迎博）记者日前获悉，投放储备肉。",
        "储备肉的正文。",
        "一周要闻",
        "上周，民政部印发指导意见。 （郭宁康）",
        "没有全民健康，就没有全面小康。",
        "我市将继续免费开展一次宫颈癌和乳腺癌筛查。",
        "本报记者智慧通讯员耿梅",
        "再添150个标准化村卫生室",
    ]
    out = assign(paras)
    assert out[:2] == ["记者 李迎博", "记者 李迎博"] and out[3] == "作者 郭宁康"
    assert out[4:] == ["记者 智慧；通讯员 耿梅"] * 4


def test_a_page_heads_hotline_is_read_with_its_staff():
    from kb.bylines import HOTLINE, credits

    _, _, staff = credits("■官方微博：@焦作日报(新浪、腾讯)■新闻热线：8797000■编辑：郭 剑│版式：李新战")
    assert f"{HOTLINE} 8797000" in staff and "编辑 郭剑" in staff
