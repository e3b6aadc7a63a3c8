"""The errors of the registry's use cases, each with a one-line Chinese message for the user.

Front ends map them without reading messages, by the one table of `web.error_status`.
"""

from __future__ import annotations

from typing import Literal

from eduplan.services.error_base import ServiceError

ImportReason = Literal["too_large", "unsupported", "unreadable", "unparsable", "no_organisation"]


RegistryError = ServiceError
"""The former name of `ServiceError` (every use case's error, not only the registry's)."""


class NotFound(ServiceError):
    """The requested organisation, unit, plan, version, task or document does not exist."""


class Conflict(ServiceError):
    """The request contradicts what the registry holds (e.g. a concurrent import of the same file)."""


class ImportRejected(ServiceError):
    """A document that cannot be imported; nothing was written."""

    def __init__(self, message: str, reason: ImportReason) -> None:
        super().__init__(message)
        self.reason: ImportReason = reason
