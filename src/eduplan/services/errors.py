"""The errors of eduplan's use cases beyond the registry's, each with a one-line Chinese message.

All derive from `ServiceError`; front ends map them by type in one table (`web.error_status`):
`Unauthenticated` → 401, `Forbidden` → 403, `NotFound` → 404, `Conflict` and `StaleVersion` → 409,
`Invalid` → 422, `Throttled` → 429.  Something a user may not
even know exists (another district's item, another unit's draft) is `NotFound`, not `Forbidden`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eduplan.services.error_base import ServiceError
from eduplan.services.registry.errors import Conflict, ImportRejected, NotFound

__all__ = [
    "Busy",
    "Conflict",
    "FieldChange",
    "Forbidden",
    "ImportRejected",
    "Invalid",
    "NotFound",
    "ServiceError",
    "StaleVersion",
    "Throttled",
    "Unauthenticated",
]


class Unauthenticated(ServiceError):
    """No valid session or token, or a wrong user name or password."""


class Forbidden(ServiceError):
    """Signed in, but this role may not do that (e.g. a viewer importing a plan)."""

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message)
        self.code = code


class Invalid(ServiceError):
    """Input that breaks a rule (a weak password, a percent over 100, an unknown unit); `fields`
    names the field each message belongs beside (``percent``, ``t<target id>``…) when known."""

    def __init__(
        self, message: str, reasons: list[str] | None = None, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.reasons = reasons or []
        self.fields = fields or {}


class Throttled(ServiceError):
    """Too many failed logins: try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Busy(Throttled):
    """No password check free right now (not a failure of the asker): try again in a few seconds."""


@dataclass
class FieldChange:
    """One field someone else changed since the version a client saw."""

    field: str
    before: Any
    after: Any


@dataclass
class _Stale:
    entity: str
    entity_id: int
    your_version: int | None
    current_version: int
    changed_by: str
    changed_at: datetime | None
    changes: list[FieldChange] = field(default_factory=list)
    current: dict[str, Any] = field(default_factory=dict)


class StaleVersion(ServiceError):
    """Someone saved the same record since the client read it: nothing was written, and the
    problem says who changed what, so the client can merge and save again."""

    def __init__(self, message: str, details: _Stale) -> None:
        super().__init__(message)
        self.details = details


StaleDetails = _Stale
