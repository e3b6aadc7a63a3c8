"""A form sent back with errors opens on its first error (issue 15, "No lost work"): the first wrong
field has ``autofocus`` and a link at the top of the page leads to it — on the import preview, on
单位与用户, and when a report is returned without a note."""

from __future__ import annotations

import re

from tests.web.pages.conftest import PagesFor, csrf_of, post_form
from tests.web.pages.test_plans_import_corrections import _draft, _form
from tests.web.pages.test_task_pages import submitted_by_jichu

from eduplan.samples.loop import World
from eduplan.web.pages.first_error import LINK_TEXT, mark_first_error


def focused(html: str) -> str:
    """The id of the one field the page focuses, checked to be a wrong one linked from the top."""
    tags = re.findall(r"<(?:input|select|textarea|fieldset)\b[^>]*\sautofocus[^>]*>", html)
    assert len(tags) == 1, tags
    assert 'aria-invalid="true"' in tags[0]
    found = re.search(r'\sid="([^"]+)"', tags[0])
    assert found
    top = html[html.index("<main") :][:400]
    assert f'<a href="#{found.group(1)}">{LINK_TEXT}</a>' in top
    return found.group(1)


def test_a_report_returned_without_a_note_opens_on_the_note(
    client_for, pages_for: PagesFor, world: World
) -> None:  # type: ignore[no-untyped-def]
    report = submitted_by_jichu(client_for, world)
    office = pages_for("office", world.password)
    url = f"/items/{world.items['1']}"
    page = office.get(url).text
    empty = office.post(
        f"{url}/reports/{report['id']}/review",
        data={"csrf_token": csrf_of(page), "version": "2", "decision": "return", "note": ""},
    )
    assert empty.status_code == 422 and "退回时请写明修改意见" in empty.text
    assert "note" in focused(empty.text)


def test_units_and_users_opens_on_the_wrong_field(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    refused = post_form(
        office,
        "/admin/users",
        {"username": "new-rep", "display_name": "新人", "role": "reporter", "org_id": world.org_id},
        page="/admin",
    )
    assert refused.status_code == 422 and focused(refused.text) == "f-user-unit"


def test_the_import_preview_opens_on_the_wrong_field(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    url = _draft(office)
    values = _form(office, url, 0) | {"deadline": "尽快"}
    refused = post_form(office, f"{url}/tasks/0", values, page=url)
    assert refused.status_code == 422 and "读不出日期" in refused.text
    assert focused(refused.text).endswith("deadline")


def test_a_page_that_chose_its_focus_keeps_it() -> None:
    html = '<main id="main"><fieldset autofocus></fieldset><input id="f-a" aria-invalid="true"></main>'
    marked = mark_first_error(html)
    assert marked.count("autofocus") == 1 and '<a href="#f-a">' in marked
    assert mark_first_error("<main><input id='x'></main>") == "<main><input id='x'></main>"
