"""The HTML pages of eduplan (issue 5): server-rendered Chinese pages over the same services as the
API (Jinja2 templates in ``web/templates``, own CSS/JS in ``web/static``; every core form works
without JavaScript).  One module per area, each with its own ``router``; `install` mounts them all,
the static files and the HTML error pages.  Every page's data is also at its URL + ``.json``
(`render.page`).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from eduplan.web.pages import (
    account,
    admin,
    auth,
    compare,
    errors,
    evaluation,
    exports,
    home,
    mine,
    plans,
    plans_import,
    plans_import_corrections,
    plans_schedule,
    rectifications,
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
    home,
    plans_import,  # before plans: /plans/import is not a /plans/{plan_id}
    plans_import_corrections,
    plans_schedule,
    plans,
    exports,
    tasks,
    task_life,
    todo,
    mine,
    supervision,
    rectifications,
    evaluation,
    admin,
    search,
    compare,
)


def install(app: FastAPI) -> None:
    """Mount the pages, /static and the HTML error handlers on `app` (after `problems.install`)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for area in AREAS:
        app.include_router(area.router)
    errors.install(app)
