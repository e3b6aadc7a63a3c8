"""我的任务 (/my) and 集中填报 (/my/report).

/my: for a unit's reporter, what is due in the current cycle (returned and overdue reports first);
for office staff, the submitted reports waiting for review.  /my/report: one form to report on all
of it at once — status, percent, narrative, actual values and evidence files per task — saved as
drafts or submitted (`report_form` says how a post is checked and saved without losing input).
``?on=2024-05-20`` shows the cycles as of that day (default: today).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from eduplan.services.errors import Forbidden
from eduplan.services.pages.my_work import MyWork, my_work
from eduplan.web.deps import AsOf, SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.kept_forms import RESTORED_MESSAGE, remember_form, restored_form
from eduplan.web.pages.render import page, redirect, render
from eduplan.web.pages.report_form import MAX_ROWS, ReportPage, read_rows, report_page, save_rows
from eduplan.web.pages.report_holding import settle_files

router = APIRouter(include_in_schema=False)


MAX_FILES = 20
"""Evidence files in one post of the report form: each is read whole, so this bounds a post's memory."""


async def _form(request: Request, settings: SettingsDep) -> FormData:
    """The report form (its body capped by `body_limits` from `MAX_FILES`), kept for the login
    redirect should the session have ended (`kept_forms`)."""
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_ROWS * 40)
    remember_form(request, form)
    return form


Form = Annotated[FormData, Depends(_form)]


@page(router, "/my", "mine/index.html")
def my_tasks(request: Request, who: PageUser, sessions: SessionsDep, day: AsOf) -> MyWork:
    """What the signed-in user has to do in this cycle (``?on=``: as of that day)."""
    return my_work(sessions, who, day)


@page(router, "/my/report", "mine/report.html")
def report_form(
    request: Request,
    who: PageUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
    on: date | None = None,
) -> ReportPage:
    """The unit's reports of this cycle, all in one form."""
    if who.role != "reporter":
        raise Forbidden("只有单位填报员可以填报进展")
    kept = restored_form(request, who.user_id)
    if kept is None:
        return report_page(sessions, who, on or today)
    return restored_page(sessions, settings, who, kept, today)


@router.post("/my/report")
def report_submit(
    request: Request, form: Form, who: FormUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> Response:  # `form` first: it parses the body with the limits before `FormUser` reads its token
    """Save every row as a draft (保存草稿) or submit them (报送)."""
    if who.role != "reporter":
        raise Forbidden("只有单位填报员可以填报进展")
    on_text = form.get("on")
    try:
        on = date.fromisoformat(on_text) if isinstance(on_text, str) and on_text else today
    except ValueError:
        on = today
    submit = form.get("action") == "submit"
    rows = read_rows(form, settings, who.user_id)
    back = f"/my?on={on.isoformat()}" if on != today else "/my"
    # the rows typed right are saved whatever the others say; the wrong ones come back as typed
    before = report_page(sessions, who, on)
    slots = {(s.item_id, s.cycle): s for s, _ in before.rows}
    done = save_rows(sessions, settings, who, [r for r in rows if not r.errors], slots, submit, today)
    settle_files(settings, who, rows)
    failed = [r for r in rows if r.errors]
    if not failed:
        word = "报送" if submit else "保存为草稿"
        flagged = [w for r in rows for w in r.warnings]
        note = (
            f"；数值提示 {len(flagged)} 条（{flagged[0]}{'等' if len(flagged) > 1 else ''}），将提请审核人员核实"
            if flagged
            else ""
        )
        return redirect(
            back, f"已{word} {done} 项{note}" if done else "没有需要保存的内容", "ok" if done else "warn"
        )
    data = report_page(sessions, who, on, {(r.item_id, r.cycle): r for r in failed})
    shown = {(s.item_id, s.cycle) for s, _ in data.rows}
    data.stray = [
        f"任务 {r.item_id}：{r.errors.get('row', '')}" for r in failed if (r.item_id, r.cycle) not in shown
    ]
    stale = any(r.theirs is not None for r in failed)
    word = "报送" if submit else "保存"
    data.message = (
        f"已{word} {done} 项；" if done else ""
    ) + f"{len(failed)} 项未能保存，见标注（填写的内容和所选文件均已保留）"
    return render(request, "mine/report.html", data, 409 if stale else 422)


def restored_page(
    sessions: SessionsDep, settings: SettingsDep, who: PageUser, kept: FormData, today: date
) -> ReportPage:
    """The form with the rows kept when the session ended put back as typed (not saved)."""
    on_text = kept.get("on")
    try:
        on = date.fromisoformat(on_text) if isinstance(on_text, str) and on_text else today
    except ValueError:
        on = today
    rows = [r for r in read_rows(kept, settings) if r.touched]
    data = report_page(sessions, who, on, {(r.item_id, r.cycle): r for r in rows})
    data.message = RESTORED_MESSAGE
    return data
