"""目标达成 is defined once (`rules.achievement`); the dashboard computes it in SQL
(`dashboard_query.achievement_sql`) and the rollups in Python: the two must agree on every comparator
and edge (a zero target, a zero actual, over- and under-achievement, negative values), on SQLite and
PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import Float, String, literal, select

from eduplan.db.engine import SessionFactory
from eduplan.services.tracking.dashboard_query import achievement_sql
from eduplan.services.tracking.rules import achievement

COMPARATORS = (">=", "<=", "=", "≈", "between")
TARGETS = (0.0, 5.0, 100.0, 85.5, -3.0)
ACTUALS = (0.0, 2.5, 5.0, 150.0, 85.5, -1.0)


def test_the_sql_ratio_is_the_python_ratio(sessions: SessionFactory) -> None:
    cases = list(itertools.product(COMPARATORS, TARGETS, ACTUALS))
    with sessions() as session:
        got = [
            session.scalar(select(achievement_sql(literal(c, String), literal(t, Float), literal(a, Float))))
            for c, t, a in cases
        ]
    for (c, t, a), sql in zip(cases, got, strict=True):
        assert float(sql) == pytest.approx(achievement(c, t, a)), (c, t, a)


def test_the_ratio_says_what_a_user_expects() -> None:
    assert achievement(">=", 100, 85) == pytest.approx(0.85)  # 85 of 100 schools
    assert achievement("<=", 10, 20) == pytest.approx(0.5)  # a ceiling overshot twice over
    assert achievement(">=", 100, 150) == 1.0  # more than the target counts as met, not 150 %
