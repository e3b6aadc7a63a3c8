"""The errors of the registry's use cases, each with a one-line Chinese message for the user.

Front ends map them without reading messages: `NotFound` → 404, `ImportRejected` → 413/415/422 by
its `reason`, `Conflict` → 409.
"""

from __future__ import annotations

from typing import Literal

ImportReason = Literal["too_large", "unsupported", "unreadable", "unparsable", "no_organisation"]


class RegistryError(Exception):
    """Base of the registry's errors; ``str(error)`` is the message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(RegistryError):
    """The requested organisation, unit, plan, version, task or document does not exist."""


class Conflict(RegistryError):
    """The request contradicts what the registry holds (e.g. a concurrent import of the same file)."""


class ImportRejected(RegistryError):
    """A document that cannot be imported; nothing was written."""

    def __init__(self, message: str, reason: ImportReason) -> None:
        super().__init__(message)
        self.reason: ImportReason = reason
