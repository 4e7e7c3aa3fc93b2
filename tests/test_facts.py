from kb.facts import extract, fact_span
from kb.numbers import figures


def test_figures_with_units_and_magnitudes():
    found = [
        (f.text, f.unit_class) for f in figures("已脱贫11552户48871人，贫困发生率为1.18%，投资1900余万元")
    ]
    assert found == [
        ("11552户", "household"),
        ("48871人", "person"),
        ("1.18%", "percent"),
        ("1900余万元", "money"),
    ]


def test_years_dates_and_phone_numbers_are_not_figures():
    assert figures("投放时间为2020年3月9日至15日，电话63300059") == []


def test_amounts_are_scaled():
    (fig,) = figures("转移劳动力13.3万人")
    assert fig.amount == 133000


def test_fact_keeps_its_own_year_not_the_neighbours():
    rows = extract("2016年以来，共计投入扶贫资金24.6亿元，其中2016年投入3.1亿元，2017年投入6.2亿元")
    by_value = {r["value"]: r for r in rows}
    assert by_value["24.6亿元"]["since"] is True
    assert by_value["3.1亿元"]["year"] == 2016 and not by_value["3.1亿元"]["since"]
    assert by_value["6.2亿元"]["year"] == 2017
    assert by_value["6.2亿元"]["clause"] == "2017年投入6.2亿元"


def test_list_items_with_figures_get_their_own_span():
    s = "发放困难残疾人生活补贴4935.99万元、重度残疾人护理补贴5603.99万元。"
    first = s.index("4935")
    a, b = fact_span(s, first, first + 9)
    assert s[a:b] == "发放困难残疾人生活补贴4935.99万元"


def test_relative_year_read_against_the_article_year():
    (row,) = [r for r in extract("这两条路去年12月15日竣工，总投资4000多万元。", article_year=2020)]
    assert row["value"] == "4000多万元" and row["year"] == 2019


def test_phone_numbers_and_baseline_years():
    rows = extract("可拨打洛阳市政府储备肉投放工作监督投诉电话63300059，质量投诉电话12315", 2020)
    assert [(r["value"], r["unit_class"]) for r in rows if r["unit_class"] == "phone"] == [
        ("63300059", "phone"),
        ("12315", "phone"),
    ]
    grown = extract("贫困户外出务工8893人，较2019年增长20.96%", 2021)
    assert all(r["year"] is None for r in grown)  # 2019 is the baseline, not the figures' year
    trend = extract("人均纯收入由2014年的1907元增加到2020年的10118元", 2021)
    assert [(r["value"], r["year"]) for r in trend] == [("1907元", 2014), ("10118元", 2020)]


def test_a_surname_the_tagger_splits_off_after_a_title_is_joined():
    rows = extract("市民政局局长马海涛介绍，县委书记卢展明调研", 2021)
    assert [r["value"] for r in rows if r["unit_class"] == "name"] == ["马海涛", "卢展明"]


def test_counts_in_chinese_numerals_are_figures():
    got = [(f.text, f.amount, f.unit_class) for f in figures("先后两次承办培训会，分三批培育213个基地")]
    assert got == [("两次", 2.0, "count"), ("三批", 3.0, "count"), ("213个", 213.0, "count")]
    # 一 is an article (一批储备肉), ordinals and what points back (这两条路) are no new figure
    assert figures("投放一批储备肉") == figures("第三批") == figures("这两条路") == figures("十三五") == []


def test_a_range_is_one_figure_stated_whole():
    (f,) = figures("实现关联贫困户年收入增加900至1800元")
    assert (f.text, f.unit_class) == ("900至1800元", "money")
    assert [g.text for g in figures("由2760元提高到3360元")] == ["2760元", "3360元"]  # a change, not a range


def test_an_age_is_its_own_kind_of_figure():
    (f,) = figures("突发心脏病倒在扶贫一线，年仅54岁")
    assert (f.text, f.unit_class) == ("54岁", "age")


def test_a_span_of_years_said_as_one_is_a_duration():
    assert [(f.text, f.unit_class) for f in figures("计划分3年建设过渡安置房8500套")] == [
        ("3年", "duration"),
        ("8500套", "count"),
    ]
    assert figures("2016-2020年") == figures("5年来") == []  # years, not a duration


def test_a_year_said_after_a_figure_is_not_that_figures_year():
    from kb.facts import extract

    rows = {
        r["value"]: r["year"] for r in extract("近两年，县派驻村干部提拔52名，其中2018年提拔14人。", 2019)
    }
    assert rows == {"52名": None, "14人": 2018}  # two years' promotions, and the part of them in 2018


def test_a_sentence_opening_with_qizhong_goes_on_in_the_year_of_the_one_before():
    from kb.facts import extract

    rows = extract("其中，中心城区集中开工项目12个，总投资90.29亿元。", 2019, carried=2019)
    assert {r["value"]: r["year"] for r in rows} == {"12个": 2019, "90.29亿元": 2019}
    assert extract("中心城区集中开工项目12个。", 2019, carried=2019)[0]["year"] is None


def test_the_office_that_sends_a_cadre_or_team_is_a_fact():
    """市水利局派驻…第一书记杨希庆: the sending office, each of an enumeration's items its own (市委组织部,
    not 委组织部 nor the 市总工会 of the item before); no office where nothing is sent."""
    s = (
        "我市已涌现出市总工会派驻沁阳市紫陵镇范村第一书记孔亚平、市水利局派驻孟州市槐树乡岩山村第一书记杨希庆、"
        "市委组织部派驻武陟县小董乡南官庄村第一书记王建国等一批扶贫先进典型。"
    )
    assert [f["value"] for f in extract(s) if f["unit_class"] == "org"] == [
        "市总工会",
        "市水利局",
        "市委组织部",
    ]
    team = "2016年8月22日，市公安局驻修武县西村乡平顶爻村帮扶工作队的同志在平顶爻村现场解决问题。"
    assert [f["value"] for f in extract(team) if f["unit_class"] == "org"] == ["市公安局"]
    assert not [f for f in extract("选派驻村第一书记238名，驻村工作队员726名。") if f["unit_class"] == "org"]


def test_a_multiple_is_a_figure():
    rows = extract("周口市新建改建农村公路2291公里，是省定责任目标任务450公里的5倍。")
    assert [(f["value"], f["unit_class"]) for f in rows] == [
        ("2291公里", "length"),
        ("450公里", "length"),
        ("5倍", "multiple"),
    ]
