"""Single-file web pages (.mht/.mhtml), often what a "Word" download (.doc) really is.

Word's "单个文件网页" and browsers' "save as MHTML" write a MIME message: its text/html part
(base64 or quoted-printable, in the charset the part declares) is the document.  That part is
handed to the HTML reader; the charset from the MIME header is added as a ``<meta charset>`` when
the HTML itself declares none.  Pictures and other parts are ignored.
"""

from __future__ import annotations

import email
import email.policy
import re

from eduplan.readers.errors import ReadError
from eduplan.readers.html import read_html

_META_CHARSET = re.compile(rb"<meta[^>]+charset", re.IGNORECASE)
_NO_HTML = "这是单个网页文件（.mht），但其中没有网页正文，无法读取；请用 Word 另存为 .docx 后再导入"


def read_mht(data: bytes) -> list[str]:
    """Raw lines of the first HTML part of a MIME (MHTML) file."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        charset = part.get_content_charset()
        if (
            charset
            and re.fullmatch(r"[A-Za-z0-9_.:\-]+", charset)
            and not _META_CHARSET.search(payload[:4096])
        ):
            payload = f'<meta charset="{charset}">'.encode("ascii") + payload
        return read_html(payload)
    raise ReadError(_NO_HTML, "no_text")
