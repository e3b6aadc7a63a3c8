"""`ReadError`: the one exception readers raise, with a one-line Chinese message for the user.

Every failure a user can meet (empty file, too large, scanned PDF or OFD, encrypted or broken file,
unknown encoding, LibreOffice missing or too slow) becomes a `ReadError` whose text says what is
wrong and what to do.  The `reason` code lets the web and CLI layers map errors without parsing
the message.
"""

from __future__ import annotations

from typing import Literal

Reason = Literal[
    "not_found",
    "not_a_file",
    "permission",
    "empty",
    "too_large",
    "no_text",
    "scanned",
    "legacy_office",
    "unsupported",
    "encrypted",
    "corrupt",
    "unsafe",
    "binary",
    "encoding",
    "converter",
    "timeout",
]


class ReadError(Exception):
    """A document that cannot be read; ``str(error)`` is one line of Chinese saying what to do."""

    def __init__(self, message: str, reason: Reason = "corrupt") -> None:
        self.message = " ".join(message.split())
        self.reason: Reason = reason
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
