"""`ServiceError`: the one base of every error a use case raises on purpose.

``str(error)`` (and ``error.message``) is a one-line Chinese message for the user.  The kinds
(`NotFound`, `Forbidden`, `Invalid`, `Conflict`, `StaleVersion`, `ImportRejected`, `Throttled`,
`Unauthenticated`) live in `services.errors` and `services.registry.errors`; the web maps each kind to
an HTTP status in one table (`web.error_status`) read by the JSON and the HTML handlers alike.

Limits: this module imports nothing, so every service package can use it without a cycle.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the use cases' errors; ``str(error)`` is the message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
