"""The skeleton of this app's ASGI middlewares (NUL refusal, body limits, security headers): each acts
on HTTP requests only and lets every other scope (lifespan, websocket) through untouched.

A subclass writes `http`; its constructor, when it takes more than the app, calls ``super().__init__``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Passes non-HTTP scopes straight to the app; HTTP requests go through `http`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
