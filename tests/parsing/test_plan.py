"""`parse_plan`: the outline (chapters, items, sub-items), units, 专栏 boxes, errors (plan.py)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.domain import Plan
from eduplan.parsing import ParseError, parse_plan
from eduplan.samples import plan_text


def titles(plan: Plan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(c.number, c.title, [(t.number, t.title) for t in c.items]) for c in plan.chapters]


# -- the canonical sample ----------------------------------------------------------------------
def test_sample_plan() -> None:
    plan = parse_plan(plan_text.sample_lines())
    assert plan.title == plan_text.PLAN_TITLE
    assert (plan.place, plan.kind, plan.year) == ("示例市", "annual_work_plan", 2024)
    assert plan.doc_number == plan_text.DOC_NUMBER
    assert plan.issued_on == date(2024, 2, 20)
    assert plan.issuer == list(plan_text.ISSUERS)
    assert [c.title for c in plan.chapters] == [c.title for c in plan_text.CHAPTERS]
    numbered = plan_text.numbered_items()
    assert [(t.number, t.title) for _, t in plan.tasks()] == [(str(n), item.title) for n, item in numbered]
    assert plan.warnings == []


def test_sample_plan_units_targets_deadlines() -> None:
    tasks = [t for _, t in parse_plan(plan_text.sample_lines()).tasks()]
    assert tasks[0].units == ["发展规划科", "基础教育科"]
    assert tasks[4].lead_units == ["教师工作科"]
    assert tasks[4].support_units == ["市教育科学研究院", "各区县教育局"]
    first = tasks[0].targets[0]
    assert (first.subject, first.comparator, first.value, first.unit) == ("新增学位", "=", 3200, "个")
    assert [(p.label, p.value) for p in first.parts] == [("幼儿园", 1200), ("小学", 2000)]
    assert tasks[0].deadline == date(2024, 6, 30)
    assert [(t.subject, t.comparator, t.value) for t in tasks[1].targets] == [
        ("普惠性幼儿园覆盖率", ">=", 85),
        ("新建公办幼儿园", "between", 2),
    ]
    assert tasks[3].targets == []


def test_sample_plan_indicator_table() -> None:
    plan = parse_plan(plan_text.sample_lines())
    (table,) = plan.indicator_tables
    assert table.header == list(plan_text.INDICATOR_TABLE[0])
    assert [(r.label, r.unit, r.values, r.attribute) for r in table.rows] == [
        (label, unit, {"2023": float(a), "2024": float(b)}, attr)
        for label, unit, a, b, attr in plan_text.INDICATOR_TABLE[1:]
    ]


def test_sample_plan_table_caption_is_not_item_text() -> None:
    last = parse_plan(plan_text.sample_lines()).tasks()[-1][1]
    assert "附表" not in last.text


# -- outline -----------------------------------------------------------------------------------
def test_chapters_with_lead_paragraphs_and_paren_items() -> None:
    plan = parse_plan(
        [
            "示例市2023年教育工作要点",
            "一、着力扩大优质资源供给",
            "全市要坚持学位供给优先。",
            "（一）持续增加学位供给。新增学位12000个。",
            "（二）推进学前教育普惠。普惠性幼儿园覆盖率稳定在90%以上。",
            "二、着力提升教育质量",
            "（三）深化课堂教学改革。建成市级课程基地20个左右。",
        ]
    )
    assert titles(plan) == [
        ("一", "着力扩大优质资源供给", [("一", "持续增加学位供给"), ("二", "推进学前教育普惠")]),
        ("二", "着力提升教育质量", [("三", "深化课堂教学改革")]),
    ]
    assert plan.chapters[0].text == "全市要坚持学位供给优先。"
    assert plan.chapters[1].text == ""


def test_chapter_with_only_a_paragraph() -> None:
    plan = parse_plan(
        [
            "示例市2024年教育工作要点",
            "一、总体要求",
            "2024年全市教育工作的总体要求是：坚持稳中求进，加快建设教育强市。",
            "二、重点任务",
            "1.加强党的建设。落实主体责任。",
            "2.扩大学位供给。新增学位3000个。",
        ]
    )
    assert titles(plan) == [
        ("一", "总体要求", []),
        ("二", "重点任务", [("1", "加强党的建设"), ("2", "扩大学位供给")]),
    ]
    assert plan.chapters[0].text.startswith("2024年全市教育工作的总体要求是")


def test_item_heading_on_its_own_line() -> None:
    plan = parse_plan(
        [
            "示例县2023年教育工作要点",
            "一、加强党的建设",
            "1.加强基层党组织建设",
            "落实党组织领导的校长负责制。",
            "2.加强党风廉政建设",
            "开展警示教育不少于2次。",
            "二、发展学前教育",
            "3.扩大普惠资源",
            "新建公办幼儿园3所。",
        ]
    )
    tasks = [t for _, t in plan.tasks()]
    assert [t.title for t in tasks] == ["加强基层党组织建设", "加强党风廉政建设", "扩大普惠资源"]
    assert tasks[0].text == "加强基层党组织建设\n落实党组织领导的校长负责制。"
    assert [(t.comparator, t.value, t.unit) for t in tasks[1].targets] == [(">=", 2, "次")]


@pytest.mark.parametrize(
    ("sub_marks", "numbers"),
    [(["（1）", "（2）"], ["1", "2"]), (["①", "②"], ["①", "②"]), (["(1)", "(2)"], ["1", "2"])],
)
def test_subitems(sub_marks: list[str], numbers: list[str]) -> None:
    plan = parse_plan(
        [
            "示例市2022年工作要点",
            "一、立德树人",
            "1.加强德育工作。",
            f"{sub_marks[0]}深化“三全育人”综合改革，评选市级德育示范校15所。",
            f"{sub_marks[1]}加强心理健康教育。",
            "责任单位：德育科",
            "二、改革创新",
            "2.深化评价改革。",
            f"{sub_marks[0]}完善评价办法。",
        ]
    )
    first, second = (t for _, t in plan.tasks())
    assert [(s.number, s.title) for s in first.subitems] == [
        (numbers[0], "深化“三全育人”综合改革，评选市级德育示范校15所"),
        (numbers[1], "加强心理健康教育"),
    ]
    assert first.units == ["德育科"]
    assert [(t.value, t.unit) for t in first.targets] == [(15, "所")]
    assert len(second.subitems) == 1


def test_three_levels_chapter_section_point() -> None:
    plan = parse_plan(
        [
            "示例区教育局2024年工作要点",
            "一、聚焦立德树人",
            "（一）深化思政课改革",
            "1.组建思政课名师工作室5个。",
            "2.开展主题教育活动。",
            "（二）加强体质健康",
            "1.保障每天体育活动时间。",
            "二、聚焦优质均衡",
            "（三）实施学位扩容工程",
            "1.新建学校4所。",
        ]
    )
    assert titles(plan) == [
        ("一", "聚焦立德树人", [("一", "深化思政课改革"), ("二", "加强体质健康")]),
        ("二", "聚焦优质均衡", [("三", "实施学位扩容工程")]),
    ]
    assert [s.number for s in plan.chapters[0].items[0].subitems] == ["1", "2"]


def test_items_without_chapters() -> None:
    plan = parse_plan(["示例县2023年教育工作要点", "1.加强党建。", "2.推进改革。", "3.保障安全。"])
    assert [t.title for _, t in plan.tasks()] == ["加强党建", "推进改革", "保障安全"]


def test_circled_items() -> None:
    plan = parse_plan(
        ["示例县2023年教育工作要点", "一、党建", "①加强党建。", "②推进改革。", "二、安全", "③保障安全。"]
    )
    assert [t.number for _, t in plan.tasks()] == ["①", "②", "③"]


# -- units -------------------------------------------------------------------------------------
def test_units_line_and_inline_units() -> None:
    plan = parse_plan(
        [
            "示例市2022年教育工作要点",
            "一、党建",
            "1．加强政治理论学习。全年开展集中学习不少于12次。（责任单位：机关党委、办公室）",
            "2．加强基层党组织建设。创建党建示范校10所。（牵头单位：组织人事科；配合单位：各区县教育局）",
            "二、质量",
            "3．扩大学前教育资源。新增学位3600个。",
            "牵头单位：学前教育科",
            "配合单位：发展规划科、计划财务科",
        ]
    )
    a, b, c = (t for _, t in plan.tasks())
    assert a.units == ["机关党委", "办公室"]
    assert a.text.endswith("不少于12次。")  # the note is taken out of the text
    assert (b.lead_units, b.support_units) == (["组织人事科"], ["各区县教育局"])
    assert c.units == ["学前教育科", "发展规划科", "计划财务科"]
    assert (c.lead_units, c.support_units) == (["学前教育科"], ["发展规划科", "计划财务科"])


def test_units_line_wrapped_onto_two_lines() -> None:
    plan = parse_plan(
        [
            "示例市2024年教育工作要点",
            "一、党建",
            "1.加强党的建设。落实主体责任。",
            "责任单位：办公室、组织人事科、基础教育科、职业教育科、",
            "计划财务科、安全稳定科",
            "二、质量",
            "2.扩大学位供给。新增学位3000个。",
        ]
    )
    first = plan.tasks()[0][1]
    assert first.units == ["办公室", "组织人事科", "基础教育科", "职业教育科", "计划财务科", "安全稳定科"]
    assert first.text == "加强党的建设。落实主体责任。"


def test_deadline_inside_the_inline_units_note() -> None:
    plan = parse_plan(
        [
            "示例市2024年教育工作要点",
            "一、党建",
            "1.扩大学位供给。新增学位3000个。（责任单位：基教科；完成时限：6月底前）",
            "2.推进课后服务。实现全覆盖。",
        ]
    )
    first = plan.tasks()[0][1]
    assert first.units == ["基教科"]
    assert first.deadline == date(2024, 6, 30)


def test_units_line_outside_any_item_is_a_warning() -> None:
    plan = parse_plan(
        ["示例市2022年教育工作要点", "一、党建", "责任单位：办公室", "1．加强党建。", "2．推进改革。"]
    )
    assert plan.tasks()[0][1].units == []
    assert any("责任单位" in w for w in plan.warnings)


def test_numbering_jump_is_a_warning() -> None:
    plan = parse_plan(
        ["示例市2022年教育工作要点", "一、党建", "1．加强党建。", "2．推进改革。", "5．保障安全。"]
    )
    assert [t.number for _, t in plan.tasks()] == ["1", "2", "5"]
    assert any("2" in w and "5" in w for w in plan.warnings)


def test_imprint_is_not_item_text() -> None:
    plan = parse_plan(
        [
            "示例市2022年教育工作要点",
            "一、党建",
            "1．加强党建。落实主体责任。",
            "2．筑牢安全防线。开展安全大检查。",
            "抄送：市委办公室，市政府办公室。",
            "示例市教育局办公室 2022年1月12日印发",
        ]
    )
    assert plan.tasks()[-1][1].text == "筑牢安全防线。开展安全大检查。"


# -- five-year plans: 专栏 boxes -----------------------------------------------------------------
FIVE_YEAR = [
    "示例市“十四五”教育事业发展规划",
    "一、发展基础",
    "（一）发展成就",
    "“十三五”期间，全市新建学校120所，学前教育毛入园率达到91.5%。",
    "（二）发展目标",
    "到2025年，学前教育毛入园率达到95%以上。",
    "专栏1  “十四五”时期教育事业发展主要指标",
    "指标\t单位\t2020年\t2025年\t属性",
    "普及水平",
    "学前教育毛入园率\t%\t91.5\t95\t预期性",
    "九年义务教育巩固率\t%\t98.6\t99\t约束性",
    "注：带*的指标为新增指标。",
    "二、主要任务",
    "（一）扩大优质教育资源供给",
    "新建改扩建中小学幼儿园60所。",
    "专栏2  学位扩容重点工程",
    "1.示例市第一高级中学新校区建设项目。规划用地200亩，新增学位3000个。",
    "2.示例市实验幼儿园分园建设项目。新增学位360个。",
    "（二）建设高素质教师队伍",
    "培养市级名师200名。",
    "专栏3  教师队伍建设工程",
    "名师培养工程。每年遴选骨干教师100名。",
]


def test_five_year_plan_outline() -> None:
    plan = parse_plan(FIVE_YEAR)
    assert (plan.kind, plan.period, plan.year) == ("five_year_plan", (2021, 2025), None)
    assert titles(plan) == [
        ("一", "发展基础", [("一", "发展成就"), ("二", "发展目标")]),
        ("二", "主要任务", [("一", "扩大优质教育资源供给"), ("二", "建设高素质教师队伍")]),
    ]


def test_five_year_plan_boxes() -> None:
    plan = parse_plan(FIVE_YEAR)
    assert [(c.number, c.title, c.chapter) for c in plan.columns] == [
        (1, "“十四五”时期教育事业发展主要指标", "一"),
        (2, "学位扩容重点工程", "二"),
        (3, "教师队伍建设工程", "二"),
    ]
    assert [(p.number, p.title) for p in plan.columns[1].projects] == [
        ("1", "示例市第一高级中学新校区建设项目"),
        ("2", "示例市实验幼儿园分园建设项目"),
    ]
    assert [(p.number, p.title) for p in plan.columns[2].projects] == [(None, "名师培养工程")]
    (table,) = plan.indicator_tables
    assert table.column == 1
    assert [(r.label, r.group, r.values, r.attribute) for r in table.rows] == [
        ("学前教育毛入园率", "普及水平", {"2020": 91.5, "2025": 95}, "预期性"),
        ("九年义务教育巩固率", "普及水平", {"2020": 98.6, "2025": 99}, "约束性"),
    ]
    assert table.note == "注：带*的指标为新增指标。"


def test_five_year_plan_box_content_is_not_item_text() -> None:
    plan = parse_plan(FIVE_YEAR)
    for _, task in plan.tasks():
        assert "专栏" not in task.text
        assert "示例市第一高级中学" not in task.text
        assert "学前教育毛入园率\t" not in task.text


def test_five_year_plan_goals_are_targets_past_results_are_figures() -> None:
    plan = parse_plan(FIVE_YEAR)
    achievements, goals, places, teachers = [t for _, t in plan.tasks()]
    assert (achievements.targets, [(f.value, f.unit) for f in achievements.figures]) == (
        [],
        [(120, "所"), (91.5, "%")],
    )
    assert [(t.subject, t.comparator, t.value, t.unit) for t in goals.targets] == [
        ("学前教育毛入园率", ">=", 95, "%")
    ]
    assert [(t.value, t.unit) for t in places.targets] == [(60, "所")]
    assert [(t.subject, t.value) for t in teachers.targets] == [("培养市级名师", 200)]


def test_key_projects_keep_their_own_targets() -> None:
    plan = parse_plan(FIVE_YEAR)
    first, second = plan.columns[1].projects
    assert [(t.subject, t.value, t.unit) for t in first.targets] == [
        ("规划用地", 200, "亩"),
        ("新增学位", 3000, "个"),
    ]
    assert [(t.value, t.unit) for t in second.targets] == [(360, "个")]


@pytest.mark.parametrize(
    ("sentence", "goals"),
    [
        ("到2025年，普惠性幼儿园覆盖率达到85%以上。", [85]),
        ("“十三五”期间，累计新建幼儿园30所。", []),
        ("2020年，全市高中阶段毛入学率达到96.3%，比2015年提高2个百分点。", []),
        ("截至目前，已建成智慧校园示范校15所。", []),
        ("到2035年，义务教育巩固率达到100%。", []),
        ("小学一至二年级每周4课时，初中每周3课时。", []),
        ("帮助学生掌握1至2项终身受益的运动技能。", []),
        ("招收残疾学生5人以上的普通学校设立资源教室。", []),
        ("计划每年招聘特岗教师150人左右。", [150]),
        ("将市属中职学校由11所整合为9所。", [9]),
        ("支持各县区各办好一所特殊教育学校。", [1]),
        ("开发线上课程1000节。", [1000]),
    ],
)
def test_five_year_goals_by_tense_and_kind(sentence: str, goals: list[float]) -> None:
    plan = parse_plan(
        ["示例市“十四五”教育发展规划", "一、主要任务", "（一）推进教育发展", sentence, "（二）其他", "略。"]
    )
    task = plan.chapters[0].items[0]
    assert [t.value for t in task.targets] == goals


def test_box_with_several_unnumbered_projects() -> None:
    plan = parse_plan([*FIVE_YEAR, "乡村教师支持计划。完善乡村教师生活补助政策。"])
    assert [p.title for p in plan.columns[2].projects] == ["名师培养工程", "乡村教师支持计划"]


def test_project_title_before_a_colon() -> None:
    lines = [*FIVE_YEAR[:16], "1.示例市第一高级中学新校区建设项目：规划用地200亩，新增学位3000个。"]
    plan = parse_plan(lines)
    assert plan.columns[1].projects[0].title == "示例市第一高级中学新校区建设项目"


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lines",
    [
        [],
        [""],
        ["   ", "\t"],
        ["只有一段文字，没有任何编号。"],
        ["示例市教育工作要点", "一、总体要求"],
        ["字" * 100_001],
    ],
)
def test_parse_errors(lines: list[str]) -> None:
    with pytest.raises(ParseError):
        parse_plan(lines)


def test_a_string_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_plan("一、总体要求\n二、主要任务")  # type: ignore[arg-type]


def test_parse_error_names_the_line() -> None:
    with pytest.raises(ParseError) as info:
        parse_plan(["示例", "一、总体要求", "字" * 100_001])
    assert info.value.line == 3
    assert "第3行" in str(info.value)


def test_source_lines_are_kept_but_not_compared() -> None:
    plan = parse_plan(["示例市2022年教育工作要点", "一、党建", "1．加强党建。", "2．推进改革。"])
    task = plan.tasks()[0][1]
    assert task.line == 3
    shifted = parse_plan(["", "示例市2022年教育工作要点", "一、党建", "1．加强党建。", "2．推进改革。"])
    assert shifted.tasks()[0][1].line == 4
    assert shifted == plan
