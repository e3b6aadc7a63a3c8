"""Plans × topics: task and target counts per cell."""

from __future__ import annotations

from eduplan.compare import cell_entries, topic_matrix
from eduplan.domain import IndicatorRow, IndicatorTable, Plan


def test_cells_count_tasks_by_primary_topic_with_their_targets(three_plans: dict[str, Plan]) -> None:
    matrix = topic_matrix(three_plans)
    assert matrix.plans == tuple(three_plans)
    assert matrix.cell("样例市2024", "labor").tasks == 1
    assert matrix.cell("样例市2024", "labor").targets == 1
    assert matrix.cell("样例县2024", "pe").targets == 2
    assert matrix.cell("样例县2024", "ethnic").tasks == 0
    assert "ethnic" not in matrix.topics  # nobody wrote about it
    total = sum(c.tasks for _, cells in matrix.rows() for c in cells)
    assert total == sum(len(p.tasks()) for p in three_plans.values())


def test_a_cell_opens_the_tasks_of_every_plan_on_that_topic(three_plans: dict[str, Plan]) -> None:
    cell = cell_entries(three_plans, "labor")
    # the county's 研学 on its tea farms is 劳动实践 too
    assert [e.title for e in cell["样例县2024"]] == ["实施劳动教育提升行动", "打造茶山研学品牌"]
    assert set(cell) == set(three_plans)


def test_indicator_rows_count_as_targets_of_their_topic() -> None:
    plan = Plan(
        title="规划",
        indicator_tables=[
            IndicatorTable(
                "主要目标",
                ["指标", "单位", "2025年"],
                [
                    IndicatorRow(label="学前教育毛入园率", unit="%", values={"2025": 95.0}),
                    IndicatorRow(label="学生体质健康达标率", unit="%", values={"2025": 93.0}),
                ],
            )
        ],
    )
    matrix = topic_matrix({"p": plan})
    assert matrix.cell("p", "preschool").targets == 1
    assert matrix.cell("p", "pe").targets == 1
