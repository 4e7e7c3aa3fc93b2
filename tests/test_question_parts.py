"""The parts of reading a question and weighing a figure's own words: pure functions, no fact base."""

from engine.answer import _lead_share
from engine.index import Fact
from engine.question import Concept, mark_head


def _fact(text: str, value: str) -> Fact:
    start = text.index(value)
    return Fact(0, 0, value, 0.0, "", "count", text, start, start + len(value), None, False)


def test_the_head_is_the_concept_right_after_the_question_word_even_when_it_was_named_before():
    text = "焦作农村低保和城市低保各发了多少低保金"
    concepts = (Concept(("低保",), 5.0), Concept(("农村",), 4.0), Concept(("各发",), 7.0))
    heads = [c.members[0] for c in mark_head(concepts, text) if c.head]
    assert heads == ["低保"]


def test_the_head_before_the_question_word_is_the_nearest_one():
    concepts = (Concept(("贫困户",), 3.0), Concept(("增收",), 4.0))
    assert [c.members[0] for c in mark_head(concepts, "贫困户增收多少") if c.head] == ["增收"]


def test_a_figure_is_named_by_the_words_after_the_figure_before_it():
    text = "完成农村危房改造1.79万户（其中建档立卡贫困户1.14万户）"
    facts = [_fact(text, "1.79万户"), _fact(text, "1.14万户")]
    asked = (Concept(("建档立卡",), 4.0), Concept(("贫困户",), 3.0))
    whole, part = (_lead_share(text, f, facts, asked) for f in facts)
    assert part == 1.0 and whole == 0.0


def test_a_numbered_framework_and_the_part_asked_are_terms():
    from engine.query import _numbered

    assert _numbered("医保改革“1+4+2”里那个“4”指的是啥") == [("1+4+2",), ("4是",)]
    assert _numbered("那1指的啥") == [("1是",)]
    assert _numbered("汝阳有多少个村") == []


def test_a_name_in_another_places_item_of_an_enumeration_is_that_places():
    from engine.answer import _in_another_item

    text = (
        "评选出市总工会派驻沁阳市紫陵镇范村第一书记孔亚平、市水利局派驻孟州市槐树乡岩山村第一书记杨希庆等典型"
    )
    places = ("范村", "岩山村", "沁阳市", "孟州市")
    at = text.index("孔亚平")
    assert _in_another_item(text, at, at + 3, ("岩山村",), places)
    at = text.index("杨希庆")
    assert not _in_another_item(text, at, at + 3, ("岩山村",), places)
    # two titles of one person: the first item names no rival, so it is part of the same thing
    text = "杨安乡张家沟村支部书记、村主任郭新文在工作中积劳成疾"
    at = text.index("张家沟村")
    assert not _in_another_item(text, at, at + 4, ("郭新文",), ("郭新文",))


def test_a_comparison_by_a_lone_noun_asks_how_many_of_it():
    from engine.question import compare_sides

    assert compare_sides("焦作农村低保跟城市低保哪个人多") == [
        ("焦作农村低保", "焦作农村低保多少人"),
        ("城市低保", "城市低保多少人"),
    ]
    assert compare_sides("修那两条路跟建医养中心，哪个花的钱多")[0] == ("修那两条路", "修那两条路花的钱多少")


def test_all_of_them_having_done_what_is_asked_is_done_not_a_total():
    from engine.answer import _clause_qualifier
    from engine.question import Query

    q = Query(
        text="沁县的贫困人口都脱贫了吗",
        lang="zh",
        qtype="yesno",
        concepts=(Concept(("贫困人口",), 3.0), Concept(("脱贫",), 2.0)),
        qualifier="done",
    )
    assert _clause_qualifier("37467名贫困人口全部脱贫", q) == {"qual_agree": 1.0}
    assert _clause_qualifier("全部贫困人口共37467名", q) == {"qual_conflict": 1.0}


def test_english_questions_say_how_many_figures_they_ask():
    from engine.question import figures_asked

    assert figures_asked("How many households and people were still not out of poverty?") == 2
    assert figures_asked("How many start-up loans did Ruyang issue and for how much money?") == 2
    assert figures_asked("How many poor villages does Ruyang have?") == 1
    assert figures_asked("汝阳贫困户有多少户多少人") == 2
    assert figures_asked("焦作暗访覆盖了多少个乡镇、贫困村、贫困户") == 3  # one question word, three things
    assert figures_asked("全省一共多少个国家级和省级贫困县摘帽") == 2  # 和 enumerates as 、 does
    assert figures_asked("有多少户贫困户和多少人") == 2  # its own question word: counted once
    assert figures_asked("沁县易地扶贫搬迁搬了多少户、多少人") == 2
    assert figures_asked("汝阳转移劳动力十几万人？具体多少") == 1  # 十几万 is a figure said, not one asked


def test_the_noun_a_figure_counts_is_no_lead_of_the_next_figure():
    from dataclasses import replace

    text = "全省19个国家级贫困县和14个省级贫困县脱贫摘帽"
    first, second = _fact(text, "19个"), _fact(text, "14个")
    first = replace(first, counted="国家级贫困县")
    asked = (Concept(("国家级",), 5.0),)
    assert _lead_share(text, second, [first, second], asked) == 0.0


def test_a_date_asked_as_month_and_day_is_one_question_word():
    # 几月几号竣工: 竣工 follows the question word, and is what is asked (not 两条路 before it)
    concepts = (Concept(("竣工",), 6.0), Concept(("两条路",), 6.0))
    heads = [c.members[0] for c in mark_head(concepts, "常平乡那两条路是几月几号竣工的") if c.head]
    assert heads == ["竣工"]


def test_what_a_clause_says_beyond_the_question():
    from engine.answer import unasked
    from engine.question import Query

    q = Query(text="沁县有几个乡镇", lang="zh", qtype="how_many", concepts=(Concept(("乡镇",), 4.5),))
    assert unasked(q, "7个乡镇和部门主要领导被约谈", "7个") > 0.8  # it tells of a reprimand
    assert unasked(q, "全县辖7个乡镇", "7个") < 0.5


def test_henans_de_inside_a_phrase_is_de_and_its_how_many_is_how_many():
    from engine.normalize import normalize

    assert normalize("有多老些个村嘞人专门种") == "有多少个村的人专门种"
    assert normalize("中不中嘞") == "中不中嘞"  # a final 嘞 is a particle
