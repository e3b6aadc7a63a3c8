"""The implementation loop's JSON routes: reporting schedules, work items (assignment, deadlines,
下发), status and the audit trail.  Each route calls one use case of `eduplan.services.loop` as the
signed-in user; saves carry the `version` read, and a stale one is answered 409 (problem+json with
who changed what).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from eduplan.services import loop, tracking
from eduplan.services.audit import AuditView
from eduplan.services.tracking import views as v
from eduplan.web.deps import AsOf, CurrentUser, Id, SessionsDep, SettingsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["implementation"], responses=ERRORS)


class ScheduleIn(BaseModel):
    cycle: Literal["weekly", "biweekly", "monthly", "quarterly"]
    due_day: Annotated[int, Field(ge=1, le=31, description="Weekday 1–7 (weekly, biweekly) or day 1–31.")]
    starts_on: date | None = None
    ends_on: date | None = None
    version: int | None = Field(default=None, description="The version read, to change an existing schedule.")


class AssignmentIn(BaseModel):
    role: Literal["lead", "responsible", "support"] = "responsible"
    unit_id: int | None = None
    name: str | None = Field(default=None, description="A unit name or alias, or words to be specified.")


class AssignmentsIn(BaseModel):
    version: int
    assignments: Annotated[list[AssignmentIn], Field(min_length=1, max_length=50)]


class DeadlineIn(BaseModel):
    version: int
    deadline: Annotated[
        str, Field(min_length=1, max_length=100, description="2024-09-30, 9月底前, 第三季度, 年内…")
    ]


class UnitIn(BaseModel):
    org_id: int
    name: Annotated[str, Field(min_length=1, max_length=200)]
    aliases: list[str] = Field(default_factory=list, description="Other names it is written as.")


class HandDownIn(BaseModel):
    districts: list[str] | None = Field(
        default=None,
        description="Names of the organisations below (districts of a city, schools of a district); "
        "none: the districts the targets name.",
        max_length=200,
    )
    org_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        default=None, description="Ids of organisations directly below the item's.", max_length=200
    )


@router.put("/plans/{plan_id}/schedule")
def set_schedule(plan_id: Id, body: ScheduleIn, who: CurrentUser, sessions: SessionsDep) -> v.ScheduleView:
    """Open a plan for reporting (or change its cycle): its tasks become work items."""
    given = loop.ScheduleInput(body.cycle, body.due_day, body.starts_on, body.ends_on)
    return loop.open_plan(sessions, who, plan_id, given, body.version)


@router.get("/plans/{plan_id}/schedule")
def get_schedule(plan_id: Id, who: CurrentUser, sessions: SessionsDep) -> v.ScheduleView:
    """A plan's reporting schedule and its cycles."""
    return tracking.get_schedule(sessions, who, plan_id)


@router.get("/plans/{plan_id}/status")
def plan_status(
    plan_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep, day: AsOf
) -> v.PlanStatus:
    """Every task's colour (红黄绿) and each unit's reporting completeness per cycle."""
    return tracking.plan_status(sessions, settings, who, plan_id, day)


@router.post("/units", status_code=201)
def add_unit(body: UnitIn, who: CurrentUser, sessions: SessionsDep, response: Response) -> loop.AddedUnit:
    """Add a unit (科室, 直属单位) to the directory of an organisation (office staff); 200 when the
    name was already known."""
    added = loop.add_unit(sessions, who, body.org_id, body.name, body.aliases)
    if not added.created:
        response.status_code = 200
    return added


@router.get("/items")
def list_items(
    who: CurrentUser,
    sessions: SessionsDep,
    plan_id: int | None = None,
    unit_id: int | None = None,
    to_be_specified: Annotated[
        bool | None, Query(description="Only items with (or without) 待明确 units.")
    ] = None,
) -> list[v.WorkItemView]:
    """Work items the user may see (a reporter: its unit's)."""
    return tracking.list_items(sessions, who, plan_id, unit_id, to_be_specified)


@router.get("/items/{item_id}")
def get_item(item_id: Id, who: CurrentUser, sessions: SessionsDep) -> v.WorkItemView:
    """One work item with its assignments, targets, deadline and version."""
    return tracking.get_item(sessions, who, item_id)


@router.get("/items/{item_id}/status")
def item_status(
    item_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep, day: AsOf
) -> v.ItemStatus:
    """One item's colour and why."""
    return tracking.item_status(sessions, settings, who, item_id, day)


@router.get("/items/{item_id}/audit")
def item_audit(item_id: Id, who: CurrentUser, sessions: SessionsDep) -> list[AuditView]:
    """Every change to the item and its reports: who, when, what, before and after."""
    return tracking.item_audit(sessions, who, item_id)


@router.put("/items/{item_id}/assignments")
def set_assignments(
    item_id: Id, body: AssignmentsIn, who: CurrentUser, sessions: SessionsDep
) -> v.WorkItemView:
    """Replace the units responsible (office staff)."""
    given = [loop.AssignmentInput(a.role, a.unit_id, a.name) for a in body.assignments]
    loop.set_assignments(sessions, who, item_id, given, body.version)
    return tracking.get_item(sessions, who, item_id)


@router.put("/items/{item_id}/deadline")
def set_deadline(item_id: Id, body: DeadlineIn, who: CurrentUser, sessions: SessionsDep) -> v.WorkItemView:
    """Set the deadline, as a date or in words read in the plan's year (office staff)."""
    loop.set_deadline(sessions, who, item_id, body.deadline, body.version)
    return tracking.get_item(sessions, who, item_id)


@router.post("/items/{item_id}/hand-down")
def hand_down(
    item_id: Id, body: HandDownIn, who: CurrentUser, sessions: SessionsDep, today: Today
) -> loop.HandDownResult:
    """下发: hand a task down one level (a city's to districts, a district's to schools) as child
    items with their shares of the targets; each child counts its cycles from today."""
    return loop.hand_down(sessions, who, item_id, body.districts, body.org_ids, today)
