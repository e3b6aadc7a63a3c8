"""`from_row`: a view's fields from a row's same-named attributes, what the caller gives winning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace

from sqlalchemy import create_engine, literal, select

from eduplan.services.view_rows import from_row


@dataclass(kw_only=True)
class Seen:
    id: int
    title: str
    at: datetime | None
    due: date | None = None
    notes: list[str] = field(default_factory=list)


def test_fields_come_from_the_row_and_given_ones_win() -> None:
    row = SimpleNamespace(id=7, title="义务教育", at=None, due=date(2026, 3, 11), extra="不要")
    view = from_row(Seen, row, title="学前教育")
    assert view == Seen(id=7, title="学前教育", at=None, due=date(2026, 3, 11))


def test_a_stored_moment_comes_back_in_utc_and_a_missing_field_keeps_its_default() -> None:
    row = SimpleNamespace(id=1, title="t", at=datetime(2026, 3, 11, 8, 30))  # SQLite: naive
    view = from_row(Seen, row)
    assert view.at == datetime(2026, 3, 11, 8, 30, tzinfo=UTC) and view.due is None and view.notes == []


def test_the_first_row_that_has_an_attribute_gives_it() -> None:
    version = SimpleNamespace(id=2, title="第2版", at=None)
    document = SimpleNamespace(title="文件名.docx", due=date(2026, 1, 1))
    assert from_row(Seen, version, document) == Seen(id=2, title="第2版", at=None, due=date(2026, 1, 1))


def test_a_methods_name_is_no_attribute() -> None:
    class Row:
        id, at = 3, None

        def title(self) -> str:  # a method, not a column
            return "x"

    assert from_row(Seen, Row(), title="标题").title == "标题"


def test_a_result_row_gives_its_columns_not_its_tuple_methods() -> None:
    @dataclass(kw_only=True)
    class Counted:
        index: int
        count: int = 0

    with create_engine("sqlite://").connect() as conn:
        row = conn.execute(select(literal(4).label("index"))).one()
    assert from_row(Counted, row) == Counted(index=4, count=0)
