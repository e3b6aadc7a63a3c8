"""导入已有台账 pages: upload a ledger → preview (how each column was read, with a select per column
to read it otherwise; the rows that cannot be read, with their row numbers; the tasks and the
reports per period) → confirm, which imports it in one transaction (`services.ledger_import`).

- ``GET/POST /plans/ledger-import``: the upload form (office staff and administrators).  A file
  that is no spreadsheet, or has no ledger header, is shown again with the reason; nothing is kept.
- ``GET /plans/ledger-import/{token}`` (and ``.json``): the preview; nothing is written.
- ``POST …/{token}``: the column roles and schedule chosen; ``…/confirm``; ``…/discard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from eduplan.parsing.ledger_columns import ROLE_LABELS, check_roles
from eduplan.services.clock import today
from eduplan.services.errors import Invalid
from eduplan.services.ledger_import import LedgerOptions, LedgerPreview, import_ledger, preview_ledger
from eduplan.services.ledger_uploads import discard_upload, keep_upload, load_upload, save_options
from eduplan.services.registry import ImportRejected, list_orgs
from eduplan.services.registry.import_policy import fixed_org
from eduplan.services.tracking.schedule import CYCLE_LABELS
from eduplan.services.tracking.value_rules import PROGRESS_LABELS
from eduplan.web.body_limits import form_file
from eduplan.web.deps import SessionsDep, SettingsDep
from eduplan.web.pages.access import PageUser, check_form
from eduplan.web.pages.context import PageContext, PageCtx
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
BASE = "/plans/ledger-import"
SHOWN_REPORTS = 300
"""Reports listed in the preview (all are imported; the count says how many)."""


@dataclass(kw_only=True)
class LedgerUploadPage:
    org: str
    fixed_org: str | None
    orgs: list[str]
    cycles: list[tuple[str, str]]
    cycle: str
    limit_mb: str
    error: str | None = None


def _upload_page(
    sessions: Any, settings: Any, who: Any, org: str = "", cycle: str = "monthly", error: str | None = None
) -> LedgerUploadPage:
    from eduplan.readers.limits import megabytes

    who.require_manager()
    fixed = fixed_org(who)
    orgs = [] if fixed else [o.path for o in list_orgs(sessions, limit=200).items]
    return LedgerUploadPage(
        org=org,
        fixed_org=fixed,
        orgs=orgs,
        cycles=list(CYCLE_LABELS.items()),
        cycle=cycle,
        limit_mb=megabytes(settings.max_upload_bytes),
        error=error,
    )


@page(router, BASE, "plans/ledger_import.html")
def ledger_upload_page(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> LedgerUploadPage:
    """The upload form."""
    return _upload_page(sessions, settings, who)


@router.post(BASE, response_class=HTMLResponse)
async def ledger_upload(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Receive a ledger: refuse it with the reason, or keep it and go to its preview."""
    who.require_manager()
    org, cycle, data, filename, token = "", "monthly", b"", "", ""
    async with request.form(max_files=1, max_fields=5) as form:  # capped by `body_limits`
        token = str(form.get("csrf_token") or "")
        org = str(form.get("org") or "").strip()
        cycle = str(form.get("cycle") or "monthly")
        data, filename = await form_file(form, settings.max_upload_bytes, "台账.xlsx")
    check_form(request, who, token)

    def again(message: str, status: int) -> Response:
        ctx = _upload_page(sessions, settings, who, org, cycle, message)
        return render(request, "plans/ledger_import.html", ctx, status)

    if len(data) > settings.max_upload_bytes:
        return again("文件过大，请只保留台账所在的工作表后再导入", 413)
    if not filename or not data:
        return again("请选择要导入的台账文件（xlsx、xls、et 或 csv）", 422)
    if cycle not in CYCLE_LABELS:
        return again("请选择报送周期", 422)
    options = LedgerOptions(org=org or None, cycle=cycle)
    try:
        await run_in_threadpool(
            preview_ledger, sessions, who, data, filename, options, today(settings.timezone)
        )
    except (ImportRejected, Invalid) as exc:
        return again(f"无法读取“{filename}”：{exc}", 422)
    kept = await run_in_threadpool(keep_upload, settings, who, data, filename, options)
    return redirect(f"{BASE}/{kept.token}")


@dataclass(kw_only=True)
class LedgerPreviewPage:
    token: str
    preview: LedgerPreview | None
    role_choices: list[tuple[str, str]]
    cycles: list[tuple[str, str]]
    cycle: str
    progress_labels: dict[str, str]
    shown_reports: int
    error: str | None = None
    task_titles: list[str] = field(default_factory=list)


def _preview_page(
    sessions: Any,
    settings: Any,
    who: Any,
    token: str,
    error: str | None = None,
    codes: list[str] | None = None,
) -> LedgerPreviewPage:
    who.require_manager()
    upload, data = load_upload(settings, who, token)
    options = upload.options
    if codes is not None:
        options = LedgerOptions(
            options.org, options.cycle, options.due_day, options.year, codes, options.sheet
        )
    preview = None
    try:
        preview = preview_ledger(sessions, who, data, upload.filename, options, today(settings.timezone))
    except (ImportRejected, Invalid) as exc:
        error = error or str(exc)
    if preview is None and codes is not None:  # show the mapping that can be read, with the error
        preview = preview_ledger(
            sessions, who, data, upload.filename, upload.options, today(settings.timezone)
        )
    return LedgerPreviewPage(
        token=token,
        preview=preview,
        role_choices=list(ROLE_LABELS.items()),
        cycles=list(CYCLE_LABELS.items()),
        cycle=options.cycle,
        progress_labels=dict(PROGRESS_LABELS),
        shown_reports=SHOWN_REPORTS,
        error=error,
        task_titles=[t[1] for t in preview.task_rows] if preview else [],
    )


@page(router, BASE + "/{token}", "plans/ledger_preview.html")
def ledger_preview_page(
    request: Request, token: str, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> LedgerPreviewPage:
    """The preview: columns as read (changeable), unreadable rows, tasks, reports; nothing written."""
    return _preview_page(sessions, settings, who, token)


async def _refused(ctx: PageContext, token: str, error: str, codes: list[str] | None = None) -> Response:
    """The preview again, saying why the choice or the import was refused (422)."""
    data = await run_in_threadpool(_preview_page, ctx.sessions, ctx.settings, ctx.who, token, error, codes)
    return render(ctx.request, "plans/ledger_preview.html", data, 422)


@router.post(BASE + "/{token}", response_class=HTMLResponse)
async def ledger_mapping(token: str, ctx: PageCtx) -> Response:
    """Read the columns as the person chose (a select per column ``c0``, ``c1`` …) and the schedule."""
    request, who, settings = ctx.request, ctx.who, ctx.settings
    async with request.form(max_files=0, max_fields=120) as form:
        check_form(request, who, str(form.get("csrf_token") or ""))
        codes = [str(form.get(f"c{i}") or "ignore") for i in range(100) if f"c{i}" in form]
        cycle = str(form.get("cycle") or "")
    upload, _ = await run_in_threadpool(load_upload, settings, who, token)
    wrong = check_roles(codes)
    if wrong or (cycle and cycle not in CYCLE_LABELS):
        return await _refused(ctx, token, "；".join(wrong) or "请选择报送周期", codes)
    o = upload.options
    upload.options = LedgerOptions(o.org, cycle or o.cycle, o.due_day, o.year, codes, o.sheet)
    await run_in_threadpool(save_options, settings, who, upload)
    return redirect(f"{BASE}/{token}", "已按所选用途重新识别各列")


@router.post(BASE + "/{token}/confirm", response_class=HTMLResponse)
async def ledger_confirm(token: str, ctx: PageCtx) -> Response:
    """Import the ledger as previewed, in one transaction; then go to the plan."""
    request, who, settings = ctx.request, ctx.who, ctx.settings
    async with request.form(max_files=0, max_fields=4) as form:
        check_form(request, who, str(form.get("csrf_token") or ""))
    upload, data = await run_in_threadpool(load_upload, settings, who, token)
    try:
        result = await run_in_threadpool(
            import_ledger,
            ctx.sessions,
            who,
            data,
            upload.filename,
            upload.options,
            ctx.today,
            settings.timezone,
        )
    except (ImportRejected, Invalid) as exc:
        return await _refused(ctx, token, f"未能导入：{exc}")
    await run_in_threadpool(discard_upload, settings, who, token)
    r = result.reports
    message = (
        f"已导入台账：{result.tasks} 项任务；进展报告新增 {r.created} 条、更新 {r.updated} 条"
        f"{f'；{len(result.problems)} 行未读入' if result.problems else ''}"
    )
    return redirect(f"/plans/{result.plan_id}", message)


@router.post(BASE + "/{token}/discard", response_class=HTMLResponse)
async def ledger_discard(request: Request, token: str, who: PageUser, settings: SettingsDep) -> Response:
    """Give the upload up."""
    async with request.form(max_files=0, max_fields=4) as form:
        check_form(request, who, str(form.get("csrf_token") or ""))
    await run_in_threadpool(discard_upload, settings, who, token)
    return redirect("/plans", "已放弃该台账")
