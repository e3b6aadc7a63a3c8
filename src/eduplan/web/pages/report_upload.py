"""Excel 填报 (/my/excel): a unit's reporter downloads the template of a plan's current cycle, fills
it offline and uploads it: upload → preview of what changes per row → confirm (save as drafts, or
submit).  Conflicts (changed on the web since the template was made) are shown with both versions
and never written; invalid rows with their row number and reason.  Evidence files are attached on
the report form (/my/report) afterwards.  Everything is done by `report_template` / `report_upload`;
this module only moves bytes and maps errors.

- ``GET /my/excel`` — the plans the unit reports on, a download per plan, the upload form;
- ``GET /my/excel/{plan_id}.xlsx?on=…`` — the template (current cycle as of `on`, default today);
  office staff name the unit (``&unit=ID``) to make one for a unit or school of theirs;
- ``POST /my/excel`` — upload: the preview (the file is kept for the confirmation, `report_upload_staging`);
- ``POST /my/excel/confirm`` — save (``action=save``) or save and submit (``action=submit``).

The upload body is capped by `body_limits`' default form cap (1 MB: a 300-row template is ~60 KB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from eduplan.services.errors import Forbidden, Invalid
from eduplan.services.pages.exports import attachment
from eduplan.services.pages.my_work import my_work
from eduplan.services.report_upload import KIND_LABELS, UploadPreview, apply_upload, preview_upload
from eduplan.services.report_upload_staging import drop, stage, staged
from eduplan.web.deps import AsOf, SessionsDep
from eduplan.web.pages.access import PageUser, check_form
from eduplan.web.pages.context import PageContext, PageCtx
from eduplan.web.pages.exports import XLSX
from eduplan.web.pages.render import page, render

router = APIRouter(include_in_schema=False)
MAX_TEMPLATE = 1024 * 1024


@dataclass(kw_only=True)
class PlanChoice:
    plan_id: int
    title: str
    tasks: int


@dataclass
class ExcelPage:
    """The 下载/上传 page, or the preview (`preview`), or what the confirmation did (`done`)."""

    unit_name: str
    on: date
    plans: list[PlanChoice] = field(default_factory=list)
    error: str | None = None
    preview: UploadPreview | None = None
    key: str = ""
    done: bool = False
    submitted: bool = False
    kinds: dict[str, str] = field(default_factory=lambda: dict(KIND_LABELS))


def _reporter(who: PageUser) -> None:
    if who.role != "reporter" or who.unit_id is None:
        raise Forbidden("只有单位填报员可以通过 Excel 填报")


def _page(sessions: SessionsDep, who: PageUser, on: date, **extra: object) -> ExcelPage:
    work = my_work(sessions, who, on)
    plans: dict[int, PlanChoice] = {}
    for s in work.slots:
        plans.setdefault(s.plan_id, PlanChoice(plan_id=s.plan_id, title=s.plan_title, tasks=0)).tasks += 1
    return ExcelPage(work.unit_name, on, list(plans.values()), **extra)  # type: ignore[arg-type]


@page(router, "/my/excel", "mine/excel.html")
def excel_page(request: Request, who: PageUser, sessions: SessionsDep, day: AsOf) -> ExcelPage:
    """Download a template, upload a filled one."""
    _reporter(who)
    return _page(sessions, who, day)


@router.get("/my/excel/{plan_id}.xlsx")
def template_download(
    plan_id: int, who: PageUser, sessions: SessionsDep, day: AsOf, unit: int | None = None
) -> Response:
    """The unit's template of a plan's current cycle (office staff: any unit of theirs, ``?unit=ID``,
    to hand to a unit or a school that reports on paper; the unit's reporter uploads it)."""
    from eduplan.export.report_template_xlsx import template_bytes, template_filename
    from eduplan.services.report_template import report_template

    if not who.manages:
        _reporter(who)
    found = report_template(sessions, who, plan_id, who.unit_id if unit is None else unit, day)
    headers = {"Content-Disposition": attachment(template_filename(found), f"template-{plan_id}.xlsx")}
    return Response(template_bytes(found), media_type=XLSX, headers=headers)


def _refused(ctx: PageContext, message: str, status: int = 422) -> Response:
    """The Excel page again, saying why the file was not taken."""
    data = _page(ctx.sessions, ctx.who, ctx.today, error=message)
    return render(ctx.request, "mine/excel.html", data, status)


@router.post("/my/excel", response_class=HTMLResponse)
async def upload(ctx: PageCtx) -> Response:
    """Receive a filled template and show what confirming it would do."""
    request, who = ctx.request, ctx.who
    _reporter(who)
    data, token = b"", ""
    async with request.form(max_files=1, max_fields=4) as form:
        token = str(form.get("csrf_token") or "")
        file = form.get("file")
        if isinstance(file, UploadFile):
            data = await file.read(MAX_TEMPLATE + 1)
    check_form(request, who, token)
    if not data:
        return _refused(ctx, "请选择填好的模板文件（.xlsx）")
    if len(data) > MAX_TEMPLATE:
        return _refused(ctx, "文件过大（上限 1 MB）：请上传从本系统下载的模板，不要插入图片", 413)
    try:
        preview = await run_in_threadpool(preview_upload, ctx.sessions, who, data)
    except (Invalid, Forbidden) as exc:
        return _refused(ctx, str(exc))
    key = stage(ctx.settings, who, data)
    return render(
        request, "mine/excel.html", ExcelPage(preview.unit_name, ctx.today, preview=preview, key=key)
    )


@router.post("/my/excel/confirm", response_class=HTMLResponse)
async def confirm(ctx: PageCtx) -> Response:
    """Save the previewed file's rows (as drafts, or submitted), each checked again now."""
    request, who, settings = ctx.request, ctx.who, ctx.settings
    _reporter(who)
    async with request.form(max_files=0, max_fields=4) as form:
        token, key, action = (str(form.get(k) or "") for k in ("csrf_token", "key", "action"))
    check_form(request, who, token)
    submit = action == "submit"
    try:
        data = staged(settings, who, key)
        result = await run_in_threadpool(apply_upload, ctx.sessions, who, data, ctx.today, submit)
    except (Invalid, Forbidden) as exc:
        return _refused(ctx, str(exc))
    drop(settings, who, key)
    failed = any(r.kind in ("conflict", "invalid") for r in result.rows)
    done = ExcelPage(result.unit_name, ctx.today, preview=result, done=True, submitted=submit)
    return render(request, "mine/excel.html", done, 409 if failed else 200)
