"""One random step in a slot's life through the report services (save, submit, accept or return),
and the slots themselves (which reporter owes a report on which item), shared by the tests that
check a summary against its sources after seeded random sequences."""

from __future__ import annotations

import random
from datetime import date, datetime

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import ACCOUNTS, World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput

PROGRESS = [
    ("not_started", 0.0),
    ("in_progress", 35.0),
    ("in_progress", 70.5),
    ("blocked", 20.0),
    ("done", 100.0),
]


def random_report_step(
    rng: random.Random,
    sessions: SessionFactory,
    who: Principal,
    office: Principal,
    item_id: int,
    moment: datetime,
    today: date,
    with_values: bool = False,
) -> str | None:
    """Take the next step for `who`'s report of `item_id` in a random cycle of 0–4; returns what
    was done ("save", "submit", "accept", "return") or None (an accepted report: nothing)."""
    assert who.unit_id is not None
    cycle = rng.randrange(5)
    mine = [r for r in tracking.list_reports(sessions, who, item_id, cycle) if r.unit_id == who.unit_id]
    report = mine[0] if mine else None
    progress, percent = rng.choice(PROGRESS)
    if report is None or (report.state in ("draft", "returned") and rng.random() < 0.4):
        values = {}
        if with_values:
            targets = tracking.get_item(sessions, Principal.system(), item_id).targets[:1]
            # a later cycle never reports less (cumulative targets may not go down without a reason)
            values = {t.id: float(round(t.value * (cycle + rng.random()) / 5)) for t in targets}
        loop.save_report(
            sessions,
            who,
            item_id,
            who.unit_id,
            cycle,
            ReportInput(progress, percent, "进展", values=values),
            report.version if report else None,
            today,
        )
        return "save"
    if report.state in ("draft", "returned"):
        loop.submit_report(sessions, who, report.id, report.version, now=moment)
        return "submit"
    if report.state == "submitted":
        decision = "accept" if rng.random() < 0.6 else "return"
        loop.review_report(sessions, office, report.id, decision, report.version, "请补充佐证")
        return decision
    return None


def sample_reporters(world: World) -> dict[str, Principal]:
    """The sample world's unit reporters, by login."""
    return {
        name: Principal(world.users[name], name, role, world.org_id, "示例市", world.units[unit])
        for name, (role, unit) in ACCOUNTS.items()
        if role == "reporter" and unit is not None
    }


def reporter_slots(world: World, sessions: SessionFactory) -> list[tuple[str, int]]:
    """(reporter, item) pairs where the reporter's unit is responsible, sorted."""
    reporters = sample_reporters(world)
    out = []
    for item_id in [*world.items.values(), *world.district_items.values()]:
        units = {
            a.unit_id
            for a in tracking.get_item(sessions, Principal.system(), item_id).assignments
            if a.state == "assigned"
        }
        out += [(name, item_id) for name, who in reporters.items() if who.unit_id in units]
    return sorted(out)
