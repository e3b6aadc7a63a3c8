"""Fictional plans for the comparison tests: two years of 示例市 and one year of 样例县.

All written for these tests; every name and figure is invented.  2023 → 2024 of 示例市: 劳动教育,
课后服务 and 学位 carry over (reworded), 校园足球 is dropped, 人工智能教育 is new.
"""

from __future__ import annotations

import pytest

from eduplan.domain import Plan
from eduplan.parsing import parse_plan

SHILI_2023 = """示例市2023年教育工作要点
一、落实立德树人根本任务
1.加强劳动教育。建设中小学劳动教育实践基地20个，制定家务劳动清单，每学年设立劳动周。
2.推广校园足球。新增全国青少年校园足球特色学校10所，举办市长杯校园足球联赛。
3.关注学生心理健康。配齐心理健康教育专职教师，建立心理危机干预机制。
二、办好人民满意的基础教育
4.扩大学位供给。新建改扩建中小学幼儿园12所，新增学位9000个，其中幼儿园学位3000个、小学学位4000个、初中学位2000个。
5.做好课后服务。实现义务教育学校课后服务全覆盖，丰富课后服务内容。
三、强化教育保障
6.加大教育经费投入。落实生均公用经费标准，全年教育投入25亿元。
""".splitlines()

SHILI_2024 = """示例市2024年教育工作要点
一、落实立德树人根本任务
1.深化劳动教育。新建中小学劳动教育实践基地15个，落实家务劳动清单和劳动周制度。
2.关注学生心理健康。配齐心理健康教育专职教师，完善心理危机干预机制。
3.开展人工智能教育。在全市中小学开设人工智能课程，建设人工智能实验室30间。
二、办好人民满意的基础教育
4.持续扩大学位供给。新建改扩建中小学幼儿园10所，新增学位8000个，其中幼儿园学位2000个、小学学位4000个、初中学位2000个。
5.提升课后服务质量。义务教育学校课后服务全覆盖，引进优质资源丰富课后服务内容。
三、强化教育保障
6.加大教育经费投入。落实生均公用经费标准，全年教育投入2.8亿元。
""".splitlines()

YANGLI_2024 = """样例县2024年教育工作要点
一、五育并举
1.实施劳动教育提升行动。依托农场建设县级劳动教育实践基地3个，开展农耕体验和研学实践。
2.推进阳光体育运动。保障学生每天校内体育活动时间不少于1小时，学生体质健康优良率达到55%。
二、教育保障
3.推进义务教育优质均衡。新建学校3所，新增学位2400个，普惠性幼儿园覆盖率达到85%。
4.建设智慧校园。建设县教育数据中心，实现校园网全覆盖。
""".splitlines()


@pytest.fixture
def shili_2023() -> Plan:
    return parse_plan(SHILI_2023)


@pytest.fixture
def shili_2024() -> Plan:
    return parse_plan(SHILI_2024)


@pytest.fixture
def yangli_2024() -> Plan:
    return parse_plan(YANGLI_2024)


@pytest.fixture
def three_plans(shili_2023: Plan, shili_2024: Plan, yangli_2024: Plan) -> dict[str, Plan]:
    return {"示例市2023": shili_2023, "示例市2024": shili_2024, "样例县2024": yangli_2024}
