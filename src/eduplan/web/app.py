"""`create_app(settings)`: the FastAPI application over one database (nothing is built at import).

The engine is made when the app is created and disposed when it shuts down; the schema is not
migrated here (``eduplan serve`` migrates before it starts, tests migrate their own databases).
The routes are synchronous (database work) and run on a few threads (``request_threads``): they
hold the GIL for most of a request, so more threads only take turns more often and serve fewer
requests per second under load (measured in benchmarks/bench_registry.py).
OpenAPI is served at ``/api/openapi.json`` and its interactive docs at ``/api/docs``, with the
Swagger UI assets served from the installed ``fastapi-offline`` package under ``/api/static`` (no CDN,
so the docs work on a machine without internet); the validator badge, which would call
validator.swagger.io, is switched off.
Behind a reverse proxy, the client address and the scheme come from ``X-Forwarded-For`` and
``X-Forwarded-Proto`` only when the proxy's own address is in `trusted_proxies` (default: loopback):
uvicorn's proxy-headers middleware, applied here so the setting holds under any ASGI server.
Responses of 500 bytes or more are gzip-compressed when the client accepts it (a plan page shrinks
about tenfold); files that are compressed already (xlsx, docx, pptx, zip, images) are sent as they are.
The compression sits outside the security headers, which read the docs' HTML uncompressed.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from eduplan.config import Settings
from eduplan.db.engine import make_engine, make_session_factory
from eduplan.web import (
    api,
    api_adhoc,
    api_archive,
    api_auth,
    api_comments,
    api_compare,
    api_evaluation,
    api_inbox,
    api_instructions,
    api_life,
    api_loop,
    api_measures,
    api_notify,
    api_reports,
    api_supervision,
    body_limits,
    calendar_feed,
    edge,
    pages,
    problems,
    security,
)

DESCRIPTION = """教育规划登记册 API：导入规划/工作要点文件，按版本保存，查询任务、目标、指标、项目，全文检索；
落实闭环：报送周期、任务分解与下发、进展报送与审核、红黄绿灯状态、报送完成率、操作留痕。

Every route needs a signed-in user: the session cookie from `POST /api/v1/auth/login` (writes also
send its CSRF token in `X-CSRF-Token`) or `Authorization: Bearer <API token>`.

Errors are `application/problem+json` (RFC 9457).  Lists are pages (`limit`, `offset`) in a stable order.
"""
ALREADY_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/x-tar",
)
"""Content types gzip would only spend time on (Office files are zip archives)."""
GZIP_LEVEL = 6
"""zlib's default: nearly the size of level 9 at a fraction of the time."""
DOCS_URL = "/api/docs"
STATIC_URL = "/api/static"


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, scheduler: bool = False
) -> FastAPI:
    """The app for `settings` (default: from the environment), or over an existing `engine`;
    `scheduler` runs the reminder job in the background (``eduplan serve`` turns it on)."""
    settings = settings or Settings()
    owned = engine is None
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # Everything imported so far lives as long as the process: keep it out of the collector's
        # full passes, which otherwise walk it all and stall a request by 60–80 ms every few
        # requests that build many rows (measured in benchmarks/bench_loop.py).
        gc.freeze()
        background = None
        if scheduler and settings.scheduler_minutes:
            from eduplan.services.notify.scheduler import Scheduler

            background = Scheduler(app.state.sessions, settings)
            background.start()
        sender = None
        if scheduler and settings.delivery_poll_seconds:
            from eduplan.services.notify.sender import DeliverySender

            sender = DeliverySender(app.state.sessions, settings)
            sender.start()
        backups = None
        if scheduler and settings.backup_hours:
            from eduplan.services.backup_schedule import BackupSchedule

            backups = BackupSchedule(settings)
            backups.start()
        yield
        if backups is not None:
            backups.stop()
        if sender is not None:
            sender.stop()
        if background is not None:
            background.stop()
        if owned:
            engine.dispose()

    app = FastAPIOffline(
        title="eduplan registry",
        version="1",
        description=DESCRIPTION,
        docs_url=DOCS_URL,
        redoc_url=None,
        static_url=STATIC_URL,
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        swagger_ui_parameters={"validatorUrl": None},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)
    problems.install(app)
    edge.install(app)
    for routes in (
        api_auth,
        api,
        api_loop,
        api_measures,
        api_reports,
        api_supervision,
        api_life,
        api_adhoc,
        api_instructions,
        api_evaluation,
        api_inbox,
        api_compare,
        api_comments,
        api_archive,
        api_notify,
        calendar_feed,
    ):
        app.include_router(routes.router)
    pages.install(app)
    body_limits.install(app, settings)
    security.install(app)
    app.add_middleware(GZipMiddleware, compresslevel=GZIP_LEVEL, exclude_content_types=ALREADY_COMPRESSED)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)  # outermost
    return app
