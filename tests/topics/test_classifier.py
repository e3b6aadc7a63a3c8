"""The topic classifier on items written the way bureaus write them (fictional, not from any plan)."""

from __future__ import annotations

import pytest

from eduplan.topics import TOPIC_IDS, TopicClassifier, default_classifier

BY_CHAPTER = {
    # chapter title: [(item title, item body, expected primary topic)]
    "一、全面加强党的建设": [
        ("深化模范机关创建", "落实“三会一课”制度，推进党支部标准化规范化建设。", "party")
    ],
    "二、落实立德树人根本任务": [
        ("推进大中小学思政课一体化", "建设思政课教师队伍，开展红色基因传承活动。", "moral"),
        ("实施学生体质健康促进行动", "保障每天校内体育活动时间，推广校园足球和冰雪运动。", "pe"),
        ("推进学校美育浸润", "开展艺术展演和戏曲进校园活动，完善艺术素质测评。", "arts"),
        ("加强劳动教育", "建设一批中小学劳动教育实践基地，制定家务劳动清单。", "labor"),
        ("关注学生心理健康", "配齐心理健康教育教师，建立心理危机干预机制，做好近视防控。", "health"),
        ("办好家长学校", "健全家校社协同育人机制，开展家庭教育指导。", "family"),
        ("深化课堂教学改革", "加强教研队伍建设，开展学业质量监测，推进作业设计研究。", "teaching"),
    ],
    "三、办好公平优质的基础教育": [
        ("扩大普惠性学前教育资源", "新建公办幼儿园5所，推进小区配套园治理。", "preschool"),
        ("推动义务教育优质均衡", "深化集团化办学，消除大班额，做好课后服务。", "compulsory"),
        ("推进普通高中多样化发展", "实施新课程新教材，推进选课走班教学。", "highschool"),
        ("提升特殊教育水平", "完善随班就读和送教上门，建设资源教室。", "special"),
        ("发展民族教育", "办好民族学校，深入开展民族团结进步教育。", "ethnic"),
    ],
    "四、增强职业教育适应性": [
        ("深化产教融合", "推进校企合作和现代学徒制，办好职业技能大赛。", "vocational")
    ],
    "五、建设学习型社会": [("发展社区教育和老年教育", "办好老年大学，探索学分银行建设。", "lifelong")],
    "六、规范民办教育": [("巩固校外培训治理成果", "加强校外培训机构资金监管，查处无证办学。", "private")],
    "七、建设高素质教师队伍": [
        ("加强师德师风建设", "开展师德师风专题教育，严肃查处违反师德行为。", "teachers")
    ],
    "八、深化教育综合改革": [("推进中考改革", "完善综合素质评价，做好考试招生工作。", "reform")],
    "九、推进教育数字化": [("建设智慧校园", "建设教育数据中心，加强网络安全等级保护。", "digital")],
    "十、提升教育治理水平": [
        ("推进依法治教", "完善学校章程，健全法律顾问制度，深化放管服改革。", "governance"),
        ("强化教育督导", "开展县级政府履行教育职责评价，落实责任督学挂牌督导。", "inspection"),
    ],
    "十一、强化教育保障": [
        ("加大教育经费投入", "落实生均公用经费标准，加强预算绩效管理。", "resources"),
        ("做好学生资助工作", "精准资助家庭经济困难学生，落实控辍保学。", "equity"),
        ("建设平安校园", "开展防溺水安全教育，排查校园安全隐患，做好信访维稳。", "safety"),
        ("抓好常态化疫情防控", "落实晨午检和因病缺课追踪，做好传染病防控。", "epidemic"),
    ],
    "十二、扩大教育开放": [
        ("拓展国际交流合作", "发展中外合作办学，建立国际友好学校。", "international"),
        ("做好语言文字工作", "推广普通话，开展中华经典诵读活动。", "language"),
    ],
    "五、服务城市发展": [("推进校城融合", "支持驻市高校一流学科建设，促进高校毕业生就业。", "higher")],
    "一、总体要求": [("指导思想", "以新时代中国特色社会主义思想为指导，全面贯彻党的教育方针。", "overall")],
}
CASES = [(chapter, *case) for chapter, cases in BY_CHAPTER.items() for case in cases]


@pytest.mark.parametrize(("chapter", "title", "body", "expected"), CASES, ids=[c[3] for c in CASES])
def test_primary_topic_of_typical_items(chapter: str, title: str, body: str, expected: str) -> None:
    clf = default_classifier()
    labels = clf.classify(title, f"{title}。{body}", clf.context(chapter))
    assert labels, title
    assert labels[0].id == expected, [(x.id, x.evidence) for x in labels]
    assert labels[0].evidence, "a label says which phrases led to it"


def test_every_topic_of_the_taxonomy_is_reachable() -> None:
    assert {c[3] for c in CASES} == set(TOPIC_IDS)


def test_the_title_outweighs_the_body() -> None:
    clf = default_classifier()
    body = "加强劳动教育。结合研学实践，组织学生到爱国主义教育基地参观学习。"
    assert clf.classify("加强劳动教育", body)[0].id == "labor"


def test_the_chapter_settles_a_vague_title() -> None:
    clf = default_classifier()
    vague = "进一步优化布局结构"
    body = f"{vague}。整合县级职教中心和中职学校资源，推动专业群对接产业链。"
    labels = clf.classify(vague, body, clf.context("六、增强职业技术教育适应性"))
    assert labels[0].id == "vocational"


def test_secondary_topics_are_at_most_two_and_below_the_primary() -> None:
    clf = default_classifier()
    title = "推进体育美育劳动教育和心理健康教育"
    labels = clf.classify(title, title + "。开展阳光体育、艺术展演、劳动实践和心理辅导。")
    assert 2 <= len(labels) <= 3
    scores = [x.score for x in labels]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_no_evidence_gives_no_label() -> None:
    assert default_classifier().classify("其他", "其他。") == []


def test_quotation_marks_do_not_hide_a_phrase() -> None:
    labels = default_classifier().classify("落实“双减”工作", "落实“双减”工作。")
    assert labels[0].id == "compulsory" and "双减" in labels[0].evidence


def test_a_custom_lexicon_is_used() -> None:
    clf = TopicClassifier({"labor": {3: "种菜"}}, neutral="")
    assert [x.id for x in clf.classify("组织学生种菜")] == ["labor"]
