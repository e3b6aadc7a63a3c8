"""Views built from rows: the one way a read model copies an ORM object's (or a result row's) columns
into its view dataclass, so a builder names only what it computes.

`from_row(View, row, unit_name=…)` fills every field of `View` from the row's attribute of the same
name, unless the caller gives it; with several rows (a version and its document), the first that has
the attribute.  A field no row has keeps its default (no default: the dataclass says which argument is
missing).  Stored moments come back as aware UTC datetimes (`clock.as_utc`:
SQLite hands them back naive), so no view carries a naive one.  A field whose name is a lazy
relationship of the row would load it: give such fields explicitly (the query-count tests notice).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Row

from eduplan.services.clock import as_utc

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

V = TypeVar("V", bound="DataclassInstance")


@cache
def _names(view: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(view) if f.init)


_ABSENT = object()


def _read(row: object, name: str) -> object:
    """`row.name`: a result row's column of that label (not a tuple method such as `index`), an
    object's attribute that is no method; `_ABSENT` when it has none."""
    if isinstance(row, Row):
        return row._mapping.get(name, _ABSENT)
    found = getattr(row, name, _ABSENT)
    return _ABSENT if callable(found) else found


def from_row(view: type[V], *rows: object, **given: Any) -> V:
    """A `view` of `rows`: the fields `given`, else the first row's same-named attribute that it has
    (a datetime as UTC)."""
    values = dict(given)
    for name in _names(view):
        if name in values:
            continue
        for row in rows:
            if (found := _read(row, name)) is not _ABSENT:
                values[name] = as_utc(found) if isinstance(found, datetime) else found
                break
    return view(**values)
