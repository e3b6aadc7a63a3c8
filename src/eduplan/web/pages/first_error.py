"""A form sent back with errors opens on its first error (issue 15: on a long page — the import
preview, 单位与用户, a report returned without a note — the message sat far below, out of view).

`mark_first_error` works on the rendered page of a refused post (409/422): the first field marked
``aria-invalid="true"`` gets ``autofocus`` (the browser moves the focus and the view there, without
JavaScript) unless the page already chose a field to focus, and a link "转到第一处错误" to it is put at
the top of ``<main>`` for anyone who lost their place.  Every form marks its wrong fields that way
(the `_macros` fields and the hand-written ones alike), so no page needs its own code for it.
"""

from __future__ import annotations

import re

_FIRST = re.compile(r'<(?:input|select|textarea)\b[^>]*?\saria-invalid="true"[^>]*>')
_ID = re.compile(r'\sid="([^"]+)"')
_MAIN = re.compile(r"<main\b[^>]*>")
_AUTOFOCUS = re.compile(r"<(?:input|select|textarea|fieldset|button)\b[^>]*\sautofocus[\s>]")
LINK_TEXT = "转到第一处错误"


def mark_first_error(html: str) -> str:
    """The page with its first wrong field focused and linked from the top (unchanged when none)."""
    field = _FIRST.search(html)
    if field is None:
        return html
    tag = field.group(0)
    found = _ID.search(tag)
    if not _AUTOFOCUS.search(html):
        html = html[: field.start()] + tag[:-1].rstrip("/").rstrip() + " autofocus>" + html[field.end() :]
    main = _MAIN.search(html)
    if found is None or main is None or LINK_TEXT in html:
        return html
    link = f'<p class="notice first-error"><a href="#{found.group(1)}">{LINK_TEXT}</a></p>'
    return html[: main.end()] + link + html[main.end() :]
