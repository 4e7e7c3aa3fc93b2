"""Hierarchy questions answered from the gazetteer with the source named (engine/hierarchy.py), and a
question about a known place no article covers answered honestly (issue 9, point 2)."""

from __future__ import annotations

import pytest

HIERARCHY = "行政区划数据：jionlp china_location"


@pytest.mark.parametrize(
    ("question", "value", "text"),
    [
        ("武乡县属于哪个市", "长治市", "武乡县属于山西省长治市"),
        ("沁县属于哪个省", "山西省", "沁县属于山西省长治市"),
        ("沁縣屬於哪個省", "山西省", "沁县属于山西省长治市"),
        ("汝阳是哪个市的", "洛阳市", "汝阳县属于河南省洛阳市"),
        ("沁阳在哪个省", "河南省", "沁阳市属于河南省焦作市"),
        ("孟州是哪个市的", "焦作市", "孟州市属于河南省焦作市"),
        ("孟津属于哪个市", "洛阳市", "孟津县属于河南省洛阳市"),
        ("淮阳县属于哪个市", "周口市", "淮阳区属于河南省周口市"),  # its former name
        ("兰考县隶属于哪个市", "开封市", "兰考县属于河南省开封市"),
        ("奉节县属于哪个省", "重庆市", "奉节县属于直辖市重庆市"),
        ("沁县的上级是", "山西省长治市", "沁县属于山西省长治市"),
    ],
)
def test_hierarchy_questions_in_chinese(engine, question, value, text):
    answer = engine.ask(question)
    assert answer.found and answer.intent == "hierarchy" and answer.confidence >= 0.95
    assert answer.value == value
    assert answer.text == f"{text}（{HIERARCHY}）"
    assert answer.sources and answer.sources[0].article == HIERARCHY


@pytest.mark.parametrize(
    ("question", "value"),
    [("坞庄村在哪个镇", "孝敬镇"), ("发展大棚的坞庄村在哪个县哪个镇", "博爱县孝敬镇")],  # each level asked
)
def test_a_village_the_articles_place_names_its_town(engine, question, value):
    answer = engine.ask(question)
    assert answer.found and answer.intent == "hierarchy" and answer.value == value
    assert "jiaozuo-2017-poverty-review-2016.txt" in answer.text  # the article that places it


@pytest.mark.parametrize(
    ("question", "value", "start"),
    [
        (
            "Which province is Qin County in?",
            "山西省",
            "Qin County (沁县) is in Changzhi (长治市), Shanxi (山西省)",
        ),
        ("Which city is Wuxiang County in?", "长治市", "Wuxiang (武乡县) is in Changzhi (长治市)"),
        ("Where is Ruyang?", "河南省洛阳市", "Ruyang (汝阳县) is in Luoyang (洛阳市), Henan (河南省)"),
        ("Qinyang belongs to which province?", "河南省", "Qinyang (沁阳市) is in Jiaozuo (焦作市)"),
    ],
)
def test_hierarchy_questions_in_english(engine, question, value, start):
    answer = engine.ask(question)
    assert answer.found and answer.intent == "hierarchy" and answer.lang == "en"
    assert answer.value == value and answer.text.startswith(start)
    assert "(administrative divisions: jionlp china_location)" in answer.text


def test_curated_towns_name_the_project_gazetteer(engine):
    answer = engine.ask("郭村镇属于哪个县")
    assert answer.value == "沁县" and "项目地名表 kb/gazetteer.yaml" in answer.text


def test_a_name_of_several_places_lists_them(engine):
    answer = engine.ask("鼓楼区属于哪个市")
    assert answer.found and answer.intent == "hierarchy"
    assert "河南省开封市鼓楼区" in answer.text and "福建省福州市鼓楼区" in answer.text


def test_municipalities_belong_to_no_province(engine):
    answer = engine.ask("北京市属于哪个省")
    assert answer.found and answer.value == "北京市" and "直辖市" in answer.text


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("奉节县有多少贫困村", "重庆市奉节县"),
        ("滑县有多少贫困村", "河南省安阳市滑县"),
        ("兰考有多少贫困村", "河南省开封市兰考县"),
        ("武乡县的贫困发生率是多少", "山西省长治市武乡县"),
    ],
)
def test_a_known_place_without_articles_gets_an_honest_reply(engine, question, where):
    answer = engine.ask(question)
    assert not answer.found and answer.intent == "unknown_place"
    assert answer.text.startswith(f"抱歉，我手头的文章没有关于{where}的内容。")


@pytest.mark.parametrize(
    "question",
    [
        "汝阳县未脱贫人口有多少",  # a covered place: the engine answers
        "焦作的旅游扶贫在哪个县",  # a which-place question about the articles, not the gazetteer
        "示范县有多少",  # 范县 is not in 示范县
        "富民产业带动了多少贫困户",  # 富民 is a word of the articles here, not 富民县
        "Which county has the most poor villages?",
    ],
)
def test_questions_about_the_articles_are_left_to_the_engine(engine, question):
    assert engine.ask(question).intent not in ("hierarchy", "unknown_place")


@pytest.mark.parametrize("question", ["沁县是归哪个市管的？", "沁县到底属于哪个市", "沁县究竟是哪个市的"])
def test_words_between_the_place_and_the_question_words(engine, question):
    ans = engine.ask(question)
    assert ans.intent == "hierarchy" and ans.value == "长治市"


def test_a_village_an_enumeration_names_bare_is_placed_in_its_town(engine):
    # 沁阳市常平乡九渡、中站区龙翔街道赵庄等村: 九渡 is a village of 常平乡, asked as 九渡村 too
    ans = engine.ask("九渡村是哪个乡的")
    assert ans.found and ans.intent == "hierarchy" and ans.value == "常平乡"
