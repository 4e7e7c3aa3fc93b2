from kb.bylines import byline
from kb.clean import paragraphs, squeeze_spaces, undouble
from kb.split import clause_spans, sentences


def test_doubled_headline_characters_are_undone():
    assert undouble("20172017年年11月月1212日日") == "2017年1月12日"
    assert (
        undouble("沁阳市城区集中供热工程加快推进沁阳市城区集中供热工程加快推进。。")
        == "沁阳市城区集中供热工程加快推进。"
    )


def test_ordinary_repetition_is_kept():
    assert undouble("人人关心、人人支持") == "人人关心、人人支持"
    assert undouble("人人") == "人人"


def test_spaces_inside_numbers_are_dropped_but_english_spacing_stays():
    assert squeeze_spaces("未脱贫人口 2207 户 5155 人 。") == "未脱贫人口2207户5155人。"
    assert squeeze_spaces("Qin County 1320 平方公里") == "Qin County1320平方公里"


def test_lines_broken_mid_word_and_across_page_breaks_are_joined():
    text = "该市还投资1900余万元，建成投运10\n\n所医养中心，位居第一。\n"
    assert paragraphs(text) == ["该市还投资1900余万元，建成投运10所医养中心，位居第一。"]


def test_short_heading_is_its_own_paragraph():
    text = "明确目标 靶向一致\n汝阳县总面积 1332 平方公里，辖 8 镇\n5 乡，总人口 52 万。该县2002年被确定为国家级贫困县；\n"
    paras = paragraphs(text)
    assert paras[0] == "明确目标靶向一致"
    assert paras[1].startswith("汝阳县总面积1332平方公里，辖8镇5乡")


def test_sentences_and_clauses():
    sents = sentences("目前，该县已经出列74个村。未脱贫人口2207户5155人；各项指标均达标。")
    assert sents == ["目前，该县已经出列74个村。", "未脱贫人口2207户5155人；", "各项指标均达标。"]
    text = sents[0]
    assert [text[a:b] for a, b in clause_spans(text)] == ["目前", "该县已经出列74个村"]


def test_a_story_lead_starts_its_own_paragraph_after_a_headline():
    text = (
        "全县顺利实现高质量脱贫摘帽，群众满意。\n\n吴会菊 文/图\n\n"
        "汝阳县“苦干改山河”，实干换新天——\n\n“登山精神”指引 如期脱贫摘帽\n\n"
        "本报讯（记者 李迎博 通讯员 李倩）记者日前从市商\n务局获悉，自今日起连续 7 天，我市市区将投放政府储备\n肉。\n"
    )
    paras = paragraphs(text)
    assert paras[-1].startswith("本报讯")  # its byline is the pork story's, not the headline's story
    assert any(p.endswith("如期脱贫摘帽") for p in paras)


def test_a_byline_line_ends_its_paragraph():
    """本报记者 郭树勋 本报通讯员 吴 明 above a subheading: the names alone (the subheading joined to them
    made 吴明全面小康… no name, and 小康 a person)."""
    text = "沁阳行动\n\n本报记者 郭树勋 本报通讯员 吴 明\n\n全面小康不落一人\n\n每周专题研究扶贫工作是去年以来沁阳市委常委会的必修课。\n"
    paras = paragraphs(text)
    assert "本报记者郭树勋本报通讯员吴明" in paras
    assert byline("本报记者郭树勋本报通讯员吴明") == "记者 郭树勋；通讯员 吴明"
