"""督办 board (/supervision): the open urges (催办 yellow, 督办 red) the user may see, 督办 first and
overdue ones marked, filtered by level, state, unit and plan, each linking to its task
(/items/{item_id}).  Office staff close an urge (办结), escalate overdue 催办 to 督办, and issue an
urge from /supervision/new (choose plan, task, unit).  Viewers and leaders read only; reporters see
their own unit's urges.  The rules live in `services.loop.supervision`; this module only parses
the forms and shows what the services answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.db.engine import SessionFactory
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Invalid, StaleVersion
from eduplan.services.pages import board
from eduplan.services.pages.plan_choices import followed_plan_choices
from eduplan.web.deps import Id, SessionsDep, Today
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.context import PageCtx
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)

LEVELS = {"red": "督办", "yellow": "催办"}
STATES = {"open": "待答复", "answered": "已答复", "closed": "已办结"}


def as_id(value: str | None) -> int | None:
    """A select's value as an id ("" or junk: no filter)."""
    return int(value) if value and value.strip().isdigit() else None


@dataclass(kw_only=True)
class Filters:
    level: str
    state: str
    unit: int | None
    plan: int | None


@dataclass(kw_only=True)
class SupervisionPage:
    board: board.UrgeBoard
    filters: Filters
    can_manage: bool
    query: str


@page(router, "/supervision", "supervision/board.html")
def supervision_board(
    ctx: PageCtx, level: str = "", state: str = "", unit: str = "", plan: str = ""
) -> SupervisionPage:
    """The 督办 board."""
    f = Filters(
        level=level if level in LEVELS else "",
        state=state if state in STATES else "",
        unit=as_id(unit),
        plan=as_id(plan),
    )
    data = board.urge_board(
        ctx.sessions, ctx.who, ctx.today, f.level or None, f.state or None, f.unit, f.plan
    )
    return SupervisionPage(board=data, filters=f, can_manage=ctx.who.manages, query=ctx.request.url.query)


def _back(query: str) -> str:
    return "/supervision" + (f"?{query}" if query else "")


@router.post("/supervision/urges/{urge_id}/close")
def close(
    urge_id: Id,
    who: FormUser,
    sessions: SessionsDep,
    version: Annotated[int, Form()],
    back: Annotated[str, Form()] = "",
) -> Response:
    """办结 an urge (office staff)."""
    target = _back(back if not back.startswith(("/", "\\")) else "")
    try:
        loop.close_urge(sessions, who, urge_id, version)
    except StaleVersion as exc:
        return redirect(target, f"未办结：{exc}，请核对后重试", "warn")
    except Conflict as exc:
        return redirect(target, str(exc), "warn")
    return redirect(target, "已办结该督办事项")


@router.post("/supervision/escalate")
def escalate(who: FormUser, sessions: SessionsDep, today: Today) -> Response:
    """Turn every 催办 unanswered past its date into 督办 (office staff)."""
    raised = loop.escalate_overdue(sessions, who, today)
    if not raised:
        return redirect("/supervision", "没有逾期未答复的催办事项")
    return redirect("/supervision", f"已将 {len(raised)} 项逾期催办升级为督办")


@dataclass(kw_only=True)
class UrgeForm:
    """The form that issues a 催办/督办: plan and task chosen first (GET), then the details."""

    plans: list[board.Choice]
    plan_id: int | None
    items: list[board.Choice]
    item: board.ItemLabel | None
    units: list[board.AssignedUnit]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def plan_choices(sessions: SessionFactory, actor: Principal) -> list[board.Choice]:
    """The plans to choose from: open ones the actor follows (`loop.plan_choices`), with their organisation."""
    return followed_plan_choices(sessions, actor)


def urge_form(
    sessions: SessionsDep, who: PageUser, plan_id: int | None, item_id: int | None, values: dict[str, str]
) -> UrgeForm:
    """What the issue form shows for the chosen plan and task."""
    who.require_manager()
    label, units = board.assigned_units(sessions, who, item_id) if item_id else (None, [])
    chosen_plan = label.plan_id if label else plan_id
    items = []
    if chosen_plan is not None:
        items = [
            board.Choice(value=i.id, label=f"{i.number} {i.title}")
            for i in tracking.list_items(sessions, who, plan_id=chosen_plan)
        ]
    defaults = {"level": "yellow", "note": "", "due_on": "", "unit_id": ""}
    return UrgeForm(
        plans=plan_choices(sessions, who),
        plan_id=chosen_plan,
        items=items,
        item=label,
        units=units,
        values=defaults | values,
    )


@page(router, "/supervision/new", "supervision/new.html")
def new_urge(
    request: Request, who: PageUser, sessions: SessionsDep, plan: str = "", item: str = "", level: str = ""
) -> UrgeForm:
    """Issue a 催办 or 督办 (office staff)."""
    values = {"level": level} if level in LEVELS else {}
    return urge_form(sessions, who, as_id(plan), as_id(item), values)


URGE_FIELDS = (("督办事项", "note"), ("时限", "due_on"), ("责任单位", "unit_id"), ("级别", "level"))


def field_of(message: str, fields: tuple[tuple[str, str], ...], default: str) -> str:
    """Which input a service's message is about (by the words it uses)."""
    return next((name for word, name in fields if word in message), default)


@router.post("/supervision/new", response_class=HTMLResponse)
def issue(
    request: Request,
    who: FormUser,
    sessions: SessionsDep,
    item_id: Annotated[int, Form()],
    note: Annotated[str, Form(max_length=5000)] = "",
    due_on: Annotated[str, Form(max_length=100)] = "",
    unit_id: Annotated[str, Form()] = "",
    level: Annotated[str, Form()] = "yellow",
) -> Response:
    """Issue the urge; back to the board, or the form again with the message beside the field."""
    values = {"note": note, "due_on": due_on, "unit_id": unit_id, "level": level}
    errors: dict[str, str] = {}
    if not due_on.strip():
        errors["due_on"] = "请填写答复时限（如 9月底前、10月15日前）"
    if not note.strip():
        errors["note"] = "请写明督办事项"
    if not errors:
        try:
            made = loop.issue_urge(sessions, who, item_id, note, due_on, as_id(unit_id), level)
        except Invalid as exc:
            errors[field_of(str(exc), URGE_FIELDS, "note")] = str(exc)
        else:
            word = LEVELS.get(made.level, "催办")
            return redirect("/supervision", f"已发出{word}：{made.note}")
    form = urge_form(sessions, who, None, item_id, values)
    form.errors = errors
    return render(request, "supervision/new.html", form, 422)
