"""Genres of real planning documents beyond the house styles: read by rules from the genre.

Every document here is fictional (示例市/示例县/示例大学), written for these tests in the shape of
documents seen in the wild: bracketed task labels (【重点任务1】), news-style summaries that count
一是…二是… inside a paragraph, lists of 名称：内容 entries, a one-level code of conduct, headings a PDF
export glued to their paragraph, a university plan whose units are 处室, and 负责/配合 lines.
Each goes through `normalize_lines` and `parse_plan` like a real file.
"""

from __future__ import annotations

import pytest

from eduplan.domain import Plan
from eduplan.parsing import ParseError, parse_plan
from eduplan.parsing.genres import is_context
from eduplan.parsing.units import label_role
from eduplan.plan_json import plan_from_dict, plan_to_dict
from eduplan.readers.normalize import normalize_lines


def parse(text: str) -> Plan:
    return parse_plan(normalize_lines(text.strip("\n").split("\n")))


def outline(plan: Plan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(c.number, c.title, [(t.number, t.title) for t in c.items]) for c in plan.chapters]


# -- bracketed task labels ----------------------------------------------------------------------
BRACKETED = {
    "重点任务N": """示例市教育局2024年重点工作任务清单
一、推进基础教育优质均衡
【重点任务1】扩大优质学位供给。新建中小学3所，新增学位2400个。
责任科室：基础教育科
【重点任务2】深化集团化办学。新组建教育集团5个。
责任科室：基础教育科、发展规划科
二、加强教师队伍建设
【重点任务3】实施名师培养工程。培养市级名师30名。
责任科室：教师工作科
""",
    "任务一": """示例县2024年教育工作要点
一、推进基础教育优质均衡
【任务一】扩大优质学位供给。新建中小学3所，新增学位2400个。
责任科室：基础教育科
【任务二】深化集团化办学。新组建教育集团5个。
责任科室：基础教育科、发展规划科
二、加强教师队伍建设
【任务三】实施名师培养工程。培养市级名师30名。
责任科室：教师工作科
""",
    "冒号": """示例县2024年教育工作要点
一、推进基础教育优质均衡
重点任务1：扩大优质学位供给。新建中小学3所，新增学位2400个。
责任科室：基础教育科
重点任务2：深化集团化办学。新组建教育集团5个。
责任科室：基础教育科、发展规划科
二、加强教师队伍建设
重点任务3：实施名师培养工程。培养市级名师30名。
责任科室：教师工作科
""",
    "方括号": """示例县2024年教育工作要点
一、推进基础教育优质均衡
[重点工作1]扩大优质学位供给。新建中小学3所，新增学位2400个。
责任科室：基础教育科
[重点工作2]深化集团化办学。新组建教育集团5个。
责任科室：基础教育科、发展规划科
二、加强教师队伍建设
[重点工作3]实施名师培养工程。培养市级名师30名。
责任科室：教师工作科
""",
}


@pytest.mark.parametrize("style", list(BRACKETED))
def test_bracketed_task_labels_are_items(style: str) -> None:
    plan = parse(BRACKETED[style])
    numbers = ["一", "二", "三"] if style == "任务一" else ["1", "2", "3"]
    assert outline(plan) == [
        ("一", "推进基础教育优质均衡", [(numbers[0], "扩大优质学位供给"), (numbers[1], "深化集团化办学")]),
        ("二", "加强教师队伍建设", [(numbers[2], "实施名师培养工程")]),
    ]
    assert [t.units for _, t in plan.tasks()] == [
        ["基础教育科"],
        ["基础教育科", "发展规划科"],
        ["教师工作科"],
    ]
    assert plan.warnings == []


def test_bracketed_unit_label_is_not_an_item() -> None:
    plan = parse(
        """示例县2024年教育工作要点
一、推进基础教育优质均衡
【重点任务1】扩大优质学位供给。新增学位2400个。
【责任科室】基础教育科
【重点任务2】深化集团化办学。新组建教育集团5个。
"""
    )
    assert [(t.number, t.units) for _, t in plan.tasks()] == [("1", ["基础教育科"]), ("2", [])]


# -- news-style summaries: 一是…二是…三是… inside a paragraph ------------------------------------
NEWS = """示例区教育局2024年工作要点
一、聚焦立德树人
全年围绕立德树人抓好三件事。一是深化思政课改革，开展集体备课60场次；二是加强体质健康监测，优良率达到55%以上；三是推进劳动教育，建设劳动实践基地5个。
二、聚焦优质均衡
（一）扩大学位供给。新增学位3000个。
（二）深化集团化办学。一是新组建教育集团4个。二是推进集团内教师交流，交流比例不低于15%。
责任科室：基础教育科
"""


def test_news_style_enumeration_in_a_chapter_makes_its_items() -> None:
    plan = parse(NEWS)
    assert outline(plan) == [
        (
            "一",
            "聚焦立德树人",
            [("一", "深化思政课改革"), ("二", "加强体质健康监测"), ("三", "推进劳动教育")],
        ),
        ("二", "聚焦优质均衡", [("一", "扩大学位供给"), ("二", "深化集团化办学")]),
    ]
    first = plan.chapters[0]
    assert first.text == "全年围绕立德树人抓好三件事。"
    assert first.items[1].text == "加强体质健康监测，优良率达到55%以上"
    assert [(t.comparator, t.value, t.unit) for t in first.items[1].targets] == [(">=", 55, "%")]


def test_news_style_enumeration_in_an_item_makes_its_subitems() -> None:
    task = parse(NEWS).chapters[1].items[1]
    assert [(s.number, s.title) for s in task.subitems] == [
        ("一", "新组建教育集团4个"),
        ("二", "推进集团内教师交流"),
    ]
    assert task.units == ["基础教育科"]
    assert "一是新组建教育集团4个" in task.text  # the item keeps its whole text


def test_a_lone_yishi_is_not_an_enumeration() -> None:
    plan = parse(
        """示例区教育局2024年工作要点
一、聚焦立德树人
要坚持一是一、二是二的作风，把工作落到实处。
（一）深化思政课改革。开展集体备课60场次。
二、聚焦优质均衡
（二）扩大学位供给。新增学位3000个。
"""
    )
    assert [len(c.items) for c in plan.chapters] == [1, 1]
    assert plan.chapters[0].items[0].subitems == []


# -- 名称：内容 entries ----------------------------------------------------------------------------
def test_named_entries_take_the_name_before_the_colon() -> None:
    plan = parse(
        """示例市“十四五”教育发展规划
一、实施重点工程
（一）学前教育普惠工程：新建改扩建公办幼儿园20所，普惠性幼儿园覆盖率达到90%。
（二）义务教育强校工程：到2025年，建成市级优质学校50所。
（三）工作目标：到2025年，学前教育毛入园率达到95%。
二、完善保障机制
（一）加强组织领导。建立联席会议制度。
（二）加大经费投入。确保教育经费逐年只增不减。
"""
    )
    assert [[t.title for t in c.items] for c in plan.chapters] == [
        ["学前教育普惠工程", "义务教育强校工程", "工作目标"],
        ["加强组织领导", "加大经费投入"],
    ]


def test_unnumbered_named_entries_become_items_of_their_chapter() -> None:
    plan = parse(
        """示例县2024年教育工作要点
一、重点项目
学位扩容项目：新建小学2所，新增学位1800个。
校园安全提升项目：完成30所学校视频监控全覆盖。
智慧教育项目：建设智慧课堂100间。
二、保障措施
（一）加强组织领导。成立工作专班。
（二）强化督查考核。每季度通报一次。
"""
    )
    assert outline(plan) == [
        ("一", "重点项目", [("1", "学位扩容项目"), ("2", "校园安全提升项目"), ("3", "智慧教育项目")]),
        ("二", "保障措施", [("一", "加强组织领导"), ("二", "强化督查考核")]),
    ]
    assert plan.chapters[0].items[0].text == "学位扩容项目：新建小学2所，新增学位1800个。"


def test_field_labels_are_not_named_entries() -> None:
    plan = parse(
        """示例县2024年教育工作要点
一、总体要求
工作目标：全县教育质量稳步提升。
主要措施：抓党建、抓质量、抓安全。
二、主要任务
（一）加强组织领导。成立工作专班。
（二）强化督查考核。每季度通报一次。
"""
    )
    assert [c.items for c in plan.chapters[:1]] == [[]]
    assert "工作目标" in plan.chapters[0].text


# -- a one-level document: a code of conduct ------------------------------------------------------
CODE = """示例市中小学教师职业行为准则
一、坚定政治方向。坚持以习近平新时代中国特色社会主义思想为指导，拥护中国共产党的领导。
二、自觉爱国守法。忠于祖国，忠于人民，恪守宪法原则。
三、传播优秀文化。带头践行社会主义核心价值观。
四、潜心教书育人。落实立德树人根本任务。
五、关心爱护学生。严慈相济，诲人不倦。
"""


def test_one_level_code_of_conduct_entries_are_chapters() -> None:
    plan = parse(CODE)
    assert [(c.number, c.title, c.items) for c in plan.chapters] == [
        ("一", "坚定政治方向", []),
        ("二", "自觉爱国守法", []),
        ("三", "传播优秀文化", []),
        ("四", "潜心教书育人", []),
        ("五", "关心爱护学生", []),
    ]
    assert plan.chapters[1].text == "忠于祖国，忠于人民，恪守宪法原则。"


def test_one_level_entries_with_units_stay_tasks() -> None:
    plan = parse(
        """示例县教育局2024年工作要点
一、加强党的建设。全年开展集中学习12次。（责任科室：办公室）
二、扩大学位供给。新增学位1200个。（责任科室：基础教育科）
三、保障校园安全。开展安全检查4次。（责任科室：安全科）
"""
    )
    assert [(t.number, t.title, t.units) for _, t in plan.tasks()] == [
        ("一", "加强党的建设", ["办公室"]),
        ("二", "扩大学位供给", ["基础教育科"]),
        ("三", "保障校园安全", ["安全科"]),
    ]


def test_one_level_arabic_list_stays_items() -> None:
    plan = parse("示例县2023年教育工作要点\n1.加强党建。\n2.推进改革。\n3.保障安全。")
    assert [t.title for _, t in plan.tasks()] == ["加强党建", "推进改革", "保障安全"]


# -- headings glued to their paragraph by a PDF export ------------------------------------------
GLUED = {
    "year": "一、总体要求2024年全市教育工作的总体要求是：坚持立德树人，办好人民满意的教育。",
    "guide": "一、总体要求以习近平新时代中国特色社会主义思想为指导，办好人民满意的教育。",
    "comma": "一、总体要求，坚持立德树人，办好人民满意的教育。",
}


@pytest.mark.parametrize("case", list(GLUED))
def test_chapter_heading_glued_to_its_lead(case: str) -> None:
    plan = parse(
        f"""示例市2024年教育工作要点
{GLUED[case]}
二、主要任务
（一）加强党的建设。全年开展集中学习12次。
（二）扩大学位供给。新增学位1200个。
"""
    )
    assert [c.title for c in plan.chapters] == ["总体要求", "主要任务"]
    assert plan.chapters[0].text.endswith("办好人民满意的教育。")


def test_headings_glued_after_the_previous_paragraph() -> None:
    plan = parse(
        """示例市2024年教育工作要点
一、加强党的建设
（一）落实主体责任。全年开展集中学习12次。（二）加强意识形态工作。每季度开展一次专题研判。
二、提升教育质量（三）扩大学位供给。新增学位1200个。
（四）推进一、二年级无纸笔测评。覆盖全部小学。
"""
    )
    assert outline(plan) == [
        ("一", "加强党的建设", [("一", "落实主体责任"), ("二", "加强意识形态工作")]),
        ("二", "提升教育质量", [("三", "扩大学位供给"), ("四", "推进一、二年级无纸笔测评")]),
    ]
    assert plan.chapters[0].items[0].text == "落实主体责任。全年开展集中学习12次。"


# -- a university plan with 处室 as units; 负责/配合 lines -----------------------------------------
UNIVERSITY = """示例大学2024年工作要点
一、落实立德树人根本任务
1.深化思政课程改革。建设校级课程思政示范课程20门。
责任处室：教务处、马克思主义学院
2.加强学生心理健康教育。心理普查覆盖率达到100%。（牵头处室：学生处；配合处室：团委、校医院）
二、加强办学条件保障
3.推进新校区建设。完成二期工程主体建设。
负责处室：后勤处　配合处室：财务处、资产处
4.提升智慧校园水平。
负责部门：信息中心
协助部门：教务处
"""


def test_university_units_are_its_offices() -> None:
    tasks = [t for _, t in parse(UNIVERSITY).tasks()]
    assert [t.units for t in tasks] == [
        ["教务处", "马克思主义学院"],
        ["学生处", "团委", "校医院"],
        ["后勤处", "财务处", "资产处"],
        ["信息中心", "教务处"],
    ]
    assert [(t.lead_units, t.support_units) for t in tasks[1:]] == [
        (["学生处"], ["团委", "校医院"]),
        (["后勤处"], ["财务处", "资产处"]),
        (["信息中心"], ["教务处"]),
    ]
    assert tasks[1].text.endswith("达到100%。")


def test_university_plan_metadata() -> None:
    plan = parse(UNIVERSITY)
    assert (plan.kind, plan.year) == ("annual_work_plan", 2024)
    assert plan.warnings == []


def test_one_level_work_plan_without_units_stays_tasks() -> None:
    plan = parse("示例县教育局2024年工作要点\n一、加强党的建设。\n二、扩大学位供给。\n三、保障校园安全。")
    assert [(c.number, c.title) for c in plan.chapters] == [("", "")]
    assert [t.title for _, t in plan.tasks()] == ["加强党的建设", "扩大学位供给", "保障校园安全"]


# -- context sections: kept, marked, not tracked ------------------------------------------------
@pytest.mark.parametrize(
    ("title", "context"),
    [
        ("发展基础", True),
        ("“十三五”时期发展基础", True),
        ("发展形势", True),
        ("发展环境", True),
        ("面临的机遇和挑战", True),
        ("指导思想", True),
        ("基本原则", True),
        ("总体要求", True),
        ("主要目标", True),
        ("发展目标", True),
        ("工作思路", True),
        ("指导思想和基本原则", True),
        ("总体目标。", True),
        ("“十四五”时期教育发展面临的形势", True),
        ("面临的机遇与挑战", True),
        ("总体目标和具体目标", True),
        ("准确把握新发展阶段", False),
        ("保障措施", False),
        ("加强党的建设", False),
        ("实现发展目标任务", False),
        ("夯实基础教育发展基础", False),
        ("完善基本公共教育服务", False),
        ("主要任务", False),
    ],
)
def test_context_titles(title: str, context: bool) -> None:
    assert is_context(title) is context


def test_context_sections_are_kept_and_marked() -> None:
    plan = parse(
        """示例市“十四五”教育发展规划
一、总体要求
（一）指导思想。坚持以人民为中心。
（二）工作原则。坚持优先发展。
二、发展成效与目标
（一）发展基础。“十三五”期间新增学位5万个。
（二）发展目标。到2025年，学前教育毛入园率达到95%。
三、主要任务
（一）扩大优质资源供给。新建中小学30所。
（二）提升教育教学质量。深化课程教学改革。
"""
    )
    assert [[(t.title, t.kind) for t in c.items] for c in plan.chapters] == [
        [("指导思想", "context"), ("工作原则", "context")],
        [("发展基础", "context"), ("发展目标", "context")],
        [("扩大优质资源供给", "task"), ("提升教育教学质量", "task")],
    ]
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert plan_to_dict(plan)["chapters"][0]["items"][0]["kind"] == "context"


COLLEGE = """示例学院2024年工作要点
一、加强党的建设
1.深化理论学习。全年开展中心组学习12次。（牵头：党委宣传部；配合：各二级学院）
2.加强基层党组织建设。（组织部、人事处）
二、提升人才培养质量
3.推进一流专业建设。新增省级一流专业2个。（教务处）
4.完善学生资助体系。资助覆盖率达到100%（含研究生）。
5.改善实验教学条件。更新实验设备（仪器、软件）。
"""


def test_college_short_labels_and_bare_unit_notes() -> None:
    tasks = [t for _, t in parse(COLLEGE).tasks()]
    assert [t.units for t in tasks] == [
        ["党委宣传部", "各二级学院"],
        ["组织部", "人事处"],
        ["教务处"],
        [],
        [],
    ]
    assert (tasks[0].lead_units, tasks[0].support_units) == (["党委宣传部"], ["各二级学院"])
    assert tasks[1].text == "加强基层党组织建设。"
    assert tasks[3].text.endswith("（含研究生）。")


def test_bracketed_box_is_a_box_not_an_item() -> None:
    plan = parse(
        """示例市“十四五”教育发展规划
一、主要任务
（一）扩大优质资源供给。新建中小学30所。
【专栏1】学位扩容工程
1.新建学校项目。新建中小学30所。
2.改扩建项目。改扩建学校20所。
（二）提升教育教学质量。深化课程教学改革。
二、保障措施
（一）加强组织领导。建立联席会议制度。
"""
    )
    assert [t.title for _, t in plan.tasks()] == ["扩大优质资源供给", "提升教育教学质量", "加强组织领导"]
    assert [(c.number, c.title, [p.title for p in c.projects]) for c in plan.columns] == [
        (1, "学位扩容工程", ["新建学校项目", "改扩建项目"])
    ]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("负责处室", "lead"),
        ("牵头单位", "lead"),
        ("配合处室", "support"),
        ("协助部门", "support"),
        ("【配合单位】", "support"),
        ("责任科室", "responsible"),
        ("责任单位：", "responsible"),
        ("责任领导", None),
        ("完成时间", None),
        ("工作任务", None),
    ],
)
def test_unit_column_headers(header: str, role: str | None) -> None:
    assert label_role(header) == role


def test_label_with_a_bracketed_second_name() -> None:
    plan = parse(
        """示例大学2024年工作要点
一、加强党的建设
1.深化理论学习。全年开展中心组学习12次。
责任部门（处室）：党委宣传部、组织部
2.加强基层党组织建设。创建样板支部10个。（牵头部门（处室）：组织部）
"""
    )
    assert [t.units for _, t in plan.tasks()] == [["党委宣传部", "组织部"], ["组织部"]]


def test_news_text_with_nothing_numbered_but_its_yishi() -> None:
    plan = parse(
        """示例县教育局部署2024年重点工作
2月20日，示例县教育局召开全县教育工作会议。会议指出，2023年全县教育事业稳步发展。
会议强调，2024年要重点抓好以下工作：一是扩大优质学位供给，新增学位1200个；二是深化课堂教学改革，建设示范课堂50节；三是守牢校园安全底线，开展安全检查4次。
"""
    )
    assert outline(plan) == [
        ("", "", [("一", "扩大优质学位供给"), ("二", "深化课堂教学改革"), ("三", "守牢校园安全底线")])
    ]
    assert [(t.value, t.unit) for t in plan.chapters[0].items[0].targets] == [(1200, "个")]


def test_text_with_nothing_numbered_at_all_is_refused() -> None:
    with pytest.raises(ParseError):
        parse("示例县教育局部署2024年重点工作\n会议强调要抓好各项工作。\n会议要求各校落实。")


def test_units_lines_after_named_entries_and_summaries_go_to_their_items() -> None:
    plan = parse(
        """示例县2024年教育工作要点
一、重点项目
学位扩容项目：新建小学2所，新增学位1800个。
责任科室：发展规划科
校园安全提升项目：完成30所学校视频监控全覆盖。
责任科室：安全科、装备中心
二、质量提升
全年重点抓好两件事。一是深化课堂教学改革，建设示范课堂50节；二是加强教研队伍建设，培训教研员200人次。
责任科室：基础教育科
三、其他工作
做好其他各项工作。
责任科室：办公室
四、保障措施
（一）加强组织领导。成立工作专班。
（二）强化督查考核。每季度通报一次。
"""
    )
    assert [[(t.title, t.units) for t in c.items] for c in plan.chapters[:3]] == [
        [("学位扩容项目", ["发展规划科"]), ("校园安全提升项目", ["安全科", "装备中心"])],
        [("深化课堂教学改革", ["基础教育科"]), ("加强教研队伍建设", ["基础教育科"])],
        [],
    ]
    assert plan.warnings == ["第12行：责任单位不属于任何条目：责任科室：办公室"]


def test_inline_points_of_a_style_never_at_a_line_start_stay_text() -> None:
    plan = parse(
        "示例县2024年教育工作要点\n1.加强党建。措施如下。（1）学习；（2）督查。\n2.推进改革。深化评价改革。\n"
    )
    assert [(c.number, [t.title for t in c.items]) for c in plan.chapters] == [("", ["加强党建", "推进改革"])]
    assert plan.tasks()[0][1].text == "加强党建。措施如下。（1）学习；（2）督查。"
