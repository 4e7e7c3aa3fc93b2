from kb.places import Gazetteer, attribute, discover, discover_local, load_curated, load_gazetteer


def gaz():
    return Gazetteer(load_gazetteer())


def test_short_forms_but_never_qinxian_inside_qinyang():
    g = gaz()
    assert [n for _, _, n in g.mentions("汝阳和沁阳，还有沁县")] == ["汝阳县", "沁阳市", "沁县"]
    assert [n for _, _, n in g.mentions("沁州黄集团")] == []


def test_this_county_and_my_city_resolve_to_the_right_place():
    paras = [
        ["汝阳县总面积1332平方公里。", "该县已经出列74个村。"],
        ["我市市区将投放政府储备肉。", "投放时间为3月9日。"],
    ]
    places = attribute(paras, gaz(), home_city="洛阳市", home_county=None)
    assert places[0][1][0] == "汝阳县"
    assert places[1][0][0] == "洛阳市"
    assert places[1][1][0] == "洛阳市"  # no place named: the sentence before it decides


def test_this_city_is_resolved_before_the_sentence_names_another():
    paras = [["沁阳市委下决心建设两条路。", "该市还投资1900余万元，位居焦作六县第一。"]]
    places = attribute(paras, gaz(), home_city="沁阳市", home_county=None)
    assert places[0][1][0] == "沁阳市"


def test_the_city_around_the_subject_is_its_scope_not_the_next_this_city():
    # 焦作 is named as the scope of 沁阳's ranking; the next 该市 is still 沁阳, and so the sentences after it
    paras = [
        ["沁阳市委下决心建设两条路。", "该市还投资1900余万元，位居焦作六县第一。"],
        ["该市继续坚持以人民为中心。", "力争在2020年底完成1026.8公里创建任务。"],
    ]
    places = attribute(paras, gaz(), home_city="沁阳市", home_county=None)
    assert places[1][0] == ["沁阳市"] and places[1][1][0] == "沁阳市"


def test_this_village_is_the_last_village_named():
    paras = [["博爱县孝敬镇坞庄村村民在管理大棚蔬菜。", "县扶贫办为该村村民办理贴息贷款54万元。"]]
    known = load_gazetteer()
    g = Gazetteer(
        {**known, **discover_local([p for para in paras for p in para], Gazetteer(known), None, "a")}
    )
    places = attribute(paras, g, home_city="焦作市", home_county=None)
    assert places[0][1][0] == "坞庄村"


def test_a_city_sentence_after_several_of_its_counties_is_the_citys_alone():
    paras = [
        [
            "王小平到修武县、武陟县暗访。",
            "徐衣显前往温县调研。",
            "市里成立督查组。",
            "覆盖109个贫困村。",  # the city's villages, not 修武县's
        ],
        ["常平乡来说是一个美好愿望。", "沁阳市委下决心建设两条路。", "这两条路去年动工。"],
    ]
    jiaozuo = attribute(paras[:1], gaz(), home_city="焦作市", home_county=None)
    assert jiaozuo[0][3] == ["焦作市"]
    qinyang = attribute(paras[1:], gaz(), home_city="沁阳市", home_county=None)
    assert qinyang[0][2] == ["沁阳市", "常平乡"]  # one town in scope: the sentence may still be about it


def test_new_county_is_discovered_but_common_words_are_not():
    texts = [
        "兰考县总面积1116平方公里。兰考县脱贫了。兰考县贫困村退出。",
        "5个贫困县摘帽，贫困县退出，国定贫困县很多。",
    ]
    found = discover(texts, load_curated())  # 兰考县 is in the national gazetteer: discovery is for the rest
    assert "兰考县" in found and found["兰考县"].english == ["Lankao"]
    assert "贫困县" not in found


def test_a_pages_subject_county_stays_out_of_its_citys_story():
    paras = [
        ["汝阳县总面积1332平方公里。", "同时，发展电商。"],  # the county's story: its subject
        ["我市市区将投放政府储备肉。"],
        ["今年，我市将加强医疗卫生基础设施建设。", "继续免费开展新生儿疾病筛查。"],  # the city's story
    ]
    places = attribute(paras, gaz(), home_city="洛阳市", home_county="汝阳县")
    assert places[0][1] == ["汝阳县"]
    assert places[2][1] == ["洛阳市"]  # not 汝阳县 too: the city's own programme is no county's figure


def test_national_news_is_no_countys_or_citys(engine):
    """上周，农业农村部印发通知… on the Luoyang page: the country's news, not 西工区's (the story before it),
    and its reply names no place rather than a wrong one."""
    ans = engine.ask("甲鱼乌龟还让吃不")
    assert ans.found and "西工区" not in ans.text and not ans.text.lstrip("是的。").startswith("：")
