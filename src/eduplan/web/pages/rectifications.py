"""整改 pages: the list (/rectifications: 整改中 / 待销号 / 已销号, deadline, overdue first) and one
rectification (/rectifications/{id}).  The owner unit's reporter attaches evidence and submits
its measures; office staff sign it off (销号) or send it back with a reason, and raise a new one
from a finding (/rectifications/new?item=…, optionally from an urge).  Rules and scoping are
`services.loop.rectifications`'; a rejected form comes back with the message beside its field
and the typed text kept (a chosen file cannot be kept by a browser: it is attached first when the
rest of the form fails).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from eduplan.services import loop
from eduplan.services.errors import Conflict, Invalid, StaleVersion
from eduplan.services.pages import board
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.context import FormCtx, PageContext, PageCtx
from eduplan.web.pages.render import page, redirect, render
from eduplan.web.pages.supervision import as_id, field_of

router = APIRouter(include_in_schema=False)
STATES = {"open": "整改中", "submitted": "待销号", "signed_off": "已销号"}


@dataclass(kw_only=True)
class RectListPage:
    board: board.RectBoard
    state: str
    unit: int | None
    plan: int | None
    can_manage: bool
    query: str


@page(router, "/rectifications", "supervision/rectifications.html")
def rectification_list(ctx: PageCtx, state: str = "", unit: str = "", plan: str = "") -> RectListPage:
    """The 整改 list."""
    chosen = state if state in STATES else ""
    data = board.rectification_board(
        ctx.sessions, ctx.who, ctx.today, chosen or None, as_id(unit), as_id(plan)
    )
    return RectListPage(
        board=data,
        state=chosen,
        unit=as_id(unit),
        plan=as_id(plan),
        can_manage=ctx.who.manages,
        query=ctx.request.url.query,
    )


@dataclass(kw_only=True)
class RectPage:
    row: board.RectRow
    can_manage: bool
    is_owner: bool
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _detail(ctx: PageContext, rect_id: int, **values: str) -> RectPage:
    who = ctx.who
    row = board.rectification_detail(ctx.sessions, who, rect_id, ctx.today)
    owner = who.role == "reporter" and who.unit_id == row.rectification.unit_id
    given = {"measures": row.rectification.measures, "note": ""} | values
    return RectPage(row=row, can_manage=who.manages, is_owner=owner, values=given)


@page(router, "/rectifications/{rect_id:int}", "supervision/rectification.html")
def rectification_page(rect_id: int, ctx: PageCtx) -> RectPage:
    """One rectification: finding, owner, deadline, measures, evidence, sign-off."""
    return _detail(ctx, rect_id)


def _again(ctx: PageContext, data: RectPage, errors: dict[str, str], status: int = 422) -> Response:
    data.errors = errors
    return render(ctx.request, "supervision/rectification.html", data, status)


@router.post("/rectifications/{rect_id}/measures", response_class=HTMLResponse)
async def submit_measures(
    rect_id: Id,
    ctx: FormCtx,
    version: Annotated[int, Form()],
    measures: Annotated[str, Form(max_length=20000)] = "",
    action: Annotated[str, Form()] = "submit",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The owner unit attaches evidence and/or submits its measures for 销号."""
    url = f"/rectifications/{rect_id}"
    sessions, settings, who = ctx.sessions, ctx.settings, ctx.who
    errors: dict[str, str] = {}
    attached, status = "", 422
    if file is not None and file.filename:
        content = await file.read(settings.evidence_max_bytes + 1)
        try:
            made = await run_in_threadpool(
                loop.add_rectification_evidence, sessions, settings, who, rect_id, file.filename, content
            )
            attached = made.filename
        except (Invalid, Conflict) as exc:
            errors["file"] = str(exc)
    if action == "submit" and not errors:
        try:
            await run_in_threadpool(loop.submit_rectification, sessions, who, rect_id, measures, version)
            return redirect(url, "整改措施已提交，等待销号")
        except StaleVersion as exc:
            errors["measures"], status = f"{exc}（您填写的内容仍在下方）", 409
        except (Invalid, Conflict) as exc:
            errors[field_of(str(exc), (("佐证", "file"),), "measures")] = str(exc)
    if not errors:
        return redirect(url, f"已上传佐证材料：{attached}" if attached else "请选择要上传的文件")
    data = await run_in_threadpool(_detail, ctx, rect_id, measures=measures)
    if attached and "file" not in errors:
        data.values["attached"] = attached
    return _again(ctx, data, errors, status)


@router.post("/rectifications/{rect_id}/sign-off", response_class=HTMLResponse)
def sign_off(
    rect_id: Id,
    ctx: FormCtx,
    version: Annotated[int, Form()],
    decision: Annotated[str, Form()] = "accept",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """销号 (accept), or send back with a reason (office staff)."""
    accept = decision == "accept"
    try:
        loop.sign_off(ctx.sessions, ctx.who, rect_id, version, accept, note)
    except StaleVersion as exc:
        return _again(ctx, _detail(ctx, rect_id, note=note), {"note": f"{exc}，请核对后重新提交"}, 409)
    except (Invalid, Conflict) as exc:
        return _again(ctx, _detail(ctx, rect_id, note=note), {"note": str(exc)})
    return redirect(f"/rectifications/{rect_id}", "已销号" if accept else "已退回整改，单位将重新提交")


@dataclass(kw_only=True)
class NewRectPage:
    item: board.ItemLabel
    units: list[board.AssignedUnit]
    urge_id: int | None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _new(
    sessions: SessionsDep, who: PageUser, item_id: int, urge_id: int | None, values: dict[str, str]
) -> NewRectPage:
    who.require_manager()
    label, units = board.assigned_units(sessions, who, item_id)
    defaults = {"unit_id": "", "finding": "", "deadline": ""}
    return NewRectPage(item=label, units=units, urge_id=urge_id, values=defaults | values)


@page(router, "/rectifications/new", "supervision/new_rectification.html")
def new_rectification(
    request: Request, who: PageUser, sessions: SessionsDep, item: int, urge: str = "", unit: str = ""
) -> NewRectPage:
    """Raise a rectification on a task from a finding (office staff)."""
    return _new(sessions, who, item, as_id(urge), {"unit_id": unit if as_id(unit) else ""})


RECT_FIELDS = (("整改问题", "finding"), ("时限", "deadline"), ("责任单位", "unit_id"), ("督办", "finding"))


@router.post("/rectifications/new", response_class=HTMLResponse)
def raise_rectification(
    request: Request,
    who: FormUser,
    sessions: SessionsDep,
    item_id: Annotated[int, Form()],
    unit_id: Annotated[str, Form()] = "",
    finding: Annotated[str, Form(max_length=20000)] = "",
    deadline: Annotated[str, Form(max_length=100)] = "",
    urge_id: Annotated[str, Form()] = "",
) -> Response:
    """Raise it; on to its page, or the form again with the message beside the field."""
    values = {"unit_id": unit_id, "finding": finding, "deadline": deadline}
    errors: dict[str, str] = {}
    if as_id(unit_id) is None:
        errors["unit_id"] = "请选择整改责任单位"
    if not finding.strip():
        errors["finding"] = "请写明整改问题"
    if not deadline.strip():
        errors["deadline"] = "请填写整改时限（如 9月30日、9月底前）"
    if not errors:
        try:
            made = loop.raise_rectification(
                sessions, who, item_id, as_id(unit_id) or 0, finding, deadline, as_id(urge_id)
            )
        except Invalid as exc:
            errors[field_of(str(exc), RECT_FIELDS, "finding")] = str(exc)
        else:
            return redirect(f"/rectifications/{made.id}", f"已下达整改：{made.unit_name}")
    data = _new(sessions, who, item_id, as_id(urge_id), values)
    data.errors = errors
    return render(request, "supervision/new_rectification.html", data, 422)
