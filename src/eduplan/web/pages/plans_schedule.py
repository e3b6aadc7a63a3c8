"""开启报送 and 分工总览 of a plan (office staff): ``/plans/{id}/schedule`` sets the reporting cycle,
due day and period over `loop.open_plan` (which creates a work item per task); ``/plans/{id}/
assignments`` lists every task with its units, the 待明确 ones first marked, and lets staff pick the
units of one task from the organisation's unit directory (`loop.set_assignments`).

Both forms carry the version they read: a change saved meanwhile by someone else answers 409 with
who changed what, the typed values kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.services import loop, tracking
from eduplan.services import registry as reg
from eduplan.services.errors import Invalid, NotFound, StaleVersion
from eduplan.services.loop.late_opening import late_opening
from eduplan.services.pages.task import stale_message
from eduplan.services.registry import Conflict
from eduplan.services.registry.views import UnitView
from eduplan.services.tracking.children import handdown_choices
from eduplan.services.tracking.schedule import CYCLE_LABELS
from eduplan.services.tracking.views import WorkItemView
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.context import FormCtx, PageContext
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
ROLE_CHOICES = (("", "不参与"), ("lead", "牵头"), ("support", "配合"), ("responsible", "责任"))


@dataclass(kw_only=True)
class ScheduleForm:
    cycle: str = "monthly"
    due_day: str = "25"
    starts_on: str = ""
    ends_on: str = ""
    version: str = ""


@dataclass
class SchedulePage:
    plan_id: int
    title: str
    year: int | None
    current: loop.ScheduleInput | None
    cycles: list[tuple[str, str]]
    form: ScheduleForm
    upcoming: list[tuple[int, date, date, date]]
    items: int
    error: str | None = None
    warning: str | None = None
    """Asked before opening reporting on a plan whose period is over (`loop.late_opening`)."""


def _schedule_page(
    sessions: Any, who: Any, plan_id: int, form: ScheduleForm | None = None, **extra: Any
) -> SchedulePage:
    who.require_manager()
    plan = reg.get_plan(sessions, plan_id)
    try:
        s = tracking.get_schedule(sessions, who, plan_id)
    except NotFound:
        s = None
    if form is None:
        form = ScheduleForm()
        if s is not None:
            form = ScheduleForm(
                cycle=s.cycle,
                due_day=str(s.due_day),
                starts_on=s.starts_on.isoformat(),
                ends_on=s.ends_on.isoformat(),
                version=str(s.version),
            )
    current = loop.ScheduleInput(s.cycle, s.due_day, s.starts_on, s.ends_on) if s else None
    upcoming = [(c.index, c.start, c.end, c.due) for c in (s.cycles[:60] if s else [])]
    return SchedulePage(
        plan.id,
        plan.title,
        plan.year,
        current,
        list(CYCLE_LABELS.items()),
        form,
        upcoming,
        s.items if s else 0,
        **extra,
    )


@page(router, "/plans/{plan_id}/schedule", "plans/schedule.html")
def schedule_page(request: Request, plan_id: int, who: PageUser, sessions: SessionsDep) -> SchedulePage:
    """The reporting schedule form."""
    return _schedule_page(sessions, who, plan_id)


def _day(text: str, label: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(f"{label}格式应为 2024-01-31") from None


def _schedule_again(
    ctx: PageContext, plan_id: int, form: ScheduleForm, status: int, **extra: str
) -> Response:
    """The schedule form again as typed, with the warning or the error."""
    data = _schedule_page(ctx.sessions, ctx.who, plan_id, form, **extra)
    return render(ctx.request, "plans/schedule.html", data, status)


@router.post("/plans/{plan_id}/schedule", response_class=HTMLResponse)
def schedule_submit(
    plan_id: Id,
    ctx: FormCtx,
    cycle: Annotated[str, Form(max_length=20)] = "",
    due_day: Annotated[str, Form(max_length=4)] = "",
    starts_on: Annotated[str, Form(max_length=20)] = "",
    ends_on: Annotated[str, Form(max_length=20)] = "",
    version: Annotated[str, Form(max_length=12)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Open the plan for reporting (or change its schedule); a period already over is confirmed first."""
    form = ScheduleForm(cycle=cycle, due_day=due_day, starts_on=starts_on, ends_on=ends_on, version=version)
    sessions, who = ctx.sessions, ctx.who
    try:
        if not due_day.strip().isdigit():
            raise Invalid("报送日须是数字（月报、季报为几号，周报为星期几）")
        given = loop.ScheduleInput(
            cycle, int(due_day), _day(starts_on, "开始日期"), _day(ends_on, "结束日期")
        )
        warning = None if confirm == "yes" else late_opening(sessions, who, plan_id, given, ctx.today)
        if warning:
            return _schedule_again(ctx, plan_id, form, 409, warning=warning)
        result = loop.open_plan(sessions, who, plan_id, given, int(version) if version.isdigit() else None)
    except (Invalid, Conflict) as exc:
        detail = "；".join(exc.reasons) if isinstance(exc, Invalid) and exc.reasons else str(exc)
        return _schedule_again(ctx, plan_id, form, 409 if isinstance(exc, Conflict) else 422, error=detail)
    except StaleVersion as exc:
        form.version = str(exc.details.current_version)  # saving the kept input again overwrites knowingly
        return _schedule_again(ctx, plan_id, form, 409, error=stale_message(exc))
    made = f"，新建 {result.items_created} 项落实任务" if result.items_created else ""
    return redirect(
        f"/plans/{plan_id}", f"已开启报送：{CYCLE_LABELS[result.cycle]}，共 {result.items} 项{made}"
    )


@dataclass(kw_only=True)
class AssignmentsPage:
    plan_id: int
    title: str
    items: list[WorkItemView]
    pending: int
    only_pending: bool
    units: list[UnitView]
    roles: list[tuple[str, str]]
    editing: int | None
    chosen: dict[str, str] = field(default_factory=dict)
    """Unit id → role of the item being edited (as typed when rejected)."""
    unspecified: str = ""
    version: str = ""
    error: str | None = None
    handdown_to: str = ""
    """What the item being edited may be handed down to (县区, 学校), and the choices."""
    handdown_options: list[tuple[int, str]] = field(default_factory=list)


def _assignments_page(
    sessions: Any, who: Any, plan_id: int, item: int | None, only_pending: bool, **extra: Any
) -> AssignmentsPage:
    who.require_manager()
    plan = reg.get_plan(sessions, plan_id)
    items = tracking.list_items(sessions, who, plan_id)
    # the plan's organisation's items; for a district's office, its own (not its schools')
    items = (
        [i for i in items if i.org_id == plan.org_id] or [i for i in items if i.org_id == who.org_id] or items
    )
    # a district's office sees its handed-down items: it picks from its own units, not the city's
    units = reg.list_units(sessions, items[0].org_id if items else plan.org_id, limit=200).items
    pending = sum(1 for i in items if i.to_be_specified)
    shown = [i for i in items if i.to_be_specified] if only_pending else items
    ctx = AssignmentsPage(
        plan_id=plan.id,
        title=plan.title,
        items=shown,
        pending=pending,
        only_pending=only_pending,
        units=units,
        roles=list(ROLE_CHOICES),
        editing=None,
    )
    editing = next((i for i in items if i.id == item), None)
    if editing is not None:
        ctx.editing = editing.id
        ctx.chosen = {str(a.unit_id): a.role for a in editing.assignments if a.unit_id is not None}
        ctx.unspecified = "、".join(a.name for a in editing.assignments if a.state == "unspecified")
        ctx.version = str(editing.version)
        ctx.handdown_to, ctx.handdown_options = handdown_choices(sessions, who, editing.org_id)
    for k, v in extra.items():
        setattr(ctx, k, v)
    return ctx


@page(router, "/plans/{plan_id}/assignments", "plans/assignments.html")
def assignments_page(
    request: Request,
    plan_id: int,
    who: PageUser,
    sessions: SessionsDep,
    item: Annotated[int | None, Query()] = None,
    pending: Annotated[str, Query(pattern="^(|1)$")] = "",
) -> AssignmentsPage:
    """Every task with its units; the 待明确 ones marked; one task's units being picked."""
    return _assignments_page(sessions, who, plan_id, item, pending == "1")


@router.post("/plans/{plan_id}/assignments/{item_id}", response_class=HTMLResponse)
async def assignments_submit(
    request: Request, plan_id: Id, item_id: Id, who: FormUser, sessions: SessionsDep
) -> Response:
    """Replace one task's units."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_assign, request, plan_id, item_id, who, sessions, form)


def _assign(
    request: Request, plan_id: int, item_id: int, who: Any, sessions: Any, form: dict[str, str]
) -> Response:
    from eduplan.services.draft_corrections import split_units

    chosen = {k[5:]: v for k, v in form.items() if k.startswith("role-") and v}
    order = {"lead": 0, "responsible": 1, "support": 2}
    given = [
        loop.AssignmentInput(role=role, unit_id=int(unit))
        for unit, role in sorted(chosen.items(), key=lambda kv: order.get(kv[1], 9))
        if unit.isdigit()
    ]
    words = form.get("unspecified", "")
    given += [loop.AssignmentInput(role="responsible", name=n) for n in split_units(words)]
    version = form.get("version", "")
    kept = {"chosen": chosen, "unspecified": words, "version": version}
    try:
        if not version.isdigit():
            raise Invalid("缺少版本号，请刷新页面")
        loop.set_assignments(sessions, who, item_id, given, int(version))
    except Invalid as exc:
        ctx = _assignments_page(sessions, who, plan_id, item_id, False, **kept, error=str(exc))
        return render(request, "plans/assignments.html", ctx, 422)
    except StaleVersion as exc:
        ctx = _assignments_page(sessions, who, plan_id, item_id, False, **kept, error=stale_message(exc))
        ctx.version = str(exc.details.current_version)
        return render(request, "plans/assignments.html", ctx, 409)
    return redirect(f"/plans/{plan_id}/assignments#item-{item_id}", "已保存分工")
