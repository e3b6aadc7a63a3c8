"""The HTML pages of eduplan (issue 5): server-rendered Chinese pages over the same services as the
API (Jinja2 templates in ``web/templates``, own CSS/JS in ``web/static``; every core form works
without JavaScript).  One module per area, each with its own ``router``; `install` mounts them all,
the static files and the HTML error pages.  Every page's data is also at its URL + ``.json``
(`render.page`).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from eduplan.web.pages import (
    account,
    account_notify,
    adhoc,
    admin,
    archive,
    auth,
    compare,
    deliveries,
    errors,
    evaluation,
    exports,
    home,
    instructions,
    ledger_import,
    mine,
    notify_admin,
    plans,
    plans_import,
    plans_import_corrections,
    plans_schedule,
    rectifications,
    report_upload,
    search,
    sso,
    supervision,
    task_life,
    tasks,
    todo,
)
from eduplan.web.pages.render import STATIC_DIR

AREAS = (
    auth,
    sso,
    account,
    account_notify,
    home,
    plans_import,  # before plans: /plans/import is not a /plans/{plan_id}
    ledger_import,  # likewise /plans/ledger-import
    plans_import_corrections,
    plans_schedule,
    archive,
    plans,
    exports,
    tasks,
    task_life,
    instructions,
    todo,
    mine,
    report_upload,
    supervision,
    adhoc,
    rectifications,
    evaluation,
    notify_admin,  # before admin: /admin/notify
    admin,
    deliveries,
    search,
    compare,
)


def install(app: FastAPI) -> None:
    """Mount the pages, /static and the HTML error handlers on `app` (after `problems.install`)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Pages link /static/favicon.svg; browsers and tools that read no <link> still ask for this.
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    for area in AREAS:
        app.include_router(area.router)
    errors.install(app)


def _favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)
