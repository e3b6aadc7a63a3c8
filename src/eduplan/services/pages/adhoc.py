"""The 新建交办事项 form (/adhoc/new, issue 14): the sources, the recurrences and the units of the
office's organisation to choose from, with what was typed and the errors beside their fields when a
post is refused.  Creating the item is `loop.adhoc.create_item`."""

from __future__ import annotations

from dataclasses import dataclass, field

from eduplan.choices import ADHOC_SOURCE_LABELS, RECURRENCE_LABELS
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal
from eduplan.services.tracking.directory import unit_options


@dataclass(kw_only=True)
class AdhocForm:
    """What the form offers and holds."""

    sources: list[tuple[str, str]]
    recurrences: list[tuple[str, str]]
    units: list[tuple[int, str]]
    limit: str
    values: dict[str, str] = field(default_factory=dict)
    supports: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


DEFAULTS = {
    "source": "instruction",
    "title": "",
    "text": "",
    "proposer": "",
    "reference": "",
    "deadline": "",
    "lead_unit": "",
    "recurrence": "",
    "given_on": "",
}


def adhoc_form(sessions: SessionFactory, actor: Principal, limit: str) -> AdhocForm:
    """The empty form for office staff of an organisation (`Forbidden` for others)."""
    actor.require_manager()
    units: list[tuple[int, str]] = []
    if actor.org_id is not None:
        with sessions() as session:
            units = unit_options(session, actor.org_id)
    return AdhocForm(
        sources=list(ADHOC_SOURCE_LABELS.items()),
        recurrences=list(RECURRENCE_LABELS.items()),
        units=units,
        limit=limit,
        values=dict(DEFAULTS),
    )
