"""Whether a cycle's report is owed is defined once (`rules.owes_cycle`: only cycles due on or after
the day a task was received); the dashboard's flag (缺报 in the latest cycle) computes it in SQL
(`dashboard_query.owes_cycle_sql`), the task page in Python: the two agree on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import Integer, literal, select

from eduplan.db.engine import SessionFactory
from eduplan.services.tracking.dashboard_query import DAY_ZERO, owes_cycle_sql
from eduplan.services.tracking.rules import owes_cycle

DUE = (date(2024, 4, 25), date(2024, 5, 25))
RECEIVED = (None, date(2024, 1, 1), date(2024, 4, 24), date(2024, 4, 25), date(2024, 4, 26), date(2024, 5, 2))


def test_the_sql_rule_is_the_python_rule(sessions: SessionFactory) -> None:
    cases = list(itertools.product(DUE, RECEIVED))

    def day(d: date | None) -> object:
        return literal(None if d is None else (d - DAY_ZERO).days, Integer)

    with sessions() as session:
        got = [bool(session.scalar(select(owes_cycle_sql(day(d), day(r))))) for d, r in cases]
    assert got == [owes_cycle(due, received) for due, received in cases]


def test_a_task_given_after_a_cycle_fell_due_does_not_owe_it() -> None:
    last_week = date(2024, 4, 25)
    assert not owes_cycle(last_week, last_week + timedelta(days=7))
    assert owes_cycle(last_week, last_week)  # given on the due day: owed that day
    assert owes_cycle(last_week, None)  # there from the schedule's start
