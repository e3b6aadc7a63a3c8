"""A small hand-made plan with every part the exporters show (no parser needed)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.domain import (
    Chapter,
    Column,
    IndicatorRow,
    IndicatorTable,
    Plan,
    Project,
    SubItem,
    Target,
    TargetPart,
    Task,
)


@pytest.fixture
def plan() -> Plan:
    return Plan(
        title="2024年示例市教育工作要点",
        place="示例市",
        kind="annual_work_plan",
        year=2024,
        doc_number="示教发〔2024〕3号",
        issued_on=date(2024, 2, 20),
        issuer=["示例市教育局"],
        chapters=[
            Chapter(
                "一",
                "扩大优质教育资源供给",
                items=[
                    Task(
                        "1",
                        "加快中小学幼儿园建设",
                        "加快中小学幼儿园建设。新增学位16500个，其中幼儿园6030个。",
                        units=["发展规划科", "基础教育科"],
                        deadline=date(2024, 6, 30),
                        targets=[
                            Target(
                                "新增学位16500个",
                                "新增学位",
                                "=",
                                16500,
                                "个",
                                parts=[TargetPart("幼儿园", 6030)],
                            ),
                            Target("覆盖率达到85%以上", "覆盖率", ">=", 85, "%"),
                        ],
                    ),
                    Task("2", "推进学前教育普及普惠", "推进学前教育普及普惠。"),
                ],
            ),
            Chapter(
                "二",
                "建设高素质教师队伍",
                items=[
                    Task(
                        "3",
                        "实施教师能力素质提升工程",
                        "实施教师能力素质提升工程。培训教师不少于5000人次。",
                        lead_units=["教师工作科"],
                        support_units=["教科院", "各区县教育局"],
                        subitems=[SubItem("1", "分层培训", "分层培训。")],
                        targets=[Target("", "培训教师", ">=", 5000, "人次")],
                    )
                ],
            ),
        ],
        columns=[Column(3, "工程1：新时代立德树人工程", "二", [Project("1", "思政课一体化建设项目")])],
        indicator_tables=[
            IndicatorTable(
                "主要指标",
                ["指标", "单位", "2023年", "2024年", "属性"],
                [
                    IndicatorRow(
                        label="普惠性幼儿园覆盖率",
                        unit="%",
                        values={"2023": 82, "2024": 85.5},
                        attribute="约束性",
                    )
                ],
                note="注：示例。",
            )
        ],
        warnings=["第9行：编号不连续"],
    )
