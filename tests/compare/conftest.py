"""The comparison tests read the canonical fictional plans of `eduplan.samples.compare_plans`: two
years of 样例市 and one year of 样例县 (its own 劳动教育 and 体育, and a 茶山研学 task nobody else has).

From 样例市 2023 to 2024: 劳动教育, 心理健康, 学位 and 课后服务 carry over (reworded), 校园足球 is
dropped, 人工智能教育 is new.
"""

from __future__ import annotations

import pytest

from eduplan.domain import Plan
from eduplan.samples.compare_plans import YANGLI_CITY_2023, YANGLI_CITY_2024, YANGLI_COUNTY_2024
from eduplan.services.parse import parse_lines


@pytest.fixture
def city_2023() -> Plan:
    return parse_lines(YANGLI_CITY_2023.splitlines())


@pytest.fixture
def city_2024() -> Plan:
    return parse_lines(YANGLI_CITY_2024.splitlines())


@pytest.fixture
def county_2024() -> Plan:
    return parse_lines(YANGLI_COUNTY_2024.splitlines())


@pytest.fixture
def three_plans(city_2023: Plan, city_2024: Plan, county_2024: Plan) -> dict[str, Plan]:
    return {"样例市2023": city_2023, "样例市2024": city_2024, "样例县2024": county_2024}
