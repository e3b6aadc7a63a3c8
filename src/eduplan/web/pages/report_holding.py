"""What becomes of the evidence files of a 集中填报 post once its rows are saved (`mine.report_submit`):
a row saved drops the files it held from an earlier post (they are attached now); a row that could
not be saved holds its files on the server (`services.held_files`) — unless the files themselves
were refused — so that the page names them instead of asking for them again."""

from __future__ import annotations

from eduplan.config import Settings
from eduplan.services.accounts import Principal
from eduplan.services.held_files import drop, hold
from eduplan.web.pages.report_form import RowState

NOT_UPLOADED = "文件未上传，请重新选择"
"""`report_form.save_rows`'s note on the files of a row refused by the services."""


def settle_files(settings: Settings, who: Principal, rows: list[RowState]) -> None:
    """Drop the held files of saved rows; hold the (accepted) files of rows not saved."""
    if who.user_id is None:
        return
    for row in rows:
        if not row.errors:
            for token, _name in row.held:
                drop(settings, who.user_id, token)
            row.held = []
            continue
        if row.errors.get("files", NOT_UPLOADED) != NOT_UPLOADED or not row.files:
            continue  # a refused file is chosen again; nothing else to hold
        tokens = dict((name, token) for token, name in row.held)
        row.held = [
            (token, name)
            for name, data in row.files
            for token in [tokens.get(name) or hold(settings, who.user_id, name, data)]
        ]
        row.files = []
        row.errors.pop("files", None)
